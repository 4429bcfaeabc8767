#!/usr/bin/env bash
# Runs tests/redis-compat/*.txt (in name order, as one script) through redis-cli against the Stakker.Redis sample and a real
# redis-server, both on loopback, and diffs the replies. Exits non-zero on any difference.
#   tests/redis-compat.sh            (needs redis-server and redis-cli: Debian redis-server, redis-tools)
#   OURS_ARGS="--cores 2" tests/redis-compat.sh   the same script against a server of two Cores
#   DISTRIBUTED=1 tests/redis-compat.sh   against one of two processes serving one keyspace over NATS (decision 109):
#     commands on keys of the other process cross NATS; those that would move values or hold shards across
#     processes are refused with CROSSSLOT, so the replies differ from redis-server's and are not compared. What is
#     checked: no connection closed and nothing in either server's log at level Error (an actor that failed)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCRIPT_DIR=tests/redis-compat
OURS_PORT=${OURS_PORT:-16380}
REAL_PORT=${REAL_PORT:-16379}
OUT=$(mktemp -d)

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "redis-server/redis-cli missing: apt-get update && apt-get install -y redis-server redis-tools" >&2
  exit 2
fi

cleanup() {
  [[ -n "${OURS_PID:-}" ]] && kill "$OURS_PID" 2>/dev/null || true
  [[ -n "${PEER_PID:-}" ]] && kill "$PEER_PID" 2>/dev/null || true
  [[ -n "${NATS_PID:-}" ]] && kill "$NATS_PID" 2>/dev/null || true
  [[ -n "${REAL_PID:-}" ]] && kill "$REAL_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$OUT"
}
trap cleanup EXIT

dotnet build samples/Stakker.Redis -c Release -nologo -v q >/dev/null
if [[ -n "${DISTRIBUTED:-}" ]]; then
  NATS_PORT=${NATS_PORT:-16377}
  "$(command -v nats-server || echo /usr/sbin/nats-server)" -a 127.0.0.1 -p "$NATS_PORT" >"$OUT/nats.log" 2>&1 &
  NATS_PID=$!
  sleep 0.5
  dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll --port "$((OURS_PORT + 6))" \
    --nats "nats://127.0.0.1:$NATS_PORT" --shards 1/2 --cluster compat >"$OUT/peer.log" 2>&1 &
  PEER_PID=$!
  OURS_ARGS="${OURS_ARGS:-} --nats nats://127.0.0.1:$NATS_PORT --shards 0/2 --cluster compat"
fi
# shellcheck disable=SC2086 # OURS_ARGS is a list of flags (e.g. --cores 2)
dotnet samples/Stakker.Redis/bin/Release/net10.0/Stakker.Redis.dll --port "$OURS_PORT" ${OURS_ARGS:-} >"$OUT/ours.log" 2>&1 &
OURS_PID=$!
redis-server --port "$REAL_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$OUT/real.log" 2>&1 &
REAL_PID=$!

wait_ready() {  # port; bounded: 20 s
  for _ in $(seq 1 200); do
    redis-cli -p "$1" PING 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}
wait_ready "$OURS_PORT"
wait_ready "$REAL_PORT"
SCRIPT=$OUT/script.txt
cat "$SCRIPT_DIR"/*.txt >"$SCRIPT"

# One redis-cli per server; it sends the script's lines in order and prints each reply typed
# ("(integer) 1", "(nil)", "(error) ..."), so the two outputs are comparable line by line.
timeout 60 redis-cli --no-raw -p "$REAL_PORT" <"$SCRIPT" >"$OUT/real.txt" 2>&1
timeout 60 redis-cli --no-raw -p "$OURS_PORT" <"$SCRIPT" >"$OUT/ours.txt" 2>&1

# Pub/sub: a subscriber in the background, a publisher, then compare what the subscriber printed.
pubsub() {  # port
  timeout 5 redis-cli --no-raw -p "$1" SUBSCRIBE news >"$OUT/sub.$1" 2>&1 &
  local sub=$!
  for _ in $(seq 1 50); do
    [[ "$(redis-cli -p "$1" PUBLISH news ready)" == "1" ]] && break
    sleep 0.1
  done
  redis-cli --no-raw -p "$1" PUBLISH news "hello world"
  redis-cli --no-raw -p "$1" PUBLISH nobody "x"
  sleep 0.3
  kill "$sub" 2>/dev/null || true
  wait "$sub" 2>/dev/null || true
  cat "$OUT/sub.$1"
}
pubsub "$REAL_PORT" >>"$OUT/real.txt"
pubsub "$OURS_PORT" >>"$OUT/ours.txt"

# Keyspace notifications: a subscriber to every channel while events/commands.txt runs; what it received
# (every event, in order) is compared.
events() {  # port
  timeout 10 redis-cli --no-raw -p "$1" PSUBSCRIBE '*' >"$OUT/events.$1" 2>&1 &
  local sub=$!
  for _ in $(seq 1 50); do
    [[ "$(redis-cli -p "$1" PUBSUB NUMPAT)" == "1" ]] && break
    sleep 0.1
  done
  timeout 60 redis-cli --no-raw -p "$1" <"$SCRIPT_DIR/events/commands.txt" 2>&1
  sleep 0.5
  kill "$sub" 2>/dev/null || true
  wait "$sub" 2>/dev/null || true
  cat "$OUT/events.$1"
}
events "$REAL_PORT" >>"$OUT/real.txt"
events "$OURS_PORT" >>"$OUT/ours.txt"

# RESP3: resp3/commands.txt through redis-cli -3, which prints each reply with its RESP3 type.
timeout 60 redis-cli -3 --no-raw -p "$REAL_PORT" <"$SCRIPT_DIR/resp3/commands.txt" >>"$OUT/real.txt" 2>&1
timeout 60 redis-cli -3 --no-raw -p "$OURS_PORT" <"$SCRIPT_DIR/resp3/commands.txt" >>"$OUT/ours.txt" 2>&1

lines=$(wc -l <"$OUT/real.txt")
if [[ -n "${DISTRIBUTED:-}" ]]; then
  closed=$(grep -c -e 'Server closed the connection' -e 'Could not connect' "$OUT/ours.txt" || true)
  logged=$(grep -h ' Error ' "$OUT/ours.log" "$OUT/peer.log" || true)
  crossslot=$(grep -c 'CROSSSLOT' "$OUT/ours.txt" || true)
  differ=$(diff "$OUT/real.txt" "$OUT/ours.txt" | grep -c '^>' || true)
  if [[ "$closed" == "0" && -z "$logged" ]]; then
    echo "redis-compat (two processes over NATS): no connection closed, no error logged; $crossslot replies refused with CROSSSLOT, $differ of $lines lines differ from redis-server's"
    exit 0
  fi
  echo "redis-compat (two processes over NATS): connections closed: $closed" >&2
  [[ -n "$logged" ]] && echo "errors logged by the servers:" >&2 && echo "$logged" >&2
  exit 1
fi
if diff -u --label redis-server "$OUT/real.txt" --label stakker-redis "$OUT/ours.txt"; then
  echo "redis-compat: identical replies ($lines lines from $(wc -l <"$SCRIPT") commands + pub/sub)"
else
  echo "redis-compat: replies differ" >&2
  exit 1
fi
