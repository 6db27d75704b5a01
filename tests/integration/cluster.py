"""The production profile on loopback: Redis, PostgreSQL, two action servers and two Rasa servers.

Rasa takes one action server URL, so each Rasa server has its own: Rasa A -> actions 1,
Rasa B -> actions 2 (in production a load balancer spreads both; here the pairs are fixed).
Both Rasa servers share the Redis lock store and the PostgreSQL tracker store, with Kneadle's
store types (kneadle/stores.py). The cluster and fault tests share one cluster per test session.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import requests

from tests.integration.servers import Server, action_server, rasa_server
from tests.integration.stores import PostgresService, RedisService, postgres_server, redis_server, write_endpoints


class Cluster:
    """The stores, two action servers and two Rasa servers (A -> actions 1, B -> actions 2)."""

    def __init__(self, log_dir: Path, redis: RedisService, postgres: PostgresService) -> None:
        self.redis = redis
        self.postgres = postgres
        self.actions = [action_server(log_dir), action_server(log_dir)]
        self.rasa = [
            rasa_server(
                log_dir,
                actions,
                None,
                endpoints=write_endpoints(log_dir / f"endpoints-cluster-{name}.yml", redis, postgres, actions.url),
            )
            for name, actions in zip("ab", self.actions, strict=True)
        ]

    @property
    def servers(self) -> list[Server]:
        return [*self.actions, *self.rasa]

    def start_servers(self) -> None:
        """All four at once: a Rasa server takes most of a minute to load its model, and needs
        neither the other nor its action server to start."""
        start_all(self.servers)

    def stop_servers(self) -> None:
        for server in [*self.rasa, *self.actions]:
            server.stop()

    def ensure_running(self, rasa: tuple[int, ...] = (0, 1)) -> None:
        """Start whatever a test stopped or killed: the stores, the action servers and the Rasa
        servers numbered in `rasa` (0 is A, 1 is B), so each test finds what it needs."""
        for service in (self.postgres, self.redis):
            if not running(service.process):
                service.start()
        wanted = [*self.actions, *(self.rasa[number] for number in rasa)]
        start_all([server for server in wanted if not running(server.process)])

    def stop_all(self) -> None:
        """Everything down, the Rasa servers first (as a whole-site restart would go)."""
        self.stop_servers()
        self.redis.stop()
        self.postgres.stop()

    def events(self, sender: str) -> list[tuple[str, dict[str, Any]]]:
        """Every stored event of one conversation, in order: (type, data)."""
        connection = self.postgres.connect()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT type_name, data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
                return [(type_name, json.loads(data)) for type_name, data in cursor.fetchall()]
        finally:
            connection.close()


def start_all(servers: list[Server]) -> None:
    """Start servers side by side and wait until every one is ready (or one fails)."""
    if servers:
        with ThreadPoolExecutor(len(servers)) as pool:
            list(pool.map(Server.start, servers))


def running(process: Any) -> bool:
    return process is not None and process.poll() is None


@contextmanager
def running_cluster(log_dir: Path) -> Iterator[Cluster]:
    """A whole cluster, stopped at the end even when a test fails."""
    with ExitStack() as stack:
        redis = stack.enter_context(redis_server(log_dir))
        postgres = stack.enter_context(postgres_server(log_dir))
        cluster = Cluster(log_dir, redis, postgres)
        stack.callback(cluster.stop_servers)
        cluster.start_servers()
        yield cluster


class Person:
    """One person over REST, whose messages go to whichever Rasa server the test says."""

    def __init__(self) -> None:
        self.sender = f"person-{uuid.uuid4().hex[:12]}"
        self.sent: list[str] = []
        self.received: list[str] = []

    def say(self, server: Server, text: str) -> list[str]:
        response = requests.post(
            f"{server.url}/webhooks/rest/webhook", json={"sender": self.sender, "message": text}, timeout=120
        )
        assert response.status_code == 200, response.text
        texts = [message["text"] for message in response.json() if message.get("text")]
        self.sent.append(text)
        self.received += texts
        return texts


STEP = re.compile(r"Step (\d+) of \d+")


def step_in(texts: list[str]) -> int | None:
    """The step number a reply shows, if it shows one."""
    for text in texts:
        found = STEP.match(text)
        if found:
            return int(found.group(1))
    return None


def start_hand_technique(person: Person, first: Server, second: Server) -> None:
    """Complaint to one server, the screening answer to the other: the walk-through is at step 1."""
    assert person.say(first, "my hands are numb"), "no answer to the complaint"
    assert step_in(person.say(second, "/deny")) == 1


def stored(cluster: Cluster, person: Person) -> tuple[list[str], list[str]]:
    """The texts of the person's stored user messages and bot messages, in order."""
    events = cluster.events(person.sender)
    users = [data.get("text") for kind, data in events if kind == "user"]
    bots = [data["text"] for kind, data in events if kind == "bot" and data.get("text")]
    return users, bots
