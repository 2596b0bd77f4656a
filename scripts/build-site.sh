#!/usr/bin/env bash
# Builds the Genjin server and the site it serves (the hydrating wasm through wasm-bindgen,
# the stylesheet and the assets) without cargo-leptos, into $LEPTOS_SITE_ROOT.
#
#   scripts/build-site.sh            the tests' debug build: the wasm unoptimised, the server
#                                    binary beside the test build
#   scripts/build-site.sh --release  the release build the benchmarks measure, as
#                                    `cargo leptos build --release` makes it: the wasm in the
#                                    `wasm-release` profile and through wasm-opt with the flags
#                                    of Cargo.toml's [workspace.metadata.leptos], the server in
#                                    `release`; the site goes to $CARGO_TARGET_DIR/site-release
#                                    unless LEPTOS_SITE_ROOT says otherwise
#
# Neither needs cargo-leptos (an 18-minute install), which stays for `watch` (scripts/demo.sh).
set -euo pipefail
release=0
[ "${1:-}" = "--release" ] && release=1
site_root="${LEPTOS_SITE_ROOT:-}"
. "$(dirname "$0")/env.sh"
if [ $release = 1 ] && [ -z "$site_root" ]; then export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site-release"; fi
cd "$GENJIN_ROOT"
pkg="$LEPTOS_SITE_ROOT/pkg"
mkdir -p "$pkg"
if [ $release = 1 ]; then
  cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
  wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
else
  cargo build -p frontend --lib --target wasm32-unknown-unknown
  wasm="$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend.wasm"
fi
# Without cargo-leptos the page asks for pkg/genjin.js and pkg/genjin_bg.wasm, the names
# wasm-bindgen gives them.
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name genjin "$wasm"
if [ $release = 1 ]; then
  # The flags cargo-leptos passes (wasm-opt-features in Cargo.toml).
  flags=$(python3 - <<'PY'
import tomllib
meta = tomllib.load(open("Cargo.toml", "rb"))["workspace"]["metadata"]["leptos"][0]
print(" ".join(meta["wasm-opt-features"]))
PY
)
  # shellcheck disable=SC2086
  wasm-opt $flags "$pkg/genjin_bg.wasm" -o "$pkg/genjin_bg.wasm"
fi
# One stylesheet: the app's, then the administration pages' (style/admin.css and its parts).
cat style/main.css style/admin.css $(ls style/admin/*.css 2>/dev/null | sort) > "$pkg/genjin.css"
cp -R public/. "$LEPTOS_SITE_ROOT/"
if [ $release = 1 ]; then
  # With SurrealDB's server, as everywhere (scripts/env.sh): one build of what they share.
  cargo build $GENJIN_PACKAGES --bins --release
else
  # The server binary, which the test build does not link (each crate has one test binary,
  # its library's). Built in one invocation with the test targets, as `cargo test -p app -p
  # server` builds them (with SurrealDB's server, scripts/env.sh), so the dependencies keep the features they were tested with and
  # nothing is compiled twice; a no-op when everything is up to date.
  cargo build $GENJIN_PACKAGES --bins --tests
fi
echo "site built in $LEPTOS_SITE_ROOT"
