"""Real Redis and PostgreSQL servers on free loopback ports, for the cluster, fault and load tests.

A small, stable API (benchmarks/ imports it too):

    with redis_server(log_dir) as redis, postgres_server(log_dir) as postgres:
        endpoints = write_endpoints(log_dir / "endpoints.yml", redis, postgres, actions.url)
        rasa = rasa_server(log_dir, actions, None, endpoints=endpoints).start()
        postgres.stop()   # the service is lost ...
        postgres.start()  # ... and back, on the same port with the same data

- `redis_server(log_dir) -> RedisService`: `.host`, `.port`, `.url` (redis://host:port),
  `.stop()`, `.start()`. No persistence: Redis holds only the conversation locks.
- `postgres_server(log_dir) -> PostgresService`: `.host`, `.port`, `.user`, `.password`, `.db`,
  `.url` (postgresql://...), `.stop()`, `.start()`, `.connect()` (a psycopg2 connection, for
  reading the events table). Runs as the `postgres` user (PostgreSQL refuses root); its data
  directory is a temporary directory that user can reach, removed on exit.
- `write_endpoints(path, redis, postgres, action_url, ...) -> Path`: an endpoints file for a Rasa
  server using them, with Kneadle's store types (kneadle/stores.py) unless told otherwise.

Both context managers stop their server even when the test fails. The binaries come from Debian's
`redis-server` and `postgresql` packages (PostgreSQL 15 by default; KNEADLE_PG_BIN overrides).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
import redis

from tests.integration.servers import Process, free_port

READY_TIMEOUT_SECONDS = 60
HOST = "127.0.0.1"
LOCK_STORE_TYPE = "kneadle.stores.RedisLockStore"
TRACKER_STORE_TYPE = "kneadle.stores.SQLTrackerStore"


def postgres_bin() -> Path:
    """The PostgreSQL server binaries: KNEADLE_PG_BIN, else the newest under /usr/lib/postgresql."""
    if os.environ.get("KNEADLE_PG_BIN"):
        return Path(os.environ["KNEADLE_PG_BIN"])
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql")
    return versions[-1]


class Service(Process):
    """One server process on a fixed port: stopped and started again on the same port."""

    name = "service"

    def __init__(self, log_dir: Path, port: int) -> None:
        super().__init__(log_dir / f"{self.name}-{port}.log", READY_TIMEOUT_SECONDS)
        self.host = HOST
        self.port = port

    def command(self) -> list[str]:
        raise NotImplementedError

    def popen_user(self) -> str | None:
        return None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        self.spawn(self.command(), user=self.popen_user(), start_new_session=True)
        self.wait_ready()


class RedisService(Service):
    name = "redis"

    def __init__(self, log_dir: Path, port: int) -> None:
        super().__init__(log_dir, port)
        self.url = f"redis://{self.host}:{self.port}"

    def command(self) -> list[str]:
        return [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            *("--bind", self.host, "--port", str(self.port), "--save", "", "--appendonly", "no"),
        ]

    def ready(self) -> bool:
        try:
            return bool(redis.Redis(host=self.host, port=self.port, socket_timeout=1).ping())
        except redis.exceptions.RedisError:
            return False


class PostgresService(Service):
    name = "postgres"

    def __init__(self, log_dir: Path, port: int, data_dir: Path) -> None:
        super().__init__(log_dir, port)
        self.data_dir = data_dir
        self.user = "kneadle"
        self.password = secrets.token_hex(12)
        self.db = "kneadle"
        self.url = f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.db}"

    def command(self) -> list[str]:
        return [
            str(postgres_bin() / "postgres"),
            *("-D", str(self.data_dir), "-p", str(self.port)),
            *("-c", f"listen_addresses={self.host}", "-c", "unix_socket_directories="),
            # Tests only: no waiting for the disk. A clean stop (below) still writes everything.
            *("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"),
        ]

    def popen_user(self) -> str:
        return "postgres"

    # "Fast" shutdown: disconnects the clients (a Rasa server keeps pooled connections,
    # which the default "smart" shutdown would wait for) and writes everything to disk.
    stop_signal = signal.SIGINT

    def connect(self, db: str | None = None) -> psycopg2.extensions.connection:
        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            dbname=db or self.db,
            connect_timeout=3,
        )

    def ready(self) -> bool:
        try:
            self.connect("postgres").close()
            return True
        except psycopg2.OperationalError:
            return False

    def init(self) -> None:
        """A new cluster with a password-protected superuser and an empty database."""
        password_file = self.data_dir.parent / "password"
        password_file.write_text(self.password, encoding="utf-8")
        shutil.chown(password_file, "postgres")
        subprocess.run(
            [
                str(postgres_bin() / "initdb"),
                *("-D", str(self.data_dir), "-U", self.user, f"--pwfile={password_file}"),
                *("--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"),
            ],
            check=True,
            capture_output=True,
            user="postgres",
        )
        password_file.unlink()
        self.start()
        connection = self.connect("postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {self.db}")
        connection.close()


@contextmanager
def redis_server(log_dir: Path) -> Iterator[RedisService]:
    """A Redis server on a free loopback port, stopped on exit."""
    service = RedisService(log_dir, free_port())
    try:
        service.start()
        yield service
    finally:
        service.stop()


@contextmanager
def postgres_server(log_dir: Path) -> Iterator[PostgresService]:
    """A PostgreSQL server on a free loopback port with user, password and database `kneadle`;
    stopped and its data removed on exit."""
    # Under /tmp, not the test's temporary directory: pytest's is private to root, and
    # PostgreSQL runs as `postgres`.
    root = Path(tempfile.mkdtemp(prefix="kneadle-pg-"))
    owner = pwd.getpwnam("postgres")
    os.chown(root, owner.pw_uid, owner.pw_gid)
    service = PostgresService(log_dir, free_port(), root / "data")
    try:
        service.init()
        yield service
    finally:
        service.stop()
        shutil.rmtree(root, ignore_errors=True)


def write_endpoints(
    path: Path,
    redis_service: RedisService | None,
    postgres: PostgresService,
    action_url: str,
    lock_store_type: str = LOCK_STORE_TYPE,
    tracker_store_type: str = TRACKER_STORE_TYPE,
) -> Path:
    """An endpoints file: the action server at `action_url` (its base URL, without /webhook), the
    lock store on Redis (none when `redis_service` is None) and the tracker store on PostgreSQL.
    Rasa's own types are `redis` and `SQL`."""
    lines = [
        "action_endpoint:",
        f'  url: "{action_url}/webhook"',
        "tracker_store:",
        f"  type: {tracker_store_type}",
        "  dialect: postgresql",
        f"  url: {postgres.host}",
        f"  port: {postgres.port}",
        f"  db: {postgres.db}",
        f"  username: {postgres.user}",
        f'  password: "{postgres.password}"',
    ]
    if redis_service is not None:
        lines += [
            "lock_store:",
            f"  type: {lock_store_type}",
            f"  url: {redis_service.host}",
            f"  port: {redis_service.port}",
            "  db: 1",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
