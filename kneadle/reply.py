"""What the bot says and remembers in one turn, decided without Rasa.

The plain modules return a Reply; an action sends its messages and turns its slots into
SlotSet events. Keeping the decision here lets it be unit-tested without a tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kneadle import names
from kneadle.messages import Catalog
from kneadle.pictures import Gallery


@dataclass
class Reply:
    catalog: Catalog
    messages: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    # Set when the channel shows images: a step that names a place is preceded by its picture.
    gallery: Gallery | None = None

    def say(self, message_id: str, buttons: list[dict[str, str]] | None = None, **fields: str) -> Reply:
        """Add a message from the catalog, filled with `fields`; `buttons` replaces its own.
        A yes/no question is remembered (`open_question`), so the next yes or no answers it."""
        message = self.catalog[message_id].render(**fields)
        if buttons is not None:
            message["buttons"] = buttons
        self.messages.append(message)
        if self.catalog[message_id].is_question:
            self.remember(**{names.OPEN_QUESTION: message_id})
        return self

    def remember(self, **slots: Any) -> Reply:
        self.slots.update(slots)
        return self
