#!/usr/bin/env bash
# `make server`: the Rasa server alone with its HTTP API on, on loopback, protected by a token.
# The HTTP API can replace the model from any URL (CVE-2024-49375) and read every conversation,
# so it never runs open: KNEADLE_API_TOKEN (in .env, see .env.example) must be set, or this stops.
# Clients send it as ?token=... (README: "Security and privacy").
set -euo pipefail
source "$(dirname "$0")/common.sh"

SERVER_PORT=${KNEADLE_PORT:-5005}
token=${KNEADLE_API_TOKEN:-}
[ -n "$token" ] || fail "KNEADLE_API_TOKEN is not set. The HTTP API needs a token: put a long random one in .env, e.g.
  echo \"KNEADLE_API_TOKEN=\$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')\" >> .env
(or use make run / make web, which run without the HTTP API)."
[ "${#token}" -ge 16 ] || fail "KNEADLE_API_TOKEN is shorter than 16 characters; use a long random one (see .env.example)."

exec .venv/bin/rasa run --enable-api --auth-token="$token" --interface 127.0.0.1 --port "$SERVER_PORT" \
  --model models/kneadle.tar.gz --endpoints endpoints.yml --credentials credentials.yml
