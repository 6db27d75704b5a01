"""The web widget's channel (socket.io): a timed step offers to check back; a yes (button or
typed) schedules a Rasa reminder that fires by itself and reaches the person unasked; a no
schedules none; an escalation links the number."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

import pytest
import requests
import socketio

from tests.integration.servers import Server

pytestmark = pytest.mark.integration


class SocketPerson:
    """A person in the web widget: a socket.io session that collects what the bot sends."""

    def __init__(self, server: Server) -> None:
        self.session_id = uuid.uuid4().hex
        self.received: list[dict[str, Any]] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.append)
        self.client.connect(server.url, transports=["polling"], socketio_path="/socket.io", wait_timeout=30)
        self.client.emit("session_request", {"session_id": self.session_id})

    def say(self, text: str, expect: str) -> dict[str, Any]:
        self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        return self.wait_for(expect)

    def wait_for(self, start: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.received:
                if message.get("text", "").startswith(start):
                    self.received.remove(message)
                    return message
            time.sleep(0.2)
        raise AssertionError(f"no message starting {start!r}; got {[m.get('text') for m in self.received]}")

    def close(self) -> None:
        self.client.disconnect()


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
    escalation = person.say("there's a heavy pressure in my chest and it spreads into my jaw", expect="🚨")
    assert "call 112 now" in escalation["text"]
    # Rasa's socket.io channel sends each paragraph as its own message.
    assert person.wait_for("📞")["text"] == "📞 [Call 112](tel:112)"
