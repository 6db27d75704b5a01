"""Kneadle's store classes and the health check, without servers (SQLite, closed ports)."""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.lock_store import RedisLockStore as RasaRedisLockStore
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import kneadle.stores
from channels.health import HealthInput
from kneadle.stores import Availability, RedisLockStore, SQLTrackerStore


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StartUpStopped(Exception):
    pass


@pytest.fixture
def stop_start_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up check raises instead of ending the test process; no waiting for a closed port."""

    def stop(line: str) -> None:
        raise StartUpStopped(line)

    monkeypatch.setattr(kneadle.stores, "stop_start_up", stop)
    monkeypatch.setenv(kneadle.stores.WAIT_VARIABLE, "0")


@pytest.fixture
def store(tmp_path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(tmp_path / "tracker.db"))


def conversation(sender: str, *texts: str) -> DialogueStateTracker:
    events: list[Any] = [ActionExecuted("action_listen")]
    for text in texts:
        events += [UserUttered(text), BotUttered(f"reply to {text}"), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events(sender, events)


def stored_texts(tracker: DialogueStateTracker | None) -> list[str]:
    assert tracker is not None
    return [event.text for event in tracker.events if isinstance(event, (UserUttered, BotUttered))]


async def test_a_continued_conversation_is_stored(store: SQLTrackerStore) -> None:
    await store.save(conversation("ann", "my hands are numb"))
    tracker = await store.retrieve("ann")
    tracker.update(UserUttered("next"))
    await store.save(tracker)
    assert stored_texts(await store.retrieve("ann")) == ["my hands are numb", "reply to my hands are numb", "next"]


async def test_a_conversation_started_afresh_is_never_appended_to_the_stored_one(
    store: SQLTrackerStore, caplog: pytest.LogCaptureFixture
) -> None:
    """What Rasa's FailSafeTrackerStore hands back while the database is lost: a new tracker.
    Saved once the database is back, its tail would be glued onto the stored conversation."""
    await store.save(conversation("ann", "my hands are numb"))
    with caplog.at_level(logging.ERROR, logger="kneadle.stores"):
        await store.save(conversation("ann", "next", "next", "next"))
    assert stored_texts(await store.retrieve("ann")) == ["my hands are numb", "reply to my hands are numb"]
    assert "Not storing conversation ann" in caplog.text


async def test_a_new_conversation_is_stored_whole(store: SQLTrackerStore) -> None:
    await store.save(conversation("bob", "hi", "next"))
    assert stored_texts(await store.retrieve("bob")) == ["hi", "reply to hi", "next", "reply to next"]


def test_a_lost_store_is_logged_once_and_its_return_once(caplog: pytest.LogCaptureFixture) -> None:
    availability = Availability("Redis lock store", "127.0.0.1:6379", "every message gets an apology")
    with caplog.at_level(logging.INFO, logger="kneadle.stores"):
        availability.failed(ConnectionError("Connection refused.\nmore detail"))
        availability.failed(ConnectionError("Connection refused."))
        availability.succeeded()
        availability.succeeded()
    assert [record.levelname for record in caplog.records] == ["ERROR", "WARNING"]
    assert (
        caplog.records[0]
        .getMessage()
        .startswith(
            "Lost the Redis lock store at 127.0.0.1:6379: Connection refused. Meanwhile every message gets an apology."
        )
    )
    assert "more detail" not in caplog.text
    assert "The Redis lock store at 127.0.0.1:6379 is back" in caplog.records[1].getMessage()


def test_unreachable_redis_stops_start_up_naming_it(stop_start_up: None) -> None:
    port = closed_port()
    config = EndpointConfig(url="127.0.0.1", port=port, type="kneadle.stores.RedisLockStore")
    with pytest.raises(StartUpStopped) as stopped:
        RedisLockStore(endpoint_config=config)
    assert str(stopped.value) == (
        f"Cannot reach Redis at 127.0.0.1:{port} (endpoints lock_store: url, port). Start Redis or fix the setting."
    )


def test_unreachable_postgres_stops_start_up_naming_it(stop_start_up: None) -> None:
    port = closed_port()
    with pytest.raises(StartUpStopped) as stopped:
        SQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=port, db="kneadle", username="u", password="p")
    assert str(stopped.value).startswith(
        f"Cannot reach PostgreSQL at 127.0.0.1:{port} (endpoints tracker_store: url, port): "
    )
    assert str(stopped.value).endswith("Start PostgreSQL or fix the setting.")
    assert "\n" not in str(stopped.value) and "p@" not in str(stopped.value)


def agent(tracker_store: Any, lock_store: Any) -> SimpleNamespace:
    return SimpleNamespace(
        is_ready=lambda: True, tracker_store=FailSafeTrackerStore(tracker_store), lock_store=lock_store
    )


async def test_health_is_ok_with_the_embedded_defaults(store: SQLTrackerStore) -> None:
    body, status = await HealthInput().status(agent(store, InMemoryLockStore()))
    assert status == 200
    assert body == {
        "status": "ok",
        "tracker_store": {"kind": "SQLite", "status": "ok"},
        "lock_store": {"kind": "in-memory", "status": "ok"},
    }


async def test_health_names_a_store_that_does_not_answer(store: SQLTrackerStore) -> None:
    lock_store = RasaRedisLockStore(host="127.0.0.1", port=closed_port(), socket_timeout=1)
    body, status = await HealthInput().status(agent(store, lock_store))
    assert status == 503
    assert body["down"] == ["Redis lock store"]
    assert body["tracker_store"]["status"] == "ok"


async def test_health_before_the_model_is_loaded() -> None:
    assert await HealthInput().status(None) == ({"status": "down", "down": ["model"]}, 503)


def test_health_timeout_must_be_a_number() -> None:
    assert HealthInput.from_credentials({"timeout_seconds": 5}).timeout_seconds == 5
    assert HealthInput.from_credentials(None).timeout_seconds == 3
    with pytest.raises(ValueError, match="timeout_seconds"):
        HealthInput.from_credentials({"timeout_seconds": "soon"})


def test_start_up_waits_for_a_store_that_comes_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """docker-compose or Kubernetes may start the Rasa server a moment before its database."""
    monkeypatch.setattr(kneadle.stores, "RETRY_SECONDS", 0)
    monkeypatch.setenv(kneadle.stores.WAIT_VARIABLE, "30")
    attempts: list[int] = []

    def check() -> None:
        attempts.append(1)
        if len(attempts) < 3:
            raise ConnectionError("not yet")

    kneadle.stores.wait_until_reachable(check, (ConnectionError,), lambda error: None)
    assert len(attempts) == 3


def test_start_up_gives_up_at_once_on_a_refused_login(stop_start_up: None) -> None:
    def check() -> None:
        raise ConnectionError("password authentication failed")

    with pytest.raises(StartUpStopped, match="wrong password"):
        kneadle.stores.wait_until_reachable(check, (ConnectionError,), lambda error: "wrong password")


def test_start_up_gives_up_after_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(kneadle.stores.WAIT_VARIABLE, "0")

    def check() -> None:
        raise ConnectionError("refused")

    with pytest.raises(ConnectionError):
        kneadle.stores.wait_until_reachable(check, (ConnectionError,), lambda error: None)
