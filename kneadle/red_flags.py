"""The red-flag file: signs that stop massage advice and escalate, with the guideline each comes from.

data/knowledge/red_flags.yml is validated against schemas/red_flags.schema.json when loaded. A
pattern is a list of phrase groups; a message matches it when every group has a phrase in it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kneadle.datafile import load_data_file
from kneadle.knowledge import PROJECT_ROOT

RED_FLAGS_PATH = PROJECT_ROOT / "data" / "knowledge" / "red_flags.yml"

# Lowest to highest; `triage_level` keeps the highest seen in a conversation.
LEVELS = ("none", "caution", "see_doctor", "urgent", "emergency")
ALLOWED_PLACEHOLDERS = {"emergency_number"}


@dataclass(frozen=True)
class Guideline:
    id: str
    name: str
    publisher: str


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: str
    name: str
    why: str
    advice: str
    guideline: Guideline
    patterns: tuple[tuple[tuple[str, ...], ...], ...]
    adaptation: str | None = None
    contraindication: bool = False
    lighter_pressure: bool = False


@dataclass(frozen=True)
class ScopeWords:
    """Words that limit what a phrase means; see the comments in the red-flag file."""

    negation: frozenset[str]
    resolved: frozenset[str]
    other_people: frozenset[str]
    history_verbs: frozenset[str]
    clause_breaks: frozenset[str]
    lasting_conditions: frozenset[str]
    sudden: frozenset[str]
    idioms: frozenset[str]


@dataclass(frozen=True)
class RedFlagFile:
    flags: Mapping[str, RedFlag]
    scope_words: ScopeWords


def higher_level(first: str, second: str) -> str:
    """The more serious of two triage levels."""
    return max(first, second, key=LEVELS.index)


def load_red_flags(path: Path = RED_FLAGS_PATH) -> RedFlagFile:
    """Load and check the red-flag file; raises DataFileError naming file, line, flag and field."""
    data_file = load_data_file(path, "red_flags")
    tree = data_file.tree
    guidelines = {
        str(raw["id"]): Guideline(str(raw["id"]), str(raw["name"]), str(raw["publisher"])) for raw in tree["guidelines"]
    }
    flags: dict[str, RedFlag] = {}
    for index, raw in enumerate(tree["red_flags"]):
        where = ["red_flags", index]
        if raw["id"] in flags:
            raise data_file.error([*where, "id"], f"id '{raw['id']}' is used twice")
        if raw["guideline"] not in guidelines:
            raise data_file.error([*where, "guideline"], f"'{raw['guideline']}' is not a guideline id")
        for field in ("advice", "why"):
            unknown = set(_placeholders(str(raw[field]))) - ALLOWED_PLACEHOLDERS
            if unknown:
                raise data_file.error([*where, field], f"unknown placeholder {sorted(unknown)}")
        if "emergency_number" not in _placeholders(str(raw["advice"])):
            raise data_file.error([*where, "advice"], "must name {emergency_number}, the number to call")
        flags[str(raw["id"])] = RedFlag(
            id=str(raw["id"]),
            level=str(raw["level"]),
            name=str(raw["name"]),
            why=str(raw["why"]),
            advice=str(raw["advice"]),
            guideline=guidelines[str(raw["guideline"])],
            patterns=tuple(tuple(tuple(map(str, group)) for group in pattern) for pattern in raw["patterns"]),
            adaptation=str(raw["adaptation"]) if raw.get("adaptation") else None,
            contraindication=bool(raw.get("contraindication", False)),
            lighter_pressure=bool(raw.get("lighter_pressure", False)),
        )
    words = tree["scope_words"]
    scope_words = ScopeWords(**{name: frozenset(str(word) for word in words[name]) for name in words})
    return RedFlagFile(flags=flags, scope_words=scope_words)


@lru_cache(maxsize=1)
def default_red_flags() -> RedFlagFile:
    """The project's red-flag file, read once per process (it is immutable)."""
    return load_red_flags()


def _placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
