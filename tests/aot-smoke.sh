#!/usr/bin/env bash
# Publishes the flagship with Native AOT and checks that the native binary serves redis-cli
# (decision 032: keeps the AOT build working). Needs clang, lld and zlib (installed by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
port=6393
cleanup() { for p in ${pid:-} ${pids:-}; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
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

# A distributed pair (decision 109): two native processes joined by a nats-server, each holding one shard.
# Keys set through one are read through the other, so the remote calls (NATS, MemoryPack) work natively.
nats="$(command -v nats-server || echo /usr/sbin/nats-server)"
natsport=14293
"$nats" -a 127.0.0.1 -p "$natsport" > "$out/nats.log" 2>&1 &
pids="$!"
sleep 0.5
for shard in 0 1; do
  "$out/Stakker.Redis" --port "$((port + 1 + shard))" --nats "nats://127.0.0.1:$natsport" --shards "$shard/2" --cluster aot > "$out/shard$shard.log" 2>&1 &
  pids="$pids $!"
done
for p in $((port + 1)) $((port + 2)); do
  for _ in $(seq 1 100); do
    if [ "$(redis-cli -p "$p" PING 2>/dev/null)" = "PONG" ]; then break; fi
    sleep 0.1
  done
done
for i in $(seq 1 20); do [ "$(redis-cli -p "$((port + 1))" SET "aot:$i" "v$i")" = "OK" ]; done
[ "$(redis-cli -p "$((port + 2))" MGET aot:1 aot:2 aot:3 aot:17 aot:20 | tr '\n' ' ')" = "v1 v2 v3 v17 v20 " ]
[ "$(redis-cli -p "$((port + 2))" DBSIZE)" = "20" ]
echo "aot-smoke: two Native AOT processes serve one keyspace over NATS"
