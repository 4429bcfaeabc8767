#!/usr/bin/env bash
# Benchmark (not a test): the flagship on one Core and on several, and a real redis-server, all three up at once
# and measured in turn (issue 12's table), without and with pipelining (-P 16). Prints requests/s per command
# (median over ROUNDS), each server's ratio to redis-server and the scaling from one Core to CORES.
#   bench/redis-cores.sh               ROUNDS=3 N=200000 CLIENTS=50 CORES=2 by default
#   TESTS=set,get bench/redis-cores.sh a subset (default: issue 11's eight commands)
#   EXTRA="-r 1000000" bench/redis-cores.sh  more redis-benchmark flags (-r: random keys, spread over the shards;
#                                      without it every command of a test names the same key, so one shard does it all)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-200000}
CLIENTS=${CLIENTS:-50}
CORES=${CORES:-2}
TESTS=${TESTS:-set,get,incr,lpush,lpop,hset,sadd,zadd}
ONE_PORT=${ONE_PORT:-16581}
MANY_PORT=${MANY_PORT:-16582}
REAL_PORT=${REAL_PORT:-16583}
OUT=$(mktemp -d)

. bench/side-by-side.sh
dotnet "$DLL" --port "$ONE_PORT" --cores 1 >"$OUT/one.log" 2>&1 & pids+=($!)
dotnet "$DLL" --port "$MANY_PORT" --cores "$CORES" >"$OUT/many.log" 2>&1 & pids+=($!)
redis-server --port "$REAL_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$OUT/real.log" 2>&1 & pids+=($!)
wait_ping "$ONE_PORT" "$MANY_PORT" "$REAL_PORT"
warm "$ONE_PORT" "$MANY_PORT"

for round in $(seq 1 "$ROUNDS"); do
  for p in 1 16; do
    run one "$ONE_PORT" "$p"
    run many "$MANY_PORT" "$p"
    run redis "$REAL_PORT" "$p"
  done
  echo "round $round of $ROUNDS done" >&2
done

echo "redis-benchmark -t $TESTS -n $N -c $CLIENTS ${EXTRA:-}, median of $ROUNDS rounds (requests/s); 'cores $CORES' is --cores $CORES"
python3 - "$OUT/results" "$CORES" <<'PY'
import sys, statistics, collections
ORDER = ["SET", "GET", "INCR", "LPUSH", "LPOP", "HSET", "SADD", "ZADD"]
cores = sys.argv[2]
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, p, test, rps = line.split()
    rows[(who, p, test.split()[0])].append(float(rps))
for p in ["1", "16"]:
    print(f"\npipeline {p}")
    print(f"| command | cores 1 | cores {cores} | redis-server | cores 1 / redis | cores {cores} / redis | cores {cores} / cores 1 |")
    print("|---|---|---|---|---|---|---|")
    tests = [t for t in ORDER if (("redis", p, t) in rows)] + sorted({t for (_, q, t) in rows if q == p and t not in ORDER})
    r1, rn, sc = [], [], []
    for t in tests:
        one, many, real = (statistics.median(rows[(w, p, t)]) for w in ("one", "many", "redis"))
        r1.append(one / real); rn.append(many / real); sc.append(many / one)
        print(f"| {t} | {one:,.0f} | {many:,.0f} | {real:,.0f} | {one/real:.2f} | {many/real:.2f} | {many/one:.2f} |")
    g = statistics.geometric_mean
    print(f"| geometric mean | | | | **{g(r1):.2f}** | **{g(rn):.2f}** | **{g(sc):.2f}** |")
PY
