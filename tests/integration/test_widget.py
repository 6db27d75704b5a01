"""The website channel end to end: web/index.html with the rasa-webchat widget in headless Chromium,
talking to real Rasa and action servers through channels.webchat.WebchatInput.

A walk-through survives a reload (results/widget.png is a screenshot of it); an escalation links the
emergency number; typed HTML stays text; only configured origins may connect; malformed socket.io
events are dropped without harm, and one connection cannot write into another's conversation.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
import yaml
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from kneadle.messages import default_messages
from tests.conftest import PROJECT_ROOT
from tests.integration.servers import Server, rasa_server, static_site

pytestmark = pytest.mark.integration

WEB_ROOT = PROJECT_ROOT / "web"
WIDGET_SCRIPT = WEB_ROOT / "node_modules" / "rasa-webchat" / "lib" / "index.js"
SCREENSHOT = PROJECT_ROOT / "results" / "widget.png"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WEBCHAT = "channels.webchat.WebchatInput"
# How long to wait for the bot's answer on the page (the widget also delays each message by up to 3 s);
# Playwright's expect() waits 5 s unless told.
REPLY_TIMEOUT_MS = 90_000
GREETING = "What's bothering you today?"
RED_FLAG = "there's a heavy pressure in my chest and it spreads into my jaw"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """web/ on a free loopback port, as `make web` serves it."""
    if not WIDGET_SCRIPT.exists():
        pytest.fail(f"{WIDGET_SCRIPT} is missing: run bash scripts/setup.sh (it runs npm ci in web/)")
    with static_site(WEB_ROOT) as url:
        yield url


@pytest.fixture(scope="module")
def rasa_web(log_dir: Path, actions: Server, site: str) -> Iterator[Server]:
    """A Rasa server with the project's widget settings, allowing only the test site's origin."""
    project = yaml.safe_load((PROJECT_ROOT / "credentials.yml").read_text(encoding="utf-8"))
    settings = {**project[WEBCHAT], "cors_allowed_origins": [site]}
    credentials = log_dir / "widget-credentials.yml"
    credentials.write_text(yaml.safe_dump({"rest": None, WEBCHAT: settings}), encoding="utf-8")
    server = rasa_server(log_dir, actions, log_dir / "widget.db", credentials=credentials).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (no stored conversation) with one tab; fails on any script error."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def page_url(site: str, rasa: Server) -> str:
    return f"{site}/?socketUrl={rasa.url}"


def open_widget(page: Page, url: str) -> None:
    """Load the page, open the chat, and see the greeting its initPayload (/greet) asks for."""
    page.goto(url)
    page.locator(".rw-launcher").click()
    shown(bot_message(page, GREETING))


def shown(locator: Locator) -> None:
    expect(locator).to_be_visible(timeout=REPLY_TIMEOUT_MS)


def bot_message(page: Page, text: str) -> Locator:
    return page.locator(".rw-messages-container .rw-response").filter(has_text=text).last


def say(page: Page, text: str) -> None:
    page.locator(".rw-new-message").fill(text)
    page.locator(".rw-new-message").press("Enter")


def tap(page: Page, title: str) -> None:
    """Tap a quick reply of the bot's latest message."""
    page.locator(".rw-replies").last.locator(".rw-reply", has_text=re.compile(f"^{re.escape(title)}$")).click()


def session_id(page: Page) -> str:
    return page.evaluate("() => JSON.parse(window.localStorage.getItem('chat_session')).session_id")


def user_events(rasa: Server, sender: str) -> list[dict[str, Any]]:
    response = requests.get(f"{rasa.url}/conversations/{sender}/tracker", timeout=30)
    assert response.status_code == 200, response.text
    return [event for event in response.json()["events"] if event["event"] == "user"]


def sent_metadata(event: dict[str, Any]) -> dict[str, Any]:
    """The metadata the client sent with a message (Rasa adds its model and assistant ids)."""
    return {key: value for key, value in event["metadata"].items() if key not in ("model_id", "assistant_id")}


def test_a_walkthrough_in_the_widget_survives_a_reload(page: Page, site: str, rasa_web: Server) -> None:
    open_widget(page, page_url(site, rasa_web))
    say(page, "my neck is stiff")
    shown(bot_message(page, "I'm not a doctor"))
    tap(page, "None of these")
    step_1 = bot_message(page, "Step 1 of")
    helper_question = bot_message(page, "Will you do this on yourself")
    shown(step_1.or_(helper_question).first)
    if helper_question.is_visible():
        tap(page, "On myself")
    shown(step_1)
    expect(page.locator(".rw-replies").last.locator(".rw-reply")).to_have_text(
        ["Next", "Repeat", "Back", "Stop"], timeout=REPLY_TIMEOUT_MS
    )

    tap(page, "Next")
    shown(bot_message(page, "Step 2 of"))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    sender = session_id(page)

    page.reload()
    shown(bot_message(page, "Step 2 of"))  # shown again, from the browser's storage
    assert session_id(page) == sender
    say(page, "next")
    shown(bot_message(page, "Step 3 of"))  # and the server carries on where it was

    events = user_events(rasa_web, sender)
    assert events[0]["text"] == "/greet"
    assert {event["input_channel"] for event in events} == {"socketio"}
    assert all(sent_metadata(event) == {"language": "en"} for event in events)  # customData


def test_an_escalation_links_the_emergency_number(page: Page, site: str, rasa_web: Server) -> None:
    open_widget(page, page_url(site, rasa_web))
    say(page, RED_FLAG)
    shown(bot_message(page, "call 112 now"))
    link = page.locator('.rw-messages-container .rw-response a[href="tel:112"]')
    expect(link).to_have_text("Call 112", timeout=REPLY_TIMEOUT_MS)


def test_typed_html_is_shown_as_text(page: Page, site: str, rasa_web: Server) -> None:
    open_widget(page, page_url(site, rasa_web))
    answers = page.locator(".rw-messages-container .rw-response").count()
    typed = ['<img src=x onerror="window.__xss=1">', "<b>bold</b>"]
    for text in typed:
        say(page, text)
    for text in typed:
        expect(page.locator(".rw-messages-container .rw-client").filter(has_text=text)).to_have_count(
            1, timeout=REPLY_TIMEOUT_MS
        )
    # The bot has answered both (so anything it echoed is on the page too).
    page.wait_for_function(
        "n => document.querySelectorAll('.rw-messages-container .rw-response').length >= n", arg=answers + 2
    )
    assert page.locator(".rw-messages-container img, .rw-messages-container b").count() == 0
    assert page.evaluate("() => window.__xss") is None


def test_a_page_on_another_origin_cannot_connect(page: Page, site: str, rasa_web: Server) -> None:
    other_origin = site.replace("127.0.0.1", "localhost")  # same page, an origin the server does not list
    with page.expect_event("requestfailed", predicate=lambda request: "/socket.io/" in request.url):
        page.goto(page_url(other_origin, rasa_web))
    # The widget stays hidden while it is not connected.
    expect(page.locator(".rw-launcher")).to_have_count(0, timeout=REPLY_TIMEOUT_MS)


def handshake(rasa: Server, origin: str | None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(f"{rasa.url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=30)


def test_only_configured_origins_may_open_a_socket(rasa_web: Server, site: str) -> None:
    allowed = handshake(rasa_web, site)
    assert allowed.status_code == 200
    assert allowed.text.startswith("0{")
    assert allowed.headers["Access-Control-Allow-Origin"] == site

    other_port = site.rsplit(":", 1)[0] + ":1"
    for origin in ("http://evil.example", other_port, site.replace("http:", "https:"), "null"):
        refused = handshake(rasa_web, origin)
        assert refused.status_code == 400, origin
        assert "Access-Control-Allow-Origin" not in refused.headers

    # No Origin header: not a browser (a server-side client), which CORS does not concern.
    assert handshake(rasa_web, None).status_code == 200


class SocketClient:
    """A raw socket.io client: what a hand-made or hostile client can send."""

    def __init__(self, rasa: Server) -> None:
        self.received: list[dict[str, Any]] = []
        self.confirmed: list[str] = []
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.received.append)
        self.client.on("session_confirm", self.confirmed.append)
        self.client.connect(rasa.url, transports=["polling"], socketio_path="/socket.io", wait_timeout=30)

    def request_session(self, data: Any) -> str:
        count = len(self.confirmed)
        self.client.emit("session_request", data)
        wait_until(lambda: len(self.confirmed) > count, "a session_confirm")
        return self.confirmed[-1]

    def wait_for(self, start: str, timeout: float = 60) -> int:
        """The position of the first message received that starts with `start`."""
        found: list[int] = []

        def arrived() -> bool:
            found[:] = [i for i, message in enumerate(self.received) if (message.get("text") or "").startswith(start)]
            return bool(found)

        wait_until(arrived, f"a message starting {start!r} (got {self.received})", timeout)
        return found[0]

    def close(self) -> None:
        self.client.disconnect()


def wait_until(condition: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout}s for {what}")


@pytest.fixture
def client(rasa_web: Server) -> Iterator[SocketClient]:
    client = SocketClient(rasa_web)
    yield client
    client.close()


def test_malformed_events_are_dropped_and_the_server_carries_on(client: SocketClient, rasa_web: Server) -> None:
    for bad in ("a string", ["a", "list"], {"session_id": ["x"]}, {"session_id": "short"}, None):
        session = client.request_session(bad)
        assert re.fullmatch("[0-9a-f]{32}", session), (bad, session)  # a new, well-formed id
    kept = uuid.uuid4().hex
    assert client.request_session({"session_id": kept}) == kept

    for bad in ("a string", ["a", "list"], 42, {"message": 123}, {"message": {"text": "hi"}}, {"message": "  "}, {}):
        client.client.emit("user_uttered", bad)
    client.client.emit("user_uttered", {"message": "hello", "customData": "not json"})
    client.wait_for(GREETING)
    assert len(client.received) == 1  # nothing answered the malformed ones

    client.client.emit("user_uttered", {"message": "hello", "customData": '{"language": "de"}'})
    wait_until(lambda: len(client.received) == 2, "the second greeting")
    huge = "my hands are numb " + "and they tingle " * 1000
    client.client.emit("user_uttered", {"message": huge, "customData": ["not", "a", "dict"]})
    note = client.wait_for("That's a long message")
    assert client.wait_for("I'm not a doctor") > note  # the cut message is answered, after the note
    assert client.received[note]["text"] == default_messages().text("webchat_message_cut", limit="2000")

    client.client.emit("user_uttered", {"message": "none of these"})  # no session id: the confirmed one is used
    client.wait_for("Step 1 of")

    events = user_events(rasa_web, kept)
    assert [sent_metadata(event) for event in events[:3]] == [{}, {"language": "de"}, {}]
    assert events[2]["text"].lower().startswith("my hands are numb") and len(events[2]["text"]) <= 2000
    assert "Traceback" not in rasa_web.log_path.read_text(errors="replace")


def test_an_oversized_event_closes_that_connection_only(client: SocketClient, rasa_web: Server) -> None:
    client.request_session({})
    with pytest.raises(socketio.exceptions.SocketIOError):
        for _ in range(50):  # engine.io refuses the packet and closes the connection
            client.client.emit("user_uttered", {"message": "x" * 200_000})
            time.sleep(0.2)
    after = SocketClient(rasa_web)
    try:
        after.request_session({})
        after.client.emit("user_uttered", {"message": "hello"})
        after.wait_for(GREETING)
    finally:
        after.close()


def test_a_connection_cannot_write_into_another_conversation(rasa_web: Server) -> None:
    owner, intruder = SocketClient(rasa_web), SocketClient(rasa_web)
    try:
        mine = owner.request_session({"session_id": uuid.uuid4().hex})
        theirs = intruder.request_session({})
        intruder.client.emit("user_uttered", {"message": "hello", "session_id": mine})
        intruder.wait_for(GREETING)  # answered in the intruder's own conversation
        assert owner.received == []
        assert user_events(rasa_web, mine) == []
        assert [event["text"] for event in user_events(rasa_web, theirs)] == ["hello"]
    finally:
        owner.close()
        intruder.close()


def test_visitors_leaving_leave_no_errors_in_the_log(client: SocketClient, rasa_web: Server) -> None:
    """Runs after the browser tests above: each closed a websocket (stock Rasa 3.6 with Sanic 21.12
    logs an error with a stack trace for every one). A round trip first, so the server has handled them."""
    client.request_session({})
    client.client.emit("user_uttered", {"message": "hello"})
    client.wait_for(GREETING)
    log = rasa_web.log_path.read_text(errors="replace")
    assert "Invalid response type" not in log
    assert "Traceback" not in log
