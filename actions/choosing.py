"""Choose, change, list and explain techniques. The decisions are in kneadle.choosing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import choosing, names
from kneadle.clarifying import distinct_regions, passed_on, which_region_first
from kneadle.knowledge import default_knowledge
from kneadle.reply import Reply

from .reply import ReplyAction, carry_on_with_pending, cautions, left_out, new_reply


class RegionAction(ReplyAction):
    """An action that starts a technique for the region the person named, whatever is under way."""

    def regions(self, tracker: Tracker) -> tuple[str, ...]:
        region = tracker.get_slot(names.BODY_REGION)
        return (region,) if region else ()


class ActionStartTechnique(RegionAction):
    """A complaint (or the answer to "alone or with help?"): start the best technique.

    A message naming several regions asks which to start with, one technique at a time.
    """

    action_name = names.ACTION_START_TECHNIQUE

    def regions(self, tracker: Tracker) -> tuple[str, ...]:
        """None while it asks which of several regions to start with: that question gives no step."""
        return () if len(_named_regions(tracker)) > 1 else super().regions(tracker)

    def reply(self, tracker: Tracker) -> Reply:
        entities = tracker.latest_message.get("entities") or []
        regions = _named_regions(tracker)
        if len(regions) > 1:
            said = {name: value for name, value in passed_on(entities).items() if name != names.BODY_REGION}
            return which_region_first(new_reply(), regions, said)
        return choosing.start(
            new_reply(tracker),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
            cautions(tracker),
            left_out(tracker),
        )


def _named_regions(tracker: Tracker) -> list[str]:
    entities = tracker.latest_message.get("entities") or []
    return distinct_regions([str(e["value"]) for e in entities if e.get("entity") == names.BODY_REGION])


class ActionAfterScreening(Action):
    """ "None of these" to the screening question: on with what the person asked for."""

    def name(self) -> str:
        return names.ACTION_AFTER_SCREENING

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return await carry_on_with_pending(dispatcher, tracker, domain, fallback=names.ACTION_START_TECHNIQUE)


class ActionOfferOtherTechnique(RegionAction):
    action_name = names.ACTION_OFFER_OTHER_TECHNIQUE

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.another(
            new_reply(tracker),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
            cautions(tracker),
            left_out(tracker),
        )


class ActionListTechniques(ReplyAction):
    """Lists techniques as buttons; it gives no step (a chosen one is gated when it starts)."""

    action_name = names.ACTION_LIST_TECHNIQUES
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.listing(
            new_reply(), default_knowledge(), tracker.get_slot(names.BODY_REGION), tracker.get_slot(names.HAS_HELPER)
        )


class ActionChooseTechnique(ReplyAction):
    """A technique picked by name or button, or "yes" to the one suggested at the end."""

    action_name = names.ACTION_CHOOSE_TECHNIQUE

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.choose(
            new_reply(tracker),
            default_knowledge(),
            _requested(tracker),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
            cautions(tracker),
            left_out(tracker),
        )

    def regions(self, tracker: Tracker) -> tuple[str, ...]:
        technique = default_knowledge().technique(_requested(tracker))
        return technique.regions if technique else super().regions(tracker)

    def held_back(self, tracker: Tracker) -> dict[str, Any]:
        """Kept while the gate holds the choice back (the screening question), for when it goes on."""
        return {names.SUGGESTED_TECHNIQUE: _requested(tracker)}


def _requested(tracker: Tracker) -> str | None:
    return next(tracker.get_latest_entity_values(names.TECHNIQUE_ID), None) or tracker.get_slot(
        names.SUGGESTED_TECHNIQUE
    )


class ActionExplainChoice(ReplyAction):
    action_name = names.ACTION_EXPLAIN_CHOICE
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.explain(new_reply(), tracker.get_slot(names.LAST_REASON))
