"""Delete one person's conversation from the tracker store endpoints.yml names, and say how much went.

    .venv/bin/python -m kneadle.forget --endpoints endpoints.yml SENDER_ID

Rasa 3.6's TrackerStore has no delete, so for the SQL tracker store (SQLite by default, PostgreSQL
in production, also as kneadle.stores.SQLTrackerStore) this deletes the sender's rows of its
`events` table through the store's own session, in one transaction: the store is built from the
endpoints file as the Rasa server builds it (${VAR}s expanded), so it is the same database,
schema and table. Other tracker store types are refused with a clear message.

Exit status: 0 when the conversation is gone (also when there was none: it prints 0 events),
2 for a setting it cannot use. A message the person sends afterwards starts a new conversation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore, create_tracker_store
from rasa.utils.endpoints import EndpointConfig, read_endpoint_config


class CannotForget(Exception):
    """The tracker store setting is missing or of a type this command does not handle."""


def sql_store(config: EndpointConfig | None, endpoints: Path) -> SQLTrackerStore:
    """The SQL tracker store `config` describes, built as the Rasa server builds it (Rasa's `SQL` type
    or a subclass such as kneadle.stores.SQLTrackerStore); CannotForget saying why there is none."""
    if config is None:
        raise CannotForget(f"{endpoints} has no tracker_store section: Rasa keeps conversations in memory only.")
    kind = str(config.type or "")
    if kind.lower() != "sql" and "." not in kind:  # Rasa's other types (redis, mongod, dynamo, ...)
        raise CannotForget(f"{endpoints}: tracker_store type {kind!r} is not an SQL store; only SQL is handled.")
    settings = dict(config.kwargs)
    if str(settings.get("dialect") or "sqlite") == "sqlite":
        db = settings.get("db")
        if not db or not Path(db).exists():
            raise CannotForget(
                f"{endpoints}: the SQLite tracker store {db!r} does not exist (run from the project root?)."
            )
    store = create_tracker_store(config)
    store = getattr(store, "_tracker_store", store)  # Rasa's AwaitableTrackerStore wrapper
    if not isinstance(store, SQLTrackerStore):
        raise CannotForget(f"{endpoints}: tracker_store type {config.type!r} is not an SQL store; only SQL is handled.")
    return store


def forget(store: SQLTrackerStore, sender_id: str) -> int:
    """Delete every event of `sender_id`; the number of events deleted."""
    with store.session_scope() as session:
        removed = (
            session.query(store.SQLEvent)
            .filter(store.SQLEvent.sender_id == sender_id)
            .delete(synchronize_session=False)
        )
        session.commit()
    return int(removed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", type=Path, default=Path("endpoints.yml"), help="default: endpoints.yml")
    parser.add_argument("sender_id", help="the conversation id (the REST channel's sender)")
    args = parser.parse_args(argv)
    if not args.endpoints.is_file():
        print(f"{args.endpoints} does not exist.", file=sys.stderr)
        return 2
    try:
        store = sql_store(read_endpoint_config(str(args.endpoints), "tracker_store"), args.endpoints)
    except CannotForget as error:
        print(error, file=sys.stderr)
        return 2
    removed = forget(store, args.sender_id)
    dialect = store.engine.dialect.name
    print(f"Removed {removed} events of conversation {args.sender_id!r} from the {dialect} tracker store.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
