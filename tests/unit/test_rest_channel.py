"""The REST channel's input checks and its answer when the bot fails (channels/rest.py), and the
HTTP API body check (channels/api_guard.py), without a server."""

from __future__ import annotations

import asyncio
import logging
from types import SimpleNamespace
from typing import Any

import pytest
from rasa.core.channels.channel import UserMessage

from channels.api_guard import body_problem
from channels.rest import BadRequest, RestInput, parse_body, sender_of
from kneadle.messages import default_messages


def request(body: bytes) -> Any:
    return SimpleNamespace(body=body, headers={})


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"", 400), (b"{", 400), (b'{"a": "\xff"}', 400), (b"[1]", 400), (b'"text"', 400), (b"x" * 70_000, 413)],
)
def test_a_body_it_cannot_use_is_refused_with_a_reason(body: bytes, status: int) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_body(request(body), 65_536)
    assert refused.value.status == status


@pytest.mark.parametrize("sender", [None, "", 42, "a b", "a/b", "x" * 129, "tab\there"])
def test_a_bad_sender_is_refused(sender: Any) -> None:
    with pytest.raises(BadRequest):
        sender_of({"sender": sender})


def test_a_good_body_is_read_whatever_its_content_type() -> None:
    assert parse_body(request(b'{"sender": "me", "message": "hi", "extra": 1}'), 65_536)["sender"] == "me"
    assert sender_of({"sender": "shell-root:1.2"}) == "shell-root:1.2"


async def collect(channel: RestInput, text: str, fail: bool = False) -> tuple[list[dict[str, Any]], list[UserMessage]]:
    seen: list[UserMessage] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message)
        if fail:
            raise ConnectionError(f"lost the lock store while handling {message.text}")
        await message.output_channel.send_text_message(message.sender_id, "Step 1 of 10")

    return await channel.answer(on_new_message, "me", text, {"a": 1}), seen


def test_a_failure_inside_the_bot_is_answered_with_the_apology_and_no_text_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    replies, _ = asyncio.run(collect(RestInput(), "my secret-symptom sentence", fail=True))
    assert [reply["text"] for reply in replies] == [default_messages().text("handling_failed")]
    assert "secret-symptom" not in caplog.text and "ConnectionError" in caplog.text


def test_a_long_message_is_cut_with_the_widget_note_and_the_channel_is_rest() -> None:
    replies, seen = asyncio.run(collect(RestInput(max_message_length=10), "my hands are numb today"))
    assert replies[0]["text"] == default_messages().text("webchat_message_cut", limit="10")
    assert seen[0].text == "my hands a" and seen[0].input_channel == "rest" and seen[0].metadata == {"a": 1}


@pytest.mark.parametrize(
    ("method", "path", "body", "refused"),
    [
        ("POST", "/model/parse", b'{"text": "hi"}', False),
        ("POST", "/model/parse", b'{"message": "hi"}', True),
        ("POST", "/model/parse", b"\xff", True),
        ("POST", "/model/parse", b"[]", True),
        ("PUT", "/model", b"[]", True),
        ("PUT", "/model", b"", True),
        ("PUT", "/model", b'{"model_file": "models/kneadle.tar.gz"}', False),
        ("POST", "/conversations/a/b/tracker/events", b'[{"event": "restart"}]', False),
        ("POST", "/conversations/me/execute", b"{", True),
        ("POST", "/model/train", b"version: '3.1'", False),
        ("GET", "/status", b"{", False),
    ],
)
def test_the_api_body_check(method: str, path: str, body: bytes, refused: bool) -> None:
    assert (body_problem(method, path, body) is not None) == refused
