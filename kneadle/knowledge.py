"""The techniques knowledge file: typed, validated, loaded once.

`data/knowledge/techniques.yml` holds every technique and piece of advice the bot gives,
each traced to a source article; `schemas/techniques.schema.json` fixes its shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kneadle.datafile import DataFile, load_data_file

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_PATH = PROJECT_ROOT / "data" / "knowledge" / "techniques.yml"


@dataclass(frozen=True)
class Range:
    """A count from the sources: "1-2 minutes" is Range(60, 120) seconds."""

    min: int
    max: int | None = None


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    movement: str
    seconds: Range | None = None
    repetitions: Range | None = None


@dataclass(frozen=True)
class Source:
    file: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Technique:
    id: str
    title: str
    why: str
    regions: tuple[str, ...]
    symptoms: tuple[str, ...]
    performer: str
    needs: tuple[str, ...]
    steps: tuple[Step, ...]
    cautions: tuple[str, ...]
    source: Source
    closing: str | None = None
    how_often: str | None = None
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class Advice:
    id: str
    question: str
    answer: str
    source: Source
    intent: str | None = None


@dataclass(frozen=True)
class Knowledge:
    techniques: Mapping[str, Technique]
    advice: Mapping[str, Advice]

    def technique(self, technique_id: str | None) -> Technique | None:
        return self.techniques.get(technique_id) if technique_id else None

    def advice_for_intent(self, intent: str | None) -> Advice | None:
        """The advice entry that answers questions of this intent, if any."""
        return next((advice for advice in self.advice.values() if intent and advice.intent == intent), None)


def load_knowledge(path: Path = KNOWLEDGE_PATH) -> Knowledge:
    """Load and check the knowledge file; raises DataFileError naming file, line, entry and field."""
    data_file = load_data_file(path, "techniques")
    tree = data_file.tree
    techniques = {t.id: t for t in (_technique(raw) for raw in tree["techniques"])}
    advice = {a.id: a for a in (_advice(raw) for raw in tree["advice"])}
    _check_cross_references(data_file, techniques, advice)
    return Knowledge(techniques=techniques, advice=advice)


@lru_cache(maxsize=1)
def default_knowledge() -> Knowledge:
    """The project's knowledge file, read once per process (it is immutable)."""
    return load_knowledge()


def _check_cross_references(
    data_file: DataFile, techniques: Mapping[str, Technique], advice: Mapping[str, Advice]
) -> None:
    """What the schema cannot say: unique ids, existing related ids, ranges that run forwards."""
    seen: set[str] = set()
    for collection in ("techniques", "advice"):
        for index, raw in enumerate(data_file.tree[collection]):
            if raw["id"] in seen:
                raise data_file.error([collection, index, "id"], f"id '{raw['id']}' is used twice")
            seen.add(raw["id"])
    for index, raw in enumerate(data_file.tree["techniques"]):
        for position, related_id in enumerate(raw.get("related", [])):
            if related_id not in techniques:
                raise data_file.error(
                    ["techniques", index, "related", position], f"'{related_id}' is not a technique id"
                )
        for step_index, step in enumerate(raw["steps"]):
            for field in ("seconds", "repetitions"):
                bounds = step.get(field)
                if bounds and bounds.get("max") is not None and bounds["max"] < bounds["min"]:
                    raise data_file.error(["techniques", index, "steps", step_index, field], "max is smaller than min")


def _source(raw: Mapping[str, Any]) -> Source:
    return Source(file=str(raw["file"]), sections=tuple(str(s) for s in raw["sections"]))


def _range(raw: Mapping[str, Any] | None) -> Range | None:
    return Range(int(raw["min"]), int(raw["max"]) if raw.get("max") is not None else None) if raw else None


def _optional_text(raw: Mapping[str, Any], key: str) -> str | None:
    return str(raw[key]) if raw.get(key) is not None else None


def _technique(raw: Mapping[str, Any]) -> Technique:
    return Technique(
        id=str(raw["id"]),
        title=str(raw["title"]),
        why=str(raw["why"]),
        regions=tuple(map(str, raw["regions"])),
        symptoms=tuple(map(str, raw["symptoms"])),
        performer=str(raw["performer"]),
        needs=tuple(map(str, raw["needs"])),
        steps=tuple(
            Step(
                title=str(step["title"]),
                text=str(step["text"]),
                movement=str(step["movement"]),
                seconds=_range(step.get("seconds")),
                repetitions=_range(step.get("repetitions")),
            )
            for step in raw["steps"]
        ),
        cautions=tuple(map(str, raw["cautions"])),
        source=_source(raw["source"]),
        closing=_optional_text(raw, "closing"),
        how_often=_optional_text(raw, "how_often"),
        related=tuple(map(str, raw.get("related", []))),
    )


def _advice(raw: Mapping[str, Any]) -> Advice:
    return Advice(
        id=str(raw["id"]),
        question=str(raw["question"]),
        answer=str(raw["answer"]),
        source=_source(raw["source"]),
        intent=_optional_text(raw, "intent"),
    )
