#!/usr/bin/env bash
# Validate a project folder (default: this one): YAML syntax, Kneadle's data files and
# config.yml first (each problem names its file), then `rasa data validate --fail-on-warnings`.
set -euo pipefail
source "$(dirname "$0")/common.sh"
root=$PWD
cd "${1:-.}"

PYTHONPATH=$root "$root/.venv/bin/python" "$root/scripts/validate_project.py" .
"$root/.venv/bin/rasa" data validate --fail-on-warnings --quiet
