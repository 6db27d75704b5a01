"""Latency figures and the issue's targets: pure functions, so the arithmetic is unit-tested apart
from any server."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Issue 13, "Measured": ratios ours / baseline (or two replicas / one) from one run.
TARGETS = {
    "p95_think": ("<=", 1.3),  # p95 with 20 people thinking 1 s, ours / rasa init's
    "throughput": (">=", 0.7),  # messages/s with no think time, ours / rasa init's
    "memory": ("<=", 1.2),  # peak RSS of the Rasa server, ours / rasa init's
    "replicas": (">=", 1.3),  # messages/s with no think time, two replicas / one
}


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between the closest ranks, as numpy's
    default does; NaN for no values, so an empty run never passes for a fast one."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Sample:
    """One message: which person sent it, its index in that person's run (1-based), how long the
    reply took and what went wrong, if anything."""

    person: int
    index: int
    seconds: float
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    messages: int
    errors: int
    elapsed: float
    throughput: float  # messages answered per second of wall time
    p50: float  # milliseconds
    p95: float
    p99: float

    def as_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def summarise(samples: Sequence[Sample], elapsed: float) -> Summary:
    """Throughput counts every answered message, erroneous ones too (they were answered, just
    wrongly); latency percentiles cover every message, so a slow error still shows."""
    millis = [s.seconds * 1000 for s in samples]
    return Summary(
        messages=len(samples),
        errors=sum(s.error is not None for s in samples),
        elapsed=elapsed,
        throughput=len(samples) / elapsed if elapsed > 0 else math.nan,
        p50=percentile(millis, 50),
        p95=percentile(millis, 95),
        p99=percentile(millis, 99),
    )


def by_index(samples: Sequence[Sample], bucket: int) -> list[tuple[int, int, float, float]]:
    """(first index, last index, p50 ms, p95 ms) per bucket of message indices: whether the 30th
    message of a conversation costs what the 3rd does."""
    if not samples:
        return []
    last = max(s.index for s in samples)
    rows = []
    for first in range(1, last + 1, bucket):
        millis = [s.seconds * 1000 for s in samples if first <= s.index < first + bucket]
        if millis:
            rows.append((first, min(first + bucket - 1, last), percentile(millis, 50), percentile(millis, 95)))
    return rows


def ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs and not math.isnan(theirs) else math.nan


@dataclass(frozen=True)
class Verdict:
    name: str
    value: float
    op: str
    limit: float

    @property
    def met(self) -> bool:
        if math.isnan(self.value):
            return False
        return self.value <= self.limit if self.op == "<=" else self.value >= self.limit

    def line(self, label: str) -> str:
        shown = "n/a" if math.isnan(self.value) else f"{self.value:.2f}x"
        if math.isinf(self.limit):
            return f"{label:52} {shown:>7}  (no target)"
        return f"{label:52} {shown:>7}  target {self.op} {self.limit}x  {'met' if self.met else 'NOT MET'}"


def verdict(name: str, value: float) -> Verdict:
    op, limit = TARGETS[name]
    return Verdict(name, value, op, limit)


def finite(tree: Any) -> Any:
    """The figures with NaN (nothing measured) as None, so the JSON file is strict JSON."""
    if isinstance(tree, dict):
        return {key: finite(value) for key, value in tree.items()}
    if isinstance(tree, list | tuple):
        return [finite(value) for value in tree]
    if isinstance(tree, float) and not math.isfinite(tree):
        return None
    return tree
