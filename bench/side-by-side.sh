# Sourced by the benchmarks that measure several servers up at once (bench/redis-cores.sh, bench/redis-distributed.sh):
# the servers' processes and their ending, waiting for them, warming the .NET ones and one measured run.
# Expects OUT (a scratch directory), TESTS, N, CLIENTS and optionally EXTRA (redis-benchmark flags).

command -v redis-benchmark >/dev/null || { echo "redis-benchmark missing: apt-get install -y redis-tools redis-server" >&2; exit 2; }

# Every background process started with `... & pids+=($!)` is ended, and OUT removed, when the script exits.
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
DLL=samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll

wait_ping() {  # port...; each for at most 20 s
  for port in "$@"; do
    for _ in $(seq 1 200); do redis-cli -p "$port" PING 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  done
}

# Warms up the .NET servers' JIT (tiered compilation) before measuring.
warm() {  # port...
  # shellcheck disable=SC2086 # EXTRA is a list of flags
  for port in "$@"; do redis-benchmark -p "$port" -t "$TESTS" -n 50000 -c "$CLIENTS" -P 16 ${EXTRA:-} -q >/dev/null; done
}

run() {  # name port pipeline: appends "name pipeline TEST requests/s" lines to $OUT/results
  # shellcheck disable=SC2086
  redis-benchmark -p "$2" -t "$TESTS" -n "$N" -c "$CLIENTS" -P "$3" ${EXTRA:-} --csv 2>/dev/null \
    | awk -F'","' -v who="$1" -v p="$3" 'NR>1 { gsub(/"/,"",$1); print who, p, $1, $2 }' >>"$OUT/results"
}
