"""A fake Slack Web API on loopback: records every call and answers like Slack does.

The Rasa server under test is given this server's URL as its Slack `api_url`, so the replies the
bot posts with chat.postMessage land here, where tests read them. Every call is answered HTTP 200
with `{"ok": true, ...}`, except for channels a test has told it to refuse (`{"ok": false,
"error": ...}`, as Slack answers a post to a channel the bot is not in).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Call:
    method: str
    headers: dict[str, str]
    body: Any


class FakeSlack:
    def __init__(self) -> None:
        self._calls: list[Call] = []
        self._refusals: dict[str, str] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-slack", daemon=True)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/api"

    def start(self) -> FakeSlack:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def refuse(self, channel: str, error: str) -> None:
        """Answer posts to `channel` with Slack's `{"ok": false, "error": error}`."""
        with self._lock:
            self._refusals[channel] = error

    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def posts(self, channel: str) -> list[dict[str, Any]]:
        """The chat.postMessage bodies sent to `channel`, oldest first."""
        return [
            call.body
            for call in self.calls()
            if call.method == "chat.postMessage" and isinstance(call.body, dict) and call.body.get("channel") == channel
        ]

    def wait_for_post(
        self, channel: str, matches: Callable[[dict[str, Any]], bool], after: int = 0, timeout: float = 60
    ) -> tuple[int, dict[str, Any]]:
        """The first post to `channel` from index `after` on that `matches`, and its index; waits,
        because the connector answers Slack at once and posts its replies later."""
        deadline = time.monotonic() + timeout
        while True:
            posts = self.posts(channel)
            for index in range(after, len(posts)):
                if matches(posts[index]):
                    return index, posts[index]
            if time.monotonic() > deadline:
                texts = [post.get("text", "")[:80] for post in posts[after:]]
                raise AssertionError(f"no matching post to {channel} within {timeout}s; posts: {texts}")
            time.sleep(0.1)

    def _record(self, call: Call) -> dict[str, Any]:
        with self._lock:
            self._calls.append(call)
            channel = call.body.get("channel") if isinstance(call.body, dict) else None
            error = self._refusals.get(channel or "")
        if error:
            return {"ok": False, "error": error}
        return {"ok": True, "channel": channel, "ts": f"{time.time():.6f}"}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body: Any = json.loads(raw or b"null")
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                method = self.path.rsplit("/", 1)[-1]
                answer = fake._record(Call(method, {k.lower(): v for k, v in self.headers.items()}, body))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
                pass

        return Handler
