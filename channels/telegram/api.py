"""Calls to the Telegram Bot API (or a self-hosted Bot API server) over aiohttp.

Every answer is checked for `ok`; failures are logged with Telegram's description and never
raised, so one undeliverable message does not break a conversation. The token is part of every
URL, so it is kept out of every log line.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20
# Telegram asks a flooding bot to wait ("retry_after"); a short wait is taken once, a long one is not.
MAX_RETRY_AFTER_SECONDS = 5


@dataclass(frozen=True)
class ApiAnswer:
    ok: bool
    result: Any = None
    description: str = ""
    error_code: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class BotApi:
    base_url: str
    token: str = field(repr=False)
    timeout: float = TIMEOUT_SECONDS

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        """Telegram's `result`, or None (logged) if the call failed."""
        answer = await self.request(method, payload)
        if answer.ok:
            return answer.result
        if answer.retry_after is not None and answer.retry_after <= MAX_RETRY_AFTER_SECONDS:
            await asyncio.sleep(answer.retry_after)
            answer = await self.request(method, payload)
            if answer.ok:
                return answer.result
        logger.error("Telegram %s failed: %s %s", method, answer.error_code or "", answer.description)
        return None

    async def request(self, method: str, payload: dict[str, Any]) -> ApiAnswer:
        """One call; whatever happens comes back as an ApiAnswer."""
        url = f"{self.base_url}/bot{self.token}/{method}"
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session,
                session.post(url, json=payload) as response,
            ):
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            return ApiAnswer(False, description=self._redacted(f"{type(error).__name__}: {error}"))
        if not isinstance(body, dict):
            return ApiAnswer(False, description=f"HTTP {status}, not a Bot API answer", error_code=status)
        parameters = body.get("parameters") if isinstance(body.get("parameters"), dict) else {}
        retry_after = parameters.get("retry_after")
        return ApiAnswer(
            ok=body.get("ok") is True,
            result=body.get("result"),
            description=str(body.get("description") or ""),
            error_code=body.get("error_code") if isinstance(body.get("error_code"), int) else status,
            retry_after=float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    def _redacted(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text
