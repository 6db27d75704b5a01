"""Which Telegram updates become a person's message, which get a short notice, which are ignored.

Each person has their own conversation, also in a group: the sender id is the chat id alone in a
private chat, and "<chat_id>:<user_id>" in a group ("<chat_id>:<user_id>:<topic_id>" in a forum
topic). Everything a reply needs (the chat, the topic) can be read back from the sender id, so
reminders and the HTTP API's trigger_intent reach the right chat with no stored state.

Updates come from outside, so every field is checked for its type; an odd update is ignored,
never an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from channels.telegram.render import pressed_text

TEXT = "text"
NOTICE = "notice"
IGNORE = "ignore"
# Notices (message ids in data/knowledge/messages.yml) for what the bot cannot read.
TEXT_ONLY_NOTICE = "telegram_text_only"
EDITED_NOTICE = "telegram_edited"
# Telegram's standard commands, as the domain's intents.
COMMANDS = {"start": "/greet", "help": "/ask_capabilities"}
# Things a person sends that are not text: answered with TEXT_ONLY_NOTICE (its caption is read, if any).
CONTENT_KEYS = frozenset(
    {
        "photo", "sticker", "voice", "audio", "video", "video_note", "document", "animation",
        "location", "venue", "contact", "poll", "dice", "game", "story", "paid_media",
    }
)  # fmt: skip
PRIVATE = "private"
GROUPS = frozenset({"group", "supergroup"})
# "/command" or "/command@some_bot" at the start of a message (bot usernames end in "bot").
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(@[A-Za-z]\w{1,30}bot)?(?=\s|$)", re.IGNORECASE)
# "@some_bot": how a group message mentions a bot. Telegram sends the bot, in privacy mode, only
# the group messages meant for it: commands, replies to it and mentions of it.
_BOT_MENTION = re.compile(r"(?<![\w@])@[A-Za-z]\w{1,30}bot(?!\w)", re.IGNORECASE)
_SENDER_ID = re.compile(r"^(-?\d+)(?::(-?\d+))?(?::(\d+))?$")


@dataclass(frozen=True)
class Address:
    """Where replies to a conversation go."""

    chat_id: int
    thread_id: int | None = None


@dataclass(frozen=True)
class Routed:
    """What to do with an update: hand `text` to Rasa, send the notice `notice`, or nothing."""

    kind: str
    sender_id: str = ""
    text: str = ""
    notice: str = ""
    reply_to: int | None = None  # in a group, the message the first reply answers
    callback_query_id: str | None = None  # a tap on a button, to acknowledge
    reason: str = ""  # why an update is ignored, for the debug log


def sender_id_for(chat_id: int, chat_type: str, user_id: int, thread_id: int | None = None) -> str:
    if chat_type == PRIVATE:
        return str(chat_id)
    return f"{chat_id}:{user_id}" if thread_id is None else f"{chat_id}:{user_id}:{thread_id}"


def address_of(sender_id: str) -> Address | None:
    """The chat (and forum topic) of a conversation, from its sender id; None if it is not a
    Telegram sender id."""
    match = _SENDER_ID.match(str(sender_id))
    if not match:
        return None
    return Address(int(match.group(1)), int(match.group(3)) if match.group(3) else None)


def route_update(update: Mapping[str, Any], bot_id: int | None = None) -> Routed:
    """What an update asks of the bot. `bot_id` (from the token) tells which group messages are
    meant for the bot; without it, all are."""
    if "message" in update:
        return _from_message(_mapping(update["message"]), bot_id, edited=False)
    if "edited_message" in update:
        return _from_message(_mapping(update["edited_message"]), bot_id, edited=True)
    if "callback_query" in update:
        return _from_callback(_mapping(update["callback_query"]))
    kinds = [key for key in update if key != "update_id"]
    return Routed(IGNORE, reason=f"{kinds[0] if kinds else 'an empty'} update")


def _from_message(message: Mapping[str, Any], bot_id: int | None, *, edited: bool) -> Routed:
    chat = _mapping(message.get("chat"))
    chat_id, chat_type = _int(chat.get("id")), chat.get("type")
    sender_chat, person = _mapping(message.get("sender_chat")), _mapping(message.get("from"))
    user_id = _int(sender_chat.get("id")) if sender_chat else _int(person.get("id"))
    if chat_id is None or user_id is None:
        return Routed(IGNORE, reason="a message without a chat or a sender")
    if chat_type != PRIVATE and chat_type not in GROUPS:
        return Routed(IGNORE, reason=f"a message in a {chat_type} chat")
    if (person.get("is_bot") is True and not sender_chat) or message.get("is_automatic_forward") is True:
        return Routed(IGNORE, reason="a message from a bot or a channel")
    in_group = chat_type in GROUPS
    if in_group and not _meant_for_bot(message, bot_id):
        return Routed(IGNORE, reason="a group message not meant for the bot")
    sender_id = sender_id_for(chat_id, str(chat_type), user_id, _thread_id(message))
    reply_to = _int(message.get("message_id")) if in_group else None
    if edited:
        if in_group:
            return Routed(IGNORE, reason="an edited group message")
        return Routed(NOTICE, sender_id=sender_id, notice=EDITED_NOTICE)
    text = message.get("text")
    if not isinstance(text, str) or not text.strip():
        text = message.get("caption") if CONTENT_KEYS & message.keys() else None
    if isinstance(text, str) and text.strip():
        return Routed(TEXT, sender_id=sender_id, text=_as_message(text), reply_to=reply_to)
    if CONTENT_KEYS & message.keys():
        return Routed(NOTICE, sender_id=sender_id, notice=TEXT_ONLY_NOTICE, reply_to=reply_to)
    return Routed(IGNORE, reason="a service message")


def _from_callback(query: Mapping[str, Any]) -> Routed:
    query_id = query.get("id") if isinstance(query.get("id"), str) else None
    message, data = _mapping(query.get("message")), query.get("data")
    chat = _mapping(message.get("chat"))
    chat_id, chat_type = _int(chat.get("id")), chat.get("type")
    user_id = _int(_mapping(query.get("from")).get("id"))
    if not isinstance(data, str) or not data or chat_id is None or user_id is None:
        return Routed(IGNORE, callback_query_id=query_id, reason="a button tap without data or chat")
    if chat_type != PRIVATE and chat_type not in GROUPS:
        return Routed(IGNORE, callback_query_id=query_id, reason=f"a button tap in a {chat_type} chat")
    text = pressed_text(data, message.get("reply_markup")).strip()
    if not text:
        return Routed(IGNORE, callback_query_id=query_id, reason="a button tap with unreadable data")
    in_group = chat_type in GROUPS
    return Routed(
        TEXT,
        sender_id=sender_id_for(chat_id, str(chat_type), user_id, _thread_id(message)),
        text=text,
        reply_to=_int(message.get("message_id")) if in_group else None,
        callback_query_id=query_id,
    )


def _meant_for_bot(message: Mapping[str, Any], bot_id: int | None) -> bool:
    """A group message the bot should answer: a command, a reply to the bot, or a mention of a bot
    (the bot does not know its own username without asking Telegram, and bot usernames end in
    "bot"). With Telegram's privacy mode on, these are the only ones a bot gets; with it off, the
    bot gets every message and must not answer people talking to each other."""
    if bot_id is None:
        return True
    replied = _mapping(_mapping(message.get("reply_to_message")).get("from"))
    if _int(replied.get("id")) == bot_id:
        return True
    text = message.get("text") if isinstance(message.get("text"), str) else ""
    caption = message.get("caption") if isinstance(message.get("caption"), str) else ""
    if _COMMAND.match(text) or _BOT_MENTION.search(text) or _BOT_MENTION.search(caption):
        return True
    for entity in message.get("entities") or []:
        entity = _mapping(entity)
        if entity.get("type") == "text_mention" and _int(_mapping(entity.get("user")).get("id")) == bot_id:
            return True
    return False


def _as_message(text: str) -> str:
    """The person's words for the bot: without "@this_bot" mentions (a mention alone is a hello);
    /start and /help as the intents they mean; "/command@this_bot" (how groups address a bot) as
    "/command". Other text, including Rasa's "/intent{...}" payloads, is kept as it is."""
    text = " ".join(_BOT_MENTION.sub(" ", text).split()) if _BOT_MENTION.search(text) else text.strip()
    if not text:
        return COMMANDS["start"]
    match = _COMMAND.match(text)
    if not match:
        return text
    name = match.group(1).lower()
    if name in COMMANDS:
        return COMMANDS[name]
    return f"/{match.group(1)}{text[match.end() :]}"


def _thread_id(message: Mapping[str, Any]) -> int | None:
    """The forum topic a message is in (replies and reminders go to the same topic)."""
    return _int(message.get("message_thread_id")) if message.get("is_topic_message") is True else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
