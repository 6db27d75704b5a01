#!/usr/bin/env bash
# Run every check: lint, data validation, training, Rasa test stories, then pytest
# (unit tests, and integration tests against real servers on loopback). Any failure exits non-zero.
set -euo pipefail
source "$(dirname "$0")/common.sh"

step() { printf '\n'; say "$*"; }

bash scripts/setup.sh

step "Lint (ruff)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

step "Validate domain, training data and config"
bash scripts/validate.sh

step "Train (if inputs changed)"
bash scripts/train.sh

step "Conversation tests (Rasa test stories)"
.venv/bin/rasa test core --model models/kneadle.tar.gz --stories tests/stories \
  --fail-on-prediction-errors --out results --quiet

step "Unit and integration tests (pytest)"
.venv/bin/python -m pytest -p no:cacheprovider "$@"
