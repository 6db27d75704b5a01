"""Kneadle's Slack connector: `channels.slack.SlackInput` in credentials.yml.

One webhook, /webhooks/slack/webhook, takes Slack's Events API and Interactivity requests. A
request is checked in this order: channel on (else 503), body size (413), Slack's signature (401),
Slack's retry header (200 and nothing more: the first delivery is already being answered), then
its content (see channels.slack.incoming). A person's message is acknowledged at once, because
Slack wants a 200 within three seconds, and handled in a background task that posts the replies
through chat.postMessage.

What it fixes in Rasa 3.6's own Slack connector: more than five buttons were all dropped (the
screening question has nine), replies were plain text with Slack's &, <, > unescaped, retries for
any reason other than http_timeout were answered twice, `application/json; charset=utf-8` and
slash-command or modal requests ended in a 500, and a slow reply made Slack retry.

Settings in credentials.yml: `api_url` (default https://slack.com/api). Secrets only from the
environment: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET; without both the channel is off.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.background import BackgroundTasks
from channels.handling import handle_or_apologise
from channels.slack.api import DEFAULT_API_URL, SlackWebApi
from channels.slack.blocks import image_message, text_messages
from channels.slack.incoming import Answer, PersonMessage, channel_of, read_request
from channels.slack.signature import is_valid

logger = logging.getLogger(__name__)

CHANNEL_NAME = "slack"
TOKEN_VARIABLE = "SLACK_BOT_TOKEN"
SECRET_VARIABLE = "SLACK_SIGNING_SECRET"
# Slack's own events and clicks are a few kilobytes; a click carries the message it was on.
MAX_BODY_BYTES = 1024 * 1024
RETRY_HEADER = "X-Slack-Retry-Num"


class SlackOutput(OutputChannel):
    """Posts the bot's responses to the Slack channel named in the conversation's sender id, so the
    same object also serves reminders that fire later and the HTTP API's `output_channel=slack`."""

    def __init__(self, api: SlackWebApi) -> None:
        self.api = api

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    async def _post(self, recipient_id: str, messages: Sequence[dict[str, Any]]) -> None:
        channel = channel_of(recipient_id)
        if channel is None:
            logger.error("Slack: %r is not a Slack conversation (team:channel:user); reply not sent", recipient_id)
            return
        for message in messages:
            await self.api.post_message(channel, message)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._post(recipient_id, text_messages(text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._post(recipient_id, text_messages(text, buttons))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        alt_text = kwargs.get("alt_text")
        await self._post(recipient_id, [image_message(image, alt_text if isinstance(alt_text, str) else None)])

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """A response's `custom:` part is taken as a chat.postMessage body (text and/or blocks)."""
        message = {key: value for key, value in json_message.items() if key != "channel"}
        if not message.get("text") and not message.get("blocks"):
            logger.warning("Slack: a custom response without text or blocks was not sent: %s", sorted(message))
            return
        await self._post(recipient_id, [message])


class SlackInput(InputChannel):
    """Receives Slack's events and button clicks; see the module docstring."""

    def __init__(self, token: str, signing_secret: str, api_url: str = DEFAULT_API_URL) -> None:
        self.signing_secret = signing_secret
        self.api = SlackWebApi(token, api_url)
        self.enabled = bool(token and signing_secret)
        self.tasks = BackgroundTasks("Slack")

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> SlackInput:
        settings = credentials or {}
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        secret = os.environ.get(SECRET_VARIABLE, "").strip()
        channel = cls(token, secret, str(settings.get("api_url") or DEFAULT_API_URL))
        if not channel.enabled:
            missing = [name for name, value in ((TOKEN_VARIABLE, token), (SECRET_VARIABLE, secret)) if not value]
            logger.warning(
                "Slack channel is off: set %s to turn it on (its webhook answers 503 until then)",
                " and ".join(missing),
            )
        return channel

    def get_output_channel(self) -> OutputChannel | None:
        return SlackOutput(self.api) if self.enabled else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = Blueprint("kneadle_slack_webhook", __name__)

        @slack_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        @slack_webhook.route("/webhook", methods=["POST"], stream=True)
        async def webhook(request: Request) -> HTTPResponse:
            return await self.handle(request, on_new_message)

        return slack_webhook

    async def handle(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> HTTPResponse:
        if not self.enabled:
            error = f"the Slack channel is off: it needs {TOKEN_VARIABLE} and {SECRET_VARIABLE} set"
            return response.json({"error": error}, status=503)
        body = await read_body(request, MAX_BODY_BYTES)
        if body is None:
            logger.info("Slack: refused a body larger than %d bytes", MAX_BODY_BYTES)
            return response.json({"error": f"body larger than {MAX_BODY_BYTES} bytes"}, status=413)
        outcome = self.check(request.headers, body)
        if isinstance(outcome, Answer):
            if outcome.body is None:
                return response.empty(status=outcome.status, headers=outcome.headers)
            return response.json(outcome.body, status=outcome.status, headers=outcome.headers)
        self.tasks.start(self.answer(outcome, on_new_message))
        return response.empty(status=200)

    def check(self, headers: Mapping[str, str], body: bytes) -> PersonMessage | Answer:
        """A signed, first delivery's message for the bot, or the answer to give Slack now.
        `headers` must look names up regardless of case, as Sanic's do."""
        if not is_valid(
            self.signing_secret, headers.get("X-Slack-Request-Timestamp"), headers.get("X-Slack-Signature"), body
        ):
            logger.warning("Slack: refused a request with a missing, wrong or stale signature")
            return Answer(401, {"error": "invalid Slack signature"})
        if headers.get(RETRY_HEADER) is not None:
            # Rasa's connector answers retries other than http_timeout again; any retry of an event
            # we acknowledged would be a second answer, and one we failed on is better lost than doubled.
            logger.info(
                "Slack: ignored retry %s (%s); the first delivery is answered",
                headers.get(RETRY_HEADER),
                headers.get("X-Slack-Retry-Reason") or "no reason given",
            )
            return Answer(200, headers={"X-Slack-No-Retry": "1"})
        outcome = read_request(headers.get("Content-Type") or "", body)
        if isinstance(outcome, Answer):
            if outcome.status >= 400:
                logger.info("Slack: answered %s: %s", outcome.status, (outcome.body or {}).get("error"))
            elif outcome.note:
                logger.debug("Slack: %s", outcome.note)
        return outcome

    async def answer(self, message: PersonMessage, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Hand a person's message to Rasa; the replies go out through SlackOutput as they come."""
        await handle_or_apologise(
            on_new_message,
            UserMessage(
                message.text,
                SlackOutput(self.api),
                message.sender_id,
                input_channel=CHANNEL_NAME,
                metadata={"slack": {"kind": message.kind}},
            ),
        )


async def read_body(request: Request, limit: int) -> bytes | None:
    """The raw body (Slack signs the exact bytes), or None when it is larger than `limit`: the
    route streams, so a large body is refused by its Content-Length before it is read."""
    length = request.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    while (chunk := await request.stream.read()) is not None:
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
