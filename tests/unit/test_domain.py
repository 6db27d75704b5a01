"""The names in kneadle/names.py, the actions package, domain.yml and messages.yml agree."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action

import actions.session
import actions.walkthrough
from kneadle import names
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.walkthrough import step_fields


def constants(prefix: str) -> set[str]:
    return {value for key, value in vars(names).items() if key.startswith(prefix)}


def test_every_named_slot_response_and_action_is_in_the_domain(domain: dict[str, Any]) -> None:
    slots = {value for key, value in vars(names).items() if key.isupper() and not key.startswith(("MSG_", "ACTION_"))}
    assert slots <= set(domain["slots"])
    assert constants("MSG_") == set(default_messages())
    assert constants("ACTION_") == set(domain["actions"])


def test_every_domain_action_has_a_class() -> None:
    classes = [
        cls
        for module in (actions.session, actions.walkthrough)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, Action) and cls is not Action
    ]
    assert {cls().name() for cls in classes} == constants("ACTION_")


def test_the_step_message_uses_every_field_the_action_fills() -> None:
    fields = step_fields(default_knowledge().techniques["hand_self_massage"], 1)
    assert default_messages()[names.MSG_STEP].fields == set(fields)


def test_triage_level_starts_at_none_with_the_agreed_values(domain: dict[str, Any]) -> None:
    slot = domain["slots"][names.TRIAGE_LEVEL]
    assert slot["values"] == ["none", "caution", "see_doctor", "urgent", "emergency"]
    assert slot["initial_value"] == "none"
    assert domain["slots"][names.BODY_REGION]["values"] == [
        "hands",
        "neck_shoulders",
        "upper_back",
        "lower_back",
        "back",
    ]


def test_every_button_sends_a_domain_intent(domain: dict[str, Any]) -> None:
    payloads = [button["payload"] for message in default_messages().values() for button in message.buttons]
    payloads += [
        button["payload"]
        for variations in domain["responses"].values()
        for variation in variations
        for button in variation.get("buttons", [])
    ]
    assert payloads
    for payload in payloads:
        intent = payload[1:].split("{")[0]
        assert intent in domain["intents"], payload
        assert payload != "/stop", "rasa shell quits on /stop, so a button must not send it"
