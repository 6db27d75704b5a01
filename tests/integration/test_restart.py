"""With the SQLite tracker store a conversation survives a restart of the Rasa server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import Conversation
from tests.integration.servers import Server, rasa_server

pytestmark = pytest.mark.integration


def test_a_walkthrough_resumes_after_the_rasa_server_restarts(log_dir: Path, actions: Server) -> None:
    tracker_db = log_dir / "restart-tracker.db"
    server = rasa_server(log_dir, actions, tracker_db).start()
    conversation = Conversation(server)
    try:
        assert any(text.startswith("Step 1 of 10") for text in conversation.complain("my hands are numb"))
    finally:
        server.stop()

    restarted = rasa_server(log_dir, actions, tracker_db).start()
    conversation.server = restarted
    try:
        assert conversation.slots()["step_number"] == 1
        assert conversation.texts("next")[0].startswith("Step 2 of 10")
    finally:
        restarted.stop()
