"""The red-flag file: rules over findings, what to ask when the evidence is partial, what to advise.

data/knowledge/red_flags.yml is validated against schemas/red_flags.schema.json and against the
findings file when loaded: a rule naming a finding that does not exist stops start-up with the
file, line, flag and field. See the comments at the top of the file for its fields.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kneadle.datafile import DataFile, load_data_file
from kneadle.knowledge import PROJECT_ROOT
from kneadle.safety import levels
from kneadle.safety.findings import Finding, default_findings

RED_FLAGS_PATH = PROJECT_ROOT / "data" / "knowledge" / "red_flags.yml"
ALLOWED_PLACEHOLDERS = {"emergency_number"}
WHOLE_BODY = "whole_body"  # a see_doctor flag's `area` that withholds every massage

Term = frozenset[str]  # any one of these findings will do
Rule = tuple[Term, ...]  # every term must be found


def rule_match(rule: Rule, findings: Collection[str], prefer: Collection[str] = ()) -> tuple[str, ...] | None:
    """A different finding for each term of the rule, those in `prefer` first where they will do, or
    None when the findings don't meet the rule."""

    def assign(terms: Rule, used: tuple[str, ...]) -> tuple[str, ...] | None:
        if not terms:
            return used
        for finding in sorted(terms[0] & set(findings), key=lambda finding: (finding not in prefer, finding)):
            if finding not in used:
                found = assign(terms[1:], (*used, finding))
                if found is not None:
                    return found
        return None

    return assign(rule, ())


def rule_met(rule: Rule, findings: Collection[str]) -> bool:
    return rule_match(rule, findings) is not None


@dataclass(frozen=True)
class Guideline:
    id: str
    name: str
    publisher: str


@dataclass(frozen=True)
class Ask:
    rule: Rule
    question: str | None = None  # the flag's own question when None


@dataclass(frozen=True)
class RedFlag:
    id: str
    level: str
    name: str
    why: str
    advice: str
    guideline: Guideline
    when: tuple[Rule, ...] = ()
    ask: tuple[Ask, ...] = ()
    question: str | None = None
    advice_for_someone_else: str | None = None
    area: str | None = None
    regions: tuple[str, ...] = ()
    adaptation: str | None = None
    lighter_pressure: bool = False

    def met(self, findings: Collection[str]) -> bool:
        """Whether a `when` rule is met by these findings."""
        return any(rule_met(rule, findings) for rule in self.when)

    def question_for(self, findings: Collection[str]) -> str | None:
        """The question of the first `ask` rule these findings meet, or None."""
        for ask in self.ask:
            if rule_met(ask.rule, findings):
                return ask.question or self.question
        return None


@dataclass(frozen=True)
class RedFlagFile:
    flags: Mapping[str, RedFlag]  # most serious level first, in file order within a level


def load_red_flags(path: Path = RED_FLAGS_PATH, findings: Mapping[str, Finding] | None = None) -> RedFlagFile:
    """Load and check the red-flag file; raises DataFileError naming file, line, flag and field."""
    known = findings if findings is not None else default_findings()
    data_file = load_data_file(path, "red_flags")
    tree = data_file.tree
    guidelines = {
        str(g["id"]): Guideline(str(g["id"]), str(g["name"]), str(g["publisher"])) for g in tree["guidelines"]
    }
    flags: dict[str, RedFlag] = {}
    for index, raw in enumerate(tree["red_flags"]):
        where: list[str | int] = ["red_flags", index]
        _check(data_file, where, raw, flags, guidelines, known)
        flags[str(raw["id"])] = RedFlag(
            id=str(raw["id"]),
            level=str(raw["level"]),
            name=str(raw["name"]),
            why=str(raw["why"]),
            advice=str(raw["advice"]),
            guideline=guidelines[str(raw["guideline"])],
            when=tuple(_rule(rule) for rule in raw.get("when", ())),
            ask=tuple(Ask(_rule(ask["if"]), _text(ask.get("question"))) for ask in raw.get("ask", ())),
            question=_text(raw.get("question")),
            advice_for_someone_else=_text(raw.get("advice_for_someone_else")),
            area=_text(raw.get("area")),
            regions=tuple(map(str, raw.get("regions", ()))),
            adaptation=_text(raw.get("adaptation")),
            lighter_pressure=bool(raw.get("lighter_pressure", False)),
        )
    ordered = sorted(flags.values(), key=lambda flag: -levels.rank(flag.level))
    return RedFlagFile({flag.id: flag for flag in ordered})


@lru_cache(maxsize=1)
def default_red_flags() -> RedFlagFile:
    """The project's red-flag file, read once per process (it is immutable)."""
    return load_red_flags()


def _check(
    data_file: DataFile,
    where: list[str | int],
    raw: Any,
    flags: Mapping[str, RedFlag],
    guidelines: Mapping[str, Guideline],
    findings: Mapping[str, Finding],
) -> None:
    """What the schema cannot say: ids that must exist, placeholders, a question for every `ask`."""
    if raw["id"] in flags:
        raise data_file.error([*where, "id"], f"id '{raw['id']}' is used twice")
    if raw["guideline"] not in guidelines:
        raise data_file.error([*where, "guideline"], f"'{raw['guideline']}' is not a guideline id")
    for field in ("advice", "advice_for_someone_else", "why"):
        unknown = set(_placeholders(str(raw.get(field) or ""))) - ALLOWED_PLACEHOLDERS
        if unknown:
            raise data_file.error([*where, field], f"unknown placeholder {sorted(unknown)}")
    for field in ("advice", "advice_for_someone_else"):
        if raw.get(field) and "emergency_number" not in _placeholders(str(raw[field])):
            raise data_file.error([*where, field], "must name {emergency_number}, the number to call")
    for field, rules in (("when", raw.get("when", ())), ("ask", [ask["if"] for ask in raw.get("ask", ())])):
        for number, rule in enumerate(rules):
            for term in rule:
                unknown = {str(finding) for finding in (term if isinstance(term, list) else [term])} - set(findings)
                if unknown:
                    rule_where = [*where, field, number] if field == "when" else [*where, "ask", number, "if"]
                    raise data_file.error(rule_where, f"unknown finding {sorted(unknown)}: see findings.yml")
    for number, ask in enumerate(raw.get("ask", ())):
        if not ask.get("question") and not raw.get("question"):
            raise data_file.error([*where, "ask", number], "needs a question, its own or the flag's")
    if raw.get("question") is None and not raw.get("when"):
        raise data_file.error(where, "needs `when` rules, or a `question` to ask")
    if raw["level"] == levels.EMERGENCY and not raw.get("advice_for_someone_else"):
        raise data_file.error(where, "an emergency needs advice_for_someone_else, for a bystander")


def _rule(raw: Iterable[Any]) -> Rule:
    return tuple(frozenset(map(str, term)) if isinstance(term, list) else frozenset({str(term)}) for term in raw)


def _text(value: Any) -> str | None:
    return str(value) if value else None


def _placeholders(text: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]
