#!/usr/bin/env bash
# Starts the built Genjin server for the end-to-end tests: a fresh embedded database with a
# small demo workspace, on GENJIN_E2E_PORT (3100). Playwright starts and stops it.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
profile="${GENJIN_E2E_PROFILE:-debug}"
export LEPTOS_OUTPUT_NAME=genjin
export LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR="127.0.0.1:${GENJIN_E2E_PORT:-3100}"
# surrealkv, not mem://: SurrealDB 3.3.5's mem:// is quadratic in a transaction's size.
db="$GENJIN_CACHE/e2e-${GENJIN_E2E_PORT:-3100}.db"
rm -rf "$db"
export GENJIN_DB="surrealkv://$db"
export GENJIN_ADMIN_TOKEN="${GENJIN_ADMIN_TOKEN:-genjin-e2e-admin}"
exec "$CARGO_TARGET_DIR/$profile/genjin" --demo --demo-leads "${GENJIN_E2E_LEADS:-400}"
