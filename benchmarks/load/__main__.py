"""Load benchmark: Kneadle against the bot `rasa init` makes, and one Rasa replica of Kneadle
against two, with simulated people over the REST channel: `make benchmark-load`.

    python -m benchmarks.load [--duration 20] [--rounds 2] [--people 20] [--think 1.0] [--messages 60]
                              [--only ours baseline replicas] [--json results/load.json]

Both bots run the same way: `rasa run` on loopback with the REST channel only, their own action
server (`rasa run actions` in their own directory), a SQLite tracker store in a temp dir. The
`rasa init --no-prompt` bot is trained once with this Rasa into build/baseline/ and reused.
Both are started before anything is measured and stay up; each mode measures one bot, then the
other, while the other idles (no traffic). A crowd mode runs --rounds times per bot in turns
(A B B A for two rounds; the order flips from mode to mode) and pools each bot's rounds, so a drift
in the machine's load falls on both bots alike. Before measuring, each gets one walk-through that
is not counted.

Modes, per bot:
- in a row: one person, --messages messages in one conversation (Kneadle: hands, then neck, then
  hands... walk-throughs; rasa init: its 10-message script again and again), p50/p95 per bucket of
  10 message indices, so the 3rd message can be compared with the 30th;
- think: --people people for --duration seconds (per round), each waiting --think seconds +-50%
  after a reply;
- no think: the same with no wait (throughput).
In the crowd modes every walk-through is a new conversation (a new sender id). Kneadle's people
say "my hands are numb" or "my neck is stiff", answer the screening question ("/deny") and "on
yourself?" ("/doing_it_alone"), then "next" to past the last step. rasa init's people say the
same 10 messages over its intents (greet, mood_unhappy, affirm, mood_great, bot_challenge, deny,
goodbye). Errors: a non-200, a timeout (60 s), an empty reply, and for Kneadle a reply whose step
does not go up; an error ends that walk-through.

Replicas: two Kneadle Rasa servers sharing a Redis lock store and a PostgreSQL tracker store
(started on loopback from the Debian packages, tests/integration/stores.py), each with its own
action server, run in turns the same way. "One" sends every person to the first server (the
second idles); "two" spreads
people round-robin per person, so a conversation stays on one server. Per message would be the
harder case, where the lock store serializes a conversation across servers.

Memory: the peak resident set (VmHWM in /proc) of each server process and its children, over
the whole run. Targets (issue 13), as ratios from this run: p95 with think time <= 1.3x
rasa init's, throughput without >= 0.7x, Rasa server memory <= 1.2x, zero errors; two replicas
>= 1.3x the throughput of one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks.load import report
from benchmarks.load.client import Run, crowd, in_a_row, in_turns
from benchmarks.load.scripts import WALKS, Walks
from benchmarks.load.servers import ROOT, Bot, baseline_bot, bot_cpu_seconds, kneadle_bot, peak_rss_mb, start, stop
from benchmarks.load.stats import Summary, Verdict, by_index, finite, ratio, summarise, verdict

BUCKET = 10
LABELS = {"one": "one server", "two": "two servers"}
WARM_UP_MESSAGES = 12  # one hand walk-through


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=20, help="seconds per crowd run (default 20)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="crowd runs per bot and mode, taken in turns A B B A (default 2)"
    )
    parser.add_argument("--people", type=int, default=20, help="people at once in the crowd runs (default 20)")
    parser.add_argument("--think", type=float, default=1.0, help="think time in seconds, +-50%% (default 1.0)")
    parser.add_argument("--messages", type=int, default=60, help="messages in a row for one person (default 60)")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("ours", "baseline", "replicas"),
        default=["ours", "baseline", "replicas"],
        help="what to run (default all; ratios need ours and baseline)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "results" / "load.json", help="where to write the figures")
    return parser.parse_args(argv)


def measure(url: str | list[str], walks: Walks, mode: str, args: argparse.Namespace) -> Run:
    urls = url if isinstance(url, list) else [url]
    if mode == "in_a_row":
        return asyncio.run(in_a_row(urls[0], walks, args.messages))
    think = args.think if mode == "think" else 0.0
    return asyncio.run(crowd(urls, walks, args.people, args.duration, think))


MODES = {
    "in_a_row": "one person, {messages} messages in a row (one conversation)",
    "think": "{people} people, think time {think} s +-50%, {duration:.0f} s",
    "no_think": "{people} people, no think time, {duration:.0f} s",
}


def side_by_side(bots: Sequence[Bot], args: argparse.Namespace) -> dict[str, Any]:
    """Every mode against each bot in turn, the order flipped from mode to mode."""
    results: dict[str, Any] = {one.name: {} for one in bots}
    for number, (mode, title) in enumerate(MODES.items()):
        report.header(title.format(**vars(args)) + rounds_note(mode, args))
        cpu = {one.name: [0.0, 0.0] for one in bots}
        jobs = {
            one.name: partial(counting_cpu, one, cpu, partial(measure, one.url, WALKS[walks_of(one)], mode, args))
            for one in bots
        }
        runs, order = in_turns(jobs, 1 if mode == "in_a_row" else args.rounds, flipped=number % 2 == 1)
        summaries = {name: summarise(run.samples, run.elapsed) for name, run in runs.items()}
        print(f"  (measured in this order: {', '.join(order)})")
        report.table({one.name: summaries[one.name] for one in bots})
        per_message = {name: [seconds / max(1, summaries[name].messages) for seconds in cpu[name]] for name in cpu}
        report.cpu(per_message)
        for one in bots:
            report.errors(one.name, runs[one.name].samples)
            results[one.name][mode] = summaries[one.name].as_dict()
            rasa_cpu, actions_cpu = per_message[one.name]
            results[one.name][mode]["cpu_ms_per_message"] = {"rasa": rasa_cpu * 1000, "actions": actions_cpu * 1000}
        if mode == "in_a_row":
            report.buckets({one.name: runs[one.name].samples for one in bots}, BUCKET)
            for one in bots:
                results[one.name]["in_a_row_buckets"] = [
                    dict(zip(("first", "last", "p50", "p95"), row, strict=True))
                    for row in by_index(runs[one.name].samples, BUCKET)
                ]
    report.header("Peak memory (VmHWM, whole run)")
    rows = {one.name: (peak_rss_mb(one.rasa.pid), peak_rss_mb(one.actions.pid)) for one in bots}
    report.memory(rows)
    for one in bots:
        results[one.name]["rasa_mb"], results[one.name]["actions_mb"] = rows[one.name]
    return results


def counting_cpu(one: Bot, cpu: dict[str, list[float]], job: Callable[[], Run]) -> Run:
    """Run `job`, adding the CPU seconds the bot's Rasa and action servers used meanwhile to `cpu`."""
    before = bot_cpu_seconds(one)
    run = job()
    after = bot_cpu_seconds(one)
    cpu[one.name] = [total + end - start for total, start, end in zip(cpu[one.name], before, after, strict=True)]
    return run


def rounds_note(mode: str, args: argparse.Namespace) -> str:
    return "" if mode == "in_a_row" or args.rounds == 1 else f", x{args.rounds} rounds pooled"


def walks_of(one: Bot) -> str:
    return "baseline" if one.name == "baseline" else "kneadle"


def warm_up(bots: Sequence[Bot]) -> None:
    """One walk-through per server, not counted: the first messages load lazily built graphs."""
    for one in bots:
        asyncio.run(in_a_row(one.url, WALKS[walks_of(one)], WARM_UP_MESSAGES))


def targets(results: dict[str, Any]) -> dict[str, Any]:
    ours, theirs = results["kneadle"], results["baseline"]
    report.header("Kneadle / rasa init, same run")
    lines: list[tuple[str, Verdict]] = [
        ("p95, one person in a row", verdict_free(ours["in_a_row"]["p95"], theirs["in_a_row"]["p95"])),
        ("p95, crowd with think time", verdict("p95_think", ratio(ours["think"]["p95"], theirs["think"]["p95"]))),
        (
            "throughput, crowd with no think time",
            verdict("throughput", ratio(ours["no_think"]["throughput"], theirs["no_think"]["throughput"])),
        ),
        ("Rasa server peak memory", verdict("memory", ratio(ours["rasa_mb"], theirs["rasa_mb"]))),
    ]
    report.verdicts(lines)
    errors = sum(ours[mode]["errors"] for mode in MODES)
    zero = report.zero_errors("errors, Kneadle, every mode", errors)
    return {
        **{v.name: {"ratio": v.value, "target": f"{v.op} {v.limit}", "met": v.met} for _, v in lines[1:]},
        "errors": {"count": errors, "target": "0", "met": zero},
    }


def verdict_free(ours: float, theirs: float) -> Verdict:
    """A ratio shown for context with no target: never counts as met or not."""
    return Verdict("context", ratio(ours, theirs), "<=", math.inf)


def replicas(args: argparse.Namespace, log_dir: Path) -> dict[str, Any]:
    """One Kneadle Rasa server against two, both on one Redis lock store and one PostgreSQL tracker store."""
    from tests.integration.stores import postgres_server, redis_server, write_endpoints

    with redis_server(log_dir) as redis, postgres_server(log_dir) as postgres:

        def endpoints(path: Path, actions: Any) -> Path:
            return write_endpoints(path, redis, postgres, actions.url)

        pair = [kneadle_bot(log_dir, f"replica{n}", endpoints) for n in (1, 2)]
        try:
            start(pair)
            warm_up(pair)
            return replica_runs(pair, args)
        finally:
            stop(pair)


def replica_runs(pair: Sequence[Bot], args: argparse.Namespace) -> dict[str, Any]:
    setups: dict[str, list[str]] = {"one": [pair[0].url], "two": [one.url for one in pair]}
    results: dict[str, Any] = {"one": {}, "two": {}}
    for number, mode in enumerate(("no_think", "think")):
        title = MODES[mode].format(**vars(args)) + rounds_note(mode, args)
        report.header(f"Replicas: {title}, people round-robin per person")
        jobs = {name: partial(measure, setups[name], WALKS["kneadle"], mode, args) for name in setups}
        runs, order = in_turns(jobs, args.rounds, flipped=number % 2 == 1)
        print(f"  (measured in this order: {', then '.join(LABELS[name] for name in order)})")
        summaries: dict[str, Summary] = {name: summarise(runs[name].samples, runs[name].elapsed) for name in setups}
        report.table({LABELS[name]: summaries[name] for name in setups})
        for name in setups:
            report.errors(name, runs[name].samples)
            results[name][mode] = summaries[name].as_dict()
    report.header("Replicas: peak memory (VmHWM, whole run)")
    rows = {one.name: (peak_rss_mb(one.rasa.pid), peak_rss_mb(one.actions.pid)) for one in pair}
    report.memory(rows)
    results["memory_mb"] = rows
    report.header("Two replicas / one, same run")
    scaling = verdict(
        "replicas", ratio(results["two"]["no_think"]["throughput"], results["one"]["no_think"]["throughput"])
    )
    p95 = verdict_free(results["two"]["think"]["p95"], results["one"]["think"]["p95"])
    report.verdicts([("throughput, crowd with no think time", scaling), ("p95, crowd with think time", p95)])
    errors = sum(results[name][mode]["errors"] for name in setups for mode in ("no_think", "think"))
    zero = report.zero_errors("errors, replicas, every mode", errors)
    results["targets"] = {
        "replicas": {"ratio": scaling.value, "target": f"{scaling.op} {scaling.limit}", "met": scaling.met},
        "errors": {"count": errors, "target": "0", "met": zero},
    }
    return results


def bots_for(only: Sequence[str], log_dir: Path) -> list[Bot]:
    makers: dict[str, Callable[[Path], Bot]] = {"ours": kneadle_bot, "baseline": baseline_bot}
    return [makers[name](log_dir) for name in ("ours", "baseline") if name in only]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    results: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}}
    with tempfile.TemporaryDirectory(prefix="kneadle-load-") as folder:
        log_dir = Path(folder)
        bots = bots_for(args.only, log_dir)
        if bots:
            try:
                print(
                    f"Starting {', '.join(one.name for one in bots)} (Rasa server + action server each)...", flush=True
                )
                start(bots)
                warm_up(bots)
                results["bots"] = side_by_side(bots, args)
            finally:
                stop(bots)
            if len(bots) == 2:
                results["targets"] = targets(results["bots"])
        if "replicas" in args.only:
            print(
                "\nStarting Redis, PostgreSQL and two Kneadle replicas (Rasa server + action server each)...",
                flush=True,
            )
            results["replicas"] = replicas(args, log_dir)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(finite(results), indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nFigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
