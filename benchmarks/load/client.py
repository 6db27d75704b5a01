"""Simulated people talking to Rasa servers over the REST channel, with asyncio and aiohttp: one
person many messages in a row, or many people at once for a set time, with or without a think
time between a reply and the next message."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import aiohttp

from benchmarks.load.scripts import Reply, Walks
from benchmarks.load.stats import Sample

REQUEST_TIMEOUT_SECONDS = 60
JITTER = 0.5  # a think time of t waits uniformly between t * (1 - JITTER) and t * (1 + JITTER)


@dataclass
class Run:
    samples: list[Sample]
    elapsed: float


def pool(runs: Sequence[Run]) -> Run:
    """Several runs of one setup as one: every sample, and the time they took together."""
    return Run([sample for run in runs for sample in run.samples], sum(run.elapsed for run in runs))


def in_turns(jobs: Mapping[str, Callable[[], Run]], rounds: int, flipped: bool) -> tuple[dict[str, Run], list[str]]:
    """Each job `rounds` times, in turns A B, B A, A B...(B A first when `flipped`), so a drift in
    the machine's load falls on both alike; each job's runs pooled into one, and the order taken."""
    names = list(jobs)
    done: dict[str, list[Run]] = {name: [] for name in names}
    order = []
    for number in range(rounds):
        for name in names if (number + flipped) % 2 == 0 else names[::-1]:
            done[name].append(jobs[name]())
            order.append(name)
    return {name: pool(runs) for name, runs in done.items()}, order


async def say(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> tuple[Reply, str | None]:
    """One message and its reply; an error for a non-200, a timeout or a body that is not a list."""
    try:
        async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as response:
            if response.status != 200:
                return [], f"HTTP {response.status}"
            reply = await response.json(content_type=None)
    except asyncio.TimeoutError:
        return [], "timeout"
    except (aiohttp.ClientError, ValueError) as error:
        return [], type(error).__name__
    return (reply, None) if isinstance(reply, list) else ([], "not a list")


def new_sender() -> str:
    return f"load-{uuid.uuid4().hex[:12]}"


class Person:
    """One simulated person: walk-throughs one after another, each as a new conversation unless
    `one_conversation` (then the tracker grows with every message, as a long chat's does). An error
    ends the walk-through; the next one starts afresh."""

    def __init__(self, number: int, url: str, walks: Walks, one_conversation: bool = False) -> None:
        self.number = number
        self.url = url
        self._walks = walks
        self._one_conversation = one_conversation
        self._sender = new_sender()
        self._said = 0  # messages in the current conversation
        self._walked = 0  # walk-throughs begun
        self._in_conversation = 0  # of which in the current conversation
        self._walk = walks(0, 0)

    async def talk(self, session: aiohttp.ClientSession) -> Sample:
        text = self._walk.message()
        if text is None:
            self._restart()
            text = self._walk.message() or ""
        self._said += 1
        started = time.perf_counter()
        reply, error = await say(session, self.url, self._sender, text)
        seconds = time.perf_counter() - started
        error = error or self._walk.take(reply)
        sample = Sample(self.number, self._said, seconds, error)
        if error:
            self._restart()
        return sample

    def _restart(self) -> None:
        self._walked += 1
        self._in_conversation += 1
        if not self._one_conversation:
            self._sender = new_sender()
            self._said = 0
            self._in_conversation = 0
        self._walk = self._walks(self._walked, self._in_conversation)


def session(people: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max(people, 1)),
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS),
    )


async def in_a_row(url: str, walks: Walks, messages: int) -> Run:
    """One person, `messages` messages in one conversation, each sent as soon as the last is answered."""
    person = Person(0, url, walks, one_conversation=True)
    started = time.perf_counter()
    async with session(1) as client:
        samples = [await person.talk(client) for _ in range(messages)]
    return Run(samples, time.perf_counter() - started)


async def crowd(urls: Sequence[str], walks: Walks, people: int, seconds: float, think: float, seed: int = 13) -> Run:
    """`people` people at once for `seconds`, person i on urls[i % len(urls)] (round-robin per
    person, so one conversation stays on one server). With a think time, people start spread over
    the first think time; no new message starts after `seconds`, and the run ends when the last
    reply is in."""
    rng = random.Random(seed)
    crowd_ = [Person(i, urls[i % len(urls)], walks) for i in range(people)]
    delays = [rng.uniform(0, think) for _ in crowd_]
    pauses = [random.Random(seed + i) for i in range(people)]
    started = time.perf_counter()
    deadline = started + seconds

    last_reply = [started]

    async def live(person: Person, delay: float, pause: random.Random) -> list[Sample]:
        await asyncio.sleep(delay)
        samples = []
        while time.perf_counter() < deadline:
            samples.append(await person.talk(client))
            last_reply[0] = max(last_reply[0], time.perf_counter())
            if think:
                await asyncio.sleep(min(think * pause.uniform(1 - JITTER, 1 + JITTER), deadline - time.perf_counter()))
        return samples

    async with session(people) as client:
        lists = await asyncio.gather(*(live(p, d, r) for p, d, r in zip(crowd_, delays, pauses, strict=True)))
    return Run([sample for samples in lists for sample in samples], last_reply[0] - started)
