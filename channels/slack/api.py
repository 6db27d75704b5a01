"""Posting to Slack's Web API (chat.postMessage) without blocking the event loop.

Slack answers HTTP 200 with `{"ok": false, "error": ...}` when it refuses a message (a bad block,
a channel the bot is not in, a revoked token), so the JSON is checked and Slack's reason logged.
A 429 (rate limited) is retried once after the Retry-After Slack asks for, within a cap.
A failed post is logged and never raised: the conversation goes on, the next reply may arrive.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api"
TIMEOUT_SECONDS = 15
LONGEST_RETRY_WAIT_SECONDS = 30


class SlackWebApi:
    """The Web API methods the bot uses, at `api_url` (Slack's, or a fake one in tests)."""

    def __init__(self, token: str, api_url: str = DEFAULT_API_URL) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/")

    async def post_message(self, channel: str, message: dict[str, Any]) -> bool:
        """chat.postMessage to `channel`; True when Slack took it."""
        body = {**message, "channel": channel}
        for attempt in (1, 2):
            try:
                status, retry_after, answer = await self._call("chat.postMessage", body)
            except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
                logger.error("Slack chat.postMessage to %s failed: %s", channel, exc or type(exc).__name__)
                return False
            if status == 429 and attempt == 1:
                wait = min(retry_after, LONGEST_RETRY_WAIT_SECONDS)
                logger.warning("Slack rate-limits chat.postMessage; retrying in %ss", wait)
                await asyncio.sleep(wait)
                continue
            if isinstance(answer, dict) and answer.get("ok") is True:
                return True
            logger.error(
                "Slack refused chat.postMessage to %s (HTTP %s): %s",
                channel,
                status,
                _reason(answer),
            )
            return False
        return False

    async def _call(self, method: str, body: dict[str, Any]) -> tuple[int, float, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json; charset=utf-8"}
        timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(f"{self.api_url}/{method}", json=body, headers=headers) as response,
        ):
            text = await response.text()
            return response.status, _seconds(response.headers.get("Retry-After")), _json(text)


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _reason(answer: Any) -> str:
    if not isinstance(answer, dict):
        return f"not a JSON object: {str(answer)[:200]}"
    metadata = answer.get("response_metadata")
    details = metadata.get("messages") if isinstance(metadata, dict) else None
    reason = str(answer.get("error") or "no error given")
    return f"{reason} {details}" if details else reason


def _seconds(value: str | None) -> float:
    try:
        return max(0.0, float(value or 1))
    except ValueError:
        return 1.0
