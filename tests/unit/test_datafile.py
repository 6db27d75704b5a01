"""A broken knowledge file fails with the file, line, entry and field named."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneadle.datafile import DataFileError
from kneadle.knowledge import KNOWLEDGE_PATH, load_knowledge
from kneadle.messages import Message, load_messages
from tests.conftest import write_file

GOOD = """\
techniques:
  - id: tiny
    title: Tiny technique
    why: It is short.
    regions: [hands]
    symptoms: [numbness]
    performer: self
    needs: []
    steps:
      - title: Squeeze
        text: Squeeze your fingers.
        movement: knead
        seconds: {min: 60, max: 120}
    cautions: []
    related: []
    source: {file: 000_4e56dde7cd5cb689.txt, sections: ["Step 4"]}
advice: []
"""


def test_a_valid_file_loads(tmp_path: Path) -> None:
    knowledge = load_knowledge(write_file(tmp_path, "techniques.yml", GOOD))
    assert knowledge.techniques["tiny"].steps[0].seconds.max == 120


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        (
            "movement: knead",
            "movement: pummel",
            12,
            "technique 'tiny', field steps[0].movement: 'pummel' is not one of",
        ),
        ("    performer: self\n", "", 2, "technique 'tiny': 'performer' is a required property"),
        (
            "regions: [hands]",
            "regions: [feet]",
            5,
            "technique 'tiny', field regions[0]: 'feet' is not one of",
        ),
        ("max: 120", "max: 30", 13, "technique 'tiny', field steps[0].seconds: max is smaller than min"),
        (
            "related: []",
            "related: [missing]",
            15,
            "technique 'tiny', field related[0]: 'missing' is not a technique id",
        ),
        (
            "    why: It is short.\n",
            "    why: It is short.\n    colour: blue\n",
            2,
            "Additional properties are not allowed",
        ),
    ],
)
def test_schema_errors_name_line_entry_and_field(tmp_path: Path, old: str, new: str, line: int, expected: str) -> None:
    assert old in GOOD
    path = write_file(tmp_path, "techniques.yml", GOOD.replace(old, new))
    with pytest.raises(DataFileError) as caught:
        load_knowledge(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    technique = GOOD.split("techniques:\n")[1].split("advice:")[0]
    path = write_file(tmp_path, "techniques.yml", "techniques:\n" + technique + technique + "advice: []\n")
    with pytest.raises(DataFileError, match=r":17: technique 'tiny', field id: id 'tiny' is used twice"):
        load_knowledge(path)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write_file(tmp_path, "techniques.yml", GOOD.replace("    title: Tiny technique", "    title: [unclosed"))
    with pytest.raises(DataFileError, match=r"techniques.yml:\d+: not valid YAML"):
        load_knowledge(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="missing.yml: cannot read the file"):
        load_knowledge(tmp_path / "missing.yml")


def test_the_project_knowledge_file_is_valid() -> None:
    knowledge = load_knowledge(KNOWLEDGE_PATH)
    assert knowledge.techniques and knowledge.advice


def test_a_message_with_a_broken_placeholder_is_rejected(tmp_path: Path) -> None:
    broken = 'messages:\n  step:\n    text: "Step {step_number of {count}"\nlabels: {}\nintent_labels: {}\n'
    path = write_file(tmp_path, "messages.yml", broken)
    with pytest.raises(DataFileError, match=r"messages.yml:3: .*field .*text: bad placeholder"):
        load_messages(path)


def test_rendering_a_message_needs_every_field() -> None:
    message = Message(text="Step {step_number} of {step_count}")
    assert message.render(step_number="1", step_count="3") == {"text": "Step 1 of 3"}
    with pytest.raises(KeyError, match="step_count"):
        message.render(step_number="1")
