"""Handle a webhook's message after answering the platform: Slack wants a 200 within 3 seconds
and Telegram resends an update it waited too long for, while Rasa may take longer. The replies go
out through the platform's API, so nothing needs the webhook's response."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

logger = logging.getLogger(__name__)


class BackgroundTasks:
    """The channel's running tasks, kept so none is collected mid-way; failures are logged."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.running: set[asyncio.Task[None]] = set()

    def start(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self.running.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self.running.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("%s: handling a message failed", self.channel, exc_info=task.exception())
