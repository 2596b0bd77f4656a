# Shared by the scripts that start a Genjin server and measure it (bench.sh, load.sh).
# Source it after env.sh.

# Waits until the server on 127.0.0.1:PORT answers (at most half an hour: a large demo loads
# first); with PID, gives up as soon as that process has stopped.
wait_up() {
  local port="$1" pid="${2:-}"
  for _ in $(seq 1 3600); do
    curl -sf "http://127.0.0.1:$port/api/v1/openapi.json" >/dev/null && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then echo "the server stopped" >&2; return 1; fi
    sleep 0.5
  done
  echo "server did not start" >&2; return 1
}

# A process's resident memory, in MiB.
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$1/status"; }
