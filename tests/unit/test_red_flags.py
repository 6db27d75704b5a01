"""The red-flag file: rules over findings, and clear errors when it is broken."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneadle.datafile import DataFileError
from kneadle.safety import levels
from kneadle.safety.findings import Finding
from kneadle.safety.flags import RedFlag, default_red_flags, load_red_flags, rule_match
from tests.conftest import write_file

FINDINGS = {name: Finding(name, name, phrases=(name,)) for name in ("chest_pain", "arm_pain", "sweating", "face_droop")}
GOOD = """\
guidelines:
  - {id: nhs, name: Heart attack, publisher: NHS}
red_flags:
  - id: heart_attack
    level: emergency
    name: Possible heart attack
    why: Chest pain that spreads to the arm can be a heart attack.
    advice: Call {emergency_number} now.
    advice_for_someone_else: Call {emergency_number} for them now.
    guideline: nhs
    when:
      - [chest_pain, [arm_pain, sweating]]
    ask:
      - if: [arm_pain, sweating]
    question: Do you have chest pain?
"""


def test_a_valid_file_loads_with_its_rules(tmp_path: Path) -> None:
    flag = load_red_flags(write_file(tmp_path, "red_flags.yml", GOOD), FINDINGS).flags["heart_attack"]
    assert flag.met({"chest_pain", "sweating"})
    assert not flag.met({"chest_pain"}) and not flag.met({"arm_pain", "sweating"})
    assert flag.question_for({"arm_pain", "sweating"}) == "Do you have chest pain?"
    assert flag.question_for({"arm_pain"}) is None
    assert flag.guideline.publisher == "NHS"


def test_each_term_of_a_rule_needs_a_finding_of_its_own() -> None:
    rule = (frozenset({"headache", "dizzy"}), frozenset({"dizzy", "vision_change"}))
    assert rule_match(rule, {"dizzy"}) is None
    assert rule_match(rule, {"dizzy", "headache"}) == ("headache", "dizzy")
    assert rule_match(rule, {"dizzy", "headache", "vision_change"}, prefer={"vision_change"}) == (
        "dizzy",
        "vision_change",
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("level: emergency", "level: panic", r"red_flag 'heart_attack', field level: 'panic' is not one of"),
        ("guideline: nhs\n", "guideline: nice\n", r"field guideline: 'nice' is not a guideline id"),
        ("advice: Call {emergency_number} now.", "advice: Call {number} now.", r"field advice: unknown placeholder"),
        ("[chest_pain, [arm_pain, sweating]]", "[chest_pain, [arm_pain, sweaty]]",
         r"red_flags.yml:12: red_flag 'heart_attack', field when\[0\]: unknown finding \['sweaty'\]"),
        ("    question: Do you have chest pain?\n", "", r"field ask\[0\]: needs a question"),
        ("    advice_for_someone_else: Call {emergency_number} for them now.\n", "", "needs advice_for_someone_else"),
    ],
)  # fmt: skip
def test_a_broken_flag_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    with pytest.raises(DataFileError, match=expected):
        load_red_flags(write_file(tmp_path, "red_flags.yml", GOOD.replace(old, new)), FINDINGS)


def test_the_projects_flags_load_most_serious_first() -> None:
    flags = list(default_red_flags().flags.values())
    assert [levels.rank(flag.level) for flag in flags] == sorted(
        (levels.rank(flag.level) for flag in flags), reverse=True
    )
    assert {flag.level for flag in flags} == set(levels.LEVELS) - {levels.NONE}


EMERGENCIES = [flag for flag in default_red_flags().flags.values() if flag.level == levels.EMERGENCY]


@pytest.mark.parametrize("flag", EMERGENCIES, ids=lambda flag: flag.id)
def test_every_emergency_can_be_met_and_speaks_to_a_bystander(flag: RedFlag) -> None:
    assert flag.when and flag.advice_for_someone_else
