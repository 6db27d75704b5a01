"""The bot's replies, sent to Telegram: text (with an inline keyboard for buttons) and photos.

The chat (and forum topic) come from the recipient id, Rasa's sender id, so a reminder or the
HTTP API's trigger_intent reaches the chat with no context. In a group the first reply to a
message quotes it, so people see whom the bot is answering.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import OutputChannel

from channels.telegram.api import BotApi
from channels.telegram.render import chunks, keyboard, plain_text
from channels.telegram.updates import Address, address_of

logger = logging.getLogger(__name__)

CHANNEL_NAME = "telegram"
PHOTO_SCHEMES = ("https://", "http://")


class TelegramOutput(OutputChannel):
    """Sends one conversation's replies; `reply_to` is quoted by the first message sent."""

    def __init__(self, api: BotApi, reply_to: int | None = None) -> None:
        self.api = api
        self.reply_to = reply_to

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for part in chunks(plain_text(text or "")):
            await self._send("sendMessage", recipient_id, {"text": part})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """The text with the buttons as an inline keyboard under its last part."""
        parts = chunks(plain_text(text or ""))
        markup = keyboard(buttons or [])
        if not parts:
            logger.warning("Telegram: buttons without text cannot be sent; dropped %d buttons", len(buttons or []))
            return
        for part in parts[:-1]:
            await self._send("sendMessage", recipient_id, {"text": part})
        last: dict[str, Any] = {"text": parts[-1]}
        if markup:
            last["reply_markup"] = markup
        await self._send("sendMessage", recipient_id, last)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        """A photo from a URL Telegram fetches itself (so it must be reachable from Telegram)."""
        if not isinstance(image, str) or not image.startswith(PHOTO_SCHEMES):
            logger.warning("Telegram: not sending an image that is not an http(s) URL: %.80r", image)
            return
        await self._send("sendPhoto", recipient_id, {"photo": image})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        """A custom payload's "text" (and "buttons"), if it has one; other custom payloads are
        for other channels."""
        text = json_message.get("text") if isinstance(json_message, dict) else None
        if not isinstance(text, str):
            logger.debug("Telegram: a custom payload without text is not sent")
            return
        buttons = json_message.get("buttons")
        if isinstance(buttons, list) and buttons:
            await self.send_text_with_buttons(recipient_id, text, buttons)
        else:
            await self.send_text_message(recipient_id, text)

    async def _send(self, method: str, recipient_id: str, fields: dict[str, Any]) -> None:
        address = address_of(recipient_id)
        if address is None:
            logger.error("Telegram: %r is not a Telegram conversation; %s not sent", recipient_id, method)
            return
        await self.api.call(method, self._payload(address, fields))

    def _payload(self, address: Address, fields: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {"chat_id": address.chat_id, **fields}
        if address.thread_id is not None:
            payload["message_thread_id"] = address.thread_id
        if self.reply_to is not None:
            payload["reply_parameters"] = {"message_id": self.reply_to, "allow_sending_without_reply": True}
            self.reply_to = None
        return payload
