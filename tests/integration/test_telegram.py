"""The Telegram channel end to end: real Rasa and action servers, Telegram played by a fake Bot API.

Updates are posted to /webhooks/telegram/webhook as Telegram would post them; what the bot sends
is read from the calls the fake recorded, waiting up to a deadline.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from kneadle.messages import default_messages
from tests.conftest import PROJECT_ROOT
from tests.integration.fake_telegram import Call, FakeTelegram
from tests.integration.servers import VENV_BIN, Server, action_server, rasa_server, trigger_intent

pytestmark = pytest.mark.integration

TOKEN = "987654321:AAintegration-test_token"
BOT_ID = 987654321
SECRET = "kneadle-test_secret-1"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SCREENING = default_messages()["screening_question"]
TEXT_ONLY = default_messages().text("telegram_text_only")
EDITED = default_messages().text("telegram_edited")
STEP = re.compile(r"^Step (\d+) of (\d+): ")
HELPER_QUESTION = default_messages().text("ask_helper")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture(scope="module")
def telegram_rasa(log_dir: Path, fake: FakeTelegram) -> Iterator[Server]:
    """A Rasa server with the Telegram channel on and pointed at the fake, and an action server
    whose step timers fire after about a second."""
    actions = action_server(log_dir, env={"KNEADLE_STEP_TIMER_SCALE": "0.01"}).start()
    credentials = log_dir / "credentials-telegram.yml"
    credentials.write_text(f"rest:\nchannels.telegram.TelegramInput:\n  api_url: {fake.url}\n", encoding="utf-8")
    rasa = rasa_server(
        log_dir,
        actions,
        log_dir / "tracker-telegram.db",
        credentials=credentials,
        env={"TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET},
    )
    try:
        yield rasa.start()
    finally:
        rasa.stop()
        actions.stop()


def webhook(server: Server) -> str:
    return f"{server.url}/webhooks/telegram/webhook"


def post(server: Server, body: Any, secret: str | None = SECRET, raw: bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(webhook(server), data=data, headers=headers, timeout=90)


class Person:
    """Someone on Telegram: in a private chat with the bot, or in a group with it."""

    def __init__(self, rasa: Server, fake: FakeTelegram, chat: dict[str, Any] | None = None) -> None:
        self.rasa, self.fake = rasa, fake
        self.user = {"id": random.randrange(10**8, 10**9), "is_bot": False, "first_name": "Test"}
        self.chat = chat or {"id": self.user["id"], "type": "private", "first_name": "Test"}
        self.message_ids = itertools.count(random.randrange(10**5))
        self.last_message_id = 0
        self.last_bot_message: dict[str, Any] | None = None

    @property
    def sender_id(self) -> str:
        if self.chat["type"] == "private":
            return str(self.chat["id"])
        return f"{self.chat['id']}:{self.user['id']}"

    def send(self, **update: Any) -> int:
        """Post an update; the number of the last Bot API call before it, to wait for what follows."""
        mark = self.fake.last_index()
        response = post(self.rasa, {"update_id": random.randrange(10**9), **update})
        assert response.status_code == 200, response.text
        return mark

    def message(self, **fields: Any) -> dict[str, Any]:
        found = {"message_id": next(self.message_ids), "date": int(time.time()), "chat": self.chat, "from": self.user}
        if self.chat["type"] != "private" and self.last_bot_message:
            found["reply_to_message"] = self.last_bot_message  # how a person talks to a bot in a group
        return {**found, **fields}

    def say(self, text: str) -> int:
        message = self.message(text=text)
        self.last_message_id = message["message_id"]
        return self.send(message=message)

    def press(self, on: Call, title: str) -> int:
        """Tap the button titled `title` on the bot's message `on`."""
        [button] = [button for button in on.buttons() if button["text"] == title]
        message = {**self.sent_message(on), "reply_markup": on.body["reply_markup"]}
        tap = {"id": str(random.randrange(10**12)), "from": self.user, "chat_instance": "1", "message": message}
        return self.send(callback_query={**tap, "data": button["callback_data"]})

    def sent_message(self, call: Call) -> dict[str, Any]:
        return {"message_id": 10**6 + call.index, "date": 0, "chat": self.chat, "from": {"id": BOT_ID, "is_bot": True}}

    def wait_for(self, start: str | tuple[str, ...], after: int, timeout: float = 60) -> Call:
        """The bot's next message to this chat whose text starts with `start`."""
        call = self.fake.wait_for(
            "sendMessage", lambda c: c.chat_id == self.chat["id"] and c.text.startswith(start), after, timeout
        )
        self.last_bot_message = {**self.sent_message(call), "text": call.text}
        return call

    def first_step(self, screening: Call) -> Call:
        """Answer the screening question "None of these" (and, if asked, do it alone): step 1."""
        found = self.wait_for(("Step 1 of", HELPER_QUESTION), after=self.press(screening, "None of these"))
        if found.text.startswith(HELPER_QUESTION):
            found = self.wait_for("Step 1 of", after=self.press(found, found.buttons()[0]["text"]))
        return found

    def texts_after(self, mark: int) -> list[str]:
        return [c.text for c in self.fake.calls("sendMessage", after=mark) if c.chat_id == self.chat["id"]]


def test_a_request_without_the_right_secret_is_refused(telegram_rasa: Server, fake: FakeTelegram) -> None:
    person = Person(telegram_rasa, fake)
    update = {"update_id": 1, "message": person.message(text="my neck is stiff")}
    mark = fake.last_index()
    assert post(telegram_rasa, update, secret=None).status_code == 401
    assert post(telegram_rasa, update, secret="not-the-secret").status_code == 403
    time.sleep(1)
    assert person.texts_after(mark) == []


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"", 400),
        (b'{"update_id": 1, "message": ', 400),
        (b"[1, 2, 3]", 400),
        (b'"just a string"', 400),
        (b'{"update_id": 1, "padding": "' + b"x" * 1_100_000 + b'"}', 413),
    ],
)
def test_bad_bodies_get_a_4xx(telegram_rasa: Server, raw: bytes, status: int) -> None:
    response = post(telegram_rasa, None, raw=raw)
    assert response.status_code == status, response.text
    assert "error" in response.json()


def test_buttons_walk_a_neck_technique_from_screening_to_the_last_step(
    telegram_rasa: Server, fake: FakeTelegram
) -> None:
    person = Person(telegram_rasa, fake)
    screening = person.wait_for("I'm not a doctor", after=person.say("my neck is stiff"))
    assert [button["text"] for button in screening.buttons()] == [button["title"] for button in SCREENING.buttons]
    assert len(screening.buttons()) == 9
    assert all(len(button["callback_data"].encode()) <= 64 for button in screening.buttons())
    assert all(len(row) <= 2 for row in screening.body["reply_markup"]["inline_keyboard"])
    assert "parse_mode" not in screening.body

    mark = fake.last_index()
    step = person.first_step(screening)
    assert fake.wait_for("answerCallbackQuery", after=mark, timeout=10).body["callback_query_id"]
    assert [button["text"] for button in step.buttons()] == ["Next", "Repeat", "Back", "Stop"]
    assert any(text.startswith("Let's try this:") for text in person.texts_after(mark))

    step = person.wait_for("Step 2 of", after=person.press(step, "Next"))
    total = int(STEP.match(step.text).group(2))
    for number in range(3, total + 1):
        step = person.wait_for(f"Step {number} of {total}", after=person.press(step, "Next"))
    person.wait_for("That was the last step", after=person.press(step, "Next"))


def test_a_red_flag_is_escalated_without_raw_markdown(telegram_rasa: Server, fake: FakeTelegram) -> None:
    person = Person(telegram_rasa, fake)
    mark = person.say("there's a heavy pressure in my chest and it spreads into my jaw")
    escalation = person.wait_for("🚨", after=mark)
    assert "call 112 now" in escalation.text
    time.sleep(1)
    texts = person.texts_after(mark)
    assert not any("](" in text or "tel:" in text for text in texts)
    assert not any(text.startswith("Step 1") for text in texts)


def test_two_people_in_one_group_have_their_own_conversations(telegram_rasa: Server, fake: FakeTelegram) -> None:
    group = {"id": -(10**12) - random.randrange(10**6), "type": "supergroup", "title": "Desk people"}
    ada, bo = Person(telegram_rasa, fake, group), Person(telegram_rasa, fake, group)
    # In a group, a person talks to the bot with a command or by replying to it.
    greeting = ada.fake.wait_for(
        "sendMessage",
        lambda c: c.chat_id == group["id"],
        after=ada.send(message=ada.message(text="/start@kneadle_bot")),
    )
    ada.last_bot_message = bo.last_bot_message = {**ada.sent_message(greeting), "text": greeting.text}

    screening = ada.wait_for("I'm not a doctor", after=ada.say("my neck is stiff"))
    assert screening.body["reply_parameters"]["message_id"] == ada.last_message_id
    step = ada.wait_for("Step 2 of", after=ada.press(ada.first_step(screening), "Next"))

    # Bo, in the same group, starts from the beginning: not at Ada's step.
    bo_screening = bo.wait_for("I'm not a doctor", after=bo.say("my neck is stiff"))
    assert bo_screening.body["reply_parameters"]["message_id"] == bo.last_message_id
    tracker = requests.get(f"{telegram_rasa.url}/conversations/{bo.sender_id}/tracker", timeout=30).json()
    assert tracker["slots"]["step_number"] in (None, 0, 0.0)
    # ...and Ada carries on where she was.
    ada.wait_for("Step 3 of", after=ada.press(step, "Next"))
    tracker = requests.get(f"{telegram_rasa.url}/conversations/{ada.sender_id}/tracker", timeout=30).json()
    assert tracker["slots"]["step_number"] == 3


def test_a_group_reply_quotes_the_persons_message(telegram_rasa: Server, fake: FakeTelegram) -> None:
    group = {"id": -(10**12) - random.randrange(10**6), "type": "group", "title": "Team"}
    person = Person(telegram_rasa, fake, group)
    message = person.message(text="/start@kneadle_bot")
    mark = person.send(message=message)
    reply = fake.wait_for("sendMessage", lambda c: c.chat_id == group["id"], after=mark)
    assert reply.body["reply_parameters"]["message_id"] == message["message_id"]


@pytest.mark.parametrize(
    ("kind", "notice"),
    [
        ("photo", TEXT_ONLY),
        ("sticker", TEXT_ONLY),
        ("voice", TEXT_ONLY),
        ("location", TEXT_ONLY),
        ("edited_message", EDITED),
    ],
)
def test_what_cannot_be_read_gets_a_friendly_reply(
    telegram_rasa: Server, fake: FakeTelegram, kind: str, notice: str
) -> None:
    person = Person(telegram_rasa, fake)
    if kind == "edited_message":
        mark = person.send(edited_message=person.message(text="my neck is very stiff", edit_date=int(time.time())))
    else:
        mark = person.send(message=person.message(**{kind: {"file_id": "AgAD", "file_unique_id": "x"}}))
    assert person.wait_for(notice, after=mark, timeout=30).text == notice


def test_updates_without_a_persons_message_are_accepted_and_ignored(telegram_rasa: Server, fake: FakeTelegram) -> None:
    person = Person(telegram_rasa, fake)
    channel = {"id": -(10**12) - 7, "type": "channel", "title": "News"}
    group = {"id": -(10**12) - 8, "type": "supergroup", "title": "Group"}
    odd_updates = [
        {"channel_post": {"message_id": 1, "date": 0, "chat": channel, "text": "my neck is stiff"}},
        {"my_chat_member": {"chat": group, "from": person.user, "date": 0, "new_chat_member": {"status": "member"}}},
        {"chat_member": {"chat": group, "from": person.user, "date": 0}},
        {"inline_query": {"id": "1", "from": person.user, "query": "neck", "offset": ""}},
        {"message_reaction": {"chat": group, "message_id": 1, "date": 0, "new_reaction": [{"type": "emoji"}]}},
        {"message": {"message_id": 2, "date": 0, "chat": group, "from": person.user, "new_chat_members": []}},
        {"poll_answer": {"poll_id": "1", "option_ids": [0]}},
        {"a_future_update_type": {"anything": [1, 2]}},
        {"message": "not an object"},
        {"callback_query": {"id": "7", "from": person.user, "inline_message_id": "x", "data": "/deny"}},
    ]
    mark = fake.last_index()
    for update in odd_updates:
        response = post(telegram_rasa, {"update_id": random.randrange(10**9), **update})
        assert response.status_code == 200, (update, response.text)
    # The one tap is acknowledged even though there is no chat to answer in.
    assert fake.wait_for("answerCallbackQuery", after=mark, timeout=10).body == {"callback_query_id": "7"}
    time.sleep(1)
    assert [c.method for c in fake.calls(after=mark)] == ["answerCallbackQuery"]
    # The bot is still well.
    person.wait_for("I'm not a doctor", after=person.say("my neck is stiff"))
    assert "Traceback" not in telegram_rasa.log_path.read_text(errors="replace")


def test_a_timed_step_reminder_arrives_by_itself(telegram_rasa: Server, fake: FakeTelegram) -> None:
    person = Person(telegram_rasa, fake)
    screening = person.wait_for("I'm not a doctor", after=person.say("my hands are numb"))
    step = person.first_step(screening)
    step = person.wait_for("Step 2 of 10", after=person.press(step, "Next"))
    mark = person.press(step, "Next")
    person.wait_for("Step 3 of 10", after=mark)
    offer = person.wait_for("Want me to check back", after=mark)
    assert [button["callback_data"] for button in offer.buttons()][0] == "/start_step_timer"

    mark = person.press(offer, offer.buttons()[0]["text"])
    person.wait_for("I'll check back", after=mark)
    # Nobody says anything more: the reminder fires and its message is sent by itself.
    person.wait_for("Time's up for step 3.", after=mark, timeout=60)


def test_the_http_api_reaches_a_group_conversation_through_the_channel(
    telegram_rasa: Server, fake: FakeTelegram
) -> None:
    group = {"id": -(10**12) - random.randrange(10**6), "type": "supergroup", "title": "Desk people"}
    person = Person(telegram_rasa, fake, group)
    fake.wait_for("sendMessage", lambda c: c.chat_id == group["id"], after=person.say("/start@kneadle_bot"))
    mark = fake.last_index()
    response = trigger_intent(telegram_rasa.url, person.sender_id, "greet")
    assert response.status_code == 200, response.text
    call = fake.wait_for("sendMessage", lambda c: c.chat_id == group["id"], after=mark)
    assert "reply_parameters" not in call.body


def test_set_webhook_command_sends_the_url_and_secret(log_dir: Path, fake: FakeTelegram) -> None:
    credentials = log_dir / "credentials-set-webhook.yml"
    credentials.write_text(f"channels.telegram.TelegramInput:\n  api_url: {fake.url}\n", encoding="utf-8")
    url = "https://kneadle.example.org/webhooks/telegram/webhook"
    mark = fake.last_index()
    result = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "channels.telegram", "--credentials", str(credentials), "set-webhook", url],
        cwd=PROJECT_ROOT,
        env={**os.environ, "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_WEBHOOK_SECRET": SECRET},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    [call] = fake.calls("setWebhook", after=mark)
    assert call.body["url"] == url
    assert call.body["secret_token"] == SECRET
    assert "callback_query" in call.body["allowed_updates"]


def test_with_the_projects_credentials_and_no_token_the_channel_is_off(rasa: Server) -> None:
    """The default run: credentials.yml names the channel, TELEGRAM_TOKEN is unset, the server runs."""
    if os.environ.get("TELEGRAM_TOKEN"):
        pytest.skip("TELEGRAM_TOKEN is set in this environment")
    response = requests.post(f"{rasa.url}/webhooks/telegram/webhook", json={"update_id": 1}, timeout=30)
    assert response.status_code == 503
    assert "TELEGRAM_TOKEN" in response.json()["error"]
    assert "Telegram channel is off: set TELEGRAM_TOKEN" in rasa.log_path.read_text(errors="replace")
