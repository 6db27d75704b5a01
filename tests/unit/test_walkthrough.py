"""Walking a technique: every control at the first, a middle and the last step, decided without Rasa."""

from __future__ import annotations

import pytest

from kneadle import names, walkthrough
from kneadle.knowledge import Range, default_knowledge
from kneadle.messages import default_messages
from kneadle.reply import Reply
from kneadle.walkthrough import format_seconds, step_at, step_fields

HAND = default_knowledge().techniques["hand_self_massage"]
FIRST, MIDDLE, LAST = 1, 5, len(HAND.steps)


def reply() -> Reply:
    return Reply(default_messages())


def texts(result: Reply) -> list[str]:
    return [message["text"] for message in result.messages]


def move(current: int, offset: int, **kwargs: object) -> Reply:
    defaults = {"pressure": None, "pressure_checked": True, "related": None}
    return walkthrough.move(reply(), HAND, current, offset, **{**defaults, **kwargs})


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
    fields = step_fields(default_messages(), HAND, 3)
    assert (fields["step_number"], fields["step_count"]) == ("3", "10")
    assert fields["step_timing"] == " (1–2 minutes)"
    assert fields["step_text"] == HAND.steps[2].text
    assert step_fields(default_messages(), HAND, 1)["step_timing"] == ""


def test_repetitions_are_counted() -> None:
    technique = default_knowledge().techniques["dazhui_point_rub"]
    timings = [step_fields(default_messages(), technique, n)["step_timing"] for n in range(1, len(technique.steps) + 1)]
    assert " (20–30 times)" in timings


@pytest.mark.parametrize("number", [0, 11])
def test_there_is_no_step_outside_the_technique(number: int) -> None:
    assert step_at(HAND, number) is None
    with pytest.raises(ValueError):
        step_fields(default_messages(), HAND, number)


@pytest.mark.parametrize(("current", "offset", "expected"), [(FIRST, 1, 2), (MIDDLE, 1, 6), (LAST - 1, 1, LAST)])
def test_next_gives_the_following_step(current: int, offset: int, expected: int) -> None:
    result = move(current, offset)
    assert texts(result)[-1].startswith(f"Step {expected} of 10: ")
    assert result.slots[names.STEP_NUMBER] == expected


@pytest.mark.parametrize(("current", "expected"), [(MIDDLE, MIDDLE - 1), (LAST, LAST - 1)])
def test_back_gives_the_step_before(current: int, expected: int) -> None:
    assert texts(move(current, -1))[-1].startswith(f"Step {expected} of 10: ")


def test_back_at_the_first_step_says_so_and_repeats_it() -> None:
    result = move(FIRST, -1)
    assert texts(result)[0] == default_messages().text("at_first_step")
    assert texts(result)[1].startswith("Step 1 of 10: ")


@pytest.mark.parametrize("current", [FIRST, MIDDLE, LAST])
def test_repeat_and_continue_give_the_same_step(current: int) -> None:
    assert texts(move(current, 0))[-1].startswith(f"Step {current} of 10: ")


def test_next_after_the_last_step_summarises_says_how_often_and_suggests_one() -> None:
    related = default_knowledge().techniques["self_back_massage"]
    result = move(LAST, 1, related=related)
    done, how_often, suggestion = texts(result)
    assert done.startswith("That was the last step of Hand self-massage for numb hands.")
    assert "warm up your hands" in done
    assert how_often == HAND.how_often
    assert related.title in suggestion
    assert result.slots == {
        names.TECHNIQUE_ID: None,
        names.STEP_NUMBER: None,
        names.SUGGESTED_TECHNIQUE: related.id,
        names.OPEN_QUESTION: "try_related",
    }


def test_the_pressure_is_checked_once_after_the_first_pressing_step() -> None:
    pressing = next(n for n, step in enumerate(HAND.steps, 1) if step.movement in walkthrough.PRESSURE_MOVEMENTS)
    assert pressing > 1
    assert names.PRESSURE_CHECKED not in move(pressing - 1, 0, pressure_checked=False).slots
    after = move(pressing - 1, 1, pressure_checked=False)
    assert texts(after)[-1] == default_messages().text("pressure_check")
    assert after.slots[names.PRESSURE_CHECKED] is True
    assert len(move(pressing - 1, 1, pressure_checked=True).messages) == 1


@pytest.mark.parametrize(("pressure", "line"), [("lighter", "light"), ("firmer", "more firmly")])
def test_pressing_steps_adapt_to_the_pressure_asked_for(pressure: str, line: str) -> None:
    pressing = next(n for n, step in enumerate(HAND.steps, 1) if step.movement in walkthrough.PRESSURE_MOVEMENTS)
    assert line in texts(move(pressing, 0, pressure=pressure))[-1]
    assert line not in texts(move(1, 0, pressure=pressure))[-1]  # step 1 sets up, nothing to press


def test_how_long_uses_the_sources_numbers() -> None:
    assert texts(walkthrough.duration(reply(), HAND, 3)) == ["Step 3: 1–2 minutes."]
    assert "no set time" in texts(walkthrough.duration(reply(), HAND, 1))[0]


def test_pause_names_the_place() -> None:
    assert "Paused at step 4 of 10" in texts(walkthrough.pause(reply(), HAND, 4))[0]


def test_discomfort_lightens_and_sharp_pain_stops() -> None:
    eased = walkthrough.ease_off(reply())
    assert eased.slots == {names.PRESSURE: "lighter"}
    assert "sharp or gets worse, stop" in texts(eased)[0]
    stopped = walkthrough.stop(reply(), "stop_for_pain")
    assert stopped.slots == {names.TECHNIQUE_ID: None, names.STEP_NUMBER: None}
    assert "doctor or physiotherapist" in texts(stopped)[0]


def test_timed_steps_offer_a_reminder_only_where_a_message_can_be_pushed() -> None:
    pushed = walkthrough.show_step(reply(), HAND, 3, None, True, can_push=True)
    assert texts(pushed)[-1] == default_messages().text("timer_offer", timing="1–2 minutes")
    assert len(walkthrough.show_step(reply(), HAND, 3, None, True, can_push=False).messages) == 1
    assert len(walkthrough.show_step(reply(), HAND, 4, None, True, can_push=True).messages) == 1
    assert walkthrough.timer_seconds(HAND, 3) == 120
    assert walkthrough.timer_seconds(HAND, 4) is None
