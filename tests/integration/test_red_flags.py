"""Red flags with the real trained bot over HTTP: escalation overrides everything, never lowers,
stops massage for good after a serious flag, adapts to a caution, and works with the action
server down (carried by the NLU component, slot mappings, a rule and a domain response)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kneadle.messages import default_messages
from tests.integration.conftest import SCREENING_QUESTION, Conversation
from tests.integration.servers import Server, action_server, rasa_server

pytestmark = pytest.mark.integration

CHEST_TO_JAW = "there's a heavy pressure in my chest and it spreads into my jaw"
STEP = re.compile(r"^Step \d+ of \d+: ")
WITHHELD = default_messages()["massage_withheld"].text


def gives_a_step(texts: list[str]) -> bool:
    return any(STEP.match(text) for text in texts)


def test_chest_pressure_mid_walkthrough_stops_it_at_once(conversation: Conversation) -> None:
    conversation.complain("my neck is so stiff")
    assert gives_a_step(conversation.texts("on my own"))
    assert gives_a_step(conversation.texts("next"))

    texts = conversation.texts(CHEST_TO_JAW)
    assert texts[0].startswith("🚨 Please stop, sit down and call 112 now.")
    assert "heart attack" in texts[0]
    assert not gives_a_step(texts)
    slots = conversation.slots()
    assert (slots["triage_level"], slots["red_flag"]) == ("emergency", "heart_attack")
    assert slots["technique_id"] is None

    for control in ("next", "ok let's continue", "my hands are numb", "show me another one"):
        texts = conversation.texts(control)
        assert not gives_a_step(texts), control
    assert texts[0] == WITHHELD and "call 112" in texts[1]
    assert "call 112" in conversation.texts("what should I do now?")[0]


def test_a_milder_flag_later_never_lowers_the_triage(conversation: Conversation) -> None:
    conversation.texts(CHEST_TO_JAW)
    texts = conversation.texts("I'm on warfarin by the way")
    assert "call 112" in texts[0] and "heart attack" in texts[0]
    slots = conversation.slots()
    assert (slots["triage_level"], slots["red_flag"]) == ("emergency", "heart_attack")


def test_an_urgent_flag_after_a_side_question(conversation: Conversation) -> None:
    conversation.complain("my lower back aches")
    conversation.texts("should I use oil?")
    texts = conversation.texts("I've got osteoporosis and this back pain is new")
    assert texts[0].startswith("⚠️ Please get medical help today")
    assert conversation.slots()["triage_level"] == "urgent"
    assert not gives_a_step(conversation.texts("next"))


def test_pregnancy_at_the_screening_question_adapts_the_technique(conversation: Conversation) -> None:
    assert conversation.texts("my hands are numb")[-1] == SCREENING_QUESTION
    texts = conversation.texts("I'm pregnant")
    assert "midwife" in texts[0] and "112" in texts[0]
    assert texts[2].startswith("Keep in mind: No lying on your belly")
    assert gives_a_step(texts)
    slots = conversation.slots()
    assert (slots["triage_level"], slots["cautions"], slots["pressure"]) == ("caution", ["pregnancy"], "lighter")
    assert slots["screening"] == "done"


def test_the_screening_question_is_asked_once(conversation: Conversation) -> None:
    texts = conversation.complain("my hands are numb") + conversation.texts("stop")
    texts += conversation.texts("my neck is stiff")
    assert texts.count(SCREENING_QUESTION) == 1


@pytest.mark.parametrize(
    "message",
    [
        "my dad had a stroke last year, now my neck is stiff",
        "no numbness down below and my bladder is fine, my lower back just aches",
        "pins and needles in my hand from leaning on my elbow, gone once I moved",
    ],
)
def test_negated_resolved_and_other_peoples_symptoms_do_not_escalate(conversation: Conversation, message: str) -> None:
    """No escalation (the classifier alone may still add its safety note before the reply)."""
    texts = conversation.texts(message)
    assert not any(text.startswith(("🚨", "ℹ️")) for text in texts)
    slots = conversation.slots()
    assert (slots["triage_level"], slots["red_flag"]) == ("none", None)


@pytest.fixture(scope="module")
def own_servers(log_dir: Path) -> Iterator[tuple[Server, Server]]:
    """An action server and a Rasa server of this module's own, so the action server can be stopped."""
    actions = action_server(log_dir).start()
    rasa = rasa_server(log_dir, actions, log_dir / "actions-down-tracker.db").start()
    yield rasa, actions
    rasa.stop()
    actions.stop()


def test_escalation_works_with_the_action_server_down(own_servers: tuple[Server, Server]) -> None:
    rasa, actions = own_servers
    conversation = Conversation(rasa)
    conversation.complain("my hands are numb")
    assert gives_a_step(conversation.texts("next"))

    actions.stop()
    texts = conversation.texts(CHEST_TO_JAW)
    assert texts == [texts[0]] and texts[0].startswith("🚨 Please stop, sit down and call 112 now.")
    slots = conversation.slots()
    assert (slots["triage_level"], slots["red_flag"]) == ("emergency", "heart_attack")
    assert "call 112" in conversation.texts("what should I do now")[0]

    stranger = Conversation(rasa)
    texts = stranger.texts("my face is drooping on one side and my speech is slurred")
    assert any(text.startswith("🚨 Please call 112 now") for text in texts)
    assert stranger.slots()["red_flag"] == "stroke"
