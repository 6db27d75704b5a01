"""What the bot says and remembers in one turn, decided without Rasa.

The plain modules return a Reply; an action sends its messages and turns its slots into
SlotSet events. Keeping the decision here lets it be unit-tested without a tracker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kneadle.messages import Catalog


@dataclass
class Reply:
    catalog: Catalog
    messages: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)

    def say(self, message_id: str, buttons: list[dict[str, str]] | None = None, **fields: str) -> Reply:
        """Add a message from the catalog, filled with `fields`; `buttons` replaces its own."""
        message = self.catalog[message_id].render(**fields)
        if buttons is not None:
            message["buttons"] = buttons
        self.messages.append(message)
        return self

    def remember(self, **slots: Any) -> Reply:
        self.slots.update(slots)
        return self
