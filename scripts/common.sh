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

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# require_free_ports HINT PORT...: stop with HINT (which variables move them) if any port is taken.
require_free_ports() {
  local hint=$1 port
  shift
  for port in "$@"; do
    port_in_use "$port" && fail "Port $port is already in use. Stop what uses it, or set $hint."
  done
  return 0
}

# Servers a script starts in the background; `trap stop_servers EXIT` stops them all.
server_pids=()
stop_servers() {
  trap - EXIT
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${server_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# start_server NAME PORT LOG COMMAND...: run COMMAND in the background (output to LOG) and wait
# until PORT answers; if it stops first, show the end of LOG and fail.
start_server() {
  local what=$1 port=$2 log=$3 pid
  shift 3
  "$@" > "$log" 2>&1 &
  pid=$!
  server_pids+=("$pid")
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      say "$what stopped during start-up; the end of $log:" >&2
      tail -n 20 "$log" >&2
      exit 1
    fi
    port_in_use "$port" && return 0
    sleep 0.5
  done
  fail "$what did not start within 5 minutes; see $log"
}

