"""Where the time of one message goes, per stage, as a conversation grows.

One person talks to the bot in-process (Rasa's Agent, the same model, a real action server on
loopback and a SQLite tracker store) through one long conversation: 10-step hand walk-throughs one
after the other, 45 messages by default. Every message is timed as a whole and per stage:

  nlu:<component>    each NLU component of config.yml (graph node)
  policy:<policy>    each policy's prediction (graph node), and the ensemble's choice
  action:<name>      each call to the action server (request, reply, validation)
  store:retrieve/save  the tracker store, loading and saving the conversation
  other              what is left: the processor, events, the output channel

It prints the stages of message 3 next to those of message 30 and the last one, so growth with
the conversation's length shows, and the mean per stage over all messages.

    .venv/bin/python -m benchmarks.profile [--messages 45] [--model models/kneadle.tar.gz]
    .venv/bin/python -m benchmarks.profile --without-speedups   # Rasa's own code, to compare

The timing wrappers are measurement only: they patch Rasa's classes in this process, never the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import logging
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from tests.integration.servers import MODEL, action_server

COMPLAINT = "my hands are numb after typing"
# The first walk-through starts with the screening question; later ones go straight to step 1.
FIRST_WALK_THROUGH = [COMPLAINT, "/deny"] + ["next"] * 9
AGAIN = [COMPLAINT] + ["next"] * 9


class StageClock:
    """Seconds spent per stage during the current message."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)

    def add(self, stage: str, seconds: float) -> None:
        self.current[stage] += seconds

    def take(self) -> dict[str, float]:
        stages, self.current = dict(self.current), defaultdict(float)
        return stages


def _timed_sync(clock: StageClock, stage_of: Callable[..., str], method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            clock.add(stage_of(*args), time.perf_counter() - start)

    return wrapper


def _timed_async(clock: StageClock, stage_of: Callable[..., str], method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await method(*args, **kwargs)
        finally:
            clock.add(stage_of(*args), time.perf_counter() - start)

    return wrapper


def _node_stage(node: Any, *_: Any) -> str:
    name = node._node_name.removeprefix("run_").removesuffix("0")
    if "Policy" in name or name.startswith("select_prediction"):
        return "policy:" + name.rsplit(".", 1)[-1]
    return "nlu:" + name.rsplit(".", 1)[-1]


@contextmanager
def stage_timers(clock: StageClock) -> Iterator[None]:
    """Wrap Rasa's graph nodes, remote actions and SQL tracker store with timers."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.engine.graph import GraphNode

    patches = [
        (GraphNode, "__call__", _timed_sync(clock, _node_stage, GraphNode.__call__)),
        (RemoteAction, "run", _timed_async(clock, lambda a, *_: "action:" + a.name(), RemoteAction.run)),
        (SQLTrackerStore, "retrieve", _timed_async(clock, lambda *_: "store:retrieve", SQLTrackerStore.retrieve)),
        (SQLTrackerStore, "save", _timed_async(clock, lambda *_: "store:save", SQLTrackerStore.save)),
    ]
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    for owner, name, wrapped in patches:
        setattr(owner, name, wrapped)
    try:
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def conversation(length: int) -> list[str]:
    """One person's messages: hand walk-throughs (10 steps) one after the other."""
    messages = list(FIRST_WALK_THROUGH)
    while len(messages) < length:
        messages.extend(AGAIN)
    return messages[:length]


@contextmanager
def rasas_own_hot_paths() -> Iterator[None]:
    """Rasa's own two methods that components/speedups.py replaces, to measure what the fixes save."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    from components import speedups

    RemoteAction._validate_action_result = speedups.RASA_VALIDATE
    Event.resolve_by_type = staticmethod(speedups.RASA_RESOLVE)
    try:
        yield
    finally:
        speedups.install()


async def profile(model: Path, action_url: str, tracker_db: Path, length: int) -> list[dict[str, float]]:
    """Per message: its stages' seconds, plus 'total' and 'other'."""
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    endpoints = tracker_db.with_suffix(".yml")
    endpoints.write_text(
        f"action_endpoint:\n  url: {action_url}/webhook\n"
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tracker_db}\n",
        encoding="utf-8",
    )
    agent = await load_agent(model_path=str(model), endpoints=AvailableEndpoints.read_endpoints(str(endpoints)))

    clock = StageClock()
    results = []
    with stage_timers(clock):
        for text in conversation(length):
            output = CollectingOutputChannel()
            start = time.perf_counter()
            await agent.handle_message(UserMessage(text, output, "profiled-person", input_channel="rest"))
            total = time.perf_counter() - start
            stages = clock.take()
            stages["other"] = total - sum(stages.values())
            stages["total"] = total
            results.append(stages)
    return results


def print_report(results: list[dict[str, float]]) -> None:
    picks = {"3rd": 2, "30th": min(29, len(results) - 1), "last": len(results) - 1}
    stages = sorted({stage for result in results for stage in result}, key=lambda s: (s == "total", s))
    mean = {stage: sum(r.get(stage, 0.0) for r in results) / len(results) for stage in stages}
    header = f"{'stage (ms)':40}" + "".join(f"{label:>9}" for label in picks) + f"{'mean':>9}"
    print(header)
    print("-" * len(header))
    for stage in stages:
        row = "".join(f"{results[index].get(stage, 0.0) * 1000:9.1f}" for index in picks.values())
        print(f"{stage:40}{row}{mean[stage] * 1000:9.1f}")
    later = [result["total"] for result in results[1:]]  # the first builds lazily made graphs
    print(f"\n{len(results)} messages; message 3 is '{conversation(3)[2]}'.")
    if later:
        print(f"Median message after the first: {statistics.median(later) * 1000:.1f} ms.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=45, help="messages in the conversation (default 45)")
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--json", type=Path, help="also write every message's stages here")
    parser.add_argument(
        "--without-speedups", action="store_true", help="Rasa's own code where components/speedups.py fixes it"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log_dir = Path(folder)
        actions = action_server(log_dir).start()
        try:
            with rasas_own_hot_paths() if args.without_speedups else nullcontext():
                results = asyncio.run(profile(args.model, actions.url, log_dir / "tracker.db", args.messages))
        finally:
            actions.stop()
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
