#!/usr/bin/env bash
# Benchmarks the Genjin server on generated data (release build):
#   1. imports a 2,000-lead history bundle through POST /api/v1/import into an empty workspace;
#   2. loads a large demo workspace (default 100,000 leads) on the embedded database and
#      measures /api/v1/kpis for a quarter (whole and by owner) and moves, plus memory;
#   3. on that workspace: a 5,000-row xlsx checked and imported, the duplicate groups, merges,
#      and the export of every lead as CSV and xlsx (scripts/bench_io.py).
# usage: scripts/bench.sh [LEADS]
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
leads="${1:-100000}"
port=3200
work="$GENJIN_CACHE/bench"
mkdir -p "$work"
GENJIN_SETUP_BROWSER=0 scripts/setup.sh
# The release server and the site it serves, as `cargo leptos build --release` makes them.
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site-release"
scripts/build-site.sh --release
bin="$CARGO_TARGET_DIR/release/genjin"
export LEPTOS_OUTPUT_NAME=genjin LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$port"
export GENJIN_ADMIN_TOKEN=bench-admin RUST_LOG=warn

. "$GENJIN_ROOT/scripts/server-lib.sh"
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

echo "== import of a 2,000-lead bundle"
"$bin" demo --leads 2000 --seed 11 > "$work/bundle-2000.json"
ls -l "$work/bundle-2000.json" | awk '{printf "bundle: %.1f MB\n", $5/1e6}'
rm -rf "$work/import.db"
"$bin" --db "surrealkv://$work/import.db" & pid=$!
wait_up "$port"
curl -s -o /dev/null -w 'import: HTTP %{http_code} in %{time_total} s\n' \
  -H "Authorization: Bearer bench-admin" -H 'Content-Type: application/json' \
  --data-binary @"$work/bundle-2000.json" "http://127.0.0.1:$port/api/v1/import"
stop $pid

echo "== $leads-lead demo workspace on surrealkv"
rm -rf "$work/large.db"
start=$(date +%s.%N)
"$bin" --db "surrealkv://$work/large.db" --demo --demo-leads "$leads" & pid=$!
wait_up "$port"
echo "generated and loaded in $(echo "$(date +%s.%N) - $start" | bc) s; RSS $(rss $pid)"
today=$(TZ=Asia/Shanghai date +%F)
# The last whole quarter before today.
read -r from to < <(python3 - "$today" <<'PY'
import sys, datetime
d = datetime.date.fromisoformat(sys.argv[1])
q = (d.month - 1) // 3
end = datetime.date(d.year, q * 3 + 1, 1)
start = datetime.date(end.year - (1 if q == 0 else 0), (q - 1) % 4 * 3 + 1, 1)
print(start, end)
PY
)
echo "quarter: $from .. $to"
python3 scripts/bench.py "http://127.0.0.1:$port" genjin-demo-admin "$from" "$to" 30
echo "== spreadsheets in and out, duplicates and merges on the same workspace"
python3 scripts/bench_io.py "http://127.0.0.1:$port" genjin-demo-admin 5000
echo "RSS after the run: $(rss $pid)"
stop $pid
echo "== restart: the analytic view is rebuilt from the database"
start=$(date +%s.%N)
"$bin" --db "surrealkv://$work/large.db" & pid=$!
wait_up "$port"
echo "ready in $(echo "$(date +%s.%N) - $start" | bc) s; RSS $(rss $pid)"
stop $pid
