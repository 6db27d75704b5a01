"""After a red flag: the escalation message, the most serious flag kept, massage withheld or adapted.

Actions run with the SDK's real Tracker and CollectingDispatcher and the real domain.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionAfterRedFlag, ActionKeepMostSeriousRedFlag
from kneadle import names
from kneadle.escalation import RedFlagReport, escalation_text, most_serious
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.red_flags import default_red_flags
from tests.conftest import make_tracker
from tests.unit.test_domain import action_classes

FLAGS = default_red_flags().flags


def report_entities(flag_id: str) -> list[dict[str, Any]]:
    flag = FLAGS[flag_id]
    values = {
        names.RED_FLAG: flag.id,
        names.TRIAGE_LEVEL: flag.level,
        names.RED_FLAG_MESSAGE: escalation_text(default_messages(), flag, "112"),
        names.EMERGENCY_NUMBER: "112",
    }
    return [{"entity": name, "value": value, "extractor": names.RED_FLAG_EXTRACTOR} for name, value in values.items()]


def user_event(flag_id: str | None) -> dict[str, Any]:
    return {"event": "user", "parse_data": {"entities": report_entities(flag_id) if flag_id else []}}


async def run(action: Action, domain: dict[str, Any], flags: list[str | None], **slots: Any) -> tuple[list[str], list]:
    """Run `action` after user messages reporting `flags` (None: a message without one)."""
    tracker = make_tracker(domain, slots)
    tracker.events = [user_event(flag_id) for flag_id in flags]
    tracker.latest_message = tracker.events[-1]["parse_data"] if flags else tracker.latest_message
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain)
    return [m["text"] for m in dispatcher.messages], events


@pytest.mark.parametrize("flag_id", sorted(FLAGS))
def test_every_escalation_says_what_to_do_names_the_number_and_why(flag_id: str) -> None:
    flag = FLAGS[flag_id]
    text = escalation_text(default_messages(), flag, "999")
    assert "999" in text and flag.why in text
    assert "{" not in text
    assert not any(technique.title in text for technique in default_knowledge().techniques.values())
    if flag.level == "emergency":
        assert text.startswith("🚨 ")


def test_the_most_serious_report_wins_and_the_latest_among_equals() -> None:
    ids = ("stroke", "pregnancy", "blood_thinners")
    stroke, pregnant, warfarin = (RedFlagReport(flag_id, FLAGS[flag_id].level, flag_id) for flag_id in ids)
    assert most_serious([stroke, pregnant]) == stroke
    assert most_serious([pregnant, stroke, warfarin]) == stroke
    assert most_serious([pregnant, warfarin]) == warfarin
    assert most_serious([]) is None


async def test_a_milder_flag_never_lowers_the_slots(domain: dict[str, Any]) -> None:
    _, events = await run(ActionKeepMostSeriousRedFlag(), domain, ["heart_attack", None, "blood_thinners"])
    assert SlotSet(names.TRIAGE_LEVEL, "emergency") in events
    assert SlotSet(names.RED_FLAG, "heart_attack") in events
    assert any(e["name"] == names.RED_FLAG_MESSAGE and "heart attack" in e["value"] for e in events)


async def test_a_message_without_a_flag_changes_nothing(domain: dict[str, Any]) -> None:
    _, events = await run(ActionKeepMostSeriousRedFlag(), domain, ["stroke", None])
    assert events == []


async def test_a_serious_flag_ends_the_walkthrough(domain: dict[str, Any]) -> None:
    texts, events = await run(
        ActionAfterRedFlag(), domain, ["stroke"], triage_level="emergency", technique_id="hand_self_massage"
    )
    assert texts == []
    assert SlotSet(names.TECHNIQUE_ID, None) in events and SlotSet(names.STEP_NUMBER, None) in events


async def test_a_caution_mid_walkthrough_waits_for_continue_with_a_lighter_touch(domain: dict[str, Any]) -> None:
    texts, events = await run(
        ActionAfterRedFlag(),
        domain,
        ["blood_thinners"],
        triage_level="caution",
        technique_id="hand_self_massage",
        step_number=3.0,
        screening="done",
    )
    assert texts == ['Say "continue" to pick up at step 3.']
    assert SlotSet(names.CAUTIONS, ["blood_thinners"]) in events
    assert SlotSet(names.PRESSURE, "lighter") in events


async def test_a_caution_answering_the_screening_question_goes_on_adapted(domain: dict[str, Any]) -> None:
    texts, events = await run(
        ActionAfterRedFlag(), domain, ["pregnancy"], triage_level="caution", screening="asked", body_region="hands"
    )
    assert texts[0].startswith("Let's try this: Hand self-massage")
    assert texts[1].startswith("Keep in mind: No lying on your belly")
    assert texts[2].startswith("Step 1 of 10")
    assert SlotSet(names.SCREENING, names.SCREENING_DONE) in events
    assert SlotSet(names.TECHNIQUE_ID, "hand_self_massage") in events


MASSAGE_ACTIONS = sorted(
    (cls for cls in action_classes() if getattr(cls, "gives_massage", False)), key=lambda cls: cls.__name__
)


def test_every_action_that_starts_or_moves_a_technique_is_guarded() -> None:
    guarded = {cls().name() for cls in MASSAGE_ACTIONS}
    assert {names.ACTION_START_TECHNIQUE, names.ACTION_CHOOSE_TECHNIQUE, names.ACTION_NEXT_STEP} <= guarded
    assert {names.ACTION_RESUME_WALKTHROUGH, names.ACTION_AFTER_SCREENING} <= guarded


@pytest.mark.parametrize("action_class", MASSAGE_ACTIONS, ids=lambda cls: cls.__name__)
async def test_no_massage_after_a_serious_flag_whatever_the_policy_predicts(
    domain: dict[str, Any], action_class: type[Action]
) -> None:
    advice = escalation_text(default_messages(), FLAGS["stroke"], "112")
    texts, events = await run(
        action_class(),
        domain,
        [None],
        triage_level="urgent",
        red_flag_message=advice,
        technique_id="hand_self_massage",
        step_number=2.0,
        body_region="hands",
        suggested_technique="dazhui_point_rub",
        screening="done",
    )
    assert texts == [default_messages()["massage_withheld"].text, advice]
    assert SlotSet(names.TECHNIQUE_ID, None) in events


@pytest.mark.parametrize("noted_before", [False, True])
async def test_the_classifier_alone_puts_a_safety_note_before_the_reply_once(
    domain: dict[str, Any], noted_before: bool
) -> None:
    slots = {names.SCREENING: names.SCREENING_DONE, names.BODY_REGION: "hands", names.SAFETY_NOTED: noted_before}
    tracker = make_tracker(domain, slots)
    tracker.latest_message = {
        "intent": {"name": "report_complaint"},
        "entities": [
            {"entity": names.RED_FLAG_CHECK, "value": "report_red_flag", "extractor": names.RED_FLAG_EXTRACTOR},
            {"entity": names.EMERGENCY_NUMBER, "value": "999", "extractor": names.RED_FLAG_EXTRACTOR},
        ],
    }
    dispatcher = CollectingDispatcher()
    events = await MASSAGE_ACTIONS[0]().run(dispatcher, tracker, domain)
    texts = [m["text"] for m in dispatcher.messages]
    note = default_messages().text("red_flag_check", emergency_number="999").strip()
    assert (texts[0] == note) is not noted_before
    assert note not in texts[1:] and texts[-1] != note
    assert (SlotSet(names.SAFETY_NOTED, True) in events) is not noted_before
