#!/usr/bin/env bash
# SurrealDB's server as Genjin is tested against it (tools/surreal: the `surreal` binary at
# the SDK's exact version), for running several app servers on one database by hand and for
# the load tests:
#
#   scripts/surreal.sh start [PORT] [STORAGE]   starts it in the background with the root
#                                               user root/root (GENJIN_DB_USER/GENJIN_DB_PASS);
#                                               PORT 8000, STORAGE surrealkv://$GENJIN_CACHE/surreal/data
#   scripts/surreal.sh stop                     stops it (SIGTERM, then SIGKILL after 10 s)
#
# The release build is made when missing (with Genjin's, scripts/env.sh's GENJIN_PACKAGES:
# SurrealDB's core is compiled once for both). Then run app servers with
# `genjin --db ws://127.0.0.1:PORT` (each follows the others by live query).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"
pidfile="$GENJIN_CACHE/surreal/pid"
mkdir -p "$GENJIN_CACHE/surreal"
case "${1:-}" in
  start)
    port="${2:-8000}"
    storage="${3:-surrealkv://$GENJIN_CACHE/surreal/data}"
    bin="$CARGO_TARGET_DIR/release/surreal"
    [ -x "$bin" ] || cargo build $GENJIN_PACKAGES --bins --release
    "$bin" start --log warn --no-banner -u "${GENJIN_DB_USER:-root}" -p "${GENJIN_DB_PASS:-root}" \
      --bind "127.0.0.1:$port" "$storage" >>"$GENJIN_CACHE/surreal/log" 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 600); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "SurrealDB listening on ws://127.0.0.1:$port ($storage), log $GENJIN_CACHE/surreal/log"
        exit 0
      fi
      sleep 0.1
    done
    echo "SurrealDB did not start: see $GENJIN_CACHE/surreal/log" >&2
    exit 1
    ;;
  stop)
    [ -f "$pidfile" ] || { echo "not running"; exit 0; }
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    ;;
  *)
    sed -n '2,13p' "$0"
    exit 2
    ;;
esac
