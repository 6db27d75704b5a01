"""Understanding real people over HTTP: misspellings, several regions at once, words that only look like body parts."""

from __future__ import annotations

import pytest

from tests.integration.conftest import SCREENING_QUESTION, Conversation


@pytest.mark.parametrize(
    ("message", "region", "symptom"),
    [
        ("my sholder is so stif", "neck_shoulders", "stiffness"),
        ("nek pain from my pillow", "neck_shoulders", "pain"),
        ("lowerback akes after work", "lower_back", "pain"),
        ("fingures keep going numbess when i type", "hands", "numbness"),
        ("uper bak is realy tight", "upper_back", "tension"),
        ("my wirst hurts from the mouse", "hands", "pain"),
    ],
)
def test_misspelt_complaints_reach_the_right_region(
    conversation: Conversation, message: str, region: str, symptom: str
) -> None:
    conversation.complain(message)
    slots = conversation.slots()
    assert (slots["body_region"], slots["symptom"]) == (region, symptom)


def test_two_regions_ask_which_first_and_a_tap_goes_on_with_that_one(conversation: Conversation) -> None:
    [question] = conversation.say("neck's stiff and my hands tingle")
    assert "Which shall we start with?" in question["text"]
    titles = [button["title"] for button in question["buttons"]]
    assert titles == ["Neck and shoulders", "Hands"]
    hands = question["buttons"][1]["payload"]
    assert conversation.texts(hands)[-1] == SCREENING_QUESTION
    assert conversation.slots()["body_region"] == "hands"


@pytest.mark.parametrize("message", ["i'm back, sorry", "give me a hand with this", "you should pack it in"])
def test_ordinary_words_are_not_body_parts(conversation: Conversation, message: str) -> None:
    conversation.say(message)
    assert conversation.slots()["body_region"] is None


def test_side_and_duration_are_kept_in_slots(conversation: Conversation) -> None:
    conversation.complain("my left wrist has been aching for 3 wks")
    slots = conversation.slots()
    assert (slots["body_region"], slots["side"], slots["duration"]) == ("hands", "left", "weeks")
