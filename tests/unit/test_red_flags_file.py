"""The red-flag file loads, names the guideline of every flag, and fails clearly when broken.

(Detection in the NLU pipeline and escalation come with the red-flag issue; this covers the data.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kneadle.datafile import DataFileError
from kneadle.red_flags import LEVELS, default_red_flags, higher_level, load_red_flags
from tests.conftest import write_file

GOOD = """\
scope_words:
  negation: ["no", "not"]
  resolved: [fine]
  other_people: [dad]
  history_verbs: [have]
  clause_breaks: [","]
  lasting_conditions: [cancer]
  sudden: [suddenly]
  idioms: [hay fever]
guidelines:
  - id: nhs_stroke
    name: "Stroke: symptoms"
    publisher: NHS
red_flags:
  - id: stroke
    level: emergency
    name: Possible stroke
    why: Sudden numbness on one side with slurred speech can be a stroke.
    advice: Call {emergency_number} now.
    guideline: nhs_stroke
    patterns:
      - [[face droop]]
      - [[sudden], [numb, weak], [one side]]
"""


def test_a_valid_file_loads(tmp_path: Path) -> None:
    loaded = load_red_flags(write_file(tmp_path, "red_flags.yml", GOOD))
    flag = loaded.flags["stroke"]
    assert loaded.scope_words.negation == {"no", "not"}
    assert flag.guideline.publisher == "NHS"
    assert flag.patterns[1] == (("sudden",), ("numb", "weak"), ("one side",))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("level: emergency", "level: panic", r"red_flag 'stroke', field level: 'panic' is not one of"),
        ("guideline: nhs_stroke", "guideline: nice_ng59", r"field guideline: 'nice_ng59' is not a guideline id"),
        ("Call {emergency_number} now.", "Call {number} now.", r"field advice: unknown placeholder \['number'\]"),
        ("[[face droop]]", "[[Face Droop!]]", r"field patterns\[0\]\[0\]\[0\]: 'Face Droop!' does not match"),
    ],
)
def test_a_broken_flag_is_named(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in GOOD
    with pytest.raises(DataFileError, match=r"red_flags\.yml:\d+: .*" + expected):
        load_red_flags(write_file(tmp_path, "red_flags.yml", GOOD.replace(old, new)))


def test_levels_order_from_none_to_emergency() -> None:
    assert higher_level("caution", "urgent") == "urgent"
    assert higher_level("emergency", "see_doctor") == "emergency"
    assert LEVELS[0] == "none" and LEVELS[-1] == "emergency"


def test_the_project_file_covers_what_the_issue_names() -> None:
    flags = default_red_flags().flags
    required = {
        "stroke", "heart_attack", "cauda_equina", "meningitis", "aortic_aneurysm", "artery_dissection",
        "neck_injury", "spinal_cord_compression", "pulmonary_embolism", "progressive_weakness",
        "numbness_after_injury", "diabetic_numbness", "persistent_numbness", "open_wound", "skin_infection",
        "recent_surgery", "pregnancy", "fever", "blood_thinners", "bleeding_disorder",
    }  # fmt: skip
    assert required <= set(flags)
    assert all("{emergency_number}" in f.advice for f in flags.values() if f.level == "emergency")
    assert all(f.adaptation for f in flags.values() if f.level == "caution")


def test_scope_words_are_required(tmp_path: Path) -> None:
    broken = GOOD.replace("  resolved: [fine]\n", "")
    with pytest.raises(DataFileError, match=r"red_flags\.yml:1: field scope_words: 'resolved' is a required property"):
        load_red_flags(write_file(tmp_path, "red_flags.yml", broken))
