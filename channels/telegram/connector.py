"""Kneadle's Telegram channel: a webhook at /webhooks/telegram/webhook, replies via the Bot API.

Named in credentials.yml as `channels.telegram.TelegramInput` (setting: api_url). The token
(TELEGRAM_TOKEN) and the webhook secret (TELEGRAM_WEBHOOK_SECRET) come from the environment;
without the token the channel is off and its webhook answers 503.

Each update is answered 200 at once and handled in the background (Telegram resends an update it
waited too long for). Unlike Rasa 3.6's own connector, this one calls Telegram neither at
start-up nor per update, so the server starts offline; pointing Telegram at the webhook is a
separate command:

    .venv/bin/python -m channels.telegram set-webhook https://host/webhooks/telegram/webhook
"""

from __future__ import annotations

import logging
import os
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.background import BackgroundTasks
from channels.handling import handle_or_apologise
from channels.telegram.api import BotApi
from channels.telegram.output import CHANNEL_NAME, TelegramOutput
from channels.telegram.settings import SECRET_HEADER, SECRET_VARIABLE, TOKEN_VARIABLE, TelegramSettings
from channels.telegram.updates import NOTICE, TEXT, Routed, route_update
from channels.telegram.webhook import Refusal, check_request
from kneadle.messages import default_messages

logger = logging.getLogger(__name__)


class TelegramInput(InputChannel):
    """Telegram updates in, one conversation per person (also in groups)."""

    def __init__(self, settings: TelegramSettings) -> None:
        self.settings = settings
        self.tasks = BackgroundTasks("Telegram")

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> TelegramInput:
        return cls(TelegramSettings.from_sources(credentials, os.environ))

    def api(self) -> BotApi | None:
        if not self.settings.token:
            return None
        return BotApi(self.settings.api_url, self.settings.token)

    def get_output_channel(self) -> TelegramOutput | None:
        """For the HTTP API (trigger_intent with output_channel=latest): the chat comes from the
        conversation's sender id."""
        api = self.api()
        return TelegramOutput(api) if api else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        self._log_state()
        webhook = Blueprint("kneadle_telegram_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.settings.token else "off"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            checked = check_request(self.settings, request.headers.get(SECRET_HEADER), request.body or b"")
            if isinstance(checked, Refusal):
                return response.json({"error": checked.error}, status=checked.status)
            try:
                routed = route_update(checked, self.settings.bot_id)
            except Exception:  # Telegram resends a failed update: log it, answer 200
                logger.exception("Telegram: update %s could not be read", checked.get("update_id"))
            else:
                self.tasks.start(self.handle(routed, on_new_message))
            return response.json({"ok": True})

        return webhook

    async def handle(self, routed: Routed, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        """Acknowledge a tap first (the client shows a spinner until then), then pass the message on."""
        api = self.api()
        if api is None:
            return
        if routed.callback_query_id:
            await api.call("answerCallbackQuery", {"callback_query_id": routed.callback_query_id})
        output = TelegramOutput(api, reply_to=routed.reply_to)
        if routed.kind == TEXT:
            message = UserMessage(routed.text, output, routed.sender_id, input_channel=self.name())
            await handle_or_apologise(on_new_message, message)
        elif routed.kind == NOTICE:
            await output.send_text_message(routed.sender_id, default_messages().text(routed.notice))
        else:
            logger.debug("Telegram: ignored %s", routed.reason)

    def _log_state(self) -> None:
        """One line at start-up saying whether the channel is on, and if not, why."""
        if not self.settings.token:
            logger.warning("Telegram channel is off: set %s (from BotFather) to turn it on", TOKEN_VARIABLE)
        elif not self.settings.webhook_secret:
            logger.warning(
                "Telegram channel is on at %s without %s: anyone who finds the webhook can post updates",
                self.settings.api_url,
                SECRET_VARIABLE,
            )
        elif not self.settings.secret_is_valid():
            logger.warning("Telegram: %s may only hold A-Z, a-z, 0-9, _ and - (Telegram refuses it)", SECRET_VARIABLE)
        else:
            logger.info("Telegram channel is on (Bot API at %s)", self.settings.api_url)
