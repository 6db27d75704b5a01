"""The walk-through over HTTP with the trained bot: the four main complaints to the end, and the controls."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import Conversation

pytestmark = pytest.mark.integration

STEP = re.compile(r"^Step (\d+) of (\d+): ")


def step_numbers(texts: list[str]) -> list[tuple[int, int]]:
    return [(int(m.group(1)), int(m.group(2))) for text in texts if (m := STEP.match(text))]


@pytest.mark.parametrize(
    ("complaint", "helper_answer", "technique"),
    [
        ("my hands are numb", None, "hand_self_massage"),
        ("my neck is so stiff", "my partner can help", "jianjing_point_pinch"),
        ("my back hurts", "just me, on my own", "self_back_massage"),
        ("my back is numb", None, "warm_compress_back"),
    ],
)
def test_a_main_complaint_is_walked_to_the_end(
    conversation: Conversation, complaint: str, helper_answer: str | None, technique: str
) -> None:
    texts = conversation.complain(complaint)
    if helper_answer:
        assert texts[-1] == "Will you do this on yourself, or can someone help you?"
        texts = conversation.texts(helper_answer)
    assert conversation.slots()["technique_id"] == technique
    seen = step_numbers(texts)
    total = seen[0][1]
    for _ in range(total):
        texts = conversation.texts("next")
        seen += step_numbers(texts)
    assert seen == [(k, total) for k in range(1, total + 1)]
    assert texts[0].startswith("That was the last step of")


def test_controls_mid_walkthrough(conversation: Conversation) -> None:
    conversation.complain("my hands are numb")
    conversation.texts("next")
    assert conversation.texts("next")[0].startswith("Step 3 of 10")
    assert conversation.texts("how long for this one?") == ["Step 3: 1–2 minutes."]
    assert conversation.texts("go back")[0].startswith("Step 2 of 10")
    assert conversation.texts("repeat that please")[0].startswith("Step 2 of 10")
    skipped = conversation.texts("skip this one")
    assert skipped[0] == "Skipping step 2." and skipped[1].startswith("Step 3 of 10")
    assert conversation.texts("pause")[0].startswith("Paused at step 3 of 10")
    resumed = conversation.texts("ok let's continue")
    assert resumed[0] == "Picking up where we left off." and resumed[1].startswith("Step 3 of 10")
    assert conversation.texts("that's too much pressure")[0].startswith("Ease off")
    assert conversation.slots()["pressure"] == "lighter"
    assert "Hand self-massage for numb hands" in conversation.texts("why this one?")[0]
    assert conversation.texts("ow, sharp pain when I press")[0].startswith("Let's stop here.")
    assert conversation.slots()["technique_id"] is None


def test_a_side_question_then_continue_resumes_at_the_same_step(conversation: Conversation) -> None:
    conversation.complain("my hands are numb")
    conversation.texts("next")
    answer = conversation.texts("should I use oil?")
    assert "oil" in answer[0].lower()
    assert answer[-1] == 'Say "continue" to pick up at step 2.'
    assert conversation.texts("ok let's continue")[1].startswith("Step 2 of 10")


def test_another_technique_mid_way_and_the_list(conversation: Conversation) -> None:
    conversation.complain("my back hurts")
    conversation.texts("just me, on my own")
    first = conversation.slots()["technique_id"]
    conversation.texts("next")
    conversation.texts("can you show me another one")
    assert conversation.slots()["technique_id"] not in (None, first)
    assert conversation.slots()["step_number"] == 1
    listing = conversation.say("what techniques do you have for my back")
    assert listing[0]["text"].startswith("For your back I know these:")
    assert len(listing[0]["buttons"]) >= 5
    assert conversation.texts(listing[0]["buttons"][0]["payload"])[0].startswith("Let's try this:")
