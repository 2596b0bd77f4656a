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

# SurrealDB's server (tools/surreal) is selected with Genjin's crates in every build of them:
# the dependencies they share are then resolved with the same features, so SurrealDB's core is
# compiled once for both (GENJIN_PACKAGES, scripts/env.sh).
step "lints"
cargo clippy $GENJIN_PACKAGES --all-targets -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

step "unit, database and API tests (two app servers on SurrealDB's server among them)"
cargo build $GENJIN_PACKAGES --bins --tests
cargo test $GENJIN_PACKAGES

step "site build (hydrating wasm, stylesheet, assets)"
scripts/build-site.sh

step "API fuzzing (schemathesis, zero 5xx)"
scripts/fuzz-api.sh

step "end-to-end tests (headless Chromium)"
(cd end2end && CI=1 npx playwright test)

step "all tests passed"
