"""Step pictures in the custom actions, with the SDK's real Tracker and CollectingDispatcher:
on the web widget, Slack and Telegram a step that names a place comes after its picture; the
shell and REST get the words only."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.choosing import ActionAfterScreening, ActionChooseTechnique
from actions.reply import PICTURES_URL_VARIABLE
from actions.walkthrough import ActionNextStep, ActionPreviousStep, ActionRepeatStep, ActionTellStepDuration
from kneadle import names
from tests.conftest import make_tracker

BASE = "http://localhost:8080/pictures"
ON_HAND_STEP_2 = {names.TECHNIQUE_ID: "hand_self_massage", names.STEP_NUMBER: 2.0, names.PRESSURE_CHECKED: True}


async def run(
    action: Action,
    domain: dict[str, Any],
    channel: str | None,
    intent: str = "",
    entities: list[dict[str, Any]] | None = None,
    **slots: Any,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Run `action` as if the latest message came in on `channel` (screening answered)."""
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(domain, {names.SCREENING: names.SCREENING_DONE, **slots})
    tracker.latest_message = {"text": "", "intent": {"name": intent}, "entities": entities or []}
    tracker.events = [{"event": "user", "text": "next", "input_channel": channel}] if channel else []
    events = await action.run(dispatcher, tracker, domain)
    return dispatcher.messages, events


def images(messages: list[dict[str, Any]]) -> list[str]:
    return [message["image"] for message in messages if message.get("image")]


@pytest.fixture(autouse=True)
def no_pictures_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PICTURES_URL_VARIABLE, raising=False)


@pytest.mark.parametrize("channel", ["socketio", "slack", "telegram"])
async def test_on_image_channels_the_palm_step_comes_after_its_picture(domain: dict[str, Any], channel: str) -> None:
    messages, events = await run(ActionNextStep(), domain, channel, **ON_HAND_STEP_2)
    assert messages[0]["image"] == f"{BASE}/palm.png"
    assert messages[0]["text"] is None and messages[0]["buttons"] == []
    assert messages[0]["alt_text"].startswith("An open hand seen from the palm side")  # Slack's alt text
    assert messages[1]["text"].startswith("Step 3 of 10: Thumb circles on your palm")
    assert images(messages) == [f"{BASE}/palm.png"]
    assert SlotSet(names.STEP_NUMBER, 3.0) in events


@pytest.mark.parametrize("channel", ["cmdline", "rest", None])
async def test_the_shell_and_rest_get_the_words_only(domain: dict[str, Any], channel: str | None) -> None:
    messages, _ = await run(ActionNextStep(), domain, channel, **ON_HAND_STEP_2)
    assert images(messages) == []
    assert messages[0]["text"].startswith("Step 3 of 10: Thumb circles on your palm")
    assert "the palm of your other hand" in messages[0]["text"]


async def test_the_picture_address_comes_from_the_action_servers_setting(
    domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PICTURES_URL_VARIABLE, "https://kneadle.example.org/pictures/")
    messages, _ = await run(ActionNextStep(), domain, "telegram", **ON_HAND_STEP_2)
    assert images(messages) == ["https://kneadle.example.org/pictures/palm.png"]


@pytest.mark.parametrize(
    ("action", "step_number", "expected"),
    [
        (ActionNextStep(), 6.0, ["wrist_tendons"]),  # on to step 7, the inside of the wrist
        (ActionPreviousStep(), 4.0, ["palm"]),  # back to step 3
        (ActionRepeatStep(), 3.0, ["palm"]),
        (ActionNextStep(), 3.0, []),  # step 4 names no place
    ],
)
async def test_every_way_to_a_step_brings_its_picture(
    domain: dict[str, Any], action: Action, step_number: float, expected: list[str]
) -> None:
    slots = {**ON_HAND_STEP_2, names.STEP_NUMBER: step_number}
    messages, _ = await run(action, domain, "socketio", **slots)
    assert images(messages) == [f"{BASE}/{picture_id}.png" for picture_id in expected]


async def test_a_message_that_shows_no_step_has_no_picture(domain: dict[str, Any]) -> None:
    messages, _ = await run(ActionTellStepDuration(), domain, "socketio", **{**ON_HAND_STEP_2, names.STEP_NUMBER: 3.0})
    assert images(messages) == []
    assert messages


async def test_starting_a_technique_shows_the_first_steps_picture(domain: dict[str, Any]) -> None:
    entities = [{"entity": "technique_id", "value": "jianjing_point_pinch"}]
    messages, events = await run(ActionChooseTechnique(), domain, "slack", "choose_technique", entities)
    assert SlotSet(names.TECHNIQUE_ID, "jianjing_point_pinch") in events
    position = next(i for i, message in enumerate(messages) if (message["text"] or "").startswith("Step 1 of 3"))
    assert messages[position - 1]["image"] == f"{BASE}/jianjing.png"
    assert images(messages) == [f"{BASE}/jianjing.png"]


async def test_none_of_these_to_the_screening_question_goes_on_with_the_picture(domain: dict[str, Any]) -> None:
    """The real path to step 1: the answer to the screening question runs the held-back start."""
    slots = {
        names.SCREENING: names.SCREENING_ASKED,
        names.PENDING_ACTION: names.ACTION_CHOOSE_TECHNIQUE,
        names.SUGGESTED_TECHNIQUE: "dazhui_point_rub",
    }
    messages, events = await run(ActionAfterScreening(), domain, "telegram", "deny", **slots)
    assert SlotSet(names.TECHNIQUE_ID, "dazhui_point_rub") in events
    assert images(messages) == [f"{BASE}/dazhui.png"]
    messages, _ = await run(ActionAfterScreening(), domain, "rest", "deny", **slots)
    assert images(messages) == []
    assert any((message["text"] or "").startswith("Step 1 of 2: Find the Dazhui point") for message in messages)


async def test_an_empty_setting_means_the_default(domain: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """.env.example lists KNEADLE_PICTURES_URL= with no value."""
    monkeypatch.setenv(PICTURES_URL_VARIABLE, "")
    messages, _ = await run(ActionNextStep(), domain, "socketio", **ON_HAND_STEP_2)
    assert images(messages) == [f"{BASE}/palm.png"]
