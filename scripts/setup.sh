#!/usr/bin/env bash
# Installs what building and testing Genjin needs, at pinned versions, skipping anything
# already there: the wasm target, wasm-bindgen-cli, wasm-opt (binaryen, npm), Debian's
# Chromium and the end-to-end test packages, and cargo-leptos where GENJIN_SETUP_LEPTOS=1. Idempotent; safe to run every time.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The build cache outside the clone is reused by every later clone, and it grows: each change
# of flags, dependencies or toolchain leaves the old artifacts behind (the debug build a test
# run leaves is about 8 GB). A run on a warm cache needs about GENJIN_BUILD_ROOM_GB more disk.
# When the cache's disk has less, or the cache has grown past GENJIN_CACHE_MAX_GB, make room
# from the cache (its incremental data first, then the whole cache): a cold build is slow but
# fits CI's time limit, a full disk fails the run.
room_gb=${GENJIN_BUILD_ROOM_GB:-8}
max_gb=${GENJIN_CACHE_MAX_GB:-30}
free_gb() {
  local dir=$CARGO_TARGET_DIR
  while [ ! -d "$dir" ]; do dir=$(dirname "$dir"); done
  df -Pk "$dir" | awk 'NR == 2 { print int($4 / 1048576) }'
}
if [ -d "$CARGO_TARGET_DIR" ]; then
  cache_gb=$(du -sk "$CARGO_TARGET_DIR" | awk '{ print int($1 / 1048576) }')
  if [ "$cache_gb" -gt "$max_gb" ]; then
    say "the build cache has grown to $cache_gb GB (mostly stale builds): removing it, the next build starts cold"
    rm -rf "$CARGO_TARGET_DIR"
  elif [ "$(free_gb)" -lt "$room_gb" ]; then
    say "only $(free_gb) GB free (a run needs about $room_gb GB): removing the cache's incremental data"
    find "$CARGO_TARGET_DIR" -maxdepth 3 -type d -name incremental -prune -exec rm -rf {} +
    if [ "$(free_gb)" -lt "$room_gb" ]; then
      say "still $(free_gb) GB free: removing the build cache $CARGO_TARGET_DIR, the next build starts cold"
      rm -rf "$CARGO_TARGET_DIR"
    fi
  fi
fi
[ "$(free_gb)" -ge "$room_gb" ] || say "warning: only $(free_gb) GB free where $CARGO_TARGET_DIR is; the build may run out of disk"

# clippy's driver lints Genjin's crates as the tests build them, rustfmt checks formatting.
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# cargo-leptos serves `watch` (scripts/demo.sh) and release builds with wasm-opt
# (scripts/bench.sh); the tests build their site without it (scripts/build-site.sh).
if [ "${GENJIN_SETUP_LEPTOS:-0}" = 1 ] && ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once per machine, ~18 min on 2 cores)"
  # no_downloads: it uses wasm-bindgen and wasm-opt from PATH and never fetches binaries.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: one locked dependency of this release is missing from the registry.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (binaryen $BINARYEN_VERSION from npm)"
  mkdir -p "$GENJIN_CACHE/tools"
  (cd "$GENJIN_CACHE/tools" && { [ -f package.json ] || echo '{"private":true}' > package.json; } \
    && npm install --no-audit --no-fund "binaryen@$BINARYEN_VERSION")
fi

if [ "${GENJIN_SETUP_BROWSER:-1}" = 1 ]; then
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's chromium for the browser tests"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium
  fi
  if ! node -e "process.exit(require('./end2end/node_modules/@playwright/test/package.json').version === require('./end2end/package.json').devDependencies['@playwright/test'] ? 0 : 1)" 2>/dev/null; then
    say "installing the end-to-end test packages"
    (cd end2end && npm ci --no-audit --no-fund)
  fi
fi
say "ready"
