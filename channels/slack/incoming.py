"""What a request to the Slack webhook asks of the bot, read from its content type and raw body.

One URL serves Slack's Events API (JSON) and Interactivity (a form whose `payload` field is JSON),
plus the form bodies Slack sends to any request URL (slash commands, `ssl_check`). The result is a
person's message to hand to Rasa, or the answer to give Slack straight away. Nothing here raises:
a body we cannot read is a 400, a kind of request we do not use is a 200 that does nothing.

A conversation is `team:channel:user` (see `conversation_id`).
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from channels.slack.blocks import plain_text

JSON_TYPE = "application/json"
FORM_TYPE = "application/x-www-form-urlencoded"
# Message subtypes that are still a person writing to the bot (a file with a comment); any other
# subtype is an edit, a deletion, a bot's post or a channel notice, and gets no answer.
PERSON_SUBTYPES = frozenset({None, "file_share"})


@dataclass(frozen=True)
class PersonMessage:
    """Something a person said or clicked, for the bot to answer in `channel`."""

    text: str
    team: str
    channel: str
    user: str
    kind: str

    @property
    def sender_id(self) -> str:
        return conversation_id(self.team, self.channel, self.user)


@dataclass(frozen=True)
class Answer:
    """The HTTP answer for a request that has no message for the bot (or a bad one)."""

    status: int
    body: dict[str, Any] | None = None
    note: str = field(default="", compare=False)
    headers: dict[str, str] = field(default_factory=dict)


def conversation_id(team: str, channel: str, user: str) -> str:
    """Rasa's sender id for a person in a Slack channel.

    The channel is in it because replies, and reminders that fire later, must go back to where the
    person wrote (in a direct message the channel is the person's DM with the bot), and because a
    walk-through started in a DM should not carry on when the same person mentions the bot in a
    shared channel. The team is in it because Slack ids are only unique within a workspace.
    Slack ids never contain a colon, so the channel can be read back (`channel_of`)."""
    return f"{team}:{channel}:{user}"


def channel_of(sender_id: str) -> str | None:
    parts = sender_id.split(":")
    return parts[1] if len(parts) == 3 and parts[1] else None


def media_type(content_type: str) -> tuple[str, str]:
    """(`application/json`, `utf-8`) from `application/json; charset=UTF-8`."""
    kind, _, parameters = content_type.partition(";")
    charset = ""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def read_request(content_type: str, body: bytes) -> PersonMessage | Answer:
    if not body.strip():
        return Answer(400, {"error": "empty body"})
    kind, charset = media_type(content_type)
    try:
        text = body.decode(codecs.lookup(charset or "utf-8").name)
    except (LookupError, UnicodeDecodeError):
        return Answer(400, {"error": "the body is not text in its charset"})
    if kind == JSON_TYPE:
        return _read_json(text)
    if kind == FORM_TYPE:
        return _read_form(text)
    return Answer(415, {"error": f"expected {JSON_TYPE} or {FORM_TYPE}"})


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _read_json(text: str) -> PersonMessage | Answer:
    envelope = _json_object(text)
    if envelope is None or not isinstance(envelope.get("type"), str):
        return Answer(400, {"error": "malformed JSON: expected an object with a type"})
    if envelope["type"] == "url_verification":
        challenge = envelope.get("challenge")
        if not isinstance(challenge, str):
            return Answer(400, {"error": "url_verification without a challenge"})
        return Answer(200, {"challenge": challenge})
    if envelope["type"] != "event_callback":
        return Answer(200, note=f"ignored a request of type {envelope['type']}")
    event = envelope.get("event")
    if not isinstance(event, dict):
        return Answer(400, {"error": "event_callback without an event"})
    return _read_event(event, _text(envelope.get("team_id")) or _text(event.get("team")), _bot_users(envelope))


def _read_event(event: dict[str, Any], team: str, bot_users: set[str]) -> PersonMessage | Answer:
    kind = event.get("type")
    if kind not in ("message", "app_mention"):
        return Answer(200, note=f"ignored an event of type {kind}")
    user, channel, text = _text(event.get("user")), _text(event.get("channel")), _text(event.get("text"))
    if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id") or user in bot_users:
        return Answer(200, note=f"ignored a {kind} event that is not from a person")
    if not user or not channel:
        return Answer(200, note=f"ignored a {kind} event without a user or channel")
    # Typed messages count only in the person's DM with the bot; in other channels only a mention
    # does (an app subscribed to message.channels would otherwise answer every mention twice).
    channel_type = _text(event.get("channel_type")) or ("im" if channel.startswith("D") else "")
    if kind == "message" and channel_type != "im":
        return Answer(200, note=f"ignored a message in a {channel_type or 'non-DM'} channel")
    cleaned = plain_text(text)
    if not cleaned:
        return Answer(200, note=f"ignored a {kind} event without text")
    return PersonMessage(cleaned, team, channel, user, kind)


def _read_form(text: str) -> PersonMessage | Answer:
    try:
        form = parse_qs(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return Answer(400, {"error": "malformed form body"})
    if "payload" in form:
        payload = _json_object(form["payload"][0])
        if payload is None or not isinstance(payload.get("type"), str):
            return Answer(400, {"error": "malformed interactivity payload"})
        return _read_interaction(payload)
    if "ssl_check" in form:
        return Answer(200, note="answered Slack's ssl_check")
    if "command" in form:
        return Answer(200, note=f"ignored the slash command {form['command'][0]!r}")
    return Answer(400, {"error": "a form without payload, command or ssl_check"})


def _read_interaction(payload: dict[str, Any]) -> PersonMessage | Answer:
    if payload["type"] != "block_actions":
        return Answer(200, note=f"ignored an interaction of type {payload['type']}")
    actions = payload.get("actions")
    clicked = [
        action
        for action in (actions if isinstance(actions, list) else [])
        if isinstance(action, dict) and action.get("type") == "button" and _text(action.get("value"))
    ]
    user = _field(payload, "user", "id")
    channel = _field(payload, "channel", "id") or _field(payload, "container", "channel_id")
    if not clicked or not user or not channel:
        return Answer(200, note="ignored a block action without a button value, user or channel")
    team = _field(payload, "team", "id") or _field(payload, "user", "team_id")
    return PersonMessage(_text(clicked[0]["value"]), team, channel, user, "button")


def _bot_users(envelope: dict[str, Any]) -> set[str]:
    """Our bot's own user id(s), from the event's authorizations: its own posts are not questions."""
    authorizations = envelope.get("authorizations")
    return {
        _text(item.get("user_id"))
        for item in (authorizations if isinstance(authorizations, list) else [])
        if isinstance(item, dict) and item.get("is_bot") and _text(item.get("user_id"))
    }


def _field(payload: dict[str, Any], outer: str, inner: str) -> str:
    value = payload.get(outer)
    return _text(value.get(inner)) if isinstance(value, dict) else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
