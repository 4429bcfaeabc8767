#!/usr/bin/env bash
# Benchmark (not a test): the flagship built with Native AOT against the same code on the JIT, in one
# run. For each build: start-up time from exec to the first PONG (median of STARTS launches), RSS once
# idle after start-up, and redis-benchmark throughput (median of ROUNDS rounds, alternating builds).
#   bench/aot.sh                  STARTS=5 ROUNDS=3 N=100000 CLIENTS=50 by default
# Needs clang, lld and zlib for the AOT publish, and redis-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
STARTS=${STARTS:-5}
ROUNDS=${ROUNDS:-3}
N=${N:-100000}
CLIENTS=${CLIENTS:-50}
TESTS=set,get,incr,lpush,lpop
AOT_PORT=${AOT_PORT:-16490}
JIT_PORT=${JIT_PORT:-16491}
OUT=$(mktemp -d)

command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install -y redis-tools" >&2; exit 2; }

cleanup() {
  [[ -n "${AOT_PID:-}" ]] && kill "$AOT_PID" 2>/dev/null || true
  [[ -n "${JIT_PID:-}" ]] && kill "$JIT_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet publish samples/Stakker.Redis -c Release -r linux-x64 -p:NativeAot=true -o "$OUT/aot" --nologo -v:q >/dev/null
dotnet publish samples/Stakker.Redis -c Release -r linux-x64 --self-contained false -o "$OUT/jit" --nologo -v:q >/dev/null
AOT=("$OUT/aot/Stakker.Redis")
JIT=(dotnet "$OUT/jit/Stakker.Redis.dll")

# Start-up: exec to the first PONG, polling a connection every millisecond (python for the timing).
startup() { python3 bench/first-pong.py "$@"; }  # port command...

for i in $(seq 1 "$STARTS"); do
  echo "aot $(startup "$AOT_PORT" "${AOT[@]}")" >>"$OUT/starts"
  echo "jit $(startup "$JIT_PORT" "${JIT[@]}")" >>"$OUT/starts"
done

wait_pong() { for _ in $(seq 1 200); do redis-cli -p "$1" PING 2>/dev/null | grep -q PONG && return; sleep 0.05; done; exit 1; }
"${AOT[@]}" --port "$AOT_PORT" >"$OUT/aot.log" 2>&1 &
AOT_PID=$!
"${JIT[@]}" --port "$JIT_PORT" >"$OUT/jit.log" 2>&1 &
JIT_PID=$!
wait_pong "$AOT_PORT"
wait_pong "$JIT_PORT"
sleep 2
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
echo "aot $(rss "$AOT_PID")" >"$OUT/rss"
echo "jit $(rss "$JIT_PID")" >>"$OUT/rss"

# Warm the JIT build (tiered compilation) as bench/redis.sh does; the AOT build gets the same load.
redis-benchmark -p "$JIT_PORT" -t "$TESTS" -n 50000 -c "$CLIENTS" -q >/dev/null
redis-benchmark -p "$AOT_PORT" -t "$TESTS" -n 50000 -c "$CLIENTS" -q >/dev/null

run() {  # name port pipeline
  redis-benchmark -p "$2" -t "$TESTS" -n "$N" -c "$CLIENTS" -P "$3" --csv 2>/dev/null \
    | awk -F'","' -v who="$1" -v p="$3" 'NR>1 { gsub(/"/,"",$1); print who, p, $1, $2 }' >>"$OUT/results"
}
for round in $(seq 1 "$ROUNDS"); do
  for p in 1 16; do
    run aot "$AOT_PORT" "$p"
    run jit "$JIT_PORT" "$p"
  done
  echo "round $round of $ROUNDS done" >&2
done

echo "Native AOT vs JIT, Stakker.Redis, $(nproc) cores; start-up median of $STARTS, throughput median of $ROUNDS alternating rounds"
python3 - "$OUT" <<'PY'
import sys, statistics, collections
out = sys.argv[1]
starts = collections.defaultdict(list)
for line in open(out + "/starts"):
    who, ms = line.split(); starts[who].append(float(ms))
rss = dict(line.split() for line in open(out + "/rss"))
print(f"{'':<24}{'aot':>10}{'jit':>10}{'aot/jit':>9}")
a, j = statistics.median(starts["aot"]), statistics.median(starts["jit"])
print(f"{'start-up to PONG (ms)':<24}{a:>10.1f}{j:>10.1f}{a / j:>9.2f}")
a, j = int(rss["aot"]) / 1024, int(rss["jit"]) / 1024
print(f"{'RSS at idle (MiB)':<24}{a:>10.1f}{j:>10.1f}{a / j:>9.2f}")
rows = collections.defaultdict(list)
for line in open(out + "/results"):
    who, p, test, rps = line.split(); rows[(who, int(p), test)].append(float(rps))
for p in (1, 16):
    ratios = []
    for t in ["SET", "GET", "INCR", "LPUSH", "LPOP"]:
        a, j = statistics.median(rows[("aot", p, t)]), statistics.median(rows[("jit", p, t)])
        ratios.append(a / j)
        print(f"{t + ' -P ' + str(p) + ' (req/s)':<24}{a:>10.0f}{j:>10.0f}{a / j:>9.2f}")
    print(f"{'geomean -P ' + str(p):<24}{'':>20}{statistics.geometric_mean(ratios):>9.2f}")
PY
