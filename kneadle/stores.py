"""Rasa's production stores (Redis lock store, SQL tracker store) with clear failures.

Named in an endpoints file, with the same settings as Rasa's own `redis` and `SQL` types:

    lock_store:
      type: kneadle.stores.RedisLockStore      # url, port, db, password, key_prefix, ...
    tracker_store:
      type: kneadle.stores.SQLTrackerStore     # dialect: postgresql, url, port, db, username, password, ...

What they add to Rasa 3.6's classes, and why:
- Start-up: Rasa retries an unreachable PostgreSQL every 5 s for ever (with `login_db`) or starts
  without it (without), and starts without Redis. These wait at most KNEADLE_STORE_WAIT_SECONDS
  (default 10) for the service to answer, then stop start-up with one line naming the service,
  host:port and the setting to fix. A refused login or a missing database stops at once.
- Mid-run: Rasa logs a long error on every message while a store is down. These also log one
  ERROR line when a store is lost (naming it and what the person gets meanwhile) and one line
  when it is back, and reconnect cleanly (pool pre-ping) when it returns.
- A conversation Rasa started afresh while PostgreSQL was unreachable is never appended onto the
  stored one when PostgreSQL comes back: the stored conversation stays as it was.
- The lock store takes and gives back tickets atomically (a Redis transaction): Rasa's own
  read-then-write lets two servers handle one conversation at once (RasaHQ/rasa#9213). It lets
  go quietly when Redis is lost after the message was answered (the ticket expires by itself).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import rasa.core.lock_store
import rasa.core.tracker_store
import redis
import sqlalchemy as sa
import sqlalchemy.exc
import sqlalchemy.orm
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import create_engine_kwargs
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")

WAIT_VARIABLE = "KNEADLE_STORE_WAIT_SECONDS"
DEFAULT_WAIT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 3
RETRY_SECONDS = 1.0
EXIT_STORE_UNREACHABLE = 1
SERVICE_NAMES = {
    "postgresql": "PostgreSQL",
    "sqlite": "SQLite",
    "mysql": "MySQL",
    "oracle": "Oracle",
    "mssql": "SQL Server",
}
DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "oracle": 1521, "mssql": 1433}

# Errors that mean "the service did not answer", as opposed to a bug or bad data.
REDIS_UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
SQL_UNREACHABLE = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


class Availability:
    """Whether a store answered the last time it was used: one log line when it is lost, one when back."""

    def __init__(self, service: str, address: str, meanwhile: str) -> None:
        self.service = service
        self.address = address
        self.meanwhile = meanwhile
        self.reachable = True

    def failed(self, error: BaseException) -> None:
        if self.reachable:
            self.reachable = False
            logger.error(
                "Lost the %s at %s: %s. Meanwhile %s. (%s)",
                self.service,
                self.address,
                first_line(error),
                self.meanwhile,
                type(error).__name__,
            )

    def succeeded(self) -> None:
        if not self.reachable:
            self.reachable = True
            logger.warning(
                "The %s at %s is back: conversations continue where they were stored.", self.service, self.address
            )

    @contextmanager
    def watch(self, unreachable: tuple[type[BaseException], ...]) -> Iterator[None]:
        """Record whether the calls inside reached the service."""
        try:
            yield
        except unreachable as error:
            self.failed(error)
            raise
        self.succeeded()


def first_line(error: BaseException) -> str:
    """A driver's error without SQLAlchemy's background link and the driver's extra lines."""
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0].rstrip(".") if text else type(error).__name__


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_VARIABLE, DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def stop_start_up(line: str) -> None:
    """End the server with one line instead of a stack trace.

    Rasa builds the stores inside Sanic's start-up listener, and Sanic logs any exception raised
    there (even SystemExit) as a full stack trace. Nothing has been served or stored yet, so the
    process ends here, after writing out the log.
    """
    logger.error(line)
    for handler in logging.getLogger().handlers + logger.handlers:
        handler.flush()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(EXIT_STORE_UNREACHABLE)


def wait_until_reachable(
    check: Callable[[], None], unreachable: tuple[type[BaseException], ...], refused: Callable[[Exception], str | None]
) -> None:
    """Run `check` until it passes or KNEADLE_STORE_WAIT_SECONDS have passed.

    Blocks on purpose: Rasa builds the stores synchronously before the server takes requests
    (its own SQL store sleeps here too), and nothing can be served without them.
    `refused` names a failure that waiting cannot fix (a wrong password), which stops at once.
    """
    deadline = time.monotonic() + wait_seconds()
    while True:
        try:
            check()
            return
        except unreachable as error:
            reason = refused(error)
            if reason is not None:
                stop_start_up(reason)
            if time.monotonic() >= deadline:
                raise
        time.sleep(RETRY_SECONDS)


class RedisLockStore(rasa.core.lock_store.RedisLockStore):
    """Rasa's Redis lock store: two Rasa servers never handle one conversation at once."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        # Rasa passes a custom lock store only its endpoint config (rasa/core/lock_store.py).
        if endpoint_config is not None:
            settings = {**endpoint_config.kwargs, **settings}
            settings.setdefault("host", endpoint_config.url or "localhost")
        settings.setdefault("host", "localhost")
        super().__init__(**settings)
        # Rasa sets no connect timeout: a Redis host that drops packets would hang each message.
        self.red.connection_pool.connection_kwargs.setdefault("socket_connect_timeout", CONNECT_TIMEOUT_SECONDS)
        kwargs = self.red.connection_pool.connection_kwargs
        address = f"{kwargs.get('host')}:{kwargs.get('port')}"
        self.availability = Availability(
            "Redis lock store",
            address,
            "no message can be handled (the REST channel answers an apology) until it is back; "
            "stored conversations are kept",
        )
        try:
            wait_until_reachable(self.red.ping, REDIS_UNREACHABLE, self._refused)
        except REDIS_UNREACHABLE:
            stop_start_up(
                f"Cannot reach Redis at {address} (endpoints lock_store: url, port). Start Redis or fix the setting."
            )
        except redis.exceptions.RedisError as error:
            stop_start_up(f"Redis at {address} refused the connection: {first_line(error)} (endpoints lock_store).")

    def _refused(self, error: Exception) -> str | None:
        if isinstance(error, redis.exceptions.AuthenticationError):
            return (
                f"Redis at {self.availability.address} refused the login: {first_line(error)} "
                "(endpoints lock_store: password, username)."
            )
        return None

    def _change(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[T, TicketLock | None]]) -> T:
        """Read, change and write one conversation's lock as one Redis transaction.

        Rasa reads the lock, changes it in Python and writes it back, so two servers taking a
        ticket at the same moment both get ticket 0 of a new lock and handle one conversation at
        once (RasaHQ/rasa#9213). WATCH/MULTI/EXEC retries the change if the lock moved in between.
        `change` gets the stored lock (None if there is none) and returns its result and the lock
        to store (None deletes it). The stored format stays Rasa's TicketLock.
        """
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    serialised = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
                    result, changed = change(lock)
                    pipe.multi()
                    if changed is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, changed.dumps())
                    pipe.execute()
                    return result
                except redis.exceptions.WatchError:
                    continue

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = rasa.core.lock_store.LOCK_LIFETIME) -> int:
        """A ticket in the conversation's queue; Rasa's first Redis call for a message, so also
        where a lost Redis shows."""

        def issue(lock: TicketLock | None) -> tuple[int, TicketLock]:
            lock = lock or self.create_lock(conversation_id)
            return lock.issue_ticket(lock_lifetime), lock

        try:
            with self.availability.watch(REDIS_UNREACHABLE):
                return self._change(conversation_id, issue)
        except Exception as error:  # as Rasa's: any failure to take a ticket is a LockError
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        """Drop expired tickets (Rasa calls this while a message waits for its turn)."""

        def expire(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is not None:
                lock.remove_expired_tickets()
            return None, lock

        self._change(conversation_id, expire)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back, and delete the lock if no one else waits, in one step (Rasa's
        check-then-delete can delete a ticket another server has just taken).

        If Redis is gone by now the message was still answered, and the ticket expires by itself
        (TICKET_LOCK_LIFETIME), so this does not turn the answer into an error."""
        try:
            with self.availability.watch(REDIS_UNREACHABLE):
                self._finish(conversation_id, ticket_number)
        except REDIS_UNREACHABLE:
            pass

    def _finish(self, conversation_id: str, ticket_number: int) -> None:
        def remove(lock: TicketLock | None) -> tuple[None, TicketLock | None]:
            if lock is None:
                return None, None
            lock.remove_ticket_for(ticket_number)
            return None, lock if lock.is_someone_waiting() else None

        self._change(conversation_id, remove)


class SQLTrackerStore(rasa.core.tracker_store.SQLTrackerStore):
    """Rasa's SQL tracker store (PostgreSQL in production): every conversation, shared by all servers."""

    def __init__(
        self,
        domain: Any = None,
        dialect: str = "sqlite",
        host: str | None = None,
        port: int | str | None = None,
        db: str = "rasa.db",
        username: str | None = None,
        password: str | None = None,
        event_broker: Any = None,
        login_db: str | None = None,
        query: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        url = self.get_db_url(
            dialect, host, rasa.core.tracker_store.validate_port(port), db, username, password, login_db, query
        )
        url = sa.engine.make_url(url)
        self.networked = url.get_backend_name() != "sqlite"
        service = SERVICE_NAMES.get(url.get_backend_name(), url.get_backend_name())
        self.availability = Availability(
            f"{service} tracker store",
            f"{url.host or 'localhost'}:{url.port or DEFAULT_PORTS.get(url.get_backend_name(), '')}"
            if self.networked
            else str(url.database),
            "each message starts a new conversation in memory, not stored (stored conversations are kept)",
        )
        if self.networked:
            self._check_reachable(url, service, db, login_db)
        super().__init__(domain, dialect, host, port, db, username, password, event_broker, login_db, query, **kwargs)
        if self.networked:
            # Reconnect by itself after the database restarts, and never hang on a dead host.
            engine_url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(engine_url, pool_pre_ping=True, **engine_kwargs(engine_url))
            self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

    def _check_reachable(self, url: sa.engine.URL, service: str, db: str, login_db: str | None) -> None:
        address = self.availability.address
        user = url.username or ""

        def connect() -> None:
            engine = sa.create_engine(url, **engine_kwargs(url))
            try:
                with engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
            finally:
                engine.dispose()

        def refused(error: Exception) -> str | None:
            text = first_line(error)
            if "password authentication failed" in text or "role" in text and "does not exist" in text:
                return (
                    f"{service} at {address} refused the login of user '{user}' "
                    "(endpoints tracker_store: username, password)."
                )
            if "database" in text and "does not exist" in text:
                return (
                    f"{service} at {address} has no database '{login_db or db}' "
                    "(endpoints tracker_store: db; or set login_db to create it)."
                )
            return None

        try:
            wait_until_reachable(connect, SQL_UNREACHABLE, refused)
        except SQL_UNREACHABLE as error:
            stop_start_up(
                f"Cannot reach {service} at {address} (endpoints tracker_store: url, port): {first_line(error)}. "
                f"Start {service} or fix the setting."
            )

    async def retrieve(self, sender_id: str) -> Any:
        with self.availability.watch(SQL_UNREACHABLE):
            return await super().retrieve(sender_id)

    async def retrieve_full_tracker(self, conversation_id: str) -> Any:
        with self.availability.watch(SQL_UNREACHABLE):
            return await super().retrieve_full_tracker(conversation_id)

    async def save(self, tracker: Any) -> None:
        with self.availability.watch(SQL_UNREACHABLE):
            await super().save(tracker)

    async def keys(self) -> Any:
        with self.availability.watch(SQL_UNREACHABLE):
            return await super().keys()

    def _additional_events(self, session: sa.orm.Session, tracker: Any) -> Iterator[Any]:
        """The tracker's events not stored yet, if the tracker continues the stored conversation.

        Rasa appends every event past the number already stored. A tracker Rasa started afresh
        while the database was unreachable does not continue the stored conversation: appending
        its tail would mix two conversations, so nothing is appended and the stored one is kept.
        """
        query = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False)
        stored = query.count()
        if stored and not self._continues(query, tracker, stored):
            logger.error(
                "Not storing conversation %s: it was started afresh while the %s was unreachable; "
                "the stored conversation is kept as it was.",
                tracker.sender_id,
                self.availability.service,
            )
            return iter(())
        return itertools.islice(tracker.events, stored, len(tracker.events))

    def _continues(self, query: sa.orm.Query, tracker: Any, stored: int) -> bool:
        """Whether the tracker's event at the stored count is the last stored event."""
        if len(tracker.events) < stored:
            return False
        last = query.order_by(None).order_by(self.SQLEvent.id.desc()).first()
        event = tracker.events[stored - 1]
        return (
            last is not None
            and last.type_name == event.type_name
            and json.loads(last.data).get("timestamp") == event.timestamp
        )


def engine_kwargs(url: sa.engine.URL) -> dict[str, Any]:
    """Rasa's engine settings, plus a connect timeout for PostgreSQL."""
    kwargs = create_engine_kwargs(url)
    if url.get_backend_name() == "postgresql":
        kwargs["connect_args"] = {**kwargs.get("connect_args", {}), "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    return kwargs
