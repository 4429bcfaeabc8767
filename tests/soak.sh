#!/usr/bin/env bash
# Soak run (not part of CI): redis-benchmark against the Stakker.Redis flagship for MINUTES minutes,
# every test redis-benchmark has (no -t: PING, SET, GET, INCR, LPUSH, RPUSH, LPOP, RPOP, SADD, HSET,
# SPOP, ZADD, ZPOPMIN, LRANGE_100..600, MSET), alternating without and with pipelining (-P 16), with
# server errors shown (-e). Samples the server's resident memory every SAMPLE seconds. Fails on any
# error reply, a benchmark that fails, the server dying, or memory growing: the last quarter's
# largest sample more than GROWTH percent above the second quarter's (the first is warm-up).
#   tests/soak.sh                      MINUTES=10 CLIENTS=50 N=100000 SAMPLE=10 GROWTH=25
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-10}
CLIENTS=${CLIENTS:-50}
N=${N:-100000}
SAMPLE=${SAMPLE:-10}
GROWTH=${GROWTH:-25}
PORT=${PORT:-16490}
OUT=$(mktemp -d)

command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install -y redis-tools" >&2; exit 2; }

cleanup() {
  [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll --port "$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do redis-cli -p "$PORT" PING 2>/dev/null | grep -q PONG && break; sleep 0.1; done

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$SERVER_PID/status"; }
( while kill -0 "$SERVER_PID" 2>/dev/null; do echo "$(date +%s) $(rss_kb)" >>"$OUT/rss"; sleep "$SAMPLE"; done ) &
SAMPLER_PID=$!

start=$(date +%s)
end=$((start + MINUTES * 60))
runs=0 requests=0 errors=0 failed=0
while [ "$(date +%s)" -lt "$end" ]; do
  for p in 1 16; do
    if ! redis-benchmark -p "$PORT" -n "$N" -c "$CLIENTS" -P "$p" -e -q >"$OUT/run" 2>&1; then failed=$((failed + 1)); fi
    # -e prints every error reply; -q prints one "TEST: n requests per second" line per test.
    e=$(grep -ciE 'error|ERR ' "$OUT/run" || true)
    if [ "$e" -gt 0 ]; then errors=$((errors + e)); grep -iE 'error|ERR ' "$OUT/run" | head -3 >&2; fi
    t=$(grep -c 'requests per second' "$OUT/run" || true)
    requests=$((requests + t * N))
    runs=$((runs + 1))
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server died" >&2; cat "$OUT/server.log" >&2; exit 1; }
  done
done
elapsed=$(( $(date +%s) - start ))
kill "$SAMPLER_PID" 2>/dev/null || true

python3 - "$OUT/rss" "$GROWTH" "$runs" "$requests" "$errors" "$failed" "$elapsed" "$CLIENTS" <<'PY'
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
growth, runs, requests, errors, failed, elapsed, clients = (float(sys.argv[2]), *map(int, sys.argv[3:]))
kb = [r for _, r in rows]
q = max(1, len(kb) // 4)
second, last = kb[q:2 * q] or kb, kb[-q:]
print(f"soak: {elapsed} s, {runs} redis-benchmark runs (-c {clients}, -P 1 and 16, all tests), {requests:,} requests, "
      f"{errors} error replies, {failed} failed runs")
print(f"server RSS (MB): start {kb[0] // 1024}, second quarter max {max(second) // 1024}, last quarter max {max(last) // 1024}, "
      f"peak {max(kb) // 1024}, end {kb[-1] // 1024}; {len(kb)} samples")
flat = max(last) <= max(second) * (1 + growth / 100)
print("memory flat" if flat else f"memory grew more than {growth:.0f} %")
sys.exit(0 if flat and errors == 0 and failed == 0 else 1)
PY
