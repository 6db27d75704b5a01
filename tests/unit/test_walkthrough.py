"""Turning a technique and a step number into the values of the step message."""

from __future__ import annotations

import pytest

from kneadle.knowledge import Range, default_knowledge
from kneadle.walkthrough import format_seconds, step_at, step_fields


@pytest.mark.parametrize(
    ("bounds", "text"),
    [
        (Range(60, 120), "1–2 minutes"),
        (Range(180, 300), "3–5 minutes"),
        (Range(60), "1 minute"),
        (Range(20, 30), "20–30 seconds"),
        (Range(90), "90 seconds"),
    ],
)
def test_durations_read_naturally(bounds: Range, text: str) -> None:
    assert format_seconds(bounds) == text


def test_step_fields_number_the_step_and_give_its_timing() -> None:
    technique = default_knowledge().techniques["hand_self_massage"]
    fields = step_fields(technique, 3)
    assert fields["step_number"] == "3"
    assert fields["step_count"] == "10"
    assert fields["step_timing"] == " (1–2 minutes)"
    assert fields["step_text"] == technique.steps[2].text
    assert step_fields(technique, 1)["step_timing"] == ""


def test_repetitions_are_counted() -> None:
    technique = default_knowledge().techniques["dazhui_point_rub"]
    counted = [step_fields(technique, n)["step_timing"] for n in range(1, len(technique.steps) + 1)]
    assert " (20–30 times)" in counted


@pytest.mark.parametrize("number", [0, 11])
def test_there_is_no_step_outside_the_technique(number: int) -> None:
    technique = default_knowledge().techniques["hand_self_massage"]
    assert step_at(technique, number) is None
    with pytest.raises(ValueError):
        step_fields(technique, number)
