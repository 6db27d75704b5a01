"""Telegram output and update handling against the fake Bot API: what is sent where, and errors."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from rasa.core.channels.channel import UserMessage

from channels.telegram.api import BotApi
from channels.telegram.connector import TelegramInput
from channels.telegram.output import TelegramOutput
from channels.telegram.settings import TelegramSettings
from channels.telegram.updates import route_update
from kneadle.messages import default_messages
from tests.integration.fake_telegram import FakeTelegram

TOKEN = "123456789:AAunit-test_token"


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
def api(fake: FakeTelegram) -> BotApi:
    return BotApi(fake.url, TOKEN)


async def test_text_goes_to_the_chat_of_the_sender_id(fake: FakeTelegram, api: BotApi) -> None:
    await TelegramOutput(api).send_text_message("42", "Hello!\n\nTwo paragraphs, one message.")
    [call] = fake.calls("sendMessage")
    assert call.body == {"chat_id": 42, "text": "Hello!\n\nTwo paragraphs, one message."}


async def test_in_a_group_only_the_first_reply_quotes_the_persons_message(fake: FakeTelegram, api: BotApi) -> None:
    output = TelegramOutput(api, reply_to=9)
    await output.send_text_message("-1001234:42", "First")
    await output.send_text_message("-1001234:42", "Second")
    first, second = fake.calls("sendMessage")
    assert first.body["chat_id"] == second.body["chat_id"] == -1001234
    assert first.body["reply_parameters"] == {"message_id": 9, "allow_sending_without_reply": True}
    assert "reply_parameters" not in second.body


async def test_a_forum_topics_conversation_is_answered_in_the_topic(fake: FakeTelegram, api: BotApi) -> None:
    await TelegramOutput(api).send_text_message("-1001234:42:77", "Here")
    assert fake.calls("sendMessage")[0].body["message_thread_id"] == 77


async def test_buttons_are_an_inline_keyboard_without_parse_mode(fake: FakeTelegram, api: BotApi) -> None:
    buttons = default_messages()["screening_question"].render()["buttons"]
    await TelegramOutput(api).send_text_with_buttons("42", "Do any of these apply? *really*_", buttons)
    [call] = fake.calls("sendMessage")
    assert call.text == "Do any of these apply? *really*_"
    assert "parse_mode" not in call.body
    assert [b["text"] for b in call.buttons()] == [b["title"] for b in buttons]
    assert all(len(b["callback_data"].encode()) <= 64 for b in call.buttons())


async def test_a_long_text_with_buttons_puts_the_keyboard_under_the_last_part(fake: FakeTelegram, api: BotApi) -> None:
    text = ("A long step. " * 400).strip()
    await TelegramOutput(api).send_text_with_buttons("42", text, [{"title": "Next", "payload": "/next_step"}])
    calls = fake.calls("sendMessage")
    assert len(calls) == 2
    assert "reply_markup" not in calls[0].body
    assert calls[1].buttons() == [{"text": "Next", "callback_data": "/next_step"}]


async def test_a_tel_link_is_plain_text(fake: FakeTelegram, api: BotApi) -> None:
    await TelegramOutput(api).send_text_message("42", "📞 [Call 112](tel:112)")
    assert fake.calls("sendMessage")[0].text == "📞 Call 112"


async def test_an_image_is_a_photo_by_url(fake: FakeTelegram, api: BotApi) -> None:
    output = TelegramOutput(api)
    await output.send_image_url("42", "https://example.org/pictures/palm.png")
    await output.send_image_url("42", "file:///etc/passwd")
    assert [call.body for call in fake.calls()] == [{"chat_id": 42, "photo": "https://example.org/pictures/palm.png"}]


async def test_a_custom_payload_with_text_is_sent_and_others_are_not(fake: FakeTelegram, api: BotApi) -> None:
    output = TelegramOutput(api)
    await output.send_custom_json("42", {"blocks": []})
    await output.send_custom_json("42", {"text": "Custom", "buttons": [{"title": "Ok", "payload": "/affirm"}]})
    [call] = fake.calls()
    assert (call.text, call.buttons()) == ("Custom", [{"text": "Ok", "callback_data": "/affirm"}])


async def test_a_sender_id_of_another_channel_sends_nothing(
    fake: FakeTelegram, api: BotApi, caplog: pytest.LogCaptureFixture
) -> None:
    await TelegramOutput(api).send_text_message("rest-user-1", "Hi")
    assert fake.calls() == []
    assert "not a Telegram conversation" in caplog.text


async def test_a_failed_call_is_logged_without_the_token(
    fake: FakeTelegram, api: BotApi, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    with caplog.at_level(logging.ERROR):
        await TelegramOutput(api).send_text_message("42", "Hi")
    assert "sendMessage failed: 403 Forbidden: bot was blocked by the user" in caplog.text
    assert TOKEN not in caplog.text


async def test_a_short_flood_wait_is_waited_out_once(fake: FakeTelegram, api: BotApi) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 0", retry_after=0)
    await TelegramOutput(api).send_text_message("42", "Hi")
    assert len(fake.calls("sendMessage")) == 2


async def test_an_unreachable_api_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    api = BotApi("http://127.0.0.1:9", TOKEN, timeout=5)
    with caplog.at_level(logging.ERROR):
        assert await api.call("sendMessage", {"chat_id": 1, "text": "x"}) is None
    assert "sendMessage failed" in caplog.text
    assert TOKEN not in caplog.text


class Received:
    def __init__(self) -> None:
        self.messages: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.messages.append(message)


def channel(fake: FakeTelegram) -> TelegramInput:
    return TelegramInput(TelegramSettings(api_url=fake.url, token=TOKEN))


async def test_a_tap_is_acknowledged_before_the_message_is_handled(fake: FakeTelegram) -> None:
    received = Received()
    tap = {
        "id": "cb1",
        "from": {"id": 42},
        "data": "/deny",
        "message": {"message_id": 3, "chat": {"id": 42, "type": "private"}},
    }
    await channel(fake).handle(route_update({"update_id": 1, "callback_query": tap}), received)
    assert [call.body for call in fake.calls()] == [{"callback_query_id": "cb1"}]
    [message] = received.messages
    assert (message.text, message.sender_id, message.input_channel) == ("/deny", "42", "telegram")
    assert isinstance(message.output_channel, TelegramOutput)


async def test_a_sticker_gets_the_notice_from_the_messages_file(fake: FakeTelegram) -> None:
    received = Received()
    sticker = {"message_id": 3, "chat": {"id": 42, "type": "private"}, "from": {"id": 42}, "sticker": {}}
    await channel(fake).handle(route_update({"update_id": 1, "message": sticker}), received)
    assert received.messages == []
    assert fake.calls("sendMessage")[0].body == {"chat_id": 42, "text": default_messages().text("telegram_text_only")}


def test_the_output_channel_for_the_http_api_exists_only_when_the_channel_is_on(fake: FakeTelegram) -> None:
    assert isinstance(channel(fake).get_output_channel(), TelegramOutput)
    assert TelegramInput(TelegramSettings()).get_output_channel() is None
    assert TelegramInput.name() == TelegramOutput.name() == "telegram"
