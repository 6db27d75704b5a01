#!/usr/bin/env bash
# Run Kneadle in the terminal: set up if needed, train if needed, start the action server
# in the background, open `rasa shell`, and stop the action server when the shell exits.
set -euo pipefail
source "$(dirname "$0")/common.sh"

ACTIONS_PORT=${KNEADLE_ACTIONS_PORT:-5055}
# A stable conversation id: with the SQLite tracker store the conversation survives a restart.
CONVERSATION_ID=${KNEADLE_CONVERSATION_ID:-shell-$(id -un)}

bash scripts/setup.sh
bash scripts/train.sh
mkdir -p .rasa

if (exec 3<>"/dev/tcp/127.0.0.1/$ACTIONS_PORT") 2>/dev/null; then
  say "Port $ACTIONS_PORT is already in use. Stop what uses it, or set KNEADLE_ACTIONS_PORT." >&2
  exit 1
fi

say "Starting the action server on port $ACTIONS_PORT (log: .rasa/actions.log)"
.venv/bin/rasa run actions --port "$ACTIONS_PORT" > .rasa/actions.log 2>&1 &
actions_pid=$!
trap 'kill "$actions_pid" 2>/dev/null; wait "$actions_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    say "The action server stopped during start-up:" >&2
    tail -n 20 .rasa/actions.log >&2
    exit 1
  fi
  (exec 3<>"/dev/tcp/127.0.0.1/$ACTIONS_PORT") 2>/dev/null && break
  sleep 0.5
done

# endpoints.yml, pointed at this run's action server port.
sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml > .rasa/run-endpoints.yml

say "Loading the bot (about 30 seconds; log: .rasa/shell.log)"
if ! .venv/bin/rasa shell --model models/kneadle.tar.gz --conversation-id "$CONVERSATION_ID" \
  --endpoints .rasa/run-endpoints.yml 2>> .rasa/shell.log; then
  say "The chat stopped with an error; the end of .rasa/shell.log:" >&2
  tail -n 20 .rasa/shell.log >&2
  exit 1
fi
