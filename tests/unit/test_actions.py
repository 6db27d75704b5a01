"""Custom actions, run with the SDK's real Tracker and CollectingDispatcher and the real domain."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from actions.walkthrough import ActionNextStep, ActionStartTechnique, ActionStopTechnique
from kneadle import names
from kneadle.messages import default_messages
from tests.conftest import make_tracker


def sent(message_id: str, **fields: str) -> dict[str, Any]:
    """What the dispatcher holds after sending `message_id` with `fields`."""
    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(**default_messages()[message_id].render(**fields))
    return dispatcher.messages[0]


async def run(action: Any, domain: dict[str, Any], **slots: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, make_tracker(domain, slots), domain)
    return dispatcher.messages, events


async def test_session_start_gives_the_disclaimer_once(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionSessionStart(), domain)
    assert messages == [sent(names.MSG_DISCLAIMER)]
    assert "not a doctor" in messages[0]["text"]
    assert events[0] == SessionStarted()


async def test_session_start_carries_slots_over(domain: dict[str, Any]) -> None:
    _, events = await run(ActionSessionStart(), domain, body_region="hands", step_number=3.0)
    assert SlotSet("body_region", "hands") in events
    assert SlotSet("step_number", 3.0) in events


async def test_numb_hands_start_the_hand_massage_at_step_one(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionStartTechnique(), domain, body_region="hands", symptom="numbness")
    assert len(messages) == 2
    assert messages[0]["text"].startswith("Let's try this: Hand self-massage for numb hands.")
    assert messages[1]["text"].startswith("Step 1 of 10: ")
    assert [b["payload"] for b in messages[1]["buttons"]] == ["/next_step", "/stop_walkthrough"]
    assert events == [SlotSet(names.TECHNIQUE_ID, "hand_self_massage"), SlotSet(names.STEP_NUMBER, 1.0)]


async def test_a_complaint_without_a_region_asks_where(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionStartTechnique(), domain, symptom="stiffness")
    assert messages == [sent(names.MSG_ASK_BODY_REGION)]
    assert len(messages[0]["buttons"]) == 4
    assert events == []


async def test_next_gives_the_following_step(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionNextStep(), domain, technique_id="hand_self_massage", step_number=1.0)
    assert messages[0]["text"].startswith("Step 2 of 10: ")
    assert SlotSet(names.STEP_NUMBER, 2.0) in events


async def test_next_after_the_last_step_finishes(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionNextStep(), domain, technique_id="hand_self_massage", step_number=10.0)
    assert len(messages) == 1
    assert messages[0]["text"].startswith("That was the last step of Hand self-massage")
    assert events == [SlotSet(names.TECHNIQUE_ID, None), SlotSet(names.STEP_NUMBER, None)]


async def test_next_without_a_technique_says_so(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionNextStep(), domain)
    assert messages == [sent(names.MSG_NO_ACTIVE_TECHNIQUE)]
    assert events == []


async def test_next_with_an_unknown_technique_id_does_not_crash(domain: dict[str, Any]) -> None:
    messages, _ = await run(ActionNextStep(), domain, technique_id="removed_technique", step_number=2.0)
    assert messages == [sent(names.MSG_NO_ACTIVE_TECHNIQUE)]


async def test_stop_clears_the_walkthrough(domain: dict[str, Any]) -> None:
    messages, events = await run(ActionStopTechnique(), domain, technique_id="hand_self_massage", step_number=4.0)
    assert messages == [sent(names.MSG_STOPPED)]
    assert events == [SlotSet(names.TECHNIQUE_ID, None), SlotSet(names.STEP_NUMBER, None)]
