"""A plain yes or no answers the question the bot just asked, wherever it was asked: one test per
question that takes yes or no (messages.yml on_yes / on_no), with the SDK's real Tracker."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

import actions  # noqa: F401 - every action module, so an answer can run any action by name
import actions.choosing  # noqa: F401
import actions.walkthrough  # noqa: F401
from actions.answers import ActionAnswerYesNo
from kneadle import names
from kneadle.answers import question_just_asked
from kneadle.messages import default_messages
from tests.conftest import make_tracker

ON_TIMED_STEP = {names.TECHNIQUE_ID: "hand_self_massage", names.STEP_NUMBER: 3.0, names.SCREENING: "done"}
AFTER_LAST_STEP = {names.SUGGESTED_TECHNIQUE: "dazhui_point_rub", names.SCREENING: "done"}
SCREENING_ASKED = {
    names.SCREENING: names.SCREENING_ASKED,
    names.PENDING_ACTION: names.ACTION_START_TECHNIQUE,
    names.BODY_REGION: "hands",
}


def conversation(question: str | None, said: str, turns_ago: int = 1) -> list[dict[str, Any]]:
    """Events: the bot asks `question`, then `turns_ago` - 1 more exchanges, then the person says `said`."""
    events: list[dict[str, Any]] = [{"event": "user", "text": "earlier", "parse_data": {}}]
    events.append({"event": "slot", "name": names.OPEN_QUESTION, "value": question})
    for _ in range(turns_ago - 1):
        events += [{"event": "user", "text": "thanks", "parse_data": {}}, {"event": "bot", "text": "You're welcome!"}]
    events.append({"event": "user", "text": said, "parse_data": {}})
    return events


async def answer(domain: dict[str, Any], question: str | None, intent: str, slots: dict[str, Any], turns_ago: int = 1):
    tracker: Tracker = make_tracker(domain, slots)
    tracker.events = conversation(question, intent, turns_ago)
    tracker.latest_message = {"text": intent, "intent": {"name": intent}, "entities": []}
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerYesNo().run(dispatcher, tracker, domain)
    return [message.get("text") for message in dispatcher.messages], events


def text(message_id: str, **fields: str) -> str:
    return default_messages().text(message_id, **fields).strip()


async def test_yes_to_check_back_schedules_the_reminder(domain: dict[str, Any]) -> None:
    texts, events = await answer(domain, "timer_offer", "affirm", ON_TIMED_STEP)
    assert texts == [text("timer_set", timing="2 minutes")]
    assert [event["intent"] for event in events if event["event"] == "reminder"] == [names.INTENT_STEP_TIME_UP]


async def test_no_to_check_back_sets_no_reminder(domain: dict[str, Any]) -> None:
    texts, events = await answer(domain, "timer_offer", "deny", ON_TIMED_STEP)
    assert texts == [text("timer_declined")]
    assert not [event for event in events if event["event"] == "reminder"]


async def test_yes_to_the_related_technique_starts_it(domain: dict[str, Any]) -> None:
    texts, events = await answer(domain, "try_related", "affirm", AFTER_LAST_STEP)
    assert texts[0].startswith("Let's try this: ")
    assert SlotSet(names.TECHNIQUE_ID, "dazhui_point_rub") in events


async def test_no_to_the_related_technique_starts_nothing(domain: dict[str, Any]) -> None:
    texts, events = await answer(domain, "try_related", "deny", AFTER_LAST_STEP)
    assert texts == [text("no_problem")]
    assert not [event for event in events if event.get("name") == names.TECHNIQUE_ID]


@pytest.mark.parametrize("question", ["screening_question", "screening_again"])
async def test_yes_to_the_screening_question_asks_which_one(domain: dict[str, Any], question: str) -> None:
    texts, events = await answer(domain, question, "affirm", SCREENING_ASKED)
    assert texts == [text("screening_which")]
    assert not [event for event in events if event.get("name") == names.TECHNIQUE_ID]


@pytest.mark.parametrize("question", ["screening_question", "screening_again"])
async def test_no_to_the_screening_question_goes_on_with_the_technique(domain: dict[str, Any], question: str) -> None:
    texts, events = await answer(domain, question, "deny", SCREENING_ASKED)
    assert SlotSet(names.SCREENING, names.SCREENING_DONE) in events
    assert any(line.startswith("Step 1 of ") for line in texts)


async def test_yes_mid_walkthrough_with_nothing_asked_says_how_to_go_on(domain: dict[str, Any]) -> None:
    texts, _ = await answer(domain, None, "affirm", ON_TIMED_STEP)
    assert texts == [text("yes_during_technique")]
    assert "haven't started" not in texts[0]


async def test_yes_with_nothing_asked_and_nothing_under_way_asks_what_bothers(domain: dict[str, Any]) -> None:
    texts, _ = await answer(domain, None, "affirm", {names.SCREENING: "done"})
    assert texts == [text("yes_to_nothing")]


async def test_a_question_asked_two_turns_ago_is_not_answered(domain: dict[str, Any]) -> None:
    texts, events = await answer(domain, "timer_offer", "affirm", ON_TIMED_STEP, turns_ago=2)
    assert texts == [text("yes_during_technique")]
    assert not [event for event in events if event["event"] == "reminder"]


def test_only_the_last_bot_turn_counts() -> None:
    assert question_just_asked(conversation("timer_offer", "yes")) == "timer_offer"
    assert question_just_asked(conversation("timer_offer", "yes", turns_ago=2)) is None
    assert question_just_asked([]) is None


def test_every_question_answers_with_a_domain_action_or_a_message(domain: dict[str, Any]) -> None:
    catalog = default_messages()
    questions = {message_id: message for message_id, message in catalog.messages.items() if message.is_question}
    assert {"timer_offer", "try_related", "screening_question", "screening_again"} <= questions.keys()
    for message in questions.values():
        for reply in (message.on_yes, message.on_no):
            assert reply is not None
            assert reply.action in domain["actions"] if reply.action else reply.say in catalog.messages
