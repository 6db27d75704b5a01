"""What the webhook checks before reading an update: the channel is on, the request carries the
secret, and the body is one JSON object of a sane size. Anything else is a 4xx, never a 500."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from channels.telegram.settings import SECRET_HEADER, TOKEN_VARIABLE, TelegramSettings

# Telegram's updates are a few kilobytes; a megabyte is far more than any needs.
MAX_BODY_BYTES = 1_000_000


@dataclass(frozen=True)
class Refusal:
    status: int
    error: str


def check_request(settings: TelegramSettings, secret_header: str | None, body: bytes) -> Refusal | dict[str, Any]:
    """The update in a webhook request, or why the request is refused."""
    if not settings.token:
        return Refusal(503, f"the Telegram channel is off: {TOKEN_VARIABLE} is not set")
    if settings.webhook_secret is not None:
        if secret_header is None:
            return Refusal(401, f"missing {SECRET_HEADER} header")
        if not settings.secret_matches(secret_header):
            return Refusal(403, f"wrong {SECRET_HEADER} header")
    if len(body) > MAX_BODY_BYTES:
        return Refusal(413, f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        update = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return Refusal(400, "the body is not JSON")
    if not isinstance(update, dict):
        return Refusal(400, "the body is not a JSON object")
    if not isinstance(update.get("update_id"), int) or isinstance(update.get("update_id"), bool):
        return Refusal(400, "not a Telegram update: no integer update_id")
    return update
