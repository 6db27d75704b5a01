"""channels/handling.py: a failure inside the Rasa server reaches the person as an apology, never silence."""

from __future__ import annotations

import asyncio
import logging

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from channels.handling import APOLOGY, handle_or_apologise
from kneadle.messages import default_messages

SECRET_TEXT = "my chest hurts and nobody knows"


def message(output: CollectingOutputChannel) -> UserMessage:
    return UserMessage(SECRET_TEXT, output, "person-1", input_channel="socketio")


def test_a_failure_gets_the_apology_and_the_log_keeps_the_text_out(caplog: pytest.LogCaptureFixture) -> None:
    async def lock_store_lost(_: UserMessage) -> None:
        raise ConnectionError(f"cannot lock while handling {SECRET_TEXT!r}")

    output = CollectingOutputChannel()
    with caplog.at_level(logging.INFO):
        asyncio.run(handle_or_apologise(lock_store_lost, message(output)))
    assert [reply["text"] for reply in output.messages] == [default_messages().text(APOLOGY)]
    assert "person-1" in caplog.text and "ConnectionError" in caplog.text
    assert SECRET_TEXT not in caplog.text


def test_a_handled_message_gets_only_the_bots_replies() -> None:
    async def answer(incoming: UserMessage) -> None:
        await incoming.output_channel.send_text_message(incoming.sender_id, "Step 1 of 10")

    output = CollectingOutputChannel()
    asyncio.run(handle_or_apologise(answer, message(output)))
    assert [reply["text"] for reply in output.messages] == ["Step 1 of 10"]
