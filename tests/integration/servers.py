"""Start and stop real Rasa and action servers on loopback for integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import requests

from tests.conftest import PROJECT_ROOT

VENV_BIN = PROJECT_ROOT / ".venv" / "bin"
MODEL = PROJECT_ROOT / "models" / "kneadle.tar.gz"
START_TIMEOUT_SECONDS = 240


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", **(extra or {})}


class Process:
    """A server process with its log file: started, ready when `ready()` says so, stopped."""

    name = "server"
    stop_signal = signal.SIGTERM

    def __init__(self, log_path: Path, start_timeout: float = START_TIMEOUT_SECONDS) -> None:
        self.log_path = log_path
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} was never started"
        return self.process.pid

    def ready(self) -> bool:
        raise NotImplementedError

    def spawn(self, args: list[str], **popen: Any) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, **popen)

    def wait_ready(self) -> Process:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited during start-up:\n{self.log_tail()}")
            if self.ready():
                return self
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} was not ready after {self.start_timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop the server and wait until it has gone (its port is free again)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(self.stop_signal)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


class Server(Process):
    """A Rasa or action server: ready when `ready_path` answers over HTTP."""

    def __init__(
        self,
        name: str,
        args: list[str],
        port: int,
        ready_path: str,
        log_dir: Path,
        env: dict[str, str] | None = None,
        cwd: Path = PROJECT_ROOT,
    ) -> None:
        super().__init__(log_dir / f"{name}-{port}.log")
        self.name = name
        self.env = env
        self.args = args
        self.cwd = cwd
        self.url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path

    def start(self) -> Server:
        self.launch().wait_ready()
        return self

    def launch(self) -> Server:
        """Start the process without waiting: several servers can load side by side."""
        self.spawn(self.args, cwd=self.cwd, env=server_env(self.env))
        return self

    def ready(self) -> bool:
        try:
            return requests.get(self.url + self.ready_path, timeout=2).ok
        except requests.RequestException:
            return False


def trigger_intent(server_url: str, sender_id: str, intent: str) -> requests.Response:
    """Rasa's HTTP API makes the bot act on `intent` in a conversation, answering on the channel the
    person last wrote on (how an outside system, such as a reminder service, reaches them)."""
    return requests.post(
        f"{server_url}/conversations/{sender_id}/trigger_intent",
        params={"output_channel": "latest"},
        json={"name": intent},
        timeout=60,
    )


def action_server(log_dir: Path, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    args = [str(VENV_BIN / "rasa"), "run", "actions", "--port", str(port)]
    return Server("actions", args, port, "/health", log_dir, env)


def rasa_server(
    log_dir: Path,
    actions: Server,
    tracker_db: Path | None,
    model: Path | None = None,
    credentials: Path | None = None,
    env: dict[str, str] | None = None,
    endpoints: Path | None = None,
) -> Server:
    """A Rasa server with the HTTP API, bound to loopback only, using a SQLite tracker store
    (or the stores of a prepared `endpoints` file, tests/integration/stores.py); the project's
    credentials.yml unless a test gives its own (fake Slack or Telegram API URLs)."""
    model = model or MODEL
    if not model.exists():
        raise RuntimeError(f"{model} is missing: run `make train` (make test trains before pytest)")
    if endpoints is None:
        if tracker_db is None:
            raise ValueError("rasa_server needs a tracker_db or an endpoints file")
        endpoints = log_dir / f"endpoints-{tracker_db.stem}.yml"
        endpoints.write_text(
            f'action_endpoint:\n  url: "{actions.url}/webhook"\n'
            f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n",
            encoding="utf-8",
        )
    port = free_port()
    args = [
        str(VENV_BIN / "rasa"),
        "run",
        "--enable-api",
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials or PROJECT_ROOT / "credentials.yml"),
    ]
    return Server("rasa", args, port, "/status", log_dir, env)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """No request lines on stderr."""


@contextmanager
def static_site(root: Path) -> Iterator[str]:
    """`root` served on a free loopback port, as `make web` serves web/; yields its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), partial(QuietHandler, directory=str(root)))
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
