#!/usr/bin/env bash
# Runs Genjin with the demo workspace on the embedded database (surrealkv://data/genjin.db),
# rebuilding on change: http://127.0.0.1:3000. Installs pinned tools when missing.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
GENJIN_SETUP_BROWSER=0 GENJIN_SETUP_LEPTOS=1 scripts/setup.sh
export GENJIN_DEMO=1
exec cargo leptos watch "$@"
