#!/usr/bin/env bash
# What one clusterix call costs Redis, without any Java client in the way: redis-benchmark drives EVALSHA of
# clusterix.lua (the engine's call at the default intervals: a heartbeat with the poll folded in) against a cluster
# of N live members, next to EVALSHA of a trivial script (the issue's "80,000 calls/s" baseline). Prints calls/s at
# saturation and the server's µs per call (INFO commandstats).
#
# Usage: clusterix-bench/scripts/script-cost.sh [members=10000] [requests=200000]
# Needs redis-cli and redis-benchmark (Debian: redis-tools). The server is CLUSTERIX_REDIS_SERVER if set, else the
# redis-server 6.2 that clusterix-tck extracts from embedded-redis (run the simulator or the tests once first). It
# listens on a free loopback port (never 6379) and is killed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
members=${1:-10000}
requests=${2:-200000}
server=${CLUSTERIX_REDIS_SERVER:-$(ls /tmp/clusterix-redis-server-6.2* 2>/dev/null | head -1)}
if [[ -z "$server" || ! -x "$server" ]]; then
  echo "No redis-server: set CLUSTERIX_REDIS_SERVER, or run the simulator once so that the embedded one is extracted" >&2
  exit 2
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir=$(mktemp -d)
"$server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize no --loglevel warning \
  >"$dir/redis.log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
cli() { redis-cli -p "$port" "$@"; }
for _ in $(seq 100); do cli PING >/dev/null 2>&1 && break; sleep 0.05; done

version=$(cli INFO server | tr -d '\r' | sed -n 's/^redis_version://p')
sha=$(cli SCRIPT LOAD "$(cat clusterix-api/src/main/resources/io/clusterix/internal/clusterix.lua)")
trivial=$(cli SCRIPT LOAD "return 1")
keys=("{bench}:heartbeats" "{bench}:owners" "{bench}:incarnations" "{bench}:claims" "{bench}:claim-info"
  "{bench}:clock")
timeout=3600000 # one hour: every member stays live during the measurement, so a poll finds nothing to claim

# N live members, joined through the script itself.
for i in $(seq 0 $((members - 1))); do
  printf 'EVALSHA %s 6 %s join member-%05d %s\n' "$sha" "${keys[*]}" "$i" "$timeout"
done | cli >/dev/null
incarnation=$(cli HGET "{bench}:owners" member-00000)
epoch=$(cli HGET "{bench}:clock" epoch)
echo "Redis $version, $(nproc) cores; clusterix.lua sha1 $sha; $(cli ZCARD '{bench}:heartbeats') live members"

measure() {
  local label=$1 pipeline=$2
  shift 2
  cli CONFIG RESETSTAT >/dev/null
  local rate
  rate=$(redis-benchmark -p "$port" -c 8 -P "$pipeline" -n "$requests" -q "$@" 2>/dev/null | tr '\r' '\n' \
    | grep -o '[0-9.]* requests per second' | tail -1)
  local usec
  usec=$(cli INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha:.*usec_per_call=\([0-9.]*\).*/\1/p')
  printf '%-62s %28s   %8s µs/call (server)\n' "$label" "$rate" "$usec"
}

tick=(EVALSHA "$sha" 6 "${keys[@]}" tick member-00000 "$incarnation" "$epoch" "$timeout")
echo "8 connections, one call in flight on each:"
measure "  EVALSHA 'return 1' (trivial script, 0 keys)" 1 EVALSHA "$trivial" 0
measure "  clusterix tick: heartbeat only (reap limit 0)" 1 "${tick[@]}" 0 "" ""
measure "  clusterix tick: heartbeat + poll (reap limit 100)" 1 "${tick[@]}" 100 "" ""
measure "  clusterix nodes ($members ids in the reply)" 1 EVALSHA "$sha" 6 "${keys[@]}" nodes "$timeout"
echo "8 connections, 16 calls pipelined on each (a connection shared by many nodes):"
measure "  EVALSHA 'return 1' (trivial script, 0 keys)" 16 EVALSHA "$trivial" 0
measure "  clusterix tick: heartbeat + poll (reap limit 100)" 16 "${tick[@]}" 100 "" ""
