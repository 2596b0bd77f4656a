#!/usr/bin/env bash
# Load on the 100k-lead demo (release build), with scripts/load.py: 200 people at work in the
# app and 2,000 open live streams, p50/p95/p99 per request kind, no error allowed.
#
#   scripts/load.sh embedded [load.py flags]   Genjin on embedded surrealkv
#   scripts/load.sh surreal  [load.py flags]   Genjin on SurrealDB's server (tools/surreal,
#                                              surrealkv storage), the workspace restored
#                                              into it from a backup of the embedded one
#
# The 100k workspace is the benchmarks' ($GENJIN_CACHE/bench/large.db, made by
# scripts/bench.sh or here when missing); each run works on a copy, so the benchmarks' figures
# stay comparable. Defaults: --users 200 --streams 2000 --seconds 120.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
mode="${1:-embedded}"
shift || true
port=3300
dbport=8300
work="$GENJIN_CACHE/bench"
mkdir -p "$work"
say() { printf '\033[1m%s\033[0m\n' "$*"; }

# --- aiohttp, pinned, in its own venv -------------------------------------------------------
requirements="$GENJIN_ROOT/scripts/load-requirements.txt"
venv="$GENJIN_CACHE/tools/load-venv"
if ! cmp -s "$requirements" "$venv/genjin-requirements.txt" 2>/dev/null || ! "$venv/bin/python" -c 'import aiohttp' 2>/dev/null; then
  say "installing the load generator's aiohttp into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/genjin-requirements.txt"
fi

# --- the release build ------------------------------------------------------------------------
export LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site-release"
scripts/build-site.sh --release
bin="$CARGO_TARGET_DIR/release/genjin"
export LEPTOS_OUTPUT_NAME=genjin LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$port"
export GENJIN_ADMIN_TOKEN=load-admin RUST_LOG=warn

. "$GENJIN_ROOT/scripts/server-lib.sh"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ "$mode" = surreal ] && scripts/surreal.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# --- the 100k workspace -------------------------------------------------------------------------
if [ ! -d "$work/large.db" ]; then
  say "making the 100,000-lead demo workspace ($work/large.db)"
  GENJIN_ADMIN_TOKEN=bench-admin "$bin" --db "surrealkv://$work/large.db" --demo --demo-leads 100000 & p=$!
  pids+=("$p"); wait_up "$port" "$p"; kill "$p"; wait "$p" || true
fi
# The demo's admin token (bench-admin) is the workspace's; load.py makes its own accounts.
token=bench-admin

case "$mode" in
  embedded)
    rm -rf "$work/load.db"
    cp -r "$work/large.db" "$work/load.db"
    db="surrealkv://$work/load.db"
    ;;
  surreal)
    backup="$work/large.surql"
    if [ ! -f "$backup" ] || [ "$work/large.db" -nt "$backup" ]; then
      say "backing up the 100k workspace to $backup"
      "$bin" backup --db "surrealkv://$work/large.db" "$backup"
    fi
    scripts/surreal.sh stop >/dev/null 2>&1 || true
    rm -rf "$work/surreal-load"
    scripts/surreal.sh start "$dbport" "surrealkv://$work/surreal-load"
    db="ws://127.0.0.1:$dbport"
    start=$(date +%s.%N)
    GENJIN_DB_USER=root GENJIN_DB_PASS=root "$bin" restore --db "$db" "$backup"
    say "restored in $(echo "$(date +%s.%N) - $start" | bc) s"
    export GENJIN_DB_USER=root GENJIN_DB_PASS=root
    ;;
  *) sed -n '2,14p' "$0"; exit 2 ;;
esac

start=$(date +%s.%N)
"$bin" --db "$db" & pid=$!
pids+=("$pid")
wait_up "$port" "$pid"
say "Genjin on $db: up in $(echo "$(date +%s.%N) - $start" | bc) s, RSS $(rss $pid)"
status=0
"$venv/bin/python" scripts/load.py "http://127.0.0.1:$port" "$token" "$@" || status=$?
say "Genjin's RSS after the load: $(rss $pid)"
[ "$mode" = surreal ] && say "SurrealDB's RSS: $(rss "$(cat "$GENJIN_CACHE/surreal/pid")")"
exit $status
