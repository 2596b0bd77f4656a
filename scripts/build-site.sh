#!/usr/bin/env bash
# Builds the site the Genjin server serves, for the tests: the hydrating wasm (debug) through
# wasm-bindgen, the stylesheet and the assets, into $LEPTOS_SITE_ROOT. The server binary
# itself comes from the test build (`cargo test -p server` builds `genjin` beside it), so
# tests need neither cargo-leptos nor a second build of the server. Release builds and
# `watch` stay with cargo-leptos (scripts/demo.sh, scripts/bench.sh).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
cargo build -p frontend --lib --target wasm32-unknown-unknown
pkg="$LEPTOS_SITE_ROOT/pkg"
mkdir -p "$pkg"
# Without cargo-leptos the page asks for pkg/genjin.js and pkg/genjin_bg.wasm, the names
# wasm-bindgen gives them.
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name genjin \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend.wasm"
cp style/main.css "$pkg/genjin.css"
cp -R public/. "$LEPTOS_SITE_ROOT/"
[ -x "$CARGO_TARGET_DIR/debug/genjin" ] || cargo build -p server --bin genjin
echo "site built in $LEPTOS_SITE_ROOT"
