"""Hand a person's message to Rasa so that a failure inside the server is never silence.

Rasa lets an exception out of message handling when a store is lost mid-run (the Redis lock store
cannot lock, for example). Every connector of ours passes messages on through here, so the person
gets a short apology on any channel instead of no answer; the log names the sender and the
exception's type, never the text (it is health data).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage

from kneadle.messages import default_messages

logger = logging.getLogger(__name__)

APOLOGY = "handling_failed"


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
