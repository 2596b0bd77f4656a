#!/usr/bin/env bash
# Fuzzes the `/api/v1` API from its own OpenAPI document with schemathesis (PyPI, pinned in
# scripts/fuzz-api-requirements.txt): starts the built debug server on a fresh embedded
# database with a small demo workspace (port GENJIN_FUZZ_PORT, 3150), sends a bounded number
# of generated requests per operation (valid and invalid ones) as the admin and then as a rep,
# and fails on any 5xx answer, any request the server drops or times out on, and a server
# that dies. Needs the server binary that scripts/build-site.sh builds; installs schemathesis
# into $GENJIN_CACHE/tools/schemathesis-venv when it is missing or at other versions.
#
# GENJIN_FUZZ_KEEP=1 leaves the server running after a failure, for the reproductions.
# GENJIN_FUZZ_EXAMPLES (default 100) is the number of generated cases per operation and phase
# (on 2 cores, with the 11 operations of today: about 35 s per user, a little over a minute in
# all; the time grows with the number of operations). GENJIN_FUZZ_SEED (default 1, fixed so
# CI is repeatable) is the generator's seed; another one explores other cases.
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$GENJIN_ROOT"

say() { printf '\033[1m[fuzz-api]\033[0m %s\n' "$*"; }

# --- schemathesis, pinned, in its own venv -------------------------------------------------
requirements="$GENJIN_ROOT/scripts/fuzz-api-requirements.txt"
version=$(sed -n 's/^schemathesis==//p' "$requirements")
venv="$GENJIN_CACHE/tools/schemathesis-venv"
st="$venv/bin/schemathesis"
# The venv records the requirements it was made from; another list (or a venv whose Python
# has gone) means a new venv.
if ! cmp -s "$requirements" "$venv/genjin-requirements.txt" 2>/dev/null \
  || ! "$st" --version 2>/dev/null | grep -qx "schemathesis, version $version"; then
  say "installing schemathesis $version into $venv"
  # Debian's python3 has no venv/ensurepip without python3-venv.
  if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    say "installing Debian's python3-venv"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv
  fi
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements"
  cp "$requirements" "$venv/genjin-requirements.txt"
fi

# --- the server ----------------------------------------------------------------------------
binary="$CARGO_TARGET_DIR/debug/genjin"
if [ ! -x "$binary" ]; then
  say "no server binary at $binary: build it first (scripts/build-site.sh)"
  exit 1
fi
port="${GENJIN_FUZZ_PORT:-3150}"
base="http://127.0.0.1:$port"
if curl -s -o /dev/null --max-time 2 "$base/"; then
  say "something already answers on port $port; stop it or set GENJIN_FUZZ_PORT"
  exit 1
fi
work="$GENJIN_CACHE/fuzz-$port"
rm -rf "$work"
mkdir -p "$work/run"
admin_token="genjin-fuzz-admin"
# The demo's rep r14 (server/src/demo.rs, README): sees only their own leads.
rep_token="genjin-demo-rep"

say "starting $binary on port $port (demo workspace, 200 leads; log in $work/server.log)"
(
  export LEPTOS_OUTPUT_NAME=genjin LEPTOS_SITE_PKG_DIR=pkg LEPTOS_SITE_ADDR="127.0.0.1:$port"
  export GENJIN_DB="surrealkv://$work/genjin.db" GENJIN_ADMIN_TOKEN="$admin_token"
  exec "$binary" --demo --demo-leads 200
) >"$work/server.log" 2>&1 &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 120); do
  if ! kill -0 "$server" 2>/dev/null; then
    say "the server exited before it answered; its log:"
    tail -n 40 "$work/server.log"
    exit 1
  fi
  curl -sf -o /dev/null --max-time 2 "$base/api/v1/openapi.json" && break
  sleep 1
done
if ! curl -sf -o "$work/openapi.json" --max-time 5 "$base/api/v1/openapi.json"; then
  say "the server did not answer $base/api/v1/openapi.json within 120 s; its log:"
  tail -n 40 "$work/server.log"
  exit 1
fi
say "server ready after $SECONDS s"

# --- fuzzing ---------------------------------------------------------------------------------
examples="${GENJIN_FUZZ_EXAMPLES:-100}"
seed="${GENJIN_FUZZ_SEED:-1}"
failed=0
fuzz_as() {
  local who=$1 token=$2
  shift 2
  say "fuzzing as $who: $examples examples per operation and phase, seed $seed"
  # From a folder of its own: schemathesis reads a schemathesis.toml from the working folder
  # up, and writes its report there.
  # - not_a_server_error: no 5xx. Requests that fail at the network level (dropped
  #   connection, no answer within --request-timeout) are errors and fail the run as well.
  # - Excluded: GET /api/v1/events, a server-sent event stream that stays open until the
  #   client goes away, so every request to it would end in the request timeout. Everything
  #   else is fuzzed, POST /api/v1/import (adds a bundle, all or nothing) and
  #   POST /api/v1/tokens included: the database is a throwaway one. The sign-in throttle
  #   and the pages' endpoints are not in /api/v1's document.
  # - The tokens are throwaway ones of this run's database, so the reproduction commands
  #   keep them (--output-sanitize false) and can be pasted as they are.
  # - --generation-database none: nothing stored between runs; the seed makes runs repeat.
  if ! (cd "$work/run" && timeout 600 "$st" run "$base/api/v1/openapi.json" \
    --checks not_a_server_error \
    --exclude-path /api/v1/events \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" \
    --seed "$seed" \
    --workers 2 \
    --request-timeout 20 \
    --continue-on-failure \
    --generation-database none \
    --output-sanitize false \
    --report junit --report-dir "$work/report-$who" \
    "$@"); then
    say "schemathesis found failures as $who (report above; JUnit in $work/report-$who)"
    failed=1
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    say "the server died while fuzzing as $who"
    failed=1
  fi
}

fuzz_as admin "$admin_token"
kill -0 "$server" 2>/dev/null && fuzz_as rep "$rep_token"

if grep -q "panicked" "$work/server.log"; then
  say "the server panicked while fuzzed:"
  grep -A 5 "panicked" "$work/server.log" | head -n 60
  failed=1
fi
if [ "$failed" != 0 ]; then
  say "failed after $SECONDS s; the server's log is $work/server.log, its last lines:"
  tail -n 20 "$work/server.log"
  if [ "${GENJIN_FUZZ_KEEP:-0}" = 1 ] && kill -0 "$server" 2>/dev/null; then
    trap - EXIT
    say "the server (pid $server) stays up on $base for the curl commands above; stop it with: kill $server"
  else
    say "the curl commands above reproduce on a server started as here: rerun with GENJIN_FUZZ_KEEP=1 to keep it up"
  fi
  exit 1
fi
stop_server
rm -rf "$work"
say "no 5xx answers (admin and rep) in $SECONDS s"
