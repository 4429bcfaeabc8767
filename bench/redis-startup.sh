#!/usr/bin/env bash
# Benchmark (not a test): start-up of the built flagship, from exec to its first +PONG, polling a
# connection every millisecond; median (and min, max) of STARTS launches, the variants alternating
# launch by launch so that the machine's load falls on all of them alike.
#   bench/redis-startup.sh                      STARTS=10, the Release build on the JIT
#   VARIANTS="base:X=1 nopgo:DOTNET_TieredPGO=0" bench/redis-startup.sh   runtime settings compared
#   R2R=1 bench/redis-startup.sh                also a ReadyToRun publish (framework-dependent)
#   AOT=1 bench/redis-startup.sh                also the Native AOT publish (minutes to build)
#   FLOOR=path/to/a.dll bench/redis-startup.sh  also a program of your own as a floor (answers +PONG on --port)
set -euo pipefail
cd "$(dirname "$0")/.."
STARTS=${STARTS:-10}
PORT=${PORT:-16630}
VARIANTS=${VARIANTS:-base:X=1}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
declare -A CMD
for v in $VARIANTS; do CMD[${v%%:*}]="env ${v#*:} dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll"; done
[[ -n "${FLOOR:-}" ]] && CMD[floor]="dotnet $FLOOR"
if [[ "${R2R:-0}" == 1 ]]; then
  dotnet publish samples/Stakker.Redis -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$OUT/r2r" --nologo -v:q >/dev/null
  CMD[r2r]="dotnet $OUT/r2r/Stakker.Redis.dll"
fi
if [[ "${AOT:-0}" == 1 ]]; then
  dotnet publish samples/Stakker.Redis -c Release -r linux-x64 -p:NativeAot=true -o "$OUT/aot" --nologo -v:q >/dev/null
  CMD[aot]="$OUT/aot/Stakker.Redis"
fi

startup() { python3 bench/first-pong.py "$@"; }  # port command...

for i in $(seq 1 "$STARTS"); do
  for name in "${!CMD[@]}"; do
    # shellcheck disable=SC2086 # the command is a word list
    echo "$name $(startup "$PORT" ${CMD[$name]})" >>"$OUT/starts"
  done
done

echo "exec to first +PONG, $STARTS launches each, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT/starts" <<'PY'
import sys, statistics, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, ms = line.split(); runs[name].append(float(ms))
print(f"{'variant':<10}{'median ms':>11}{'min':>9}{'max':>9}")
for name, ms in sorted(runs.items()):
    print(f"{name:<10}{statistics.median(ms):>11.1f}{min(ms):>9.1f}{max(ms):>9.1f}")
PY
