"""The names in kneadle/names.py, the actions package, domain.yml and messages.yml agree."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

from rasa_sdk import Action

import actions
from kneadle import names
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.walkthrough import step_fields
from tests.conftest import PROJECT_ROOT


def constants(prefix: str) -> set[str]:
    return {value for key, value in vars(names).items() if key.startswith(prefix)}


def action_classes() -> list[type[Action]]:
    modules = [importlib.import_module(f"actions.{info.name}") for info in pkgutil.iter_modules(actions.__path__)]
    return [
        cls
        for module in modules
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, Action) and cls.__module__ == module.__name__
    ]


def test_every_named_slot_and_action_is_in_the_domain(domain: dict[str, Any]) -> None:
    named = {key: value for key, value in vars(names).items() if key.isupper()}
    not_slots = ("ACTION_", "INTENT_", "SCREENING_", "UTTER_", "FINDING", "WHOLE_BACK")
    slots = {value for key, value in named.items() if not key.startswith(not_slots)}
    assert slots <= set(domain["slots"])
    assert constants("ACTION_") == set(domain["actions"])
    assert constants("INTENT_") <= set(domain["intents"])


def test_every_domain_action_has_a_class() -> None:
    named = {cls().name() for cls in action_classes() if getattr(cls, "action_name", None) != ""}
    assert named == constants("ACTION_")


def test_every_message_id_in_the_code_exists() -> None:
    """Message ids written in the code (say("step", ...), text("needs_line", ...)) are in messages.yml."""
    files = [*(PROJECT_ROOT / "kneadle").glob("*.py"), *(PROJECT_ROOT / "actions").glob("*.py")]
    code = "".join(path.read_text() for path in files)
    named = set(re.findall(r'(?:say|text)\(\s*"(\w+)"', code)) | set(re.findall(r'"(\w+)" if', code))
    assert len(named) > 20
    assert named <= set(default_messages().messages)


def test_the_step_message_uses_every_field_the_action_fills() -> None:
    fields = step_fields(default_messages(), default_knowledge().techniques["hand_self_massage"], 1)
    assert default_messages()["step"].fields == set(fields)


def test_triage_level_starts_at_none_with_the_agreed_values(domain: dict[str, Any]) -> None:
    slot = domain["slots"][names.TRIAGE_LEVEL]
    assert slot["values"] == ["none", "caution", "see_doctor", "urgent", "emergency"]
    assert slot["initial_value"] == "none"
    regions = ["hands", "neck_shoulders", "upper_back", "lower_back", "back"]
    assert domain["slots"][names.BODY_REGION]["values"] == regions


def test_pressure_slot_values_have_messages(domain: dict[str, Any]) -> None:
    for value in domain["slots"][names.PRESSURE]["values"]:
        assert f"pressure_set_{value}" in default_messages().messages


def test_every_intent_button_sends_a_domain_intent(domain: dict[str, Any]) -> None:
    """Buttons send /intent payloads; the screening buttons' plain words are tested in test_screening."""
    payloads = [button["payload"] for message in default_messages().messages.values() for button in message.buttons]
    payloads += [
        button["payload"]
        for variations in domain["responses"].values()
        for variation in variations
        for button in variation.get("buttons", [])
    ]
    payloads = [payload for payload in payloads if payload.startswith("/")]
    assert payloads
    for payload in payloads:
        intent = payload[1:].split("{")[0]
        assert intent in domain["intents"], payload
        assert payload != "/stop", "rasa shell quits on /stop, so a button must not send it"
