"""What the Slack connector makes of a request (signature, retries, events, clicks, bad bodies),
whether it is on, and what it posts, without a Rasa server."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sanic.compat import Header

from channels.slack.api import SlackWebApi
from channels.slack.connector import SECRET_VARIABLE, TOKEN_VARIABLE, SlackInput, SlackOutput
from channels.slack.incoming import Answer, PersonMessage, channel_of, read_request
from channels.slack.signature import is_valid, signature
from tests.integration.fake_slack import FakeSlack

SECRET = "unit-test-secret"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def signed(body: bytes, content_type: str = JSON, secret: str = SECRET, age: int = 0, **extra: str) -> Header:
    timestamp = str(int(time.time()) - age)
    return Header(
        {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature(secret, timestamp, body),
            **extra,
        }
    )


def event(**fields: Any) -> bytes:
    """An Events API message event to the bot; a field given as None is left out."""
    base = {"type": "message", "user": "U1", "channel": "D1", "channel_type": "im", "text": "hello"}
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": "T1",
            "event": {key: value for key, value in {**base, **fields}.items() if value is not None},
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        }
    ).encode()


def form(**fields: str) -> bytes:
    return urlencode(fields).encode()


@pytest.fixture
def slack() -> SlackInput:
    return SlackInput("xoxb-unit", SECRET, "http://127.0.0.1:9/api")


# --- signature -------------------------------------------------------------------------------


def test_a_signature_made_with_the_secret_over_timestamp_and_body_is_valid() -> None:
    body = b'{"type":"url_verification"}'
    now = time.time()
    stamp = str(int(now))
    assert is_valid(SECRET, stamp, signature(SECRET, stamp, body), body, now)
    assert not is_valid(SECRET, stamp, signature("other", stamp, body), body, now)
    assert not is_valid(SECRET, stamp, signature(SECRET, stamp, body), body + b" ", now)
    assert not is_valid(SECRET, stamp, signature(SECRET, stamp, body), body, now + 301)
    assert not is_valid(SECRET, stamp, signature(SECRET, stamp, body), body, now - 301)
    assert not is_valid(SECRET, "not-a-number", "v0=00", body, now)
    assert not is_valid(SECRET, None, None, body, now)
    assert not is_valid(SECRET, stamp, "v0=é", body, now)
    assert not is_valid("", stamp, signature("", stamp, body), body, now)


def test_the_signature_is_slacks_documented_example() -> None:
    # From Slack's "Verifying requests from Slack" guide.
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
        b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
        b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
        b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert signature("8f742231b10e8888abcd99yyyzzz85a5", "1531420618", body) == expected


def test_unsigned_wrongly_signed_and_stale_requests_are_refused(slack: SlackInput) -> None:
    body = event()
    assert slack.check(Header({"Content-Type": JSON}), body).status == 401
    assert slack.check(signed(body, secret="wrong"), body).status == 401
    assert slack.check(signed(body, age=6 * 60), body).status == 401
    assert isinstance(slack.check(signed(body, age=4 * 60), body), PersonMessage)


@pytest.mark.parametrize("reason", ["http_timeout", "http_error", "too_many_requests", "unknown_error", ""])
def test_a_retry_for_any_reason_is_acknowledged_and_not_answered(slack: SlackInput, reason: str) -> None:
    body = event()
    outcome = slack.check(signed(body, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": reason}), body)
    assert outcome == Answer(200, headers={"X-Slack-No-Retry": "1"})


# --- events ----------------------------------------------------------------------------------


def test_url_verification_answers_the_challenge() -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"}).encode()
    assert read_request(JSON, body) == Answer(200, {"challenge": "abc123"})


def test_a_direct_message_is_the_persons_message_in_their_conversation() -> None:
    message = read_request("application/json; charset=utf-8", event(text="my neck &amp; back"))
    assert message == PersonMessage("my neck & back", "T1", "D1", "U1", "message")
    assert message.sender_id == "T1:D1:U1"
    assert channel_of(message.sender_id) == "D1"


def test_a_file_shared_with_a_comment_is_read_as_the_comment() -> None:
    message = read_request(JSON, event(subtype="file_share", text="this is where it hurts"))
    assert message == PersonMessage("this is where it hurts", "T1", "D1", "U1", "message")


def test_a_mention_is_read_without_the_mention() -> None:
    body = event(type="app_mention", channel="C9", channel_type=None, text="<@UBOT> my neck is stiff")
    assert read_request(JSON, body) == PersonMessage("my neck is stiff", "T1", "C9", "U1", "app_mention")


@pytest.mark.parametrize(
    "fields",
    [
        {"bot_id": "B1"},
        {"subtype": "message_changed"},
        {"subtype": "bot_message"},
        {"subtype": "message_deleted"},
        {"subtype": ""},
        {"user": "UBOT"},
        {"channel": "C9", "channel_type": "channel"},
        {"text": "<@UBOT>"},
        {"type": "reaction_added"},
        {"user": None},
    ],
)
def test_events_that_are_not_a_person_talking_to_the_bot_are_acknowledged_and_ignored(fields: dict[str, Any]) -> None:
    outcome = read_request(JSON, event(**fields))
    assert isinstance(outcome, Answer) and outcome.status == 200 and outcome.body is None


def test_a_button_click_is_the_buttons_payload_in_the_same_conversation_as_typing() -> None:
    payload = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1"},
        "team": {"id": "T1"},
        "channel": {"id": "D1"},
        "actions": [{"type": "button", "action_id": "kneadle-button-0", "value": "/deny"}],
    }
    message = read_request(FORM, form(payload=json.dumps(payload)))
    assert message == PersonMessage("/deny", "T1", "D1", "U1", "button")
    assert message.sender_id == read_request(JSON, event()).sender_id


@pytest.mark.parametrize(
    "body",
    [
        form(command="/kneadle", text="hi", user_id="U1", channel_id="D1"),
        form(ssl_check="1", token="x"),
        form(payload=json.dumps({"type": "view_submission", "view": {}})),
        form(payload=json.dumps({"type": "shortcut", "callback_id": "x"})),
        form(payload=json.dumps({"type": "message_action", "callback_id": "x"})),
        form(payload=json.dumps({"type": "block_actions", "actions": []})),
        json.dumps({"type": "app_rate_limited"}).encode(),
    ],
)
def test_other_slack_requests_get_a_200_and_nothing_else(body: bytes) -> None:
    content_type = JSON if body.startswith(b"{") else FORM
    assert read_request(content_type, body).status == 200


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [
        (JSON, b"", 400),
        (JSON, b"   ", 400),
        (JSON, b"{", 400),
        (JSON, b"[1, 2]", 400),
        (JSON, b'{"no": "type"}', 400),
        (JSON, b'{"type": "event_callback", "event": "x"}', 400),
        (JSON, b'{"type": "url_verification"}', 400),
        (JSON, b"\xff\xfe{", 400),
        ("application/json; charset=klingon", b"{}", 400),
        (FORM, b"payload=not-json", 400),
        (FORM, b"payload=%5B%5D", 400),
        (FORM, b"just words", 400),
        (FORM, b"other=1", 400),
        ("text/plain", b"hello", 415),
        ("", b"hello", 415),
    ],
)
def test_bad_bodies_are_refused_with_a_4xx(content_type: str, body: bytes, status: int) -> None:
    assert read_request(content_type, body).status == status


# --- on or off -------------------------------------------------------------------------------


def test_without_its_secrets_the_channel_is_off_and_says_which_are_missing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(TOKEN_VARIABLE, raising=False)
    monkeypatch.setenv(SECRET_VARIABLE, "set")
    with caplog.at_level(logging.WARNING):
        channel = SlackInput.from_credentials(None)
    assert not channel.enabled
    assert channel.get_output_channel() is None
    assert [r.getMessage() for r in caplog.records if "Slack" in r.getMessage()] == [
        "Slack channel is off: set SLACK_BOT_TOKEN to turn it on (its webhook answers 503 until then)"
    ]


def test_with_its_secrets_the_channel_is_on_and_uses_the_configured_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN_VARIABLE, "xoxb-1")
    monkeypatch.setenv(SECRET_VARIABLE, "s")
    channel = SlackInput.from_credentials({"api_url": "http://127.0.0.1:1/api/"})
    assert channel.enabled and channel.name() == "slack"
    output = channel.get_output_channel()
    assert isinstance(output, SlackOutput) and output.name() == "slack"
    assert channel.api.api_url == "http://127.0.0.1:1/api"


# --- posting ---------------------------------------------------------------------------------


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


async def test_replies_are_posted_with_the_bot_token_to_the_conversations_channel(fake_slack: FakeSlack) -> None:
    output = SlackOutput(SlackWebApi("xoxb-unit", fake_slack.api_url))

    await output.send_response("T1:D1:U1", {"text": "Step 1", "buttons": [{"title": "Next", "payload": "/next_step"}]})
    await output.send_response("T1:D1:U1", {"image": "https://example.org/a.png"})

    first, second = fake_slack.calls()
    assert first.method == "chat.postMessage"
    assert first.headers["authorization"] == "Bearer xoxb-unit"
    assert first.headers["content-type"].startswith("application/json")
    assert first.body["channel"] == "D1" and first.body["text"] == "Step 1"
    assert first.body["blocks"][1]["elements"][0]["value"] == "/next_step"
    assert second.body["blocks"][0]["type"] == "image"


async def test_slacks_refusal_is_logged_with_its_reason(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake_slack.refuse("C5", "not_in_channel")
    api = SlackWebApi("xoxb-unit", fake_slack.api_url)
    with caplog.at_level(logging.ERROR):
        assert not await api.post_message("C5", {"text": "hi"})
    assert "not_in_channel" in caplog.text


async def test_an_unreachable_api_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    api = SlackWebApi("xoxb-unit", "http://127.0.0.1:9/api")
    with caplog.at_level(logging.ERROR):
        assert not await api.post_message("D1", {"text": "hi"})
    assert "chat.postMessage to D1 failed" in caplog.text


async def test_a_conversation_that_is_not_from_slack_is_not_posted(
    fake_slack: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    output = SlackOutput(SlackWebApi("xoxb-unit", fake_slack.api_url))
    with caplog.at_level(logging.ERROR):
        await output.send_text_message("rest-user-1", "hi")
    assert fake_slack.calls() == []
    assert "not a Slack conversation" in caplog.text
