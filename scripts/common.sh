# Sourced by every script: run from the project root, with Rasa's telemetry off
# (it would send usage data off this machine) and TensorFlow's start-up chatter hidden.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export RASA_TELEMETRY_ENABLED=false
export TF_CPP_MIN_LOG_LEVEL=2
export SQLALCHEMY_SILENCE_UBER_WARNING=1
export PYTHONWARNINGS=ignore::DeprecationWarning

# Settings from .env (see .env.example), if there is one: secrets never go in a tracked file.
if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  source .env
  set +a
fi

say() { printf '\033[1m[kneadle]\033[0m %s\n' "$*"; }
fail() { printf '\033[1;31m[kneadle] %s\033[0m\n' "$*" >&2; exit 1; }
