"""Session start: carry slots over and say once, briefly, that Kneadle is not a doctor."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names

from .reply import new_reply, send


class ActionSessionStart(Action):
    def name(self) -> str:
        return names.ACTION_SESSION_START

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        if domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
            events += _carried_over_slots(tracker)
        events += send(dispatcher, new_reply().say("disclaimer"))
        events.append(ActionExecuted("action_listen"))
        return events


def _carried_over_slots(tracker: Tracker) -> list[EventType]:
    """Slots from the previous session, as Rasa's default session start keeps them."""
    slots: dict[str, Any] = tracker.slots
    return [SlotSet(name, value) for name, value in slots.items() if value is not None]
