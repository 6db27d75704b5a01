"""Choose, change, list and explain techniques. The decisions are in kneadle.choosing."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import choosing, names
from kneadle.knowledge import default_knowledge

from .reply import new_reply, send


class ActionStartTechnique(Action):
    """A complaint (or the answer to "alone or with help?"): start the best technique."""

    def name(self) -> str:
        return names.ACTION_START_TECHNIQUE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = choosing.start(
            new_reply(),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
        )
        return send(dispatcher, reply)


class ActionOfferOtherTechnique(Action):
    def name(self) -> str:
        return names.ACTION_OFFER_OTHER_TECHNIQUE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = choosing.another(
            new_reply(),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
        )
        return send(dispatcher, reply)


class ActionListTechniques(Action):
    def name(self) -> str:
        return names.ACTION_LIST_TECHNIQUES

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = choosing.listing(
            new_reply(),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.HAS_HELPER),
        )
        return send(dispatcher, reply)


class ActionChooseTechnique(Action):
    """A technique picked by name or button, or "yes" to the one suggested at the end."""

    def name(self) -> str:
        return names.ACTION_CHOOSE_TECHNIQUE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = next(tracker.get_latest_entity_values(names.TECHNIQUE_ID), None)
        reply = choosing.choose(
            new_reply(),
            default_knowledge(),
            requested or tracker.get_slot(names.SUGGESTED_TECHNIQUE),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
        )
        return send(dispatcher, reply)


class ActionExplainChoice(Action):
    def name(self) -> str:
        return names.ACTION_EXPLAIN_CHOICE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reason = tracker.get_slot(names.LAST_REASON)
        if reason:
            dispatcher.utter_message(text=reason)
            return []
        return send(dispatcher, new_reply().say("nothing_to_explain"))
