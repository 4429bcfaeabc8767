#!/usr/bin/env bash
# Benchmark (not a test): the flagship's keyspace served by two processes joined by NATS (decision 109), beside the
# same two shards in one process (--cores 2) and a real redis-server, all up at once and measured in turn, without
# and with pipelining. The clients talk to the first process; with random keys (-r) half of them are the other
# process's, so half the commands cross NATS and back. Prints requests/s (median over ROUNDS) and the ratios.
#   bench/redis-distributed.sh              ROUNDS=3 N=100000 CLIENTS=50 TESTS=set,get EXTRA="-r 100000"
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-3}
N=${N:-100000}
CLIENTS=${CLIENTS:-50}
TESTS=${TESTS:-set,get}
EXTRA=${EXTRA:--r 100000}
CORES_PORT=${CORES_PORT:-16591}
DIST_PORT=${DIST_PORT:-16592}
REAL_PORT=${REAL_PORT:-16594}
NATS_PORT=${NATS_PORT:-16595}
OUT=$(mktemp -d)

NATS=$(command -v nats-server || echo /usr/sbin/nats-server)
[ -x "$NATS" ] || { echo "nats-server missing: apt-get install -y nats-server" >&2; exit 2; }
. bench/side-by-side.sh
"$NATS" -a 127.0.0.1 -p "$NATS_PORT" >"$OUT/nats.log" 2>&1 & pids+=($!)
sleep 0.5
dotnet "$DLL" --port "$CORES_PORT" --cores 2 >"$OUT/cores.log" 2>&1 & pids+=($!)
dotnet "$DLL" --port "$DIST_PORT" --nats "nats://127.0.0.1:$NATS_PORT" --shards 0/2 --cluster bench >"$OUT/a.log" 2>&1 & pids+=($!)
dotnet "$DLL" --port "$((DIST_PORT + 1))" --nats "nats://127.0.0.1:$NATS_PORT" --shards 1/2 --cluster bench >"$OUT/b.log" 2>&1 & pids+=($!)
redis-server --port "$REAL_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$OUT/real.log" 2>&1 & pids+=($!)
wait_ping "$CORES_PORT" "$DIST_PORT" "$((DIST_PORT + 1))" "$REAL_PORT"
warm "$CORES_PORT" "$DIST_PORT"

for round in $(seq 1 "$ROUNDS"); do
  for p in 1 16; do
    run cores "$CORES_PORT" "$p"
    run dist "$DIST_PORT" "$p"
    run redis "$REAL_PORT" "$p"
  done
  echo "round $round of $ROUNDS done" >&2
done
# How the keys fell over the two processes' shards (by their slot).
redis-cli -p "$DIST_PORT" info shards | grep -o '^shard[0-9]*:.*keys=[0-9]*' | sed 's/core=[0-9]*,//'

echo "redis-benchmark -t $TESTS -n $N -c $CLIENTS $EXTRA, median of $ROUNDS rounds (requests/s)"
python3 - "$OUT/results" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    who, p, test, rps = line.split()
    rows[(who, p, test.split()[0])].append(float(rps))
for p in ["1", "16"]:
    print(f"\npipeline {p}")
    print("| command | two Cores, one process | two processes over NATS | redis-server | over NATS / one process | over NATS / redis |")
    print("|---|---|---|---|---|---|")
    for t in sorted({t for (_, q, t) in rows if q == p}):
        c, d, r = (statistics.median(rows[(w, p, t)]) for w in ("cores", "dist", "redis"))
        print(f"| {t} | {c:,.0f} | {d:,.0f} | {r:,.0f} | {d/c:.2f} | {d/r:.2f} |")
PY
