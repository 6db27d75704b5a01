"""Shared test helpers: the real domain, and trackers built the way Rasa builds them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker

from kneadle.safety.words import Tokenize, project_tokenizer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as the action server receives it."""
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def write_file(folder: Path, name: str, text: str) -> Path:
    """A data file for a test, written where the test says."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def make_tracker(domain: dict[str, Any], slots: dict[str, Any] | None = None, text: str = "") -> Tracker:
    """A tracker with every domain slot at its initial value, overridden by `slots`."""
    values = {name: spec.get("initial_value") for name, spec in domain["slots"].items()}
    values.update(slots or {})
    return Tracker(
        sender_id="test-user",
        slots=values,
        latest_message={"text": text, "intent": {}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


@pytest.fixture(scope="session")
def tokenize() -> Tokenize:
    """The project's spaCy pipeline as a tokenizer for the safety matcher (built by make setup)."""
    return project_tokenizer()
