"""A health check for load balancers and orchestrators: GET /webhooks/health/.

Named in credentials.yml as `channels.health.HealthInput` (setting: timeout_seconds, default 3).
Rasa's own GET / and GET /status say only that the process runs (and /status needs the HTTP
API); neither notices a lost tracker store, which Rasa 3.6 hides behind an in-memory one.
This answers 200 {"status": "ok", ...} when the model is loaded and the tracker store and lock
store answer, else 503 {"status": "down", "down": [...]} naming what is down. With the embedded
defaults (SQLite, no lock store) it answers ok. It reads no conversation and shows no address.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from kneadle.store_health import StoreReport, lock_store_kind, probe_lock_store, probe_tracker_store, tracker_store_kind

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 3.0


class HealthInput(InputChannel):
    """Not a chat channel: only the health route under /webhooks/health/."""

    def __init__(self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.timeout_seconds = timeout_seconds

    @classmethod
    def name(cls) -> str:
        return "health"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> HealthInput:
        settings = credentials or {}
        try:
            timeout = float(settings.get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS))
        except (TypeError, ValueError) as error:
            raise ValueError("channels.health.HealthInput: timeout_seconds must be a number of seconds") from error
        return cls(timeout if timeout > 0 else DEFAULT_TIMEOUT_SECONDS)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("kneadle_health", __name__)

        @health.route("/", methods=["GET"])
        async def check(request: Request) -> HTTPResponse:
            body, status = await self.status(getattr(request.app.ctx, "agent", None))
            return response.json(body, status=status)

        return health

    async def status(self, agent: Any) -> tuple[dict[str, Any], int]:
        """The health answer for a Rasa agent (None before the model is loaded) and its HTTP status."""
        if agent is None or not agent.is_ready():
            return {"status": "down", "down": ["model"]}, 503
        reports = await asyncio.gather(
            self._probe(probe_tracker_store, agent.tracker_store, "tracker_store", tracker_store_kind),
            self._probe(probe_lock_store, agent.lock_store, "lock_store", lock_store_kind),
        )
        down = [report.label for report in reports if not report.up]
        body: dict[str, Any] = {"status": "down" if down else "ok"}
        if down:
            body["down"] = down
        body.update({report.role: report.as_json() for report in reports})
        return body, 503 if down else 200

    async def _probe(
        self, probe: Callable[[Any], StoreReport], store: Any, role: str, kind: Callable[[Any], str]
    ) -> StoreReport:
        """The probe in a worker thread (drivers block); no answer in time counts as down."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(probe, store), self.timeout_seconds)
        except asyncio.TimeoutError:
            report = StoreReport(role, kind(store), False)
            logger.error("Health: the %s did not answer within %ss", report.label, self.timeout_seconds)
            return report
