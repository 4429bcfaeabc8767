#!/usr/bin/env bash
# Benchmark (not a test): resident memory of the flagship against redis-server 7.0.15 for KEYS string
# keys (default 1,000,000), without and then with an expiry on every key (SET ... EX 3600).
# Each case gets a fresh server: RSS (VmRSS from /proc) once idle after start-up, then the keys are
# loaded through `redis-cli --pipe` from a generated protocol file, and RSS is read again after SETTLE
# seconds. Prints RSS idle, RSS loaded, bytes per key (growth / KEYS), and ours/redis for both the
# total and the growth.
#   bench/redis-memory.sh               KEYS=1000000 SETTLE=3 by default, the JIT build
#   AOT=1 bench/redis-memory.sh         also the Native AOT build (publishes it: minutes)
#   OURS_ARGS="..." bench/redis-memory.sh   extra flags for our server
#   CASES=plain REDIS=0 bench/redis-memory.sh   one case, ours only (no ratios)
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=${KEYS:-1000000}
SETTLE=${SETTLE:-3}
OURS_PORT=${OURS_PORT:-16610}
REAL_PORT=${REAL_PORT:-16611}
OUT=$(mktemp -d)

command -v redis-server >/dev/null || { echo "redis-server missing: apt-get install -y redis-server" >&2; exit 2; }

cleanup() {
  [[ -n "${PID:-}" ]] && kill "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
JIT=(dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll)
if [[ "${AOT:-0}" == 1 ]]; then
  dotnet publish samples/Stakker.Redis -c Release -r linux-x64 -p:NativeAot=true -o "$OUT/aot" --nologo -v:q >/dev/null
fi

# Values as an application stores them: short, varied (7 to 23 bytes, 17 on average), ASCII.
python3 - "$KEYS" "$OUT" <<'PY'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
def write(path, ex):
    with open(path, "wb") as f:
        buf = []
        for i in range(n):
            key = b"key:%d" % i
            val = b"user:%d:%s" % (i * 7919 % 1000003, b"x" * (i % 12))
            if ex:
                buf.append(b"*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n$2\r\nEX\r\n$4\r\n3600\r\n" % (len(key), key, len(val), val))
            else:
                buf.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(val), val))
            if len(buf) == 10000:
                f.write(b"".join(buf)); buf = []
        f.write(b"".join(buf))
write(out + "/plain.resp", False)
write(out + "/ex.resp", True)
PY

rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
wait_pong() { for _ in $(seq 1 400); do redis-cli -p "$1" PING 2>/dev/null | grep -q PONG && return; sleep 0.05; done; echo "no PONG on $1" >&2; exit 1; }

measure() {  # name case port command...
  local name=$1 case=$2 port=$3; shift 3
  "$@" >"$OUT/$name-$case.log" 2>&1 &
  PID=$!
  wait_pong "$port"
  sleep "$SETTLE"
  local idle; idle=$(rss "$PID")
  redis-cli -p "$port" --pipe <"$OUT/$case.resp" >"$OUT/$name-$case.pipe" 2>&1
  local size; size=$(redis-cli -p "$port" DBSIZE)
  [[ "$size" == "$KEYS" ]] || { echo "$name $case: DBSIZE $size, expected $KEYS" >&2; cat "$OUT/$name-$case.pipe" >&2; exit 1; }
  sleep "$SETTLE"
  echo "$name $case $idle $(rss "$PID")" >>"$OUT/results"
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}

for case in ${CASES:-plain ex}; do
  # shellcheck disable=SC2086 # OURS_ARGS is a list of flags
  measure ours "$case" "$OURS_PORT" "${JIT[@]}" --port "$OURS_PORT" ${OURS_ARGS:-}
  if [[ "${AOT:-0}" == 1 ]]; then
    # shellcheck disable=SC2086
    measure aot "$case" "$OURS_PORT" "$OUT/aot/Stakker.Redis" --port "$OURS_PORT" ${OURS_ARGS:-}
  fi
  if [[ "${REDIS:-1}" == 1 ]]; then measure redis "$case" "$REAL_PORT" redis-server --port "$REAL_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no; fi
done

echo "$KEYS string keys, RSS from /proc (KiB read, MiB shown), ${SETTLE}s settle; 'ex' = every key with EX 3600"
python3 - "$OUT/results" "$KEYS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    who, case, idle, loaded = line.split()
    rows[(who, case)] = (int(idle) * 1024, int(loaded) * 1024)
n = int(sys.argv[2])
mib = lambda b: b / 1048576
print(f"{'server':<7}{'case':<7}{'idle MiB':>10}{'loaded MiB':>12}{'B/key':>8}{'total/redis':>13}{'growth/redis':>14}")
for (who, case), (idle, loaded) in rows.items():
    ri, rl = rows.get(("redis", case), (float("nan"), float("nan")))
    print(f"{who:<7}{case:<7}{mib(idle):>10.1f}{mib(loaded):>12.1f}{(loaded - idle) / n:>8.1f}"
          f"{loaded / rl:>13.2f}{(loaded - idle) / (rl - ri):>14.2f}")
PY
