#!/usr/bin/env bash
# Chat with Kneadle on a web page: set up if needed, train if needed, then start the action
# server, the Rasa server (the widget's socket.io channel, no HTTP API) and a static server for
# web/, all on loopback; print the page's address; Ctrl-C (or any of them stopping) stops all three.
set -euo pipefail
source "$(dirname "$0")/common.sh"

ACTIONS_PORT=${KNEADLE_ACTIONS_PORT:-5055}
SERVER_PORT=${KNEADLE_PORT:-5005}
WEB_PORT=${KNEADLE_WEB_PORT:-8080}
WIDGET=web/node_modules/rasa-webchat/lib/index.js

bash scripts/setup.sh
bash scripts/train.sh
[ -f "$WIDGET" ] || fail "$WIDGET is missing: run bash scripts/setup.sh without KNEADLE_SKIP_WEB=1 (it needs npm)."
mkdir -p .rasa

require_free_ports "KNEADLE_ACTIONS_PORT / KNEADLE_PORT / KNEADLE_WEB_PORT" "$ACTIONS_PORT" "$SERVER_PORT" "$WEB_PORT"
trap stop_servers EXIT
trap 'echo; say "Stopping."; exit 130' INT TERM

# Pictures are served from web/pictures by the static server below (kneadle/pictures.py).
if [ "$WEB_PORT" != 8080 ] && [ -z "${KNEADLE_PICTURES_URL:-}" ]; then
  export KNEADLE_PICTURES_URL="http://localhost:$WEB_PORT/pictures"
fi

say "Starting the action server on port $ACTIONS_PORT (log: .rasa/web-actions.log)"
start_server "The action server" "$ACTIONS_PORT" .rasa/web-actions.log \
  .venv/bin/rasa run actions --port "$ACTIONS_PORT"

# endpoints.yml pointed at this run's action server; credentials.yml with this page's origins allowed.
sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml > .rasa/web-endpoints.yml
.venv/bin/python - "$WEB_PORT" <<'PY' || fail "Could not write .rasa/web-credentials.yml from credentials.yml."
import sys

import yaml

port = sys.argv[1]
with open("credentials.yml", encoding="utf-8") as file:
    credentials = yaml.safe_load(file) or {}
key = "channels.webchat.WebchatInput"
if key not in credentials:
    sys.exit(f"credentials.yml has no {key} section, so the widget has nothing to talk to.")
section = credentials[key] or {}
origins = list(section.get("cors_allowed_origins") or [])
origins += [origin for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}") if origin not in origins]
credentials[key] = {**section, "cors_allowed_origins": origins}
with open(".rasa/web-credentials.yml", "w", encoding="utf-8") as file:
    yaml.safe_dump(credentials, file, sort_keys=False)
PY

say "Loading the bot (about 30 seconds; log: .rasa/web-server.log)"
start_server "The Rasa server" "$SERVER_PORT" .rasa/web-server.log \
  .venv/bin/rasa run --interface 127.0.0.1 --port "$SERVER_PORT" --model models/kneadle.tar.gz \
  --endpoints .rasa/web-endpoints.yml --credentials .rasa/web-credentials.yml

start_server "The web server" "$WEB_PORT" .rasa/web-static.log \
  .venv/bin/python -m http.server "$WEB_PORT" --bind 127.0.0.1 --directory web

url="http://127.0.0.1:$WEB_PORT/"
[ "$SERVER_PORT" = 5005 ] || url="${url}?socketUrl=http://127.0.0.1:$SERVER_PORT"
say "Kneadle is on $url (open it in your browser; Ctrl-C stops everything)"

# Until Ctrl-C, or until one of the servers stops by itself.
set +e
wait -n "${server_pids[@]}"
set -e
say "A server stopped; the ends of the logs are in .rasa/web-*.log. Stopping the others." >&2
exit 1
