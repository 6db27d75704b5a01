"""The edge, against one real Rasa server and one real action server for the whole module.

- Every HTTP endpoint the default run exposes, and the HTTP API's: bad input (empty, 1 MB, invalid
  UTF-8, malformed JSON, a wrong content type, unknown fields, HTML) gets a 4xx or a sensible reply,
  never a 500 or a stack trace, and HTML comes back only inside JSON.
- The HTTP API needs its token; no endpoint allows CORS from any origin.
- The action server (`python -m actions.server`) refuses calls without its token; the Rasa server
  sends it (endpoints.yml `token:`), so conversations work.
- The action server down or slow: the person gets the apology (components/action_failure.py) within
  the time bound, and a red flag still escalates. The Rasa server calls the action server through a
  loopback gate this test switches between forwarding, hanging up and stalling.
- `python -m kneadle.forget` deletes a conversation the server stored.
- Last: the logs of both servers, at their normal level (INFO), hold no message text.

KNEADLE_EDGE_MODEL names another model to test (default models/kneadle.tar.gz).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from tests.integration.servers import MODEL, VENV_BIN, Server, free_port

pytestmark = pytest.mark.integration

ACTION_TOKEN = secrets.token_urlsafe(24)
API_TOKEN = secrets.token_urlsafe(24)
# The time bound the Rasa server gets (KNEADLE_ACTION_TIMEOUT), and how long the stalled gate waits.
ACTION_TIMEOUT_SECONDS = 2
STALL_SECONDS = 8
# Words that appear only in what people "say" here: the logs must not contain them.
SECRET_WORDS = ("quixotic-marmalade", "zephyr-tangelo")
APOLOGY_START = "Sorry, I couldn't do that just now."
RED_FLAG = "there's a heavy pressure in my chest and it spreads into my jaw"


class Gate:
    """A loopback HTTP hop between the Rasa server and the action server: forwards, hangs up or stalls."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.mode = "forward"
        gate = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the base class's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if gate.mode == "down":
                    self.close_connection = True  # no answer at all, as when the server is gone
                    return
                if gate.mode == "slow":
                    time.sleep(STALL_SECONDS)
                reply = requests.post(
                    gate.target + self.path,
                    data=body,
                    headers={"Content-Type": self.headers.get("Content-Type", "application/json")},
                    timeout=60,
                )
                self.send_response(reply.status_code)
                self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
                self.send_header("Content-Length", str(len(reply.content)))
                self.end_headers()
                self.wfile.write(reply.content)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def edge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("edge")


@pytest.fixture(scope="module")
def actions(edge_dir: Path) -> Iterator[Server]:
    port = free_port()
    args = [str(VENV_BIN / "python"), "-m", "actions.server", "--host", "127.0.0.1", "--port", str(port)]
    server = Server("edge-actions", args, port, "/health", edge_dir, {"KNEADLE_ACTION_TOKEN": ACTION_TOKEN}).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gate(actions: Server) -> Iterator[Gate]:
    gate = Gate(actions.url)
    yield gate
    gate.close()


@pytest.fixture(scope="module")
def endpoints(edge_dir: Path, gate: Gate) -> Path:
    path = edge_dir / "endpoints.yml"
    path.write_text(
        f'action_endpoint:\n  url: "{gate.url}/webhook"\n  token: "{ACTION_TOKEN}"\n'
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {edge_dir / 'tracker.db'}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def rasa(edge_dir: Path, endpoints: Path) -> Iterator[Server]:
    """The Rasa server as `make server` runs it (API on, with a token) and the project's credentials."""
    model = Path(os.environ.get("KNEADLE_EDGE_MODEL") or MODEL)
    port = free_port()
    args = [
        str(VENV_BIN / "rasa"), "run", "--enable-api", f"--auth-token={API_TOKEN}",
        "--interface", "127.0.0.1", "--port", str(port), "--model", str(model),
        "--endpoints", str(endpoints), "--credentials", str(PROJECT_ROOT / "credentials.yml"),
    ]  # fmt: skip
    env = {"KNEADLE_ACTION_TIMEOUT": str(ACTION_TIMEOUT_SECONDS)}
    server = Server("edge-rasa", args, port, "/", edge_dir, env).start()
    yield server
    server.stop()


def say(rasa: Server, sender: str, text: str, timeout: float = 60) -> list[dict[str, Any]]:
    reply = requests.post(
        f"{rasa.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=timeout
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def texts(replies: list[dict[str, Any]]) -> list[str]:
    return [reply.get("text") or "" for reply in replies]


# --- bad input on every endpoint ----------------------------------------------------------------

SENDER = "edge-bad-input"
BAD_BODIES: dict[str, tuple[bytes, str]] = {
    "empty": (b"", "application/json"),
    # 1 MB of an unknown field: a 1 MB message text to /model/parse is the API caller's own doing.
    "1 MB": (
        json.dumps({"sender": SENDER, "message": "hi", "text": "hi", "pad": "a" * 1_000_000}).encode(),
        "application/json",
    ),
    "invalid UTF-8": (b'{"sender": "\xff\xfe", "message": "\xc3\x28 numb"}', "application/json"),
    "malformed JSON": (b'{"sender": "edge", "message": ', "application/json"),
    "wrong content type": (b"sender=edge&message=hello", "application/x-www-form-urlencoded"),
    "XML": (b"<message>hello</message>", "application/xml"),
    "a list": (b'["hello"]', "application/json"),
    "unknown fields": (
        json.dumps({"sender": SENDER, "message": "hello", "input_channel": "socketio", "x": [1, {"y": None}]}).encode(),
        "application/json",
    ),
    "HTML": (
        json.dumps({"sender": SENDER, "message": "<script>alert(1)</script><b>my hands are numb</b>"}).encode(),
        "application/json",
    ),
    "not a string": (json.dumps({"sender": SENDER, "message": {"text": "hi"}}).encode(), "application/json"),
    "missing fields": (b"{}", "application/json"),
}
# (method, path, needs the API token)
ENDPOINTS = [
    ("POST", "/", False),
    ("POST", "/webhooks/rest/webhook", False),
    ("GET", "/webhooks/rest/", False),
    ("POST", "/socket.io/?EIO=4&transport=polling", False),
    ("GET", "/webhooks/socketio/", False),
    ("POST", "/webhooks/slack/webhook", False),
    ("POST", "/webhooks/telegram/webhook", False),
    ("GET", "/webhooks/health/", False),
    ("GET", "/status", True),
    ("POST", "/model/parse", True),
    ("GET", f"/conversations/{SENDER}/tracker", True),
    ("POST", f"/conversations/{SENDER}/tracker/events", True),
    ("PUT", "/model", True),
]


@pytest.mark.parametrize(("method", "path", "api"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS])
def test_bad_input_gets_a_4xx_or_a_sensible_reply(rasa: Server, method: str, path: str, api: bool) -> None:
    problems = []
    for kind, (body, content_type) in BAD_BODIES.items():
        reply = requests.request(
            method,
            rasa.url + path,
            params={"token": API_TOKEN} if api else None,
            data=body,
            headers={"Content-Type": content_type},
            timeout=120,
        )
        content = reply.text
        if reply.status_code >= 500 and not (
            path.startswith("/webhooks/slack") or path.startswith("/webhooks/telegram")
        ):
            problems.append(f"{kind}: {reply.status_code} {content[:300]}")
        elif reply.status_code >= 500 and reply.status_code != 503:
            problems.append(f"{kind}: {reply.status_code} (a channel that is off answers 503) {content[:200]}")
        if "Traceback" in content or 'File "' in content:
            problems.append(f"{kind}: a stack trace in the body")
        if "<script" in content.lower() and "json" not in reply.headers.get("Content-Type", ""):
            problems.append(f"{kind}: HTML echoed back as {reply.headers.get('Content-Type')}")
    assert not problems, problems


def test_the_rest_channel_says_what_was_wrong(rasa: Server) -> None:
    url = f"{rasa.url}/webhooks/rest/webhook"
    for body, status in [
        ({"message": "hello"}, 400),
        ({"sender": "a/b", "message": "hello"}, 400),
        ({"sender": "", "message": "hello"}, 400),
        ({"sender": SENDER, "message": 42}, 400),
        ({"sender": SENDER, "message": "x" * 70_000}, 413),
    ]:
        reply = requests.post(url, json=body, timeout=60)
        assert reply.status_code == status, (body, reply.text)
        assert set(reply.json()) == {"error"}


def test_html_in_a_message_is_answered_not_echoed(rasa: Server) -> None:
    replies = say(rasa, f"edge-html-{uuid.uuid4().hex[:8]}", "<script>alert('x')</script> my hands are numb")
    assert replies and all("<script" not in text for text in texts(replies))


def test_a_long_message_is_cut_with_a_note_and_answered(rasa: Server) -> None:
    long = "my hands are numb " + "and it goes on " * 300
    replies = texts(say(rasa, f"edge-long-{uuid.uuid4().hex[:8]}", long))
    assert replies[0].startswith("That's a long message, so I read only the first 2000 characters.")
    assert len(replies) > 1


# --- tokens and CORS ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/status"), ("GET", f"/conversations/{SENDER}/tracker"), ("PUT", "/model"), ("POST", "/model/parse")],
)
def test_the_http_api_needs_its_token(rasa: Server, method: str, path: str) -> None:
    for params in (None, {"token": "wrong"}):
        reply = requests.request(method, rasa.url + path, params=params, json={"text": "hi"}, timeout=30)
        assert reply.status_code in (401, 403), (params, reply.status_code, reply.text[:200])
    assert requests.get(f"{rasa.url}/status", params={"token": API_TOKEN}, timeout=30).status_code == 200


@pytest.mark.parametrize(
    "path", ["/webhooks/rest/webhook", "/status", "/model/parse", "/socket.io/?EIO=4&transport=polling"]
)
def test_no_endpoint_allows_any_origin(rasa: Server, path: str) -> None:
    origin = "https://evil.example"
    for method in ("OPTIONS", "GET", "POST"):
        reply = requests.request(
            method, rasa.url + path, headers={"Origin": origin, "Access-Control-Request-Method": "POST"}, timeout=30
        )
        allowed = reply.headers.get("Access-Control-Allow-Origin")
        assert allowed not in ("*", origin), (method, allowed)


def test_the_action_server_refuses_calls_without_its_token(actions: Server) -> None:
    call = {"next_action": "action_list_techniques", "sender_id": "edge", "tracker": {"events": [], "slots": {}}}
    call["domain"] = {"slots": {}}
    for params in (None, {"token": "wrong"}, {"token": ACTION_TOKEN[:-1]}):
        reply = requests.post(f"{actions.url}/webhook", params=params, json=call, timeout=30)
        assert reply.status_code == 401, (params, reply.text)
    assert requests.get(f"{actions.url}/actions", timeout=30).status_code == 401
    assert requests.get(f"{actions.url}/health", timeout=30).status_code == 200
    assert requests.get(f"{actions.url}/actions", params={"token": ACTION_TOKEN}, timeout=30).status_code == 200
    assert (
        "Access-Control-Allow-Origin"
        not in requests.get(f"{actions.url}/health", headers={"Origin": "https://evil.example"}, timeout=30).headers
    )


def test_the_rasa_server_sends_the_action_token(rasa: Server, gate: Gate) -> None:
    gate.mode = "forward"
    sender = f"edge-token-{uuid.uuid4().hex[:8]}"
    assert texts(say(rasa, sender, "my hands are numb"))[-1].startswith("I'm not a doctor")


# --- the action server down or slow -------------------------------------------------------------


def test_action_server_down_gets_the_apology_and_a_red_flag_still_escalates(rasa: Server, gate: Gate) -> None:
    sender = f"edge-down-{uuid.uuid4().hex[:8]}"
    gate.mode = "down"
    try:
        replies = texts(say(rasa, sender, "my neck is stiff"))
        assert replies and replies[-1].startswith(APOLOGY_START), (
            f"{replies}: no apology (is components.action_failure.ActionFailurePolicy in config.yml, "
            "utter_action_failed in domain.yml, and the model retrained?)"
        )
        assert "call 112" in replies[-1]
        escalation = texts(say(rasa, sender, RED_FLAG))
        assert escalation[0].startswith("🚨") and "call 112 now" in escalation[0]
        assert not any(text.startswith(APOLOGY_START) for text in escalation)
    finally:
        gate.mode = "forward"
    # Back up: the next person is answered as usual.
    assert texts(say(rasa, f"{sender}-after", "my hands are numb"))[-1].startswith("I'm not a doctor")


def test_a_slow_action_server_gets_the_apology_within_the_bound(rasa: Server, gate: Gate) -> None:
    sender = f"edge-slow-{uuid.uuid4().hex[:8]}"
    gate.mode = "slow"
    try:
        started = time.monotonic()
        replies = texts(say(rasa, sender, "my hands are numb"))
        took = time.monotonic() - started
    finally:
        gate.mode = "forward"
    assert replies and replies[-1].startswith(APOLOGY_START), replies
    assert took < STALL_SECONDS, f"the apology took {took:.1f}s; the bound is {ACTION_TIMEOUT_SECONDS}s"


# --- deleting a conversation --------------------------------------------------------------------


def test_forget_deletes_a_stored_conversation(rasa: Server, gate: Gate, endpoints: Path) -> None:
    gate.mode = "forward"
    sender = f"edge-forget-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, "my hands are numb")
    tracker_url = f"{rasa.url}/conversations/{sender}/tracker"
    assert requests.get(tracker_url, params={"token": API_TOKEN}, timeout=30).json()["events"]
    done = subprocess.run(
        [sys.executable, "-m", "kneadle.forget", "--endpoints", str(endpoints), sender],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    removed = int(done.stdout.split("Removed ")[1].split()[0])
    assert removed > 3, done.stdout
    events = requests.get(tracker_url, params={"token": API_TOKEN}, timeout=30).json()["events"]
    assert not [event for event in events if event["event"] in ("user", "bot")], "the conversation is still there"


# --- last: the logs -----------------------------------------------------------------------------


def test_the_logs_hold_no_message_text(rasa: Server, actions: Server, gate: Gate) -> None:
    """Both servers at INFO: what people said (health data) is in neither log, whatever happened
    in this module (bad input, refused requests, failed actions); nor is either token."""
    gate.mode = "forward"
    sender = f"edge-logs-{uuid.uuid4().hex[:8]}"
    say(rasa, sender, f"my hands are numb since the {SECRET_WORDS[0]} {SECRET_WORDS[1]} incident")
    say(rasa, sender, "none of these")
    requests.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": "a/b", "message": SECRET_WORDS[1]}, timeout=30)
    requests.post(f"{rasa.url}/webhooks/rest/webhook", data=f'{{"message": "{SECRET_WORDS[1]}', timeout=30)
    time.sleep(1)  # let both servers flush their logs
    for server in (rasa, actions):
        log = server.log_path.read_text(errors="replace")
        assert "INFO" in log, f"{server.name} does not log at INFO"
        leaked = [word for word in SECRET_WORDS if word in log]
        assert not leaked, f"{server.name} logged message text: {leaked}"
        assert API_TOKEN not in log and ACTION_TOKEN not in log, f"{server.name} logged a token"
