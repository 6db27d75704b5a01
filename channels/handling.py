"""Hand a person's message to Rasa: its text capped, its metadata checked, and a failure inside
the server never silence. Every connector of ours passes messages on through here.

Rasa lets an exception out of message handling when a store is lost mid-run (the Redis lock store
cannot lock, for example). Every connector of ours passes messages on through here, so the person
gets a short apology on any channel instead of no answer; the log names the sender and the
exception's type, never the text (it is health data).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from kneadle.messages import default_messages

logger = logging.getLogger(__name__)

APOLOGY = "handling_failed"
DEFAULT_MAX_MESSAGE_LENGTH = 2000
MAX_METADATA_CHARS = 2000


def cut(text: str, limit: int) -> str:
    """The text shortened to at most `limit` characters, at the last space if there is one near the end."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space] if space > limit * 0.8 else head


async def cut_with_note(text: str, limit: int, output: OutputChannel, sender_id: str) -> str:
    """The text cut to `limit` characters; when it had to be cut, the person is told first."""
    if len(text) <= limit:
        return text
    await output.send_text_message(sender_id, default_messages().text("webchat_message_cut", limit=str(limit)))
    return cut(text, limit)


def metadata_of(raw: Any) -> dict[str, Any]:
    """The message's metadata as a dict: a dict, or a JSON object in a string; anything else is none."""
    if isinstance(raw, str):
        if len(raw) > MAX_METADATA_CHARS:
            return {}
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    if not isinstance(raw, dict):
        return {}
    if len(json.dumps(raw, default=str)) > MAX_METADATA_CHARS:
        return {}
    return raw


async def handle_or_apologise(on_new_message: Callable[[UserMessage], Awaitable[Any]], message: UserMessage) -> None:
    """`on_new_message(message)`; if it raised, the apology through the message's own output channel."""
    try:
        await on_new_message(message)
    except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
        # The exception's type only: its message or traceback could quote the person's text.
        logger.error(
            "Handling a %s message from %s failed: %s.", message.input_channel, message.sender_id, type(error).__name__
        )
        logger.debug("The failure in full:", exc_info=True)
        await message.output_channel.send_text_message(message.sender_id, default_messages().text(APOLOGY))
