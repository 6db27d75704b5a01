"""Checks the bodies sent to Rasa's HTTP API before its handlers read them: bad JSON gets a 400.

Rasa 3.6's API handlers (rasa/server.py) answer 500 to a body that is not UTF-8 JSON, is a list
where they expect an object, or lacks a field they index (POST /model/parse without "text": a
KeyError). The API is on only with a token (`make server`), but a 500 is still the wrong answer
and fills the log with stack traces. Rasa loads no middleware of ours, so this is named in
credentials.yml like a channel (`channels.api_guard.ApiGuardInput`); it opens no route of its own
and, when Rasa registers it, adds one request middleware to the server that checks the JSON routes:

- the body must be UTF-8 JSON: an object (a list too for /conversations/<id>/tracker/events);
- POST /model/parse needs "text" to be a string.

Anything else goes to Rasa unchanged (the token check included: Rasa's handlers do it), and so do
the routes whose bodies are YAML (/model/train, /model/test/...). Only the reason is answered;
neither the body nor any of its text is logged.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

CONVERSATION = r"/conversations/[^?#]+"
# (method, path pattern, whether a JSON list is also fine)
JSON_ROUTES: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("POST", re.compile(CONVERSATION + r"/tracker/events"), True),
    ("PUT", re.compile(CONVERSATION + r"/tracker/events"), True),
    ("POST", re.compile(CONVERSATION + r"/(execute|trigger_intent|messages)"), False),
    ("POST", re.compile(r"/model/(parse|predict)"), True),
    ("PUT", re.compile(r"/model"), False),
)
PARSE = "/model/parse"


def body_problem(method: str, path: str, body: bytes) -> str | None:
    """Why Rasa's handler for this request would fail on its body; None if it is fine or not checked."""
    route = next((r for r in JSON_ROUTES if r[0] == method and r[1].fullmatch(path.rstrip("/"))), None)
    if route is None:
        return None
    try:
        data: Any = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        return "the body is not valid UTF-8 JSON"
    list_is_fine = route[2] and path.rstrip("/") != PARSE
    if not isinstance(data, dict) and not (list_is_fine and isinstance(data, list)):
        return "the body must be a JSON object"
    if path.rstrip("/") == PARSE and not isinstance(data.get("text"), str):
        return 'the body needs "text", a string'
    return None


async def check_api_body(request: Request) -> HTTPResponse | None:
    """Sanic request middleware: a 400 for a body Rasa's API handler cannot use."""
    problem = body_problem(request.method, request.path, request.body or b"")
    if problem is None:
        return None
    logger.info("Refused a %s %s request: %s.", request.method, request.path, problem)
    return response.json({"error": problem}, status=400)


class GuardBlueprint(Blueprint):
    """A blueprint with no routes that adds the body check to the whole server when registered."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        app.register_middleware(check_api_body, "request")
        super().register(app, options)


class ApiGuardInput(InputChannel):
    """Not a channel people talk through: Rasa's way to load the API body check (module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "api_guard"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return GuardBlueprint("kneadle_api_guard", __name__)
