"""The web widget's channel (socket.io): a timed step offers to check back; a yes (button or
typed) schedules a Rasa reminder that fires by itself and reaches the person unasked; a no
schedules none; an escalation links the number."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
import requests

from tests.integration.conftest import SocketPerson
from tests.integration.servers import Server

pytestmark = pytest.mark.integration


@pytest.fixture
def person(rasa: Server) -> SocketPerson:
    person = SocketPerson(rasa)
    yield person
    person.close()


@pytest.mark.parametrize("answer", ["/start_step_timer", "ok", "yes please"])
def test_yes_to_the_offer_sets_a_reminder_that_fires_by_itself(rasa: Server, person: SocketPerson, answer: str) -> None:
    person.say("my hands are numb", expect="I'm not a doctor")
    person.say("/deny", expect="Step 1 of 10")
    person.say("next", expect="Step 2 of 10")
    person.say("next", expect="Step 3 of 10")
    offer = person.wait_for("Want me to check back in 1–2 minutes?")
    assert [reply["payload"] for reply in offer["quick_replies"]] == ["/start_step_timer", "/deny"]

    before = datetime.now().timestamp()
    person.say(answer, expect="I'll check back in 2 minutes.")
    tracker = requests.get(f"{rasa.url}/conversations/{person.session_id}/tracker", timeout=30).json()
    (reminder,) = [event for event in tracker["events"] if event["event"] == "reminder"]
    assert reminder["intent"] == "step_time_up"
    due = datetime.fromisoformat(reminder["date_time"]).timestamp()
    assert 0.5 <= due - before <= 5  # two minutes, at the tests' hundredth (FAST_TIMERS)

    # Nobody asks: the reminder fires and its message is pushed to the widget.
    person.wait_for("Time's up for step 3.", timeout=30)


def test_no_to_the_offer_sets_no_reminder(rasa: Server, person: SocketPerson) -> None:
    person.say("my hands are numb", expect="I'm not a doctor")
    person.say("/deny", expect="Step 1 of 10")
    person.say("next", expect="Step 2 of 10")
    person.say("next", expect="Step 3 of 10")
    person.wait_for("Want me to check back")
    person.say("no thanks", expect="Okay, no reminder.")
    tracker = requests.get(f"{rasa.url}/conversations/{person.session_id}/tracker", timeout=30).json()
    assert not [event for event in tracker["events"] if event["event"] == "reminder"]


def test_channels_that_cannot_push_do_not_offer_a_reminder(rasa: Server) -> None:
    sender = uuid.uuid4().hex
    texts: list[str] = []
    for message in ("my hands are numb", "none of these", "next", "next"):
        reply = requests.post(
            f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        ).json()
        texts += [m.get("text", "") for m in reply]
    assert any(text.startswith("Step 3 of 10: Thumb circles on your palm (1–2 minutes)") for text in texts)
    assert not any("check back" in text for text in texts)


def test_on_the_web_widget_an_escalation_links_the_emergency_number(person: SocketPerson) -> None:
    escalation = person.received[
        person.say("there's a heavy pressure in my chest and it spreads into my jaw", expect="🚨")
    ]
    assert "call 112 now" in escalation["text"]
    # Rasa's socket.io channel sends each paragraph as its own message.
    assert person.wait_for("📞")["text"] == "📞 [Call 112](tel:112)"
