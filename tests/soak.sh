#!/usr/bin/env bash
# Soak run (not part of CI): redis-benchmark against the Stakker.Redis flagship for MINUTES minutes,
# every test redis-benchmark has (no -t: PING, SET, GET, INCR, LPUSH, RPUSH, LPOP, RPOP, SADD, HSET,
# SPOP, ZADD, ZPOPMIN, LRANGE_100..600, MSET), in rounds of one run without and one with pipelining
# (-P 16). redis-benchmark stops at the first error reply ("Error from server") with a failure status.
# Samples the server's resident memory every SAMPLE seconds and after each round. Fails on any error,
# the server dying, or memory growing: the last round's RSS more than GROWTH percent above the
# larger of the first two rounds' (warm-up: the JIT, buffers and pools reach their working size).
#   tests/soak.sh                      MINUTES=10 CLIENTS=50 N=20000 SAMPLE=10 GROWTH=25
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES=${MINUTES:-10}
CLIENTS=${CLIENTS:-50}
N=${N:-20000}
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
    if ! redis-benchmark -p "$PORT" -n "$N" -c "$CLIENTS" -P "$p" -q >"$OUT/run" 2>&1; then
      failed=$((failed + 1))
      tr '\r' '\n' <"$OUT/run" | grep -v '^ *$' | tail -3 >&2
    fi
    e=$(grep -c 'Error from server' "$OUT/run" || true)
    errors=$((errors + e))
    # -q: one "TEST: n requests per second" line per test completed.
    t=$(tr '\r' '\n' <"$OUT/run" | grep -c 'requests per second' || true)
    requests=$((requests + t * N))
    runs=$((runs + 1))
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "the server died" >&2; cat "$OUT/server.log" >&2; exit 1; }
  done
  rss_kb >>"$OUT/rounds"
done
elapsed=$(( $(date +%s) - start ))
kill "$SAMPLER_PID" 2>/dev/null || true

python3 - "$OUT/rss" "$OUT/rounds" "$GROWTH" "$runs" "$requests" "$errors" "$failed" "$elapsed" "$CLIENTS" "$N" <<'PY'
import sys
kb = [int(l.split()[1]) for l in open(sys.argv[1]) if len(l.split()) == 2]
rounds = [int(l) for l in open(sys.argv[2]) if l.strip()]
growth, runs, requests, errors, failed, elapsed, clients, n = (float(sys.argv[3]), *map(int, sys.argv[4:]))
print(f"soak: {elapsed} s, {runs} redis-benchmark runs (-n {n} -c {clients}, -P 1 and 16 alternating, all tests), "
      f"{requests:,} requests, {errors} error replies, {failed} failed runs")
print(f"server RSS (MB) after each round: {' '.join(str(r // 1024) for r in rounds)}; "
      f"sampled every few s: start {kb[0] // 1024}, peak {max(kb) // 1024}, end {kb[-1] // 1024} ({len(kb)} samples)")
base = max(rounds[:2])
flat = rounds[-1] <= base * (1 + growth / 100)
print("memory flat" if flat else f"memory grew more than {growth:.0f} % after the warm-up rounds")
sys.exit(0 if flat and errors == 0 and failed == 0 else 1)
PY
