"""Conversations with the real trained bot over HTTP, with the action server running."""

from __future__ import annotations

import pytest

from tests.integration.conftest import SCREENING_QUESTION, Conversation

pytestmark = pytest.mark.integration


def test_numb_hands_start_the_hand_massage_and_next_moves_on(conversation: Conversation) -> None:
    first = conversation.say("my hands are numb")
    assert [message["text"] for message in first] == [SCREENING_QUESTION]
    assert "not a doctor" in SCREENING_QUESTION
    assert [button["title"] for button in first[-1]["buttons"]][:2] == ["None of these", "I'm pregnant"]

    answered = conversation.say("none of these")
    assert any(message["text"].startswith("Step 1 of 10: ") for message in answered)
    step = next(message for message in answered if message["text"].startswith("Step 1"))
    assert [button["title"] for button in step["buttons"]] == ["Next", "Repeat", "Back", "Stop"]

    slots = conversation.slots()
    assert slots["body_region"] == "hands"
    assert slots["triage_level"] == "none"
    assert slots["technique_id"] == "hand_self_massage"
    assert slots["step_number"] == 1

    second = conversation.texts("next")
    assert len(second) == 1
    assert second[0].startswith("Step 2 of 10: ")
    assert conversation.slots()["step_number"] == 2


def test_the_disclaimer_is_said_once(conversation: Conversation) -> None:
    replies = conversation.texts("hello") + conversation.texts("hi again") + conversation.complain("stiff neck")
    assert sum("not a doctor" in text for text in replies) == 1


@pytest.mark.parametrize(
    ("message", "region"),
    [
        ("my back is numb", "back"),
        ("lower back ache", "lower_back"),
        ("stiff neck", "neck_shoulders"),
        ("my hands go numb after typing", "hands"),
    ],
)
def test_body_region_is_set_from_the_first_message(conversation: Conversation, message: str, region: str) -> None:
    texts = conversation.complain(message)
    assert conversation.slots()["body_region"] == region
    asks_for_help = texts[-1] == "Will you do this on yourself, or can someone help you?"
    assert asks_for_help or any(text.startswith("Step 1 of ") for text in texts)


def test_next_before_any_technique_says_how_to_start(conversation: Conversation) -> None:
    texts = conversation.texts("next")
    assert any("haven't started a technique" in text for text in texts)


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "a" * 10_000,
        "my neck hurts " * 700,
        "🙂🙂🙂",
        "😩",
        "me duele mucho la espalda",
        "Mein Nacken ist steif",
        "<script>alert('hi')</script>",
        "<b>numb</b> hands",
        "\u200b\u200b",
    ],
)
def test_odd_messages_get_a_sensible_reply(conversation: Conversation, message: str) -> None:
    texts = conversation.texts(message)
    assert texts, f"no reply to {message[:40]!r}"
    assert all(text.strip() for text in texts)
    assert not any("<script>" in text for text in texts)
