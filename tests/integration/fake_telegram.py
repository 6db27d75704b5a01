"""A fake Telegram Bot API on loopback: records every call and answers like Telegram.

Routes /bot<token>/<method>; a JSON or form body is recorded as a dict. Answers
{"ok": true, "result": ...}: a message for send* methods, the bot for getMe, true otherwise.
A wrong token gets Telegram's 401, and `fail_next` makes the next call of a method fail.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

_PATH = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)$")


@dataclass(frozen=True)
class Call:
    index: int
    method: str
    body: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.body.get("text", ""))

    @property
    def chat_id(self) -> Any:
        return self.body.get("chat_id")

    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        markup = self.body.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Failure:
    error_code: int
    description: str
    retry_after: int | None = None


@dataclass
class FakeTelegram:
    token: str
    bot_id: int = field(init=False)
    calls_made: list[Call] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    message_ids: itertools.count = field(default_factory=lambda: itertools.count(1000))
    webhook: dict[str, Any] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])

    @property
    def url(self) -> str:
        assert self.server, "start the fake first"
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTelegram:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # --- what tests use -------------------------------------------------------------------

    def calls(self, method: str | None = None, after: int = -1) -> list[Call]:
        with self.lock:
            return [c for c in self.calls_made if (method is None or c.method == method) and c.index > after]

    def last_index(self) -> int:
        with self.lock:
            return self.calls_made[-1].index if self.calls_made else -1

    def wait_for(
        self, method: str, matches: Callable[[Call], bool] = lambda _: True, after: int = -1, timeout: float = 60
    ) -> Call:
        """The first call of `method` after call number `after` that `matches`, waiting up to `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [call for call in self.calls(method, after) if matches(call)]
            if found:
                return found[0]
            time.sleep(0.1)
        seen = [(c.method, c.body.get("chat_id"), c.text[:60]) for c in self.calls(after=after)]
        raise AssertionError(f"no matching {method} call within {timeout}s; calls since: {seen}")

    def fail_next(self, method: str, error_code: int, description: str, retry_after: int | None = None) -> None:
        with self.lock:
            self.failures.setdefault(method, []).append(Failure(error_code, description, retry_after))

    # --- what the server does -------------------------------------------------------------

    def answer(self, token: str, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        with self.lock:
            call = Call(len(self.calls_made), method, body)
            self.calls_made.append(call)
            failures = self.failures.get(method)
            failure = failures.pop(0) if failures else None
        if failure:
            answer: dict[str, Any] = {"ok": False, "error_code": failure.error_code, "description": failure.description}
            if failure.retry_after is not None:
                answer["parameters"] = {"retry_after": failure.retry_after}
            return failure.error_code, answer
        return 200, {"ok": True, "result": self.result(method, body), **self.description(method)}

    def result(self, method: str, body: dict[str, Any]) -> Any:
        bot = {"id": self.bot_id, "is_bot": True, "first_name": "Kneadle", "username": "kneadle_test_bot"}
        if method == "getMe":
            return bot
        if method.startswith("send"):
            chat_id = body.get("chat_id")
            chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
            message = {"message_id": next(self.message_ids), "date": int(time.time()), "from": bot}
            message["chat"] = {"id": chat_id, "type": chat_type}
            for key in ("text", "reply_markup", "message_thread_id"):
                if key in body:
                    message[key] = body[key]
            return message
        if method == "setWebhook":
            self.webhook = {"url": body.get("url", ""), "has_custom_certificate": False, "pending_update_count": 0}
        if method == "deleteWebhook":
            self.webhook = {}
        if method == "getWebhookInfo":
            return self.webhook or {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True

    @staticmethod
    def description(method: str) -> dict[str, str]:
        described = {"setWebhook": "Webhook was set", "deleteWebhook": "Webhook was deleted"}
        return {"description": described[method]} if method in described else {}


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """A JSON object, or a form whose JSON-looking values are decoded (as Telegram does)."""
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        body = json.loads(raw)
        return body if isinstance(body, dict) else {"_json": body}
    if content_type.startswith("application/x-www-form-urlencoded"):
        return {key: _maybe_json(value) for key, value in parse_qsl(raw.decode("utf-8"))}
    return {"_raw": raw.decode("utf-8", errors="replace")}


def _maybe_json(value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _handler_for(fake: FakeTelegram) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.reply(self.read_body())

        def do_GET(self) -> None:
            self.reply({key: _maybe_json(value) for key, value in parse_qsl(urlsplit(self.path).query)})

        def read_body(self) -> dict[str, Any]:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            return parse_body(self.headers.get("Content-Type", ""), raw)

        def reply(self, body: dict[str, Any]) -> None:
            match = _PATH.match(self.path.split("?")[0])
            if match:
                status, answer = fake.answer(match["token"], match["method"], body)
            else:
                status, answer = 404, {"ok": False, "error_code": 404, "description": "Not Found"}
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_: Any) -> None:
            pass

    return Handler
