"""Two Rasa servers and two action servers sharing Redis (locks) and PostgreSQL (conversations).

Rasa A talks to action server 1 and Rasa B to action server 2 (tests/integration/cluster.py).
A person's messages alternate between A and B, as a load balancer that spreads REST freely
would send them. The last test kills B; later tests start it again when they need it.
"""

from __future__ import annotations

import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration.cluster import Cluster, Person, start_hand_technique, step_in, stored

pytestmark = pytest.mark.integration


@pytest.fixture
def stack(cluster: Cluster) -> Cluster:
    cluster.ensure_running()
    return cluster


def test_a_walk_through_alternating_between_servers_keeps_its_step(stack: Cluster) -> None:
    a, b = stack.rasa
    person = Person()
    start_hand_technique(person, a, b)
    for expected, server in zip((2, 3, 4), (a, b, a), strict=True):
        assert step_in(person.say(server, "next")) == expected, person.received
    assert step_in(person.say(b, "back")) == 3
    assert stored(stack, person) == (person.sent, person.received)


def test_fifty_concurrent_conversations_lose_no_events(stack: Cluster) -> None:
    a, b = stack.rasa
    people = [Person() for _ in range(50)]

    def walk(person: Person) -> int | None:
        start_hand_technique(person, a, b)
        return step_in(person.say(a, "next"))

    with ThreadPoolExecutor(len(people)) as pool:
        steps = list(pool.map(walk, people))

    assert steps == [2] * len(people)
    for person in people:
        users, bots = stored(stack, person)
        assert users == person.sent, person.sender
        assert bots == person.received, person.sender


def test_one_conversation_is_never_handled_by_both_servers_at_once(stack: Cluster) -> None:
    """Two messages of one conversation at the same moment, one to each server: the Redis lock
    makes one wait for the other, so they move the walk-through two steps, not one twice."""
    a, b = stack.rasa
    people = [Person() for _ in range(5)]
    for person in people:
        start_hand_technique(person, a, b)

    def both_at_once(person: Person) -> set[int | None]:
        barrier = threading.Barrier(2)

        def send(server: object) -> int | None:
            barrier.wait()
            response = requests.post(
                f"{server.url}/webhooks/rest/webhook", json={"sender": person.sender, "message": "next"}, timeout=120
            )
            assert response.status_code == 200
            return step_in([message.get("text") or "" for message in response.json()])

        with ThreadPoolExecutor(2) as pool:
            return set(pool.map(send, (a, b)))

    with ThreadPoolExecutor(len(people)) as pool:
        results = list(pool.map(both_at_once, people))

    assert results == [{2, 3}] * len(people)
    for person in people:
        users, _ = stored(stack, person)
        assert users == [*person.sent, "next", "next"]


def test_killing_one_server_mid_walk_through_continues_on_the_other(stack: Cluster) -> None:
    a, b = stack.rasa
    person = Person()
    start_hand_technique(person, a, b)
    assert step_in(person.say(b, "next")) == 2

    b.process.send_signal(signal.SIGKILL)
    b.process.wait(timeout=30)
    with pytest.raises(requests.ConnectionError):
        person.say(b, "next")

    assert step_in(person.say(a, "next")) == 3
    assert step_in(person.say(a, "next")) == 4
