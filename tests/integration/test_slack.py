"""The Slack channel end to end: signed Events API and Interactivity requests to the real Rasa
server (with the real action server), replies read from a fake Slack Web API on loopback.

The connector acknowledges each request at once and posts its replies later, so tests poll the
fake for the post they expect, with a deadline.
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
import yaml

from channels.slack.connector import SECRET_VARIABLE, TOKEN_VARIABLE
from channels.slack.signature import signature
from kneadle.messages import default_messages
from tests.integration.fake_slack import FakeSlack
from tests.integration.servers import Server, action_server, rasa_server, trigger_intent

pytestmark = pytest.mark.integration

TOKEN = "xoxb-kneadle-test-token"
SECRET = "kneadle-test-signing-secret"
TEAM = "T0KNEADLE"
BOT_USER = "U0KNEADLEBOT"
SCREENING = default_messages()["screening_question"]
HELPER_QUESTION = default_messages()["ask_helper"]
RED_FLAG_TEXT = "there's a heavy pressure in my chest and it spreads into my jaw"
# Settling time after the last expected post, before checking that nothing more came.
QUIET_SECONDS = 3


@pytest.fixture(scope="module")
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def slack_rasa(log_dir: Path, fake_slack: FakeSlack) -> Iterator[Server]:
    """Rasa with only the REST and Slack channels, Slack's API at the fake; step timers 100x faster."""
    actions = action_server(log_dir, env={"KNEADLE_STEP_TIMER_SCALE": "0.01"}).start()
    credentials = log_dir / "credentials-slack.yml"
    credentials.write_text(
        yaml.safe_dump({"rest": None, "channels.slack.SlackInput": {"api_url": fake_slack.api_url}}), encoding="utf-8"
    )
    env = {TOKEN_VARIABLE: TOKEN, SECRET_VARIABLE: SECRET}
    try:
        server = rasa_server(log_dir, actions, log_dir / "slack-tracker.db", credentials=credentials, env=env).start()
    except BaseException:
        actions.stop()
        raise
    yield server
    server.stop()
    actions.stop()


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[:10].upper()


class SlackWorkspace:
    """Sends what Slack would send to the webhook, signed with the test secret."""

    def __init__(self, server: Server, fake: FakeSlack) -> None:
        self.server = server
        self.url = f"{server.url}/webhooks/slack/webhook"
        self.fake = fake

    def send(
        self,
        body: bytes,
        content_type: str = "application/json",
        sign: bool = True,
        age: int = 0,
        secret: str = SECRET,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        sent = {"Content-Type": content_type, **(headers or {})}
        if sign:
            timestamp = str(int(time.time()) - age)
            sent["X-Slack-Request-Timestamp"] = timestamp
            sent["X-Slack-Signature"] = signature(secret, timestamp, body)
        return requests.post(self.url, data=body, headers=sent, timeout=30)


def event_body(event: dict[str, Any]) -> bytes:
    return json.dumps(
        {
            "token": "unused",
            "team_id": TEAM,
            "api_app_id": "A0KNEADLE",
            "type": "event_callback",
            "event_id": new_id("Ev"),
            "event_time": int(time.time()),
            "event": event,
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
        }
    ).encode()


class SlackPerson:
    """Someone in a direct message with the bot: types, clicks buttons, reads the bot's posts."""

    def __init__(self, workspace: SlackWorkspace, channel: str | None = None) -> None:
        self.workspace = workspace
        self.user = new_id("U")
        self.channel = channel or new_id("D")
        self.read_up_to = 0

    def message_body(self, text: str, **fields: Any) -> bytes:
        event = {"type": "message", "channel_type": "im", "user": self.user, "channel": self.channel, "text": text}
        return event_body({**event, "ts": f"{time.time():.6f}", **fields})

    def say(self, text: str, content_type: str = "application/json") -> None:
        response = self.workspace.send(self.message_body(text), content_type)
        assert response.status_code == 200, response.text

    def click(self, value: str) -> None:
        payload = {
            "type": "block_actions",
            "user": {"id": self.user, "team_id": TEAM},
            "team": {"id": TEAM},
            "channel": {"id": self.channel},
            "container": {"type": "message", "channel_id": self.channel},
            "actions": [{"type": "button", "action_id": "kneadle-button-0", "value": value}],
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        response = self.workspace.send(body, "application/x-www-form-urlencoded")
        assert response.status_code == 200, response.text

    def posts(self) -> list[dict[str, Any]]:
        return self.workspace.fake.posts(self.channel)

    def wait_for(self, start: str, timeout: float = 60) -> dict[str, Any]:
        """The next post whose text starts with `start` (skipping those before it)."""
        index, post = self.workspace.fake.wait_for_post(
            self.channel, lambda p: p.get("text", "").startswith(start), self.read_up_to, timeout
        )
        self.read_up_to = index + 1
        return post


def buttons(post: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for block in post["blocks"] if block["type"] == "actions" for element in block["elements"]]


def quiet() -> None:
    time.sleep(QUIET_SECONDS)


@pytest.fixture
def workspace(slack_rasa: Server, fake_slack: FakeSlack) -> SlackWorkspace:
    return SlackWorkspace(slack_rasa, fake_slack)


@pytest.fixture
def person(workspace: SlackWorkspace) -> SlackPerson:
    return SlackPerson(workspace)


def test_unsigned_wrongly_signed_and_stale_requests_are_refused(workspace: SlackWorkspace) -> None:
    person = SlackPerson(workspace)
    body = person.message_body("my neck is stiff")

    assert workspace.send(body, sign=False).status_code == 401
    assert workspace.send(body, secret="not-the-secret").status_code == 401
    assert workspace.send(body, age=6 * 60).status_code == 401
    timestamp = str(int(time.time()))
    altered = requests.post(
        workspace.url,
        data=person.message_body("my hands are numb"),
        headers={
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(SECRET, timestamp, body),
        },
        timeout=30,
    )
    assert altered.status_code == 401
    quiet()
    assert person.posts() == []


def test_url_verification_answers_the_challenge(workspace: SlackWorkspace) -> None:
    body = json.dumps({"token": "unused", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}).encode()
    response = workspace.send(body)
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_a_complaint_gets_the_screening_question_with_all_nine_buttons(person: SlackPerson) -> None:
    person.say("my neck is stiff")

    question = person.wait_for("I'm not a doctor")

    assert question["blocks"][0] == {"type": "section", "text": {"type": "mrkdwn", "text": question["text"]}}
    rows = [block["elements"] for block in question["blocks"] if block["type"] == "actions"]
    assert [len(row) for row in rows] == [5, 4]
    assert [(b["text"]["text"], b["value"]) for b in buttons(question)] == [
        (b["title"], b["payload"]) for b in SCREENING.buttons
    ]
    assert len({b["action_id"] for b in buttons(question)}) == 9


def test_buttons_walk_through_a_technique_to_the_last_step(person: SlackPerson, fake_slack: FakeSlack) -> None:
    person.say("my neck is stiff")
    question = person.wait_for("I'm not a doctor")
    none_of_these = buttons(question)[0]
    assert none_of_these["text"]["text"] == "None of these"

    person.click(none_of_these["value"])
    # For the neck the bot asks whether someone can help: the first button is "On myself".
    helper_question = person.wait_for(HELPER_QUESTION.text)
    assert [b["value"] for b in buttons(helper_question)] == [b["payload"] for b in HELPER_QUESTION.buttons]
    person.click(buttons(helper_question)[0]["value"])
    person.wait_for("Let's try this: ")
    step = person.wait_for("Step 1 of ")
    assert [(b["text"]["text"], b["value"]) for b in buttons(step)] == [
        ("Next", "/next_step"),
        ("Repeat", "/repeat_step"),
        ("Back", "/previous_step"),
        ("Stop", "/stop_walkthrough"),
    ]
    step_count = int(re.match(r"Step 1 of (\d+):", step["text"]).group(1))
    assert step_count > 2

    for number in range(2, step_count + 1):
        person.click(buttons(step)[0]["value"])
        step = person.wait_for(f"Step {number} of {step_count}: ")
    person.click("/next_step")
    person.wait_for("That was the last step of ")
    assert all(call.headers["authorization"] == f"Bearer {TOKEN}" for call in fake_slack.calls())


def test_a_mention_in_a_channel_is_answered_in_that_channel(workspace: SlackWorkspace) -> None:
    person = SlackPerson(workspace, channel=new_id("C"))
    mention = {"type": "app_mention", "user": person.user, "channel": person.channel, "ts": f"{time.time():.6f}"}
    response = workspace.send(event_body({**mention, "text": f"<@{BOT_USER}> my neck is stiff"}))
    assert response.status_code == 200

    assert buttons(person.wait_for("I'm not a doctor"))[0]["value"] == "/deny"


def test_bot_posts_edits_and_channel_chatter_get_no_answer(workspace: SlackWorkspace) -> None:
    ignored = [
        SlackPerson(workspace).message_body("my neck is stiff", bot_id="B0OTHER"),
        SlackPerson(workspace).message_body("my neck is stiff", subtype="message_changed"),
        SlackPerson(workspace).message_body("my neck is stiff", subtype="bot_message"),
        SlackPerson(workspace).message_body("my neck is stiff", user=BOT_USER),
        SlackPerson(workspace, channel=new_id("C")).message_body("my neck is stiff", channel_type="channel"),
        event_body({"type": "reaction_added", "user": "U1", "reaction": "thumbsup"}),
    ]
    for body in ignored:
        response = workspace.send(body)
        assert response.status_code == 200, response.text
    answered = SlackPerson(workspace)
    answered.say("my neck is stiff")
    answered.wait_for("I'm not a doctor")
    quiet()
    answered_channels = {call.body["channel"] for call in workspace.fake.calls()}
    for body in ignored:
        assert json.loads(body)["event"].get("channel") not in answered_channels


def retry_headers(attempt: str, reason: str) -> dict[str, str]:
    return {"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": reason}


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "too_many_requests", "unknown_error"])
def test_a_retry_never_gets_a_second_answer(workspace: SlackWorkspace, reason: str) -> None:
    person = SlackPerson(workspace)
    body = person.message_body("my neck is stiff")
    assert workspace.send(body).status_code == 200
    person.wait_for("I'm not a doctor")

    for attempt in ("1", "2"):
        retry = workspace.send(body, headers=retry_headers(attempt, reason))
        assert retry.status_code == 200
        assert retry.headers["X-Slack-No-Retry"] == "1"
    only_retried = SlackPerson(workspace)
    retry = workspace.send(only_retried.message_body("my hands are numb"), headers=retry_headers("1", reason))
    assert retry.status_code == 200
    quiet()
    assert len(person.posts()) == 1
    assert only_retried.posts() == []


@pytest.mark.parametrize(
    "form",
    [
        {"command": "/kneadle", "text": "my neck", "user_id": "U1", "channel_id": "D1", "team_id": TEAM},
        {"ssl_check": "1", "token": "unused"},
        {"payload": json.dumps({"type": "view_submission", "user": {"id": "U1"}, "view": {"id": "V1"}})},
        {"payload": json.dumps({"type": "shortcut", "callback_id": "kneadle", "user": {"id": "U1"}})},
        {"payload": json.dumps({"type": "message_action", "callback_id": "kneadle", "channel": {"id": "C1"}})},
    ],
    ids=["slash_command", "ssl_check", "view_submission", "shortcut", "message_action"],
)
def test_other_slack_requests_get_a_200(workspace: SlackWorkspace, form: dict[str, str]) -> None:
    response = workspace.send(urlencode(form).encode(), "application/x-www-form-urlencoded")
    assert response.status_code == 200, response.text


def test_json_with_a_charset_is_read(person: SlackPerson) -> None:
    person.say("my neck is stiff", content_type="application/json; charset=utf-8")
    person.wait_for("I'm not a doctor")


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{" + b" " * (1024 * 1024 + 10) + b"}", "application/json", 413),
        (b"", "application/json", 400),
        (b'{"type": "event_callback", "event": ', "application/json", 400),
        (b"[]", "application/json", 400),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded", 400),
        (b"nothing we know", "application/x-www-form-urlencoded", 400),
        (b"hello", "text/plain", 415),
    ],
    ids=["oversized", "empty", "malformed_json", "json_array", "malformed_payload", "malformed_form", "text"],
)
def test_bad_bodies_get_a_4xx_and_no_traceback(
    workspace: SlackWorkspace, slack_rasa: Server, body: bytes, content_type: str, status: int
) -> None:
    response = workspace.send(body, content_type)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert "error" in response.json()
    assert "Traceback" not in slack_rasa.log_tail(200)


def test_a_red_flag_escalates(person: SlackPerson) -> None:
    person.say(RED_FLAG_TEXT)
    escalation = person.wait_for("🚨")
    assert "call 112 now" in escalation["text"]
    assert "](tel:" not in escalation["text"]


def test_an_escalation_links_the_emergency_number(person: SlackPerson) -> None:
    person.say(RED_FLAG_TEXT)
    escalation = person.wait_for("🚨", timeout=30)
    assert "<tel:112|Call 112>" in escalation["text"]


def test_a_timed_step_reminder_arrives_by_itself(person: SlackPerson) -> None:
    person.say("my hands are numb")
    person.click(buttons(person.wait_for("I'm not a doctor"))[0]["value"])
    person.wait_for("Step 1 of 10")
    person.click("/next_step")
    person.wait_for("Step 2 of 10")
    person.click("/next_step")
    person.wait_for("Step 3 of 10")
    offer = person.wait_for("Want me to check back in 1–2 minutes?")
    (check_back,) = [b for b in buttons(offer) if b["value"] == "/start_step_timer"]

    person.click(check_back["value"])
    person.wait_for("I'll check back in ")
    # Nothing more is sent: with the action server's timer scale of 0.01, about a second later.
    person.wait_for("Time's up for step 3.", timeout=30)

    # The HTTP API reaches the person too, through the channel they last wrote on.
    sender_id = f"{TEAM}:{person.channel}:{person.user}"
    response = trigger_intent(person.workspace.server.url, sender_id, "step_time_up")
    assert response.status_code == 200, response.text
    person.wait_for("Time's up for step 3.", timeout=30)


def test_a_steps_picture_is_an_image_block_with_alt_text(person: SlackPerson) -> None:
    pictures = pytest.importorskip("kneadle.pictures").default_pictures()
    person.say("my hands are numb")
    person.click("/deny")
    person.wait_for("Step 1 of 10")
    person.click("/next_step")
    step_2 = person.wait_for("Step 2 of 10")
    person.click("/next_step")
    step_3 = person.wait_for("Step 3 of 10: Thumb circles on your palm")

    posts = person.posts()
    between = posts[posts.index(step_2) + 1 : posts.index(step_3)]
    images = [post["blocks"][0] for post in between if post["blocks"][0]["type"] == "image"]
    assert images, "step 3 of the hand massage names the palm, which has a picture"
    alt_texts = {picture.alt for picture in pictures.pictures.values()}
    for image in images:
        assert image["image_url"].endswith(".png")
        assert image["alt_text"] in alt_texts


def test_slacks_refusal_is_logged(workspace: SlackWorkspace, slack_rasa: Server) -> None:
    person = SlackPerson(workspace)
    workspace.fake.refuse(person.channel, "not_in_channel")
    person.say("my neck is stiff")
    person.wait_for("I'm not a doctor")
    deadline = time.monotonic() + 10
    while "not_in_channel" not in slack_rasa.log_tail(200) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert f"Slack refused chat.postMessage to {person.channel} (HTTP 200): not_in_channel" in slack_rasa.log_tail(200)


def test_without_its_secrets_the_slack_channel_is_off_and_the_server_runs(rasa: Server) -> None:
    """The project's own credentials.yml, no Slack variables: the default run."""
    if os.environ.get(TOKEN_VARIABLE) or os.environ.get(SECRET_VARIABLE):
        pytest.skip("Slack variables are set in this environment")
    response = requests.post(f"{rasa.url}/webhooks/slack/webhook", data=b"{}", timeout=30)
    assert response.status_code == 503
    assert TOKEN_VARIABLE in response.json()["error"]
    assert "Slack channel is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET" in rasa.log_path.read_text()
