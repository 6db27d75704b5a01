"""Custom actions, run with the SDK's real Tracker and CollectingDispatcher and the real domain."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choosing import (
    ActionChooseTechnique,
    ActionExplainChoice,
    ActionListTechniques,
    ActionOfferOtherTechnique,
    ActionStartTechnique,
)
from actions.questions import ActionAnswerQuestion
from actions.walkthrough import (
    ActionAcknowledgePressure,
    ActionEaseOff,
    ActionNextStep,
    ActionPauseWalkthrough,
    ActionPreviousStep,
    ActionRepeatStep,
    ActionResumeWalkthrough,
    ActionSayTimeUp,
    ActionSkipStep,
    ActionStartStepTimer,
    ActionStopForPain,
    ActionStopTechnique,
    ActionTellStepDuration,
)
from kneadle import names
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from tests.conftest import make_tracker

MID_HAND = {names.TECHNIQUE_ID: "hand_self_massage", names.STEP_NUMBER: 4.0, names.PRESSURE_CHECKED: True}


async def run(
    action: Action, domain: dict[str, Any], intent: str = "", entities: list[dict[str, Any]] | None = None, **slots: Any
) -> tuple[list[str], list[Any], list[dict[str, Any]]]:
    """Run `action` on a tracker with these slots; the screening question counts as answered."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, {names.SCREENING: names.SCREENING_DONE, **slots})
    tracker.latest_message = {"text": "", "intent": {"name": intent}, "entities": entities or []}
    events = await action.run(dispatcher, tracker, domain)
    return [m["text"] for m in dispatcher.messages], events, dispatcher.messages


def text(message_id: str, **fields: str) -> str:
    return default_messages().text(message_id, **fields)


async def test_numb_hands_start_the_hand_massage_at_step_one(domain: dict[str, Any]) -> None:
    texts, events, messages = await run(ActionStartTechnique(), domain, body_region="hands", symptom="numbness")
    assert texts[0].startswith("Let's try this: Hand self-massage for numb hands.")
    assert texts[1].startswith("Step 1 of 10: ")
    assert [b["payload"] for b in messages[1]["buttons"]][0] == "/next_step"
    assert SlotSet(names.TECHNIQUE_ID, "hand_self_massage") in events
    assert SlotSet(names.STEP_NUMBER, 1.0) in events


async def test_back_pain_asks_alone_or_with_help_then_starts(domain: dict[str, Any]) -> None:
    texts, events, _ = await run(ActionStartTechnique(), domain, body_region="back", symptom="pain")
    assert texts == [text("ask_helper")]
    assert all(event["name"] != names.TECHNIQUE_ID for event in events)
    texts, events, _ = await run(ActionStartTechnique(), domain, body_region="back", symptom="pain", has_helper="alone")
    assert SlotSet(names.TECHNIQUE_ID, "self_back_massage") in events


@pytest.mark.parametrize(
    ("action", "expected_start"),
    [
        (ActionNextStep(), "Step 5 of 10"),
        (ActionPreviousStep(), "Step 3 of 10"),
        (ActionRepeatStep(), "Step 4 of 10"),
        (ActionSkipStep(), "Skipping step 4."),
        (ActionResumeWalkthrough(), "Picking up where we left off."),
        (ActionPauseWalkthrough(), "Paused at step 4 of 10"),
        (ActionTellStepDuration(), "The guide gives no set time for step 4"),
        (ActionEaseOff(), "Ease off"),
    ],
)
async def test_controls_mid_walkthrough(domain: dict[str, Any], action: Action, expected_start: str) -> None:
    texts, _, _ = await run(action, domain, **MID_HAND)
    assert texts[0].startswith(expected_start)


@pytest.mark.parametrize(
    "action", [ActionNextStep(), ActionRepeatStep(), ActionPauseWalkthrough(), ActionTellStepDuration()]
)
async def test_controls_without_a_technique_say_how_to_start(domain: dict[str, Any], action: Action) -> None:
    texts, events, _ = await run(action, domain)
    assert texts == [text("no_active_technique")]
    assert events == []


async def test_an_unknown_technique_id_does_not_crash(domain: dict[str, Any]) -> None:
    texts, _, _ = await run(ActionNextStep(), domain, technique_id="removed_technique", step_number=2.0)
    assert texts == [text("no_active_technique")]


async def test_the_last_step_then_next_finishes_and_suggests(domain: dict[str, Any]) -> None:
    texts, events, _ = await run(
        ActionNextStep(), domain, technique_id="jianjing_point_pinch", step_number=3.0, body_region="neck_shoulders"
    )
    assert texts[0].startswith("That was the last step of")
    assert SlotSet(names.TECHNIQUE_ID, None) in events
    assert SlotSet(names.SUGGESTED_TECHNIQUE, "dazhui_point_rub") in events


async def test_yes_to_the_suggestion_starts_it(domain: dict[str, Any]) -> None:
    _, events, _ = await run(ActionChooseTechnique(), domain, intent="affirm", suggested_technique="dazhui_point_rub")
    assert SlotSet(names.TECHNIQUE_ID, "dazhui_point_rub") in events


async def test_choosing_by_name_uses_the_entity(domain: dict[str, Any]) -> None:
    entities = [{"entity": "technique_id", "value": "warm_compress_back"}]
    _, events, _ = await run(ActionChooseTechnique(), domain, intent="choose_technique", entities=entities)
    assert SlotSet(names.TECHNIQUE_ID, "warm_compress_back") in events


async def test_another_and_list(domain: dict[str, Any]) -> None:
    _, events, _ = await run(
        ActionOfferOtherTechnique(),
        domain,
        body_region="back",
        symptom="pain",
        has_helper="alone",
        offered_techniques=["self_back_massage"],
    )
    assert SlotSet(names.TECHNIQUE_ID, "self_back_massage") not in events
    _, _, messages = await run(ActionListTechniques(), domain, body_region="hands")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Hand self-massage for numb hands"]
    _, _, messages = await run(ActionListTechniques(), domain, body_region="back", has_helper="alone")
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Self back massage" in titles
    assert any(title.endswith("(with a helper)") for title in titles)


async def test_why_explains_the_last_choice(domain: dict[str, Any]) -> None:
    texts, _, _ = await run(ActionExplainChoice(), domain, last_reason="Because.")
    assert texts == ["Because."]
    texts, _, _ = await run(ActionExplainChoice(), domain)
    assert texts == [text("nothing_to_explain")]


async def test_pressure_answer_is_acknowledged(domain: dict[str, Any]) -> None:
    texts, _, _ = await run(ActionAcknowledgePressure(), domain, pressure="firmer", **MID_HAND)
    assert texts == [text("pressure_set_firmer")]


async def test_a_question_mid_walkthrough_is_answered_then_says_how_to_continue(domain: dict[str, Any]) -> None:
    texts, events, _ = await run(ActionAnswerQuestion(), domain, intent="ask_massage_duration", **MID_HAND)
    assert texts == [default_knowledge().advice["massage_duration"].answer, text("continue_hint", step_number="4")]
    assert events == []


@pytest.mark.parametrize("action", [ActionStopTechnique(), ActionStopForPain()])
async def test_stopping_clears_the_walkthrough(domain: dict[str, Any], action: Action) -> None:
    _, events, _ = await run(action, domain, **MID_HAND)
    assert events == [SlotSet(names.TECHNIQUE_ID, None), SlotSet(names.STEP_NUMBER, None)]


async def test_a_timed_step_schedules_a_reminder_without_waiting(domain: dict[str, Any]) -> None:
    on_timed_step = {**MID_HAND, names.STEP_NUMBER: 3.0}
    texts, events, _ = await run(ActionStartStepTimer(), domain, **on_timed_step)
    assert texts == [text("timer_set", timing="2 minutes")]
    (reminder,) = [event for event in events if event["event"] == "reminder"]
    assert reminder["intent"] == names.INTENT_STEP_TIME_UP
    assert SlotSet(names.TIMER_STEP, 3.0) in events


async def test_an_untimed_step_needs_no_reminder(domain: dict[str, Any]) -> None:
    texts, events, _ = await run(ActionStartStepTimer(), domain, **MID_HAND)
    assert texts == [text("timer_not_needed")]
    assert events == []


@pytest.mark.parametrize(
    ("slots", "says_time_up"),
    [
        ({**MID_HAND, names.TIMER_STEP: 4.0}, True),
        ({**MID_HAND, names.TIMER_STEP: 3.0}, False),  # the person moved on since
        ({names.TIMER_STEP: 4.0}, False),  # the person stopped
    ],
)
async def test_time_up_speaks_only_if_still_on_that_step(
    domain: dict[str, Any], slots: dict[str, Any], says_time_up: bool
) -> None:
    texts, events, _ = await run(ActionSayTimeUp(), domain, **slots)
    assert texts == ([text("time_up", step_number="4")] if says_time_up else [])
    assert events == [SlotSet(names.TIMER_STEP, None)]
