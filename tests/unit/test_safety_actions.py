"""The massage gate and the safety actions, with the SDK's real Tracker and CollectingDispatcher."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choosing import ActionAfterScreening, ActionStartTechnique
from actions.reply import ReplyAction
from actions.safety import ActionAfterRedFlag, ActionCarryOn
from kneadle import names
from kneadle.messages import default_messages
from kneadle.reply import Reply
from kneadle.safety.gate import Conversation, massage_gate
from kneadle.safety.policy import ALL_REGIONS, SafetyState
from tests.conftest import make_tracker
from tests.unit.test_domain import action_classes

MID_HAND = {names.TECHNIQUE_ID: "hand_self_massage", names.STEP_NUMBER: 4.0, names.SCREENING: names.SCREENING_DONE}
STEP = "Step "


def text(message_id: str, **fields: str) -> str:
    return default_messages().text(message_id, **fields).strip()


def gate(state: SafetyState, conversation: Conversation, regions: tuple[str, ...] = ("hands",)) -> list[str] | None:
    reply = massage_gate(Reply(default_messages()), state, conversation, regions, "action_start_technique")
    return None if reply is None else [message["text"] for message in reply.messages]


def test_massage_goes_ahead_when_nothing_stands_in_the_way() -> None:
    assert gate(SafetyState(), Conversation(screening=names.SCREENING_DONE)) is None
    assert gate(SafetyState(triage_level="emergency"), Conversation(screening=None), regions=()) is None  # no step


def test_after_an_urgent_flag_no_massage_and_the_advice_again() -> None:
    state = SafetyState(triage_level="urgent", red_flag="chest_pain", red_flag_message="⚠️ Get help today.")
    assert gate(state, Conversation(screening=names.SCREENING_DONE)) == [text("massage_withheld"), "⚠️ Get help today."]
    assert gate(SafetyState(withheld_regions=frozenset({ALL_REGIONS})), Conversation(screening="done"))


@pytest.mark.parametrize(("withheld", "asked", "refused"), [
    ("neck_shoulders", "hands", False), ("neck_shoulders", "neck_shoulders", True),
    ("back", "lower_back", True), ("lower_back", "back", True), ("lower_back", "upper_back", False),
])  # fmt: skip
def test_a_see_doctor_flag_withholds_its_area_only(withheld: str, asked: str, refused: bool) -> None:
    state = SafetyState(triage_level="see_doctor", withheld_regions=frozenset({withheld}))
    result = gate(state, Conversation(screening=names.SCREENING_DONE), regions=(asked,))
    assert (result is not None) is refused
    if refused:
        assert result and result[0].startswith("Because of what you told me, I'll leave")


def test_the_first_step_waits_for_the_screening_question_which_is_asked_again_until_answered() -> None:
    assert gate(SafetyState(), Conversation(screening=None)) == [text("screening_question")]
    assert gate(SafetyState(), Conversation(screening=names.SCREENING_ASKED)) == [text("screening_again")]
    assert gate(SafetyState(), Conversation(screening=None, active_regions=("hands",))) is None  # already under way


def test_while_a_safety_question_is_open_it_comes_first() -> None:
    assert gate(SafetyState(question="stroke"), Conversation(screening="done")) == [
        text("answer_safety_question_first")
    ]


async def run(action: Action, domain: dict[str, Any], intent: str = "", **slots: Any) -> tuple[list[str], list[Any]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, slots)
    tracker.latest_message = {"text": "", "intent": {"name": intent}, "entities": []}
    events = await action.run(dispatcher, tracker, domain)
    return [message["text"] for message in dispatcher.messages], events


REPLY_ACTIONS = [cls for cls in action_classes() if issubclass(cls, ReplyAction) and cls.action_name]
EVERY_ACTION = [cls for cls in action_classes() if getattr(cls, "action_name", None) != ""]


@pytest.mark.parametrize("action_class", EVERY_ACTION, ids=lambda cls: cls.__name__)
async def test_no_action_gives_a_step_after_an_emergency(domain: dict[str, Any], action_class: type[Action]) -> None:
    """The gate is opt-out: an action that forgets it still cannot give massage after a red flag."""
    texts, _ = await run(action_class(), domain, triage_level="emergency", body_region="hands", **MID_HAND)
    assert not any(message.startswith(STEP) for message in texts)


def test_the_gate_is_on_unless_an_action_says_it_gives_no_steps() -> None:
    assert ReplyAction.gated
    ungated = {cls.__name__ for cls in REPLY_ACTIONS if not cls.gated}
    assert "ActionNextStep" not in ungated and "ActionStartTechnique" not in ungated


async def test_a_complaint_asks_the_screening_question_and_remembers_what_to_go_on_with(domain: dict[str, Any]) -> None:
    texts, events = await run(ActionStartTechnique(), domain, body_region="hands", symptom="numbness")
    assert texts == [text("screening_question")]
    assert SlotSet(names.PENDING_ACTION, names.ACTION_START_TECHNIQUE) in events


async def test_none_of_these_goes_on_with_what_was_asked(domain: dict[str, Any]) -> None:
    slots = {names.SCREENING: names.SCREENING_ASKED, names.PENDING_ACTION: names.ACTION_START_TECHNIQUE}
    texts, events = await run(ActionAfterScreening(), domain, body_region="hands", symptom="numbness", **slots)
    assert texts[1].startswith("Step 1 of 10")
    assert SlotSet(names.SCREENING, names.SCREENING_DONE) in events


async def test_a_caution_at_the_screening_question_starts_the_technique_adapted(domain: dict[str, Any]) -> None:
    slots = {names.SCREENING: names.SCREENING_ASKED, names.PENDING_ACTION: names.ACTION_START_TECHNIQUE}
    texts, events = await run(
        ActionAfterRedFlag(), domain, body_region="hands", triage_level="caution", cautions=["pregnancy"], **slots
    )
    assert texts[1].startswith("Keep in mind: No lying on your belly") and texts[2].startswith("Step 1 of 10")
    assert SlotSet(names.PRESSURE, "lighter") in events and SlotSet(names.SCREENING, names.SCREENING_DONE) in events


async def test_a_flag_about_the_area_under_way_ends_the_walkthrough(domain: dict[str, Any]) -> None:
    _, events = await run(
        ActionAfterRedFlag(), domain, triage_level="see_doctor", withheld_regions=["hands"], **MID_HAND
    )
    assert SlotSet(names.TECHNIQUE_ID, None) in events


async def test_a_caution_mid_walkthrough_says_how_to_carry_on(domain: dict[str, Any]) -> None:
    texts, _ = await run(ActionAfterRedFlag(), domain, triage_level="caution", cautions=["blood_thinners"], **MID_HAND)
    assert texts == [text("continue_hint", step_number="4")]


async def test_no_to_a_safety_question_replays_the_message_it_interrupted(domain: dict[str, Any]) -> None:
    tracker = make_tracker(domain, {names.SAFETY_ASKED: ["heart_attack"]})
    interrupted = {"event": "user", "text": "my arm aches and I'm sweaty", "parse_data": {"intent": {"name": "x"}}}
    tracker.events = [interrupted, {"event": "bot", "text": "question"}, {"event": "user", "text": "no"}]
    events = await ActionCarryOn().run(CollectingDispatcher(), tracker, domain)
    assert [event["event"] for event in events] == ["rewind", "rewind", "action", "user", "slot"]
    assert events[3]["text"] == "my arm aches and I'm sweaty"
    assert events[4] == SlotSet(names.SAFETY_ASKED, ["heart_attack"])
