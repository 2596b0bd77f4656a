#!/usr/bin/env bash
# Runs every Genjin test from a fresh machine or a warm one: installs pinned tools when
# missing, checks formatting and lints, runs the unit, database and API tests (embedded
# surrealkv in temporary folders), builds the site, fuzzes the API from its OpenAPI document
# (schemathesis: no 5xx) and runs the end-to-end tests in headless Chromium.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
# Each step says how long the run has taken so far (the README's CI figures come from here).
step() { printf '\n\033[1m== %s\033[0m (at %d min %02d s)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "tools"
scripts/setup.sh

step "format"
cargo fmt --all -- --check

# The lints ride on the builds: clippy-driver wraps rustc for Genjin's own crates, as `cargo
# clippy` does, so every dependency — SurrealDB above all — is compiled once, for the tests,
# instead of once more to be checked. Exported for the rest of the run, so the later builds
# (the site, the servers the fuzzing and the browser tests start) find Genjin's crates built.
export RUSTC_WORKSPACE_WRAPPER="${RUSTC_WORKSPACE_WRAPPER:-$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)}"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

# SurrealDB's server (tools/surreal) is selected with Genjin's crates in every build of them:
# the dependencies they share are then resolved with the same features, so SurrealDB's core is
# compiled once for both (GENJIN_PACKAGES, scripts/env.sh).
step "lints, unit, database and API tests (two app servers on SurrealDB's server among them)"
cargo build $GENJIN_PACKAGES --bins --tests --benches
cargo test $GENJIN_PACKAGES

# Genjin's copy of SurrealDB's storage engine (vendor/surrealkv/GENJIN.md): its crash tests,
# with the engine's own lock file and without Genjin's lints.
step "the storage engine's crash tests (vendor/surrealkv, patched)"
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo test --locked --manifest-path vendor/surrealkv/Cargo.toml --lib crash_consistency

step "crashes: SIGKILL in the middle of writes, 10 rounds, and 10 more on a memtable rotated every few writes (scripts/crash.py; 100 in the README)"
python3 scripts/crash.py "$CARGO_TARGET_DIR/debug/genjin" --rounds 10 --leads 300
python3 scripts/crash.py "$CARGO_TARGET_DIR/debug/genjin" --rounds 10 --leads 40 --memtable 2097152

step "a full disk (scripts/full-disk.py)"
python3 scripts/full-disk.py "$CARGO_TARGET_DIR/debug/genjin"

step "site build (hydrating wasm, stylesheet, assets; the browser code's lints)"
scripts/build-site.sh

step "API fuzzing (schemathesis, zero 5xx)"
scripts/fuzz-api.sh

step "end-to-end tests (headless Chromium)"
(cd end2end && CI=1 npx playwright test)

step "all tests passed"
