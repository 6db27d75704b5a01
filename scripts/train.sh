#!/usr/bin/env bash
# Train models/kneadle.tar.gz when it is missing or older than what it is trained from.
# The stamp is a hash of every training input, so a touched-but-unchanged file does not retrain.
set -euo pipefail
source "$(dirname "$0")/common.sh"

MODEL=models/kneadle.tar.gz
STAMP=models/kneadle.inputs.sha256

# data/knowledge holds content the actions read at run time; Rasa does not train on it.
inputs_hash() {
  find config.yml domain.yml data build/spacy/kneadle_en.sha256 -type f -not -path 'data/knowledge/*' \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

wanted=$(inputs_hash)
if [ -f "$MODEL" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
  say "Model is up to date: $MODEL"
  exit 0
fi
say "Training $MODEL (two to three minutes)"
rm -f "$STAMP"
.venv/bin/rasa train --fixed-model-name kneadle --out models --quiet
echo "$wanted" > "$STAMP"
