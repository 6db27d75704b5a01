"""Whether the Rasa server's tracker store and lock store answer right now.

Rasa 3.6 hides a lost tracker store: its FailSafeTrackerStore answers from a per-process memory
store and every conversation restarts; a lost Redis lock store fails every message. A probe asks
each store directly (SELECT 1, PING), so a health check can say which one is down. It knows Rasa's
own store classes and Kneadle's (kneadle/stores.py), whose log lines it keeps in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from kneadle.stores import SERVICE_NAMES

IN_MEMORY = "in-memory"
# What the health endpoint says of a store that answered, and of one that did not.
STATUS = {True: "ok", False: "down"}


@dataclass(frozen=True)
class StoreReport:
    """One store's state: its role (tracker_store, lock_store), what it is, and whether it answered."""

    role: str
    kind: str
    up: bool

    @property
    def label(self) -> str:
        return f"{self.kind} {self.role.replace('_', ' ')}"

    def as_json(self) -> dict[str, str]:
        return {"kind": self.kind, "status": STATUS[self.up]}


def primary_tracker_store(store: Any) -> Any:
    """The store behind Rasa's wrappers (FailSafeTrackerStore, AwaitableTrackerStore), which keep it
    in `_tracker_store` (rasa/core/tracker_store.py)."""
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def tracker_store_kind(store: Any) -> str:
    store = primary_tracker_store(store)
    if hasattr(store, "engine"):
        backend = store.engine.url.get_backend_name()
        return SERVICE_NAMES.get(backend, backend)
    if hasattr(store, "red"):
        return "Redis"
    if type(store).__name__ == "InMemoryTrackerStore":
        return IN_MEMORY
    return type(store).__name__


def lock_store_kind(store: Any) -> str:
    if hasattr(store, "red"):
        return "Redis"
    if type(store).__name__ == "InMemoryLockStore":
        return IN_MEMORY
    return type(store).__name__


def probe_tracker_store(store: Any) -> StoreReport:
    """Blocking: run it in a worker thread."""
    kind = tracker_store_kind(store)
    store = primary_tracker_store(store)
    if hasattr(store, "engine"):
        return StoreReport("tracker_store", kind, _answers(store, lambda: _select_one(store.engine)))
    if hasattr(store, "red"):
        return StoreReport("tracker_store", kind, _answers(store, store.red.ping))
    # In memory, or Mongo, Dynamo or a custom store: not probed here.
    return StoreReport("tracker_store", kind, True)


def probe_lock_store(store: Any) -> StoreReport:
    """Blocking: run it in a worker thread."""
    if hasattr(store, "red"):
        return StoreReport("lock_store", "Redis", _answers(store, store.red.ping))
    return StoreReport("lock_store", lock_store_kind(store), True)


def _select_one(engine: sa.engine.Engine) -> None:
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))


def _answers(store: Any, check: Any) -> bool:
    """Whether `check` passes; a Kneadle store also logs the loss or the return (kneadle/stores.py)."""
    availability = getattr(store, "availability", None)
    try:
        check()
    except Exception as error:  # any failure means "not usable now"; the store's log line says why
        if availability is not None:
            availability.failed(error)
        return False
    if availability is not None:
        availability.succeeded()
    return True
