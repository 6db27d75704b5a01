"""Real servers for the integration tests: one action server and one Rasa server per test session."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from kneadle.messages import default_messages
from tests.integration.cluster import Cluster, running_cluster
from tests.integration.servers import Server, action_server, rasa_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def log_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("servers")


# Step timers fire after a hundredth of their time (about a second), so tests see a reminder
# arrive by itself (actions/walkthrough.py).
FAST_TIMERS = {"KNEADLE_STEP_TIMER_SCALE": "0.01"}


@pytest.fixture(scope="session")
def actions(log_dir: Path) -> Iterator[Server]:
    server = action_server(log_dir, FAST_TIMERS).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def rasa(log_dir: Path, actions: Server) -> Iterator[Server]:
    server = rasa_server(log_dir, actions, log_dir / "tracker.db").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cluster(log_dir: Path) -> Iterator[Cluster]:
    """The production profile (tests/integration/cluster.py), shared by the cluster and fault tests."""
    with running_cluster(log_dir) as running:
        yield running


SCREENING_QUESTION = default_messages()["screening_question"].text


class Conversation:
    """One person talking to the bot over the REST channel."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.sender = f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> list[dict[str, Any]]:
        response = requests.post(
            f"{self.server.url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text}, timeout=60
        )
        assert response.status_code == 200, response.text
        return response.json()

    def texts(self, text: str) -> list[str]:
        return [message["text"] for message in self.say(text) if "text" in message]

    def complain(self, text: str, screening_answer: str = "none of these") -> list[str]:
        """Say what bothers you and answer the screening question, if it comes; the replies to both."""
        texts = self.texts(text)
        if texts and texts[-1] == SCREENING_QUESTION:
            texts += self.texts(screening_answer)
        return texts

    def slots(self) -> dict[str, Any]:
        response = requests.get(f"{self.server.url}/conversations/{self.sender}/tracker", timeout=30)
        assert response.status_code == 200, response.text
        return response.json()["slots"]


@pytest.fixture
def conversation(rasa: Server) -> Conversation:
    return Conversation(rasa)


class SocketPerson:
    """One person in the web widget: a socket.io session that keeps everything the bot sends, in order."""

    def __init__(self, server: Server) -> None:
        self.session_id = uuid.uuid4().hex
        self.received: list[dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.append)
        self.client.connect(server.url, transports=["polling"], socketio_path="/socket.io", wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})

    def say(self, text: str, expect: str, timeout: float = 60) -> int:
        """Send `text`; the position in `received` of the first reply that starts with `expect`."""
        start = len(self.received)
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        return self._position(expect, start, timeout)

    def wait_for(self, start: str, timeout: float = 60) -> dict[str, Any]:
        """The first message received so far, or still to come, that starts with `start`."""
        return self.received[self._position(start, 0, timeout)]

    def _position(self, start: str, since: int, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for position in range(since, len(self.received)):
                if (self.received[position].get("text") or "").startswith(start):
                    return position
            time.sleep(0.2)
        raise AssertionError(f"no message starting {start!r}; got {[m.get('text') for m in self.received[since:]]}")

    def close(self) -> None:
        self.client.disconnect()
