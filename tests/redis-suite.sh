#!/usr/bin/env bash
# Runs units of Redis's own test suite (the tests/ folder of redis 7.0.15, unmodified) in
# external-server mode against the Stakker.Redis sample and against redis-server, and prints a
# table of passed tests per unit.
#   tests/redis-suite.sh /path/to/redis-7.0.15 [unit ...]
# The path holds runtest and tests/ of redis 7.0.15 (e.g. `git archive 7.0.15` of redis/redis);
# it is not part of this repository. Needs tcl (tclsh 8.5+), redis-server and redis-cli.
# Tests needing DEBUG, replication, SAVE or a local server process are skipped with the suite's
# own --tags flags, for both servers alike. SERVERS=ours or SERVERS=redis runs one side only.
# Ours runs on one Core (the table in docs/compatibility.md is of the single-Core server; decision 107);
# OURS_ARGS="--cores 2" runs the suite against a server of two Cores instead.
set -euo pipefail
SUITE=${1:?usage: tests/redis-suite.sh /path/to/redis-7.0.15 [unit ...]}
shift
SUITE=$(cd "$SUITE" && pwd)
cd "$(dirname "$0")/.."
UNITS=("$@")
if [[ ${#UNITS[@]} -eq 0 ]]; then
  UNITS=(type/string type/incr type/list type/hash type/set type/zset keyspace expire pubsub protocol multi info-command)
fi
SERVERS=${SERVERS:-"redis ours"}
OURS_PORT=${OURS_PORT:-16480}
REAL_PORT=${REAL_PORT:-16479}
UNIT_TIMEOUT=${UNIT_TIMEOUT:-600}
# The suite's own test-server port is BASEPORT-32..BASEPORT-1: suites run side by side need different ones.
BASEPORT=${BASEPORT:-21111}
OUT=${OUT:-$(mktemp -d)}
TAGS=(--tags -needs:debug --tags -needs:repl --tags -needs:save --tags -needs:pfdebug --tags -needs:latency --tags -needs:local-process)

[[ -x "$SUITE/runtest" && -f "$SUITE/tests/test_helper.tcl" ]] || { echo "$SUITE: no runtest / tests/test_helper.tcl" >&2; exit 2; }
command -v tclsh >/dev/null || { echo "tclsh missing: apt-get install -y tcl" >&2; exit 2; }

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_ready() {  # port; bounded: 20 s
  for _ in $(seq 1 200); do
    redis-cli -p "$1" PING 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

start() {  # server port
  if [[ $1 == ours ]]; then
    # shellcheck disable=SC2086 # OURS_ARGS is a list of flags
    dotnet "$OUT/bin/Stakker.Redis.dll" --port "$2" ${OURS_ARGS:---cores 1} >"$OUT/ours.server.log" 2>&1 &
  else
    redis-server --port "$2" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$OUT/redis.server.log" 2>&1 &
  fi
  PIDS+=($!)
  wait_ready "$2"
}

# Run from a copy, so rebuilding the sample while the suite runs does not touch the running server's files.
if [[ " $SERVERS " == *" ours "* ]]; then
  dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
  mkdir -p "$OUT/bin" && cp -r samples/Stakker.Redis/bin/Release/net10.0/. "$OUT/bin/"
fi

declare -A PASSED
for server in $SERVERS; do
  port=$REAL_PORT; [[ $server == ours ]] && port=$OURS_PORT
  start "$server" "$port"
  for unit in "${UNITS[@]}"; do
    log="$OUT/$server.${unit//\//_}.log"
    # Each unit in a run of its own, so one unit's abort does not hide the next one's results.
    (cd "$SUITE" && timeout "$UNIT_TIMEOUT" ./runtest --host 127.0.0.1 --port "$port" --clients 1 --singledb \
        --durable --timeout 120 --baseport "$BASEPORT" "${TAGS[@]}" --single "unit/$unit") >"$log" 2>&1 || true
    PASSED[$server,$unit]=$(sed "s/\x1b\[[0-9;]*m//g" "$log" | grep -c "^\[ok\]" || true)
    # A unit may leave the server unusable (e.g. a test that shuts it down): start it again.
    redis-cli -p "$port" PING >/dev/null 2>&1 || start "$server" "$port"
  done
done

printf '%-14s %14s %8s\n' unit redis-server ours
tr=0; to=0
for unit in "${UNITS[@]}"; do
  r=${PASSED[redis,$unit]:--}; o=${PASSED[ours,$unit]:--}
  printf '%-14s %14s %8s\n' "$unit" "$r" "$o"
  [[ $r != - ]] && tr=$((tr + r)); [[ $o != - ]] && to=$((to + o))
done
printf '%-14s %14s %8s\n' total "$tr" "$to"
echo "logs: $OUT"
