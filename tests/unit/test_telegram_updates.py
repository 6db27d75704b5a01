"""Which Telegram updates reach the bot, as whose message, and where the replies go."""

from __future__ import annotations

from typing import Any

import pytest

from channels.telegram.render import keyboard
from channels.telegram.updates import (
    EDITED_NOTICE,
    IGNORE,
    NOTICE,
    TEXT,
    TEXT_ONLY_NOTICE,
    Address,
    address_of,
    route_update,
)

BOT_ID = 777000111
PERSON = {"id": 42, "is_bot": False, "first_name": "Ada"}
OTHER = {"id": 43, "is_bot": False, "first_name": "Bo"}
PRIVATE_CHAT = {"id": 42, "type": "private"}
GROUP = {"id": -1001234, "type": "supergroup", "title": "Desk people"}
FROM_BOT = {"message_id": 5, "from": {"id": BOT_ID, "is_bot": True}, "chat": GROUP, "text": "Where?"}


def message(text: str | None = "my neck is stiff", chat: dict = PRIVATE_CHAT, **fields: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"message_id": 9, "date": 0, "chat": chat, "from": PERSON, **fields}
    if text is not None:
        found["text"] = text
    return found


def update(**fields: Any) -> dict[str, Any]:
    return {"update_id": 1, **fields}


def test_a_private_text_is_the_persons_message_in_their_own_conversation() -> None:
    routed = route_update(update(message=message()), BOT_ID)
    assert (routed.kind, routed.sender_id, routed.text, routed.reply_to) == (TEXT, "42", "my neck is stiff", None)
    assert address_of(routed.sender_id) == Address(42)


def test_in_a_group_each_person_has_a_conversation_and_replies_quote_them() -> None:
    first = route_update(update(message=message(chat=GROUP, reply_to_message=FROM_BOT)), BOT_ID)
    second = route_update(update(message=message(chat=GROUP, reply_to_message=FROM_BOT, **{"from": OTHER})), BOT_ID)
    assert first.kind == second.kind == TEXT
    assert (first.sender_id, second.sender_id) == ("-1001234:42", "-1001234:43")
    assert address_of(first.sender_id) == address_of(second.sender_id) == Address(-1001234)
    assert first.reply_to == 9


def test_in_a_forum_topic_replies_go_to_the_topic() -> None:
    routed = route_update(
        update(message=message("/start", chat=GROUP, message_thread_id=77, is_topic_message=True)), BOT_ID
    )
    assert routed.sender_id == "-1001234:42:77"
    assert address_of(routed.sender_id) == Address(-1001234, 77)


def test_group_chatter_not_meant_for_the_bot_is_ignored() -> None:
    assert route_update(update(message=message("lunch?", chat=GROUP)), BOT_ID).kind == IGNORE
    mentioned = message(
        "hey you", chat=GROUP, entities=[{"type": "text_mention", "offset": 0, "length": 3, "user": {"id": BOT_ID}}]
    )
    assert route_update(update(message=mentioned), BOT_ID).kind == TEXT


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("/start", "/greet"),
        ("/start@kneadle_bot", "/greet"),
        ("/START deep-link-argument", "/greet"),
        ("/help", "/ask_capabilities"),
        ("/next_step@Kneadle_Bot", "/next_step"),
        ('/report_complaint{"body_region": "hands"}', '/report_complaint{"body_region": "hands"}'),
        ("/deny@0.9", "/deny@0.9"),
        ("my neck", "my neck"),
    ],
)
def test_commands_become_intents(text: str, meant: str) -> None:
    assert route_update(update(message=message(text)), BOT_ID).text == meant


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("@kneadle_bot my neck is stiff", "my neck is stiff"),
        ("my neck is stiff, @Kneadle_Bot", "my neck is stiff,"),
        ("@kneadle_bot", "/greet"),
    ],
)
def test_a_mention_of_the_bot_in_a_group_is_meant_for_it(text: str, meant: str) -> None:
    routed = route_update(update(message=message(text, chat=GROUP)), BOT_ID)
    assert (routed.kind, routed.text) == (TEXT, meant)


@pytest.mark.parametrize("text", ["@ada lunch?", "mail me at help@robot", "see @robotics_club"])
def test_a_mention_of_a_person_in_a_group_is_not(text: str) -> None:
    assert route_update(update(message=message(text, chat=GROUP)), BOT_ID).kind == IGNORE


def test_a_command_in_a_group_is_meant_for_the_bot() -> None:
    routed = route_update(update(message=message("/start@kneadle_bot", chat=GROUP)), BOT_ID)
    assert (routed.kind, routed.text, routed.reply_to) == (TEXT, "/greet", 9)


def test_a_button_tap_is_acknowledged_and_sends_its_data() -> None:
    markup = keyboard([{"title": "None of these", "payload": "/deny"}])
    tap = {
        "id": "cb1",
        "from": PERSON,
        "data": "/deny",
        "message": {**FROM_BOT, "chat": PRIVATE_CHAT, "reply_markup": markup},
    }
    routed = route_update(update(callback_query=tap), BOT_ID)
    assert (routed.kind, routed.sender_id, routed.text, routed.callback_query_id) == (TEXT, "42", "/deny", "cb1")


def test_a_tap_in_a_group_is_the_tapping_persons_message() -> None:
    tap = {"id": "cb2", "from": OTHER, "data": "/next_step", "message": FROM_BOT}
    routed = route_update(update(callback_query=tap), BOT_ID)
    assert (routed.sender_id, routed.reply_to) == ("-1001234:43", 5)


def test_a_tap_on_a_long_payload_button_sends_its_title() -> None:
    long_payload = (
        '/report_complaint{"body_region": "neck_shoulders", "symptom": "stiffness", "side": "left", "x": "y"}'
    )
    markup = keyboard([{"title": "Neck and shoulders", "payload": long_payload}])
    data = markup["inline_keyboard"][0][0]["callback_data"]
    tap = {
        "id": "cb3",
        "from": PERSON,
        "data": data,
        "message": {**FROM_BOT, "chat": PRIVATE_CHAT, "reply_markup": markup},
    }
    assert route_update(update(callback_query=tap), BOT_ID).text == "Neck and shoulders"


@pytest.mark.parametrize(
    "tap",
    [
        {"id": "cb4", "from": PERSON, "inline_message_id": "abc", "data": "/deny"},  # on an inline message: no chat
        {"id": "cb5", "from": PERSON, "message": FROM_BOT, "game_short_name": "g"},  # a game: no data
        {"id": "cb6", "from": PERSON, "message": FROM_BOT, "data": ""},
    ],
)
def test_taps_without_a_message_to_send_are_acknowledged_and_ignored(tap: dict) -> None:
    routed = route_update(update(callback_query=tap), BOT_ID)
    assert routed.kind == IGNORE
    assert routed.callback_query_id == tap["id"]


@pytest.mark.parametrize("content", ["photo", "sticker", "voice", "document", "location", "video_note", "poll"])
def test_what_is_not_text_gets_a_notice_in_a_private_chat(content: str) -> None:
    routed = route_update(update(message=message(None, **{content: {"file_id": "x"}})), BOT_ID)
    assert (routed.kind, routed.notice, routed.sender_id) == (NOTICE, TEXT_ONLY_NOTICE, "42")


def test_a_photos_caption_is_read() -> None:
    routed = route_update(update(message=message(None, photo=[{"file_id": "x"}], caption="my neck, see?")), BOT_ID)
    assert (routed.kind, routed.text) == (TEXT, "my neck, see?")


def test_a_photo_in_a_group_gets_a_notice_only_when_it_answers_the_bot() -> None:
    plain = message(None, chat=GROUP, photo=[{"file_id": "x"}])
    assert route_update(update(message=plain), BOT_ID).kind == IGNORE
    answering = route_update(update(message={**plain, "reply_to_message": FROM_BOT}), BOT_ID)
    assert (answering.kind, answering.notice, answering.reply_to) == (NOTICE, TEXT_ONLY_NOTICE, 9)


def test_an_edit_gets_a_notice_in_a_private_chat_and_is_ignored_in_a_group() -> None:
    private = route_update(update(edited_message=message("my neck is very stiff")), BOT_ID)
    assert (private.kind, private.notice) == (NOTICE, EDITED_NOTICE)
    edited_in_group = message("typo fixed", chat=GROUP, reply_to_message=FROM_BOT)
    assert route_update(update(edited_message=edited_in_group), BOT_ID).kind == IGNORE


@pytest.mark.parametrize(
    "odd",
    [
        update(message=message(None, chat=GROUP, new_chat_members=[PERSON])),  # a service message
        update(message=message(None, pinned_message={"message_id": 3})),
        update(message=message("hello", **{"from": {"id": 5, "is_bot": True}})),
        update(message=message("forwarded", chat=GROUP, is_automatic_forward=True, reply_to_message=FROM_BOT)),
        update(channel_post={"message_id": 1, "chat": {"id": -100999, "type": "channel"}, "text": "news"}),
        update(message={"message_id": 1, "chat": {"id": -100999, "type": "channel"}, "text": "news"}),
        update(my_chat_member={"chat": GROUP, "from": PERSON, "new_chat_member": {"status": "member"}}),
        update(chat_member={"chat": GROUP}),
        update(inline_query={"id": "q", "from": PERSON, "query": "neck"}),
        update(message_reaction={"chat": GROUP, "message_id": 5, "new_reaction": []}),
        update(some_future_update={"x": 1}),
        update(),
        update(message="not an object"),
        update(message={"chat": {"id": "42", "type": "private"}, "from": PERSON, "text": "string chat id"}),
        update(message={"chat": PRIVATE_CHAT, "from": {"id": True}, "text": "boolean sender"}),
        update(callback_query=["not", "an", "object"]),
    ],
)
def test_everything_else_is_ignored_without_an_error(odd: dict) -> None:
    assert route_update(odd, BOT_ID).kind == IGNORE


def test_an_anonymous_group_admin_has_the_groups_conversation() -> None:
    anonymous = message(
        "/start", chat=GROUP, sender_chat=GROUP, **{"from": {"id": 1087968824, "is_bot": True, "first_name": "Group"}}
    )
    assert route_update(update(message=anonymous), BOT_ID).sender_id == "-1001234:-1001234"


def test_without_a_bot_id_every_group_message_counts() -> None:
    assert route_update(update(message=message("lunch?", chat=GROUP)), None).kind == TEXT


@pytest.mark.parametrize("sender_id", ["", "rest-user", "12a", "1:2:3:4", "default"])
def test_sender_ids_of_other_channels_have_no_telegram_address(sender_id: str) -> None:
    assert address_of(sender_id) is None
