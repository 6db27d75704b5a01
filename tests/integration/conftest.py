"""Real servers for the integration tests: one action server and one Rasa server per test session."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kneadle.messages import default_messages
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
