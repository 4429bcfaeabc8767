#!/usr/bin/env bash
# Publishes the flagship with Native AOT and checks that the native binary serves redis-cli
# (decision 032: keeps the AOT build working). Needs clang, lld and zlib (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
port=6393
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT

dotnet publish samples/Stakker.Redis -c Release -r linux-x64 -p:NativeAot=true -o "$out" --nologo -v:q
"$out/Stakker.Redis" --port "$port" > "$out/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  if [ "$(redis-cli -p "$port" PING 2>/dev/null)" = "PONG" ]; then break; fi
  sleep 0.1
done
[ "$(redis-cli -p "$port" SET aot yes)" = "OK" ]
[ "$(redis-cli -p "$port" GET aot)" = "yes" ]
echo "aot-smoke: the Native AOT flagship answers PING, SET and GET"
