"""kneadle.forget deletes one conversation from a real SQLite tracker store and leaves the others."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from kneadle.forget import main


def store_with(db: Path, *senders: str) -> SQLTrackerStore:
    store = SQLTrackerStore(dialect="sqlite", db=str(db))
    for sender in senders:
        events = [ActionExecuted("action_listen"), UserUttered("my hands are numb"), BotUttered("Step 1 of 10")]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    return store


def endpoints(tmp_path: Path, tracker_store: str) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(f"tracker_store:\n{tracker_store}", encoding="utf-8")
    return path


def test_one_conversation_is_deleted_and_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "tracker.db"
    store = store_with(db, "alice", "bob")
    path = endpoints(tmp_path, f"  type: SQL\n  dialect: sqlite\n  db: {db}\n")
    assert main(["--endpoints", str(path), "alice"]) == 0
    assert "Removed 3 events of conversation 'alice'" in capsys.readouterr().out
    assert asyncio.run(store.retrieve("alice")) is None
    assert len(asyncio.run(store.retrieve("bob")).events) == 3
    assert main(["--endpoints", str(path), "alice"]) == 0
    assert "Removed 0 events" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("tracker_store", "says"),
    [
        ("  type: redis\n  url: localhost\n", "not an SQL store"),
        ("  type: SQL\n  dialect: sqlite\n  db: /nonexistent/tracker.db\n", "does not exist"),
    ],
)
def test_a_store_it_cannot_use_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tracker_store: str, says: str
) -> None:
    assert main(["--endpoints", str(endpoints(tmp_path, tracker_store)), "alice"]) == 2
    assert says in capsys.readouterr().err


def test_no_tracker_store_section_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "endpoints.yml"
    path.write_text('action_endpoint:\n  url: "http://localhost:5055/webhook"\n', encoding="utf-8")
    assert main(["--endpoints", str(path), "alice"]) == 2
    assert "in memory only" in capsys.readouterr().err
