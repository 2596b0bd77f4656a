# Shared by Genjin's scripts: pinned tool versions and the build caches outside the clone.
# Source it: `. scripts/env.sh`.
export GENJIN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GENJIN_CACHE="${GENJIN_CACHE:-$HOME/.cache/genjin}"
# Builds are reused across clean clones when the cache exists (CI, a developer's machine).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$GENJIN_CACHE/target}"
export CARGO_LEPTOS_VERSION=0.3.4
export WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen in Cargo.lock
export BINARYEN_VERSION=132           # wasm-opt for release builds, from npm
export PATH="$HOME/.cargo/bin:$GENJIN_CACHE/tools/node_modules/.bin:$PATH"
# The site cargo-leptos builds (pkg/ with the wasm, css and assets).
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-$CARGO_TARGET_DIR/site}"
# The server-side crates every build selects together: Genjin's and SurrealDB's server
# (tools/surreal, which the tests run), so the dependencies they share — SurrealDB's core
# above all — are resolved with one set of features and compiled once.
export GENJIN_PACKAGES="-p app -p server -p genjin-surreal"
