"""The messages custom actions send, loaded from data/knowledge/messages.yml.

A message is text with {field} placeholders and optional buttons. Rendering checks that
every placeholder is filled, so a typo in the file fails loudly instead of showing "{title}".
Labels name regions, symptoms and equipment in the bot's words ("your neck and shoulders");
intent labels name what a person may have meant, as buttons of a clarifying question.
A message with `on_yes`/`on_no` is a yes/no question: the answer to it is decided here, in data,
so "yes" means yes to the question just asked, wherever it was asked.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kneadle.datafile import load_data_file
from kneadle.knowledge import PROJECT_ROOT

MESSAGES_PATH = PROJECT_ROOT / "data" / "knowledge" / "messages.yml"


@dataclass(frozen=True)
class Answer:
    """What a yes or a no to a question does: run a custom action, or say a message."""

    action: str | None = None
    say: str | None = None


@dataclass(frozen=True)
class Message:
    text: str
    buttons: tuple[Mapping[str, str], ...] = ()
    on_yes: Answer | None = None
    on_no: Answer | None = None

    @property
    def is_question(self) -> bool:
        """A yes or a no answers it."""
        return self.on_yes is not None or self.on_no is not None

    @property
    def fields(self) -> set[str]:
        """The {placeholders} the text needs."""
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name}

    def render(self, **fields: str) -> dict[str, Any]:
        """Keyword arguments for `dispatcher.utter_message`: the filled text and the buttons."""
        missing = self.fields - fields.keys()
        if missing:
            raise KeyError(f"message needs {sorted(missing)}")
        rendered: dict[str, Any] = {"text": self.text.format_map(fields).strip()}
        if self.buttons:
            rendered["buttons"] = [dict(button) for button in self.buttons]
        return rendered


@dataclass(frozen=True)
class Catalog:
    messages: Mapping[str, Message]
    labels: Mapping[str, str]
    intent_labels: Mapping[str, str]

    def __getitem__(self, message_id: str) -> Message:
        return self.messages[message_id]

    def text(self, message_id: str, **fields: str) -> str:
        """Just the filled text, for messages that are parts of other messages (spaces kept)."""
        message = self.messages[message_id]
        message.render(**fields)  # checks every placeholder is filled
        return message.text.format_map(fields)

    def label(self, key: str) -> str:
        """The bot's words for a region, symptom or piece of equipment; the key itself if unlabelled."""
        return self.labels.get(key, key.replace("_", " "))


def load_messages(path: Path = MESSAGES_PATH) -> Catalog:
    """Load and check the messages file; raises DataFileError naming file, line and field."""
    data_file = load_data_file(path, "messages")
    messages = {}
    for message_id, raw in data_file.tree["messages"].items():
        buttons = tuple({"title": str(b["title"]), "payload": str(b["payload"])} for b in raw.get("buttons", ()))
        answers = {key: Answer(**raw[key]) for key in ("on_yes", "on_no") if key in raw}
        message = Message(text=str(raw["text"]), buttons=buttons, **answers)
        try:
            message.fields  # noqa: B018 - parsing the text finds unbalanced braces
        except ValueError as exc:
            raise data_file.error(["messages", message_id, "text"], f"bad placeholder: {exc}") from exc
        messages[str(message_id)] = message
    for message_id, message in messages.items():
        for key, answer in (("on_yes", message.on_yes), ("on_no", message.on_no)):
            if answer and answer.say and answer.say not in messages:
                raise data_file.error(["messages", message_id, key, "say"], f"no message '{answer.say}'")
    labels = {str(key): str(value) for key, value in data_file.tree["labels"].items()}
    intent_labels = {str(key): str(value) for key, value in data_file.tree["intent_labels"].items()}
    return Catalog(messages=messages, labels=labels, intent_labels=intent_labels)


@lru_cache(maxsize=1)
def default_messages() -> Catalog:
    """The project's messages file, read once per process (it is immutable)."""
    return load_messages()
