"""The pictures file: places on the body that steps name, and which picture a step gets.

`data/knowledge/pictures.yml` lists each place with a label, alt text and the words in step
text that name it; `schemas/pictures.schema.json` fixes its shape. The drawings themselves are
in kneadle/drawings.py. Nothing here needs Pillow, so the action server loads only this.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from kneadle.datafile import load_data_file
from kneadle.knowledge import PROJECT_ROOT, Step

PICTURES_PATH = PROJECT_ROOT / "data" / "knowledge" / "pictures.yml"

# Channels whose clients show an image sent as a message (the web widget, Slack, Telegram).
# The shell and the REST channel get the step's words only.
IMAGE_CHANNELS = frozenset({"socketio", "slack", "telegram"})
# Where pictures are served when KNEADLE_PICTURES_URL is not set: `make web` serves web/ here.
DEFAULT_PICTURES_URL = "http://localhost:8080/pictures"


@dataclass(frozen=True)
class Picture:
    id: str
    label: str
    alt: str
    words: tuple[str, ...]

    def first_named_in(self, text: str) -> int | None:
        """Where `text` first names this place (whole words, any case, any spacing), or None."""
        found = [match.start() for match in (_word_pattern(word).search(text) for word in self.words) if match]
        return min(found) if found else None


@dataclass(frozen=True)
class Pictures:
    pictures: Mapping[str, Picture]

    def for_step(self, step: Step) -> tuple[Picture, ...]:
        """The pictures of the places a step's title or text names, in the order it names them."""
        text = f"{step.title}\n{step.text}"
        named = [
            (at, picture) for picture in self.pictures.values() if (at := picture.first_named_in(text)) is not None
        ]
        return tuple(picture for _, picture in sorted(named, key=lambda pair: pair[0]))


@dataclass(frozen=True)
class Gallery:
    """The pictures a channel that shows images gets, and the address it fetches them from."""

    pictures: Pictures
    base_url: str

    def url(self, picture: Picture) -> str:
        return f"{self.base_url.rstrip('/')}/{picture.id}.png"

    def messages_for(self, step: Step) -> list[dict[str, Any]]:
        """Messages to send before the step: one image per place it names. Rasa hands `alt_text` to
        the output channel's send_image_url (Slack shows it to screen readers; others ignore it)."""
        return [{"image": self.url(picture), "alt_text": picture.alt} for picture in self.pictures.for_step(step)]


def load_pictures(path: Path = PICTURES_PATH) -> Pictures:
    """Load and check the pictures file; raises DataFileError naming file, line, entry and field."""
    data_file = load_data_file(path, "pictures")
    pictures: dict[str, Picture] = {}
    for index, raw in enumerate(data_file.tree["pictures"]):
        if raw["id"] in pictures:
            raise data_file.error(["pictures", index, "id"], f"id '{raw['id']}' is used twice")
        pictures[str(raw["id"])] = Picture(
            id=str(raw["id"]),
            label=str(raw["label"]).strip(),
            alt=" ".join(str(raw["alt"]).split()),
            words=tuple(str(word) for word in raw["words"]),
        )
    return Pictures(pictures=pictures)


@lru_cache(maxsize=1)
def default_pictures() -> Pictures:
    """The project's pictures file, read once per process (it is immutable)."""
    return load_pictures()


def gallery_for(channel: str | None, base_url: str | None = None, pictures: Pictures | None = None) -> Gallery | None:
    """The pictures a conversation on `channel` gets: none unless its channel shows images."""
    if channel not in IMAGE_CHANNELS:
        return None
    return Gallery(pictures or default_pictures(), base_url or DEFAULT_PICTURES_URL)


@lru_cache(maxsize=256)
def _word_pattern(word: str) -> re.Pattern[str]:
    """ "side of the spine" matches "Side of  the\\nspine" but not "inside of the spines"."""
    spaced = r"\s+".join(re.escape(part) for part in word.split())
    return re.compile(rf"(?<!\w){spaced}(?!\w)", re.IGNORECASE)
