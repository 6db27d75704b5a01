"""Rasa responses as Slack chat.postMessage bodies (Block Kit), and Slack's text back to plain text.

Slack reads `&`, `<` and `>` as markup in mrkdwn, so the bot's text is escaped, and the one piece of
markdown our responses use, a link `[text](url)` (the escalation's `tel:` link), becomes Slack's
`<url|text>`. Limits from Slack's Block Kit reference: 3000 characters in a section's text, 75 in a
button's label, 2000 in a button's value, 50 blocks in a message; we keep 5 buttons to an actions
block so a long list wraps into rows. Nothing is cut without a log line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlparse

from channels.markdown import MARKDOWN_LINK

logger = logging.getLogger(__name__)

SECTION_TEXT_LIMIT = 3000
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_ROW = 5
BLOCKS_PER_MESSAGE = 50
MESSAGE_TEXT_LIMIT = 40000
ACTION_ID_PREFIX = "kneadle-button-"

# Pieces of mrkdwn that a split must not cut: a link or mention in <...>, an escaped character.
ATOM = re.compile(r"<[^<>\n]*>|&(?:amp|lt|gt);")
# In text from Slack: <@U123>, <#C123|name>, <!here>, <https://x|label>, <mailto:a@b>.
SLACK_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def escape(text: str) -> str:
    """Text that Slack shows as written: &, < and > escaped as its docs ask."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """The bot's text as Slack mrkdwn: escaped, with markdown links as Slack links."""
    parts: list[str] = []
    position = 0
    for match in MARKDOWN_LINK.finditer(text):
        parts.append(escape(text[position : match.start()]))
        label, url = match.groups()
        url = url.replace("|", "%7C")
        parts.append(f"<{escape(url)}|{escape(label)}>")
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def split_mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, a line or a space if possible,
    never inside a link or an escaped character."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def _cut_point(text: str, limit: int) -> int:
    atoms = [match.span() for match in ATOM.finditer(text, 0, limit + 1)]

    def inside_atom(index: int) -> bool:
        return any(start < index < end for start, end in atoms)

    for separator in ("\n\n", "\n", " "):
        index = text.rfind(separator, 0, limit)
        while index > 0 and inside_atom(index):
            index = text.rfind(separator, 0, index)
        if index > 0:
            return index
    index = limit
    for start, end in atoms:
        if start < index < end:
            index = start
    return index if index > 0 else limit


def section_blocks(text: str) -> list[dict[str, Any]]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": piece}} for piece in split_mrkdwn(to_mrkdwn(text))]


def button_element(button: Mapping[str, Any], index: int) -> dict[str, Any] | None:
    """One Slack button whose value is the Rasa payload, sent back as the person's message on a click."""
    title = str(button.get("title") or button.get("payload") or "")
    value = str(button.get("payload") or title)
    if len(value) > BUTTON_VALUE_LIMIT:
        logger.error(
            "Slack: left out the button %r: its payload has %d characters, Slack takes %d",
            title,
            len(value),
            BUTTON_VALUE_LIMIT,
        )
        return None
    if len(title) > BUTTON_LABEL_LIMIT:
        logger.warning("Slack: shortened the button label %r to %d characters", title, BUTTON_LABEL_LIMIT)
        title = title[: BUTTON_LABEL_LIMIT - 1] + "…"
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": title or value[:BUTTON_LABEL_LIMIT], "emoji": True},
        "value": value,
        "action_id": f"{ACTION_ID_PREFIX}{index}",
    }


def actions_blocks(buttons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows of at most five buttons; every button of the response is in one of them."""
    elements = [element for index, button in enumerate(buttons) if (element := button_element(button, index))]
    return [
        {"type": "actions", "elements": elements[start : start + BUTTONS_PER_ROW]}
        for start in range(0, len(elements), BUTTONS_PER_ROW)
    ]


def text_messages(text: str, buttons: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """chat.postMessage bodies (without the channel) for a text and its buttons: usually one; more
    only when the text is too long for one message. The buttons come with the last part.
    `text` is the notification fallback Slack shows where blocks are not rendered."""
    sections = section_blocks(text)
    actions = actions_blocks(buttons)
    messages: list[dict[str, Any]] = []
    current: list[dict[str, Any]] = []
    for section in sections:
        size = sum(len(block["text"]["text"]) + 2 for block in current) + len(section["text"]["text"])
        if current and (size > MESSAGE_TEXT_LIMIT or len(current) >= BLOCKS_PER_MESSAGE - len(actions)):
            messages.append(_message(current))
            current = []
        current.append(section)
    messages.append(_message(current, actions))
    return messages


def _message(sections: list[dict[str, Any]], actions: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    fallback = "\n\n".join(block["text"]["text"] for block in sections)
    return {"text": fallback, "blocks": [*sections, *actions]}


def image_message(url: str, alt_text: str | None = None) -> dict[str, Any]:
    """An image block; Slack requires alt text, so without one the image's file name stands in."""
    alt = (alt_text or _file_name(url) or url)[:2000]
    return {"text": alt, "blocks": [{"type": "image", "image_url": url, "alt_text": alt}]}


def _file_name(url: str) -> str:
    name = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    return re.sub(r"[-_]+", " ", name.rsplit(".", 1)[0]).strip()


def plain_text(text: str) -> str:
    """What a person typed in Slack, as the bot should read it: mentions (of the bot, or of people,
    which mean nothing to it) dropped, links as their label or address, channel names as their name,
    and Slack's &amp; &lt; &gt; back to characters."""

    def replace(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith(("@", "!")):
            return ""
        if target.startswith("#"):
            return label or ""
        return label or target

    cleaned = SLACK_MARKUP.sub(replace, text)
    cleaned = cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(cleaned.split())
