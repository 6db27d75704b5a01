#!/usr/bin/env bash
# Set up everything Kneadle needs in .venv, from requirements.lock, with no downloads beyond PyPI.
# Idempotent: each step leaves a stamp and is skipped while its inputs are unchanged.
set -euo pipefail
source "$(dirname "$0")/common.sh"

VENV=.venv
SPACY_PIPELINE=build/spacy/kneadle_en   # config.yml loads this path


is_python310() { "$1" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

# Prints the path of a Python 3.10 interpreter: $KNEADLE_PYTHON, python3.10 on PATH, else pyenv's newest 3.10.
find_python310() {
  local candidate version
  if [ -n "${KNEADLE_PYTHON:-}" ]; then
    is_python310 "$KNEADLE_PYTHON" && { echo "$KNEADLE_PYTHON"; return 0; }
    fail "KNEADLE_PYTHON=$KNEADLE_PYTHON is not a working Python 3.10 with venv."
  fi
  candidate=$(command -v python3.10 || true)
  if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$' | sort -t. -k3 -n -r); do
      candidate=$(PYENV_VERSION=$version pyenv which python 2>/dev/null || true)
      if [ -n "$candidate" ] && is_python310 "$candidate"; then echo "$candidate"; return 0; fi
    done
  fi
  return 1
}

no_python_help() {
  cat >&2 <<'HELP'
[kneadle] Kneadle needs Python 3.10 (Rasa 3.6 runs on Python 3.8-3.10 only), and none was found:
  - not python3.10 on your PATH, and not a 3.10 version in pyenv.
Get one of these, then run the same command again:
  - pyenv:          pyenv install 3.10.13
  - Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv   (Ubuntu: from the deadsnakes PPA)
  - macOS:          brew install python@3.10
  - elsewhere:      set KNEADLE_PYTHON=/path/to/python3.10
Or run the bot without Python on the host: docker-compose up (see README).
Nothing was installed.
HELP
  exit 1
}

stamp_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

setup_venv() {
  local python
  if [ -x "$VENV/bin/python" ] && is_python310 "$VENV/bin/python"; then
    return 0
  fi
  python=$(find_python310) || no_python_help
  [ -e "$VENV" ] && { say "Removing $VENV: it is not a working Python 3.10 environment."; rm -rf "$VENV"; }
  say "Creating $VENV with $python ($("$python" --version 2>&1))"
  "$python" -m venv "$VENV" || { rm -rf "$VENV"; fail "Could not create $VENV with $python."; }
}

install_packages() {
  local wanted stamp="$VENV/.requirements.sha256"
  wanted=$(stamp_of requirements.lock)
  [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  say "Installing pinned packages from requirements.lock (a few minutes the first time)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.lock \
    || fail "pip could not install requirements.lock; see the error above, then run the same command again."
  echo "$wanted" > "$stamp"
}

build_spacy_pipeline() {
  local wanted stamp="$SPACY_PIPELINE.sha256"
  wanted=$(stamp_of scripts/build_spacy_pipeline.py requirements.lock)
  [ -f "$SPACY_PIPELINE/meta.json" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  say "Building the spaCy pipeline in $SPACY_PIPELINE (no download needed)"
  rm -rf "$SPACY_PIPELINE"
  mkdir -p "$(dirname "$SPACY_PIPELINE")"
  "$VENV/bin/python" scripts/build_spacy_pipeline.py "$SPACY_PIPELINE" 2>/dev/null \
    || fail "Building the spaCy pipeline failed; run: $VENV/bin/python scripts/build_spacy_pipeline.py $SPACY_PIPELINE"
  echo "$wanted" > "$stamp"
}

setup_venv
install_packages
build_spacy_pipeline
