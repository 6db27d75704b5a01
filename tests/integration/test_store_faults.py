"""Redis and PostgreSQL faults: unreachable at start, lost mid-run and back, and a full restart.

Uses the session's cluster (tests/integration/cluster.py): the mid-run tests use Rasa A only.
What a person gets while a store is lost:
- PostgreSQL lost: Rasa answers from a conversation started afresh in memory (the walk-through
  restarts; a red flag still escalates); nothing is stored until PostgreSQL is back.
- Redis lost: the lock cannot be taken, so the message is not handled; the REST channel answers
  its apology (messages.yml handling_failed).
Either way the health check says 503 naming the store, and when the store is back the stored
conversation continues at its step.
"""

from __future__ import annotations

import copy
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from rasa.utils.endpoints import EndpointConfig

from kneadle.messages import default_messages
from kneadle.stores import RedisLockStore
from tests.conftest import PROJECT_ROOT
from tests.integration.cluster import Cluster, Person, start_hand_technique, step_in, stored
from tests.integration.servers import Server, free_port, rasa_server, server_env
from tests.integration.stores import redis_server, write_endpoints

pytestmark = pytest.mark.integration

CHEST_TO_JAW = "there's a heavy pressure in my chest and it spreads into my jaw"
# Start-up gives up on an unreachable store after this long (kneadle/stores.py).
FAST_GIVE_UP = {"KNEADLE_STORE_WAIT_SECONDS": "2"}
# Importing Rasa takes most of this; the wait for the store is 2 s.
START_FAILURE_SECONDS = 60


@pytest.fixture
def stack(cluster: Cluster) -> Cluster:
    cluster.ensure_running(rasa=(0,))
    return cluster


def health(server: Server) -> tuple[int, dict[str, Any]]:
    response = requests.get(f"{server.url}/webhooks/health/", timeout=30)
    return response.status_code, response.json()


def wait_for_health(server: Server, status: int, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        code, body = health(server)
        if code == status or time.monotonic() > deadline:
            assert code == status, body
            return body
        time.sleep(0.5)


def say_unrecorded(server: Server, sender: str, text: str) -> list[str]:
    """A message while a store is lost: its texts (not part of what should be stored)."""
    response = requests.post(
        f"{server.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=120
    )
    assert response.status_code == 200, response.text
    return [message["text"] for message in response.json() if message.get("text")]


@pytest.mark.parametrize(
    ("lost", "line"),
    [
        ("redis", "Cannot reach Redis at 127.0.0.1:{port} (endpoints lock_store: url, port)."),
        ("postgres", "Cannot reach PostgreSQL at 127.0.0.1:{port} (endpoints tracker_store: url, port)"),
    ],
)
def test_unreachable_store_at_start_stops_with_one_clear_line(
    cluster: Cluster, log_dir: Any, lost: str, line: str
) -> None:
    redis, postgres = copy.copy(cluster.redis), copy.copy(cluster.postgres)
    dead = redis if lost == "redis" else postgres
    dead.port = free_port()
    endpoints = write_endpoints(log_dir / f"endpoints-no-{lost}.yml", redis, postgres, cluster.actions[0].url)
    server = rasa_server(log_dir, cluster.actions[0], None, endpoints=endpoints, env=FAST_GIVE_UP)

    started = time.monotonic()
    result = subprocess.run(
        server.args, cwd=PROJECT_ROOT, env=server_env(server.env), capture_output=True, text=True, timeout=240
    )
    seconds = time.monotonic() - started

    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert line.format(port=dead.port) in output.strip().splitlines()[-1], output[-2000:]
    assert "Traceback" not in output
    assert seconds < START_FAILURE_SECONDS


def test_two_servers_taking_a_ticket_at_once_get_different_tickets(tmp_path: Path) -> None:
    """The lock store's transaction (kneadle/stores.py): Rasa's own read-then-write gives both ticket 0."""
    with redis_server(tmp_path) as redis:
        config = EndpointConfig(url=redis.host, port=redis.port)
        stores = [RedisLockStore(endpoint_config=config), RedisLockStore(endpoint_config=config)]
        for conversation in range(30):
            barrier = threading.Barrier(len(stores))

            def take(store: RedisLockStore, conversation: int = conversation, barrier: Any = barrier) -> int:
                barrier.wait()
                return store.issue_ticket(f"conversation-{conversation}")

            with ThreadPoolExecutor(len(stores)) as pool:
                assert sorted(pool.map(take, stores)) == [0, 1]


def test_postgres_lost_mid_run_then_back(stack: Cluster) -> None:
    a = stack.rasa[0]
    person = Person()
    start_hand_technique(person, a, a)
    assert step_in(person.say(a, "next")) == 2
    before = stack.events(person.sender)

    stack.postgres.stop()
    try:
        assert wait_for_health(a, 503)["down"] == ["PostgreSQL tracker store"]
        restarted = say_unrecorded(a, person.sender, "next")
        assert restarted and step_in(restarted) is None, restarted
        escalation = say_unrecorded(a, Person().sender, CHEST_TO_JAW)
        assert escalation[0].startswith("🚨") and "call 112 now" in escalation[0], escalation
    finally:
        stack.postgres.start()

    assert wait_for_health(a, 200)["status"] == "ok"
    assert step_in(person.say(a, "next")) == 3
    after = stack.events(person.sender)
    assert after[: len(before)] == before
    assert stored(stack, person) == (person.sent, person.received)
    log = a.log_path.read_text(errors="replace")
    assert f"Lost the PostgreSQL tracker store at 127.0.0.1:{stack.postgres.port}" in log
    assert f"The PostgreSQL tracker store at 127.0.0.1:{stack.postgres.port} is back" in log


def test_redis_lost_mid_run_then_back(stack: Cluster) -> None:
    a = stack.rasa[0]
    person = Person()
    start_hand_technique(person, a, a)
    assert step_in(person.say(a, "next")) == 2

    stack.redis.stop()
    try:
        assert wait_for_health(a, 503)["down"] == ["Redis lock store"]
        assert say_unrecorded(a, person.sender, "next") == [default_messages().text("handling_failed").strip()]
    finally:
        stack.redis.start()

    assert wait_for_health(a, 200)["status"] == "ok"
    assert step_in(person.say(a, "next")) == 3
    assert stored(stack, person) == (person.sent, person.received)
    log = a.log_path.read_text(errors="replace")
    assert f"Lost the Redis lock store at 127.0.0.1:{stack.redis.port}" in log
    assert f"The Redis lock store at 127.0.0.1:{stack.redis.port} is back" in log


def test_a_full_restart_loses_no_stored_conversation(stack: Cluster) -> None:
    stack.ensure_running(rasa=(0, 1))
    a, b = stack.rasa
    walking, escalated = Person(), Person()
    start_hand_technique(walking, a, b)
    assert step_in(walking.say(a, "next")) == 2
    assert "call 112" in escalated.say(b, CHEST_TO_JAW)[0]
    before = {person.sender: stack.events(person.sender) for person in (walking, escalated)}

    stack.stop_all()
    stack.ensure_running(rasa=(0, 1))

    assert step_in(walking.say(b, "next")) == 3
    assert step_in(walking.say(a, "next")) == 4
    assert "call 112" in escalated.say(a, "what should I do now?")[0]
    for person in (walking, escalated):
        assert stack.events(person.sender)[: len(before[person.sender])] == before[person.sender]
        assert stored(stack, person) == (person.sent, person.received)
