"""The REST channel (POST /webhooks/rest/webhook {"sender", "message"}), with its input checked.

Rasa's stock connector (rasa/core/channels/rest.py, 3.6) answers 500 to a body that is empty, not a
JSON object or not UTF-8; passes a missing sender or a message that is not a string into the bot;
trusts a client's `input_channel` (so a REST client could claim to be the widget); answers `[]` when
handling the message raised; and logs the message text with that error. This connector keeps the
name "rest" (so the URL and the domain's channel variants stay the same) and:

- answers a short JSON error with a 4xx for a body it cannot use (413: over `max_body_bytes`;
  400: not UTF-8 JSON, whatever its Content-Type, not an object, no sender, a message that is not
  a string); a blank message is answered by the bot, as stock Rasa does;
- ignores fields it does not know (`input_channel` included) and metadata that is not a small object;
- cuts a message over `max_message_length` like the web widget does (channels/webchat.py), with
  the same note first;
- answers a short apology (channels/handling.py) if handling the message raised;
- never logs the message text (it is health data): only the sender id and what went wrong.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.handling import DEFAULT_MAX_MESSAGE_LENGTH, cut_with_note, handle_or_apologise, metadata_of

logger = logging.getLogger(__name__)

# A message and its metadata fit many times over; a client that sends more is refused unread.
DEFAULT_MAX_BODY_BYTES = 64 * 1024
# A conversation id: printable, no spaces or slashes (it is also a URL path segment of the HTTP API).
SENDER_ID = re.compile(r"[^\s/\\\x00-\x1f\x7f]{1,128}")


class BadRequest(Exception):
    """A request this channel will not pass to the bot: the status and the short reason to answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def parse_body(request: Request, max_body_bytes: int) -> dict[str, Any]:
    """The request's JSON object, or BadRequest saying why there is none.

    The Content-Type is not checked, as stock Rasa does not: `curl -d '{...}'`, as our docs show,
    sends a JSON body labelled form-encoded. A body that is not JSON is refused all the same."""
    body = request.body or b""
    if len(body) > max_body_bytes:
        raise BadRequest(413, f"the body is over {max_body_bytes} bytes")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "the body is not valid UTF-8 JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(400, 'the body must be a JSON object like {"sender": "...", "message": "..."}')
    return data


def sender_of(data: dict[str, Any]) -> str:
    """The conversation id, or BadRequest if it is missing or not a short printable string."""
    sender = data.get("sender")
    if not isinstance(sender, str) or not SENDER_ID.fullmatch(sender):
        raise BadRequest(400, "sender must be a string of 1 to 128 printable characters without spaces or /")
    return sender


class RestInput(InputChannel):
    """Rasa's REST channel with checked input (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            max_message_length=int(credentials.get("max_message_length", DEFAULT_MAX_MESSAGE_LENGTH)),
            max_body_bytes=int(credentials.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
        )

    def __init__(
        self, max_message_length: int = DEFAULT_MAX_MESSAGE_LENGTH, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    ) -> None:
        if max_message_length < 1 or max_body_bytes < 1:
            raise ValueError("max_message_length and max_body_bytes must be at least 1")
        self.max_message_length = max_message_length
        self.max_body_bytes = max_body_bytes

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("kneadle_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                data = parse_body(request, self.max_body_bytes)
                sender = sender_of(data)
                text = data.get("message")
                if not isinstance(text, str):
                    raise BadRequest(400, "message must be a string")
            except BadRequest as error:
                logger.info("Refused a REST request: %s (%s).", error.reason, error.status)
                return response.json({"error": error.reason}, status=error.status)
            return response.json(await self.answer(on_new_message, sender, text, data.get("metadata")))

        return webhook

    async def answer(
        self, on_new_message: Callable[[UserMessage], Awaitable[Any]], sender: str, text: str, metadata: Any
    ) -> list[dict[str, Any]]:
        """The bot's replies to one message; the apology instead of nothing if handling it raised."""
        collector = CollectingOutputChannel()
        text = await cut_with_note(text, self.max_message_length, collector, sender)
        message = UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata_of(metadata))
        await handle_or_apologise(on_new_message, message)
        return collector.messages
