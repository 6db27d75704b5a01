"""Printing a load run: one table per mode, the message-index buckets, memory, and the targets."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from benchmarks.load.stats import Sample, Summary, Verdict, by_index


def ms(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.0f}"


def header(title: str) -> None:
    print(f"\n== {title}", flush=True)


def table(rows: Mapping[str, Summary]) -> None:
    print(f"  {'':12} {'msg/s':>7} {'messages':>9} {'errors':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for name, s in rows.items():
        latencies = f"{ms(s.p50):>7} {ms(s.p95):>7} {ms(s.p99):>7}"
        print(f"  {name:12} {s.throughput:7.1f} {s.messages:9d} {s.errors:7d} {latencies}")


def cpu(per_message: Mapping[str, Sequence[float]]) -> None:
    """CPU time per answered message: where the machine's two cores went."""
    for name, (rasa, actions) in per_message.items():
        print(f"  {name:12} CPU per message: Rasa server {rasa * 1000:.1f} ms, action server {actions * 1000:.1f} ms")


def errors(name: str, samples: Sequence[Sample]) -> None:
    kinds = Counter(s.error for s in samples if s.error)
    if kinds:
        print(f"  {name} errors: " + ", ".join(f"{kind} x{count}" for kind, count in kinds.most_common()))


def buckets(per_bot: Mapping[str, Sequence[Sample]], size: int) -> None:
    """p50 / p95 per bucket of message indices, the bots side by side."""
    columns = {
        name: {(first, last): (p50, p95) for first, last, p50, p95 in by_index(s, size)} for name, s in per_bot.items()
    }
    spans = sorted({span for rows in columns.values() for span in rows})
    print("  messages   " + "".join(f"{name + ' p50/p95 ms':>26}" for name in columns))
    for first, last in spans:
        cells = [columns[name].get((first, last)) for name in columns]
        shown = [f"{ms(c[0])} / {ms(c[1])}" if c else "" for c in cells]
        print(f"  {first:>3}-{last:<6} " + "".join(f"{cell:>26}" for cell in shown))


def memory(rows: Mapping[str, tuple[float, float]]) -> None:
    print(f"  {'':12} {'Rasa server MB':>15} {'action server MB':>17}")
    for name, (rasa, actions) in rows.items():
        print(f"  {name:12} {rasa:15.0f} {actions:17.0f}")


def verdicts(lines: Sequence[tuple[str, Verdict]]) -> None:
    for label, v in lines:
        print("  " + v.line(label))


def zero_errors(label: str, count: int) -> bool:
    print(f"  {label:52} {count:>7}  target 0       {'met' if count == 0 else 'NOT MET'}")
    return count == 0
