"""Every custom action answers: at least one event or message, whatever the conversation.

components/action_failure.py relies on this: a custom action recorded with nothing after it
can then only be one whose call failed (action server down or too slow), and gets an apology.
The actions that policy never apologises for (action_after_red_flag) may say nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from components.action_failure import NOT_APOLOGISED_FOR
from kneadle import names
from tests.conftest import make_tracker

# Conversations an action may be run in: new, screening asked, mid-walk-through, at the last
# step, after a red flag, timer set on another step, a safety question open.
SITUATIONS: dict[str, dict[str, Any]] = {
    "new": {},
    "screening asked": {names.SCREENING: names.SCREENING_ASKED, names.BODY_REGION: "hands"},
    "mid walk-through": {
        names.SCREENING: names.SCREENING_DONE,
        names.TECHNIQUE_ID: "hand_self_massage",
        names.STEP_NUMBER: 4.0,
        names.TIMER_STEP: 3.0,
    },
    "last step": {
        names.SCREENING: names.SCREENING_DONE,
        names.TECHNIQUE_ID: "hand_self_massage",
        names.STEP_NUMBER: 10.0,
    },
    "after a red flag": {names.TRIAGE_LEVEL: "emergency", names.RED_FLAG: "nhs_heart_attack"},
    "safety question open": {names.SAFETY_QUESTION: "nhs_heart_attack"},
}
INTENTS = ("", "affirm", "deny", "next_step", "report_complaint")


def custom_actions() -> dict[str, Callable[..., Any]]:
    """Every action the action server registers from the actions package: its name and run method."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return dict(executor.actions)


def test_the_action_server_registers_every_custom_action_of_the_domain(domain: dict[str, Any]) -> None:
    assert set(custom_actions()) >= set(domain["actions"])


@pytest.mark.parametrize("name", sorted(set(custom_actions()) - NOT_APOLOGISED_FOR))
async def test_every_action_answers_in_every_situation(domain: dict[str, Any], name: str) -> None:
    run = custom_actions()[name]
    silent = []
    for situation, slots in SITUATIONS.items():
        for intent in INTENTS:
            dispatcher = CollectingDispatcher()
            tracker = make_tracker(domain, slots)
            tracker.latest_message = {"text": "hello", "intent": {"name": intent}, "entities": []}
            events = await run(dispatcher, tracker, domain)
            if not events and not dispatcher.messages:
                silent.append(f"{situation}, intent {intent or 'none'}")
    assert not silent, f"{name} returned no event and no message: {silent}"
