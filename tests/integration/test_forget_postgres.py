"""kneadle.forget on the production tracker store: PostgreSQL, through kneadle.stores.SQLTrackerStore
and through Rasa's own `SQL` type, named in an endpoints file as the production one names it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from kneadle.forget import main
from tests.integration.stores import TRACKER_STORE_TYPE, postgres_server, write_endpoints

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("store_type", [TRACKER_STORE_TYPE, "SQL"])
def test_one_conversation_is_deleted_from_postgresql(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], store_type: str
) -> None:
    with postgres_server(tmp_path) as postgres:
        store = SQLTrackerStore(
            dialect="postgresql", host=postgres.host, port=postgres.port, db=postgres.db,
            username=postgres.user, password=postgres.password,
        )  # fmt: skip
        for sender in ("alice", "bob"):
            events = [ActionExecuted("action_listen"), UserUttered("my hands are numb"), BotUttered("Step 1")]
            asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
        endpoints = write_endpoints(
            tmp_path / "endpoints.yml", None, postgres, "http://127.0.0.1:5055", tracker_store_type=store_type
        )
        assert main(["--endpoints", str(endpoints), "alice"]) == 0
        assert "Removed 3 events of conversation 'alice' from the postgresql tracker store" in capsys.readouterr().out
        assert asyncio.run(store.retrieve("alice")) is None
        assert len(asyncio.run(store.retrieve("bob")).events) == 3
        store.engine.dispose()
