"""Rasa messages as Telegram sees them: plain text, inline keyboards, and button data.

No parse_mode is used, so no text needs escaping; markdown links, which Telegram would show
raw, become plain words. A button's payload travels as its `callback_data`, which Telegram
limits to 64 bytes: a longer payload is sent as the button's title instead, so a tap reads like
the person typed the title (it goes through the NLU). Nothing is stored between a message and
the tap on its button, so any replica of the server can take the tap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from channels.markdown import MARKDOWN_LINK

CALLBACK_DATA_LIMIT = 64  # bytes of UTF-8, Telegram's limit for `callback_data`
TEXT_LIMIT = 4096  # UTF-16 code units in one message
# Starts the callback data of a button whose payload does not fit: "§<index>§<title>".
# A payload that itself starts with it is sent the same way, so the marker is never ambiguous.
TITLE_MARKER = "§"
# Rows of an inline keyboard: at most this many buttons, whose titles (plus room for the
# button's edges) fit on a narrow phone. Longer titles get a row of their own.
MAX_ROW_BUTTONS = 4
MAX_ROW_WIDTH = 30
BUTTON_EDGE_WIDTH = 4
URL_SCHEMES = ("https://", "http://", "tg://")

_INTENT_PAYLOAD = re.compile(r"^(/[^{@]+)(@[0-9.]+)?(\{.*\})$", re.DOTALL)


def plain_text(text: str) -> str:
    """Markdown links as words Telegram shows well: "[Call 112](tel:112)" becomes "Call 112"
    (Telegram has no tel: links; the number is in the words, or added in brackets), and
    "[the guide](https://…)" becomes "the guide (https://…)", which Telegram links itself."""
    return MARKDOWN_LINK.sub(_link_words, text)


def _link_words(match: re.Match[str]) -> str:
    title, target = match.group(1), match.group(2)
    scheme, _, address = target.partition(":")
    if scheme.lower() == "tel":
        digits = re.sub(r"\D", "", address)
        return title if digits and digits in re.sub(r"\D", "", title) else f"{title} ({address})"
    if scheme.lower() == "mailto":
        return title if address in title else f"{title} ({address})"
    if target.lower().startswith(("http://", "https://")):
        return title if title.strip() == target else f"{title} ({target})"
    return title


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji outside the BMP counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """The text in messages Telegram accepts: split before `limit`, at a paragraph, line or space
    when there is one; no empty parts."""
    parts: list[str] = []
    rest = text.strip()
    while rest:
        if utf16_length(rest) <= limit:
            parts.append(rest)
            break
        cut = _longest_prefix(rest, limit)
        for separator in ("\n\n", "\n", " "):
            at = rest.rfind(separator, 0, cut)
            if at > 0:
                cut = at
                break
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].strip()
    return [part for part in parts if part]


def _longest_prefix(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` UTF-16 code units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)


def callback_data(payload: str, title: str, index: int) -> str:
    """What a button sends when tapped: its payload if that fits in 64 bytes (an intent payload
    with its JSON written compactly, if that makes it fit), else the marker, the button's
    place in the keyboard and as much of its title as fits."""
    for candidate in (payload, _compact_intent(payload)):
        if candidate and _fits(candidate) and not candidate.startswith(TITLE_MARKER):
            return candidate
    return _truncate_utf8(f"{TITLE_MARKER}{index}{TITLE_MARKER}{title}", CALLBACK_DATA_LIMIT)


def pressed_text(data: str, markup: object) -> str:
    """The message a tap on a button stands for. A payload that did not fit comes back as the
    button's full title, read from the keyboard of the message the button is on (Telegram sends
    that message with the tap), or as much of the title as the data holds if that message is too
    old to be sent along."""
    if not data.startswith(TITLE_MARKER):
        return data
    for row in _mapping(markup).get("inline_keyboard") or []:
        for button in row if isinstance(row, list) else []:
            button = _mapping(button)
            if button.get("callback_data") == data and isinstance(button.get("text"), str):
                return button["text"]
    _, _, title = data[len(TITLE_MARKER) :].partition(TITLE_MARKER)
    return title


def keyboard(buttons: Sequence[object]) -> dict[str, Any] | None:
    """An inline keyboard for Rasa buttons, in rows that fit a phone; None if no button is usable.
    A button with a `url` opens it; any other sends its payload (see `callback_data`)."""
    usable = [
        telegram_button(button, index)
        for index, button in enumerate(buttons)
        if isinstance(button, Mapping) and _title(button)
    ]
    if not usable:
        return None
    return {"inline_keyboard": rows(usable)}


def telegram_button(button: Mapping[str, Any], index: int) -> dict[str, str]:
    title = _title(button)
    url = button.get("url")
    if isinstance(url, str) and url.startswith(URL_SCHEMES):
        return {"text": title, "url": url}
    payload = button.get("payload")
    payload = payload if isinstance(payload, str) else ""
    return {"text": title, "callback_data": callback_data(payload.strip(), title, index)}


def rows(buttons: Sequence[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Buttons in order, as many to a row as fit (`MAX_ROW_BUTTONS`, `MAX_ROW_WIDTH`)."""
    laid_out: list[list[dict[str, str]]] = []
    width = 0
    for button in buttons:
        needed = utf16_length(button["text"])
        row = laid_out[-1] if laid_out else None
        if row and len(row) < MAX_ROW_BUTTONS and width + BUTTON_EDGE_WIDTH + needed <= MAX_ROW_WIDTH:
            row.append(button)
            width += BUTTON_EDGE_WIDTH + needed
        else:
            laid_out.append([button])
            width = needed
    return laid_out


def _title(button: Mapping[str, Any]) -> str:
    title = button.get("title")
    return " ".join(title.split()) if isinstance(title, str) else ""


def _compact_intent(payload: str) -> str:
    """'/intent{"a": "b"}' as '/intent{"a":"b"}'; the payload itself if it is not one."""
    match = _INTENT_PAYLOAD.match(payload)
    if not match:
        return payload
    try:
        entities = json.loads(match.group(3))
    except ValueError:
        return payload
    compact = json.dumps(entities, separators=(",", ":"), ensure_ascii=False)
    return f"{match.group(1)}{match.group(2) or ''}{compact}"


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT


def _truncate_utf8(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
