#!/usr/bin/env bash
# Run Kneadle in the terminal: set up if needed, train if needed, start the action server and
# the Rasa server (REST channel, loopback only) in the background, chat with channels/shell.py,
# and stop both servers when the chat ends.
set -euo pipefail
source "$(dirname "$0")/common.sh"

ACTIONS_PORT=${KNEADLE_ACTIONS_PORT:-5055}
SERVER_PORT=${KNEADLE_PORT:-5005}
# A stable conversation id: with the SQLite tracker store the conversation survives a restart.
CONVERSATION_ID=${KNEADLE_CONVERSATION_ID:-shell-$(id -un)}

bash scripts/setup.sh
bash scripts/train.sh
mkdir -p .rasa

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$ACTIONS_PORT" "$SERVER_PORT"; do
  if port_in_use "$port"; then
    fail "Port $port is already in use. Stop what uses it, or set KNEADLE_ACTIONS_PORT / KNEADLE_PORT."
  fi
done

pids=()
stop_servers() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done; }
trap stop_servers EXIT

# Waits until `port` answers, or fails with the end of `log` if process `pid` stopped.
wait_for() {
  local pid=$1 port=$2 log=$3 what=$4
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$what stopped during start-up; the end of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    port_in_use "$port" && return 0
    sleep 0.5
  done
  fail "$what did not start within 5 minutes; see $log"
}

say "Starting the action server on port $ACTIONS_PORT (log: .rasa/actions.log)"
.venv/bin/rasa run actions --port "$ACTIONS_PORT" > .rasa/actions.log 2>&1 &
pids+=($!)
wait_for "${pids[-1]}" "$ACTIONS_PORT" .rasa/actions.log "The action server"

# endpoints.yml, pointed at this run's action server port.
sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml > .rasa/run-endpoints.yml

say "Loading the bot (about 30 seconds; log: .rasa/server.log)"
.venv/bin/rasa run --interface 127.0.0.1 --port "$SERVER_PORT" --model models/kneadle.tar.gz \
  --endpoints .rasa/run-endpoints.yml --credentials credentials.yml > .rasa/server.log 2>&1 &
pids+=($!)
wait_for "${pids[-1]}" "$SERVER_PORT" .rasa/server.log "The Rasa server"

.venv/bin/python -m channels.shell --url "http://127.0.0.1:$SERVER_PORT" --sender "$CONVERSATION_ID"
