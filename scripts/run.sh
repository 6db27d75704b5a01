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

require_free_ports "KNEADLE_ACTIONS_PORT / KNEADLE_PORT" "$ACTIONS_PORT" "$SERVER_PORT"
trap stop_servers EXIT

say "Starting the action server on port $ACTIONS_PORT (log: .rasa/actions.log)"
start_server "The action server" "$ACTIONS_PORT" .rasa/actions.log \
  .venv/bin/rasa run actions --port "$ACTIONS_PORT"

# endpoints.yml, pointed at this run's action server port.
sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml > .rasa/run-endpoints.yml

say "Loading the bot (about 30 seconds; log: .rasa/server.log)"
start_server "The Rasa server" "$SERVER_PORT" .rasa/server.log \
  .venv/bin/rasa run --interface 127.0.0.1 --port "$SERVER_PORT" --model models/kneadle.tar.gz \
  --endpoints .rasa/run-endpoints.yml --credentials credentials.yml

.venv/bin/python -m channels.shell --url "http://127.0.0.1:$SERVER_PORT" --sender "$CONVERSATION_ID"
