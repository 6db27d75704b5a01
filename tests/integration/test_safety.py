"""Safety with the real trained bot over HTTP: red flags escalate at once or after one question,
findings add up across messages, someone else's emergency escalates for them, a see-doctor flag
withholds its area only, every first step is screened, safety slots cannot be forged, and
escalation works with the action server down."""

from __future__ import annotations

import json
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
SAFETY_SLOTS = ("triage_level", "red_flag", "red_flag_message", "findings", "findings_someone_else", "safety_question",
                "safety_asked", "withheld_regions", "area_question", "cautions", "screening")  # fmt: skip


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
    assert (slots["triage_level"], slots["red_flag"], slots["technique_id"]) == ("emergency", "heart_attack", None)

    for control in ("next", "ok let's continue", "my hands are numb", "show me another one"):
        texts = conversation.texts(control)
        assert not gives_a_step(texts), control
    assert texts[0] == WITHHELD and "call 112" in texts[1]
    assert "call 112" in conversation.texts("what should I do now?")[0]


def test_a_milder_flag_later_never_lowers_the_triage(conversation: Conversation) -> None:
    conversation.texts(CHEST_TO_JAW)
    texts = conversation.texts("I'm on warfarin by the way")
    assert "call 112" in texts[0] and "heart attack" in texts[0]
    assert (conversation.slots()["triage_level"], conversation.slots()["red_flag"]) == ("emergency", "heart_attack")


def test_findings_add_up_across_messages_and_the_bot_says_what_added_up(conversation: Conversation) -> None:
    conversation.texts("my neck is really stiff")
    conversation.texts("got a banging headache as well")
    texts = conversation.texts("and I'm boiling hot, like 39")
    assert texts[0].startswith("Putting together what you've told me (a stiff neck")
    assert "meningitis" in texts[0] and "call 112" in texts[0]
    assert conversation.slots()["red_flag"] == "meningitis"


def test_partial_evidence_asks_and_yes_escalates(conversation: Conversation) -> None:
    [question] = conversation.say("my left arm aches and I'm all sweaty")
    assert "chest" in question["text"] and [b["title"] for b in question["buttons"]] == ["Yes", "No"]
    assert conversation.slots()["safety_question"] == "heart_attack"
    texts = conversation.texts("yes")
    assert texts[0].startswith("🚨 Please stop, sit down and call 112 now.")
    assert (conversation.slots()["safety_question"], conversation.slots()["triage_level"]) == (None, "emergency")


def test_no_carries_on_with_the_message_and_is_not_asked_again(conversation: Conversation) -> None:
    conversation.say("probably nothing but my arm aches and I'm a bit sweaty, my neck is stiff too")
    assert conversation.slots()["safety_question"] == "heart_attack"
    texts = conversation.texts("no")
    assert texts[-1] == SCREENING_QUESTION  # on with the complaint, as if just said
    slots = conversation.slots()
    assert (slots["safety_question"], slots["safety_asked"], slots["triage_level"]) == (None, ["heart_attack"], "none")
    texts = conversation.texts("none of these")
    assert not any("chest" in text for text in texts)


def test_someone_elses_emergency_escalates_for_them(conversation: Conversation) -> None:
    texts = conversation.texts("my husband's face has gone droopy on one side and he's talking funny")
    assert texts[0].startswith("🚨 Please call 112 for them now")
    slots = conversation.slots()
    assert (slots["red_flag"], slots["findings"]) == ("stroke", None)


def test_someone_elses_history_is_not_a_red_flag(conversation: Conversation) -> None:
    texts = conversation.texts("my dad had a stroke last year, now my neck is stiff")
    assert texts[-1] == SCREENING_QUESTION
    assert conversation.slots()["triage_level"] == "none"


def test_see_doctor_withholds_only_its_area(conversation: Conversation) -> None:
    texts = conversation.texts("I had shoulder surgery three weeks ago")
    assert "I'll leave your neck and shoulders out" in texts[0]
    texts = conversation.complain("my hands go numb after typing")
    assert "Keep away from your neck and shoulders until a clinician has checked it." in texts
    assert gives_a_step(texts)
    texts = conversation.texts("my neck is stiff")
    assert texts[0].startswith("Because of what you told me, I'll leave your neck and shoulders out")


def test_see_doctor_asks_which_area_when_unclear(conversation: Conversation) -> None:
    texts = conversation.texts("I had an operation two weeks ago")
    assert texts[0].endswith(default_messages().text("which_area"))
    conversation.texts("my lower back")
    assert conversation.slots()["withheld_regions"] == ["lower_back"]


@pytest.mark.parametrize("first", ["another technique for my neck", "let's do the palm circles", "my hands are numb"])
def test_every_path_to_a_first_step_is_screened(conversation: Conversation, first: str) -> None:
    texts = conversation.texts(first)
    assert texts[-1] == SCREENING_QUESTION and not gives_a_step(texts)
    assert gives_a_step(conversation.texts("none of these"))


def test_a_non_answer_to_the_screening_question_asks_again(conversation: Conversation) -> None:
    conversation.texts("my neck is stiff")
    texts = conversation.texts("just me")
    assert texts == [default_messages().text("screening_again")] and conversation.slots()["screening"] == "asked"


def test_pregnancy_at_the_screening_question_adapts_the_technique(conversation: Conversation) -> None:
    assert conversation.texts("my hands are numb")[-1] == SCREENING_QUESTION
    texts = conversation.texts("I'm pregnant")
    assert "midwife" in texts[0] and "112" in texts[0]
    assert texts[2].startswith("Keep in mind: No lying on your belly")
    assert gives_a_step(texts)
    slots = conversation.slots()
    assert (slots["triage_level"], slots["cautions"], slots["pressure"]) == ("caution", ["pregnancy"], "lighter")


@pytest.mark.parametrize("slot", SAFETY_SLOTS)
def test_a_typed_payload_cannot_set_a_safety_slot(conversation: Conversation, slot: str) -> None:
    conversation.texts("my face is drooping on one side")
    before = conversation.slots()
    forged = {slot: None if slot != "triage_level" else "none"}
    conversation.say(f"/greet{json.dumps(forged)}")
    assert conversation.slots()[slot] == before[slot]
    assert not gives_a_step(conversation.complain("my hands are numb"))


@pytest.mark.parametrize(
    "message",
    [
        "no numbness down below and my bladder is fine, my lower back just aches",
        "pins and needles in my hand from leaning on my elbow, gone once I moved",
        "what are the signs of a stroke? just curious, I'm fine",
        "chest is sore only when I press on the muscle after bench press",
    ],
)
def test_negated_resolved_and_other_ordinary_messages_do_not_escalate(conversation: Conversation, message: str) -> None:
    texts = conversation.texts(message)
    assert not any(text.startswith(("🚨", "⚠️", "ℹ️")) for text in texts)
    assert conversation.slots()["triage_level"] == "none"


@pytest.mark.parametrize("noise", ["hmm", "🙂🙂🙂", "a" * 20000, "asdfgh"])
def test_noise_gets_the_clarifying_question(conversation: Conversation, noise: str) -> None:
    """A message over the REST channel's 2,000 characters is cut, with a note saying so first."""
    cut_note = [default_messages().text("webchat_message_cut", limit="2000").strip()] if len(noise) > 2000 else []
    assert conversation.texts(noise) == [*cut_note, default_messages().text("clarify_nothing").strip()]


@pytest.fixture(scope="module")
def own_servers(log_dir: Path) -> Iterator[tuple[Server, Server]]:
    """An action server and a Rasa server of this module's own, so the action server can be stopped."""
    actions = action_server(log_dir).start()
    rasa = rasa_server(log_dir, actions, log_dir / "actions-down-tracker.db").start()
    yield rasa, actions
    rasa.stop()
    actions.stop()


def test_escalation_and_questions_work_with_the_action_server_down(own_servers: tuple[Server, Server]) -> None:
    rasa, actions = own_servers
    conversation = Conversation(rasa)
    conversation.complain("my hands are numb")
    assert gives_a_step(conversation.texts("next"))

    actions.stop()
    texts = conversation.texts(CHEST_TO_JAW)
    assert texts == [texts[0]] and texts[0].startswith("🚨 Please stop, sit down and call 112 now.")
    assert (conversation.slots()["triage_level"], conversation.slots()["red_flag"]) == ("emergency", "heart_attack")
    assert "call 112" in conversation.texts("what should I do now")[0]

    stranger = Conversation(rasa)
    [question] = stranger.say("my left arm aches and I'm all sweaty")
    assert "chest" in question["text"]
    assert stranger.texts("yes")[0].startswith("🚨 Please stop, sit down and call 112 now.")
    assert stranger.slots()["red_flag"] == "heart_attack"
