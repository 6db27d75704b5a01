#!/usr/bin/env bash
# Set up everything Kneadle needs in .venv, from requirements.lock, with no downloads beyond PyPI.
# Idempotent: each step leaves a stamp and is skipped while its inputs are unchanged.
set -euo pipefail
source "$(dirname "$0")/common.sh"

VENV=.venv
SPACY_PIPELINE=build/spacy/kneadle_en   # config.yml loads this path
PICTURES=web/pictures                   # the step pictures; `make web` serves web/


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

draw_pictures() {
  local wanted stamp=build/pictures.sha256
  wanted=$(stamp_of scripts/draw_pictures.py kneadle/diagram.py kneadle/drawings.py kneadle/pictures.py \
    kneadle/schemas/pictures.schema.json data/knowledge/pictures.yml requirements.lock)
  compgen -G "$PICTURES/*.png" >/dev/null && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  say "Drawing the step pictures into $PICTURES"
  PYTHONPATH=. "$VENV/bin/python" scripts/draw_pictures.py "$PICTURES" >/dev/null \
    || fail "Drawing the pictures failed; run: PYTHONPATH=. $VENV/bin/python scripts/draw_pictures.py $PICTURES"
  mkdir -p build
  echo "$wanted" > "$stamp"
}

# The web widget (rasa-webchat, pinned in web/package-lock.json) for `make web`; its install
# scripts are not run (the widget is a prebuilt file). KNEADLE_SKIP_WEB=1 sets up without it.
install_web_widget() {
  local wanted stamp=web/node_modules/.kneadle-lock.sha256
  [ "${KNEADLE_SKIP_WEB:-}" = 1 ] && return 0
  wanted=$(stamp_of web/package-lock.json)
  [ -f web/node_modules/rasa-webchat/lib/index.js ] && [ "$(cat "$stamp" 2>/dev/null)" = "$wanted" ] && return 0
  command -v npm >/dev/null 2>&1 || fail "The web widget needs npm (Node.js 16 or newer with npm 7 or newer), \
and npm was not found. Install Node.js (Debian/Ubuntu: sudo apt-get install npm; macOS: brew install node; \
elsewhere: https://nodejs.org), then run the same command again. To set up without the web widget \
(make web and its test then cannot run), set KNEADLE_SKIP_WEB=1."
  say "Installing the web widget into web/node_modules (npm ci)"
  (cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) \
    || fail "npm ci in web/ failed; see the error above, then run the same command again."
  echo "$wanted" > "$stamp"
}

setup_venv
install_packages
build_spacy_pipeline
draw_pictures
install_web_widget
