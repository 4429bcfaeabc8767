#!/usr/bin/env bash
# Benchmark (not a test): redis-benchmark against the Stakker.Redis sample and a real redis-server,
# both on loopback, alternating server by server, without and with pipelining (-P 16).
# Prints requests/s per command (median over ROUNDS) and the ratio ours/redis.
#   bench/redis.sh                  ROUNDS=3 N=200000 CLIENTS=50 by default
#   TESTS=set,get bench/redis.sh    a subset (default: issue 11's eight commands)
#   OURS_ARGS=--no-reactor bench/redis.sh   the SocketAsyncEventArgs path instead of the reactor
#   OURS_ARGS="--cores 1" bench/redis.sh   the single-Core server (the default is a Core per processor; bench/redis-cores.sh compares both)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}
TESTS=${TESTS:-set,get,incr,lpush,lpop,hset,sadd,zadd}
OURS_PORT=${OURS_PORT:-16480}
REAL_PORT=${REAL_PORT:-16479}
OUT=$(mktemp -d)

command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install -y redis-tools redis-server" >&2; exit 2; }

cleanup() {
  [[ -n "${OURS_PID:-}" ]] && kill "$OURS_PID" 2>/dev/null || true
  [[ -n "${REAL_PID:-}" ]] && kill "$REAL_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
# shellcheck disable=SC2086 # OURS_ARGS is a list of flags
dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll --port "$OURS_PORT" ${OURS_ARGS:-} >"$OUT/ours.log" 2>&1 &
OURS_PID=$!
redis-server --port "$REAL_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$OUT/real.log" 2>&1 &
REAL_PID=$!
for port in "$OURS_PORT" "$REAL_PORT"; do
  for _ in $(seq 1 200); do redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && break; sleep 0.1; done
done

# Warm up the .NET server's JIT (tiered compilation) before measuring.
redis-benchmark -p "$OURS_PORT" -t "$TESTS" -n 50000 -c "$CLIENTS" -q >/dev/null

run() {  # name port pipeline round
  redis-benchmark -p "$2" -t "$TESTS" -n "$N" -c "$CLIENTS" -P "$3" --csv 2>/dev/null \
    | awk -F'","' -v who="$1" -v p="$3" 'NR>1 { gsub(/"/,"",$1); print who, p, $1, $2 }' >>"$OUT/results"
}

for round in $(seq 1 "$ROUNDS"); do
  for p in 1 16; do
    run ours "$OURS_PORT" "$p"
    run redis "$REAL_PORT" "$p"
  done
  echo "round $round of $ROUNDS done" >&2
done

echo "redis-benchmark -t $TESTS -n $N -c $CLIENTS, median of $ROUNDS alternating rounds (requests/s)"
python3 - "$OUT/results" <<'PY'
import sys, statistics, collections
ORDER = ["SET", "GET", "INCR", "LPUSH", "LPOP", "HSET", "SADD", "ZADD"]
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, p, test, rps = line.split()
    rows[(who, int(p), test)].append(float(rps))
tests = sorted({t for (_, _, t) in rows}, key=lambda t: ORDER.index(t) if t in ORDER else 99)
for p in (1, 16):
    print(f"\npipeline {p}:")
    print(f"{'command':<8}{'stakker':>12}{'redis':>12}{'ratio':>8}")
    ratios = []
    for t in tests:
        o = statistics.median(rows[("ours", p, t)]); r = statistics.median(rows[("redis", p, t)])
        ratios.append(o / r)
        print(f"{t:<8}{o:>12.0f}{r:>12.0f}{o / r:>8.2f}")
    print(f"{'geomean':<32}{statistics.geometric_mean(ratios):>8.2f}")
PY
