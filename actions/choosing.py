"""Choose, change, list and explain techniques. The decisions are in kneadle.choosing."""

from __future__ import annotations

from rasa_sdk import Tracker

from kneadle import choosing, names
from kneadle.clarifying import distinct_regions, passed_on, which_region_first
from kneadle.knowledge import default_knowledge
from kneadle.reply import Reply

from .reply import ReplyAction, cautions, new_reply


class ActionStartTechnique(ReplyAction):
    """A complaint (or the answer to "alone or with help?"): start the best technique.

    A message naming several regions asks which to start with, one technique at a time.
    """

    action_name = names.ACTION_START_TECHNIQUE
    gives_massage = True

    def reply(self, tracker: Tracker) -> Reply:
        entities = tracker.latest_message.get("entities") or []
        regions = distinct_regions([str(e["value"]) for e in entities if e.get("entity") == names.BODY_REGION])
        if len(regions) > 1:
            said = {name: value for name, value in passed_on(entities).items() if name != names.BODY_REGION}
            return which_region_first(new_reply(), regions, said)
        return choosing.start(
            new_reply(),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
            screening=tracker.get_slot(names.SCREENING),
            cautions=cautions(tracker),
            picked=tracker.get_slot(names.SUGGESTED_TECHNIQUE),
        )


class ActionAfterScreening(ActionStartTechnique):
    """ "No" to the screening question: on to the technique (its own action, as its rule sets the slot)."""

    action_name = names.ACTION_AFTER_SCREENING


class ActionOfferOtherTechnique(ReplyAction):
    action_name = names.ACTION_OFFER_OTHER_TECHNIQUE
    gives_massage = True

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.another(
            new_reply(),
            default_knowledge(),
            tracker.get_slot(names.BODY_REGION),
            tracker.get_slot(names.SYMPTOM),
            tracker.get_slot(names.HAS_HELPER),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
            cautions(tracker),
        )


class ActionListTechniques(ReplyAction):
    action_name = names.ACTION_LIST_TECHNIQUES
    gives_massage = True

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.listing(
            new_reply(), default_knowledge(), tracker.get_slot(names.BODY_REGION), tracker.get_slot(names.HAS_HELPER)
        )


class ActionChooseTechnique(ReplyAction):
    """A technique picked by name or button, or "yes" to the one suggested at the end."""

    action_name = names.ACTION_CHOOSE_TECHNIQUE
    gives_massage = True

    def reply(self, tracker: Tracker) -> Reply:
        requested = next(tracker.get_latest_entity_values(names.TECHNIQUE_ID), None)
        return choosing.choose(
            new_reply(),
            default_knowledge(),
            requested or tracker.get_slot(names.SUGGESTED_TECHNIQUE),
            tracker.get_slot(names.OFFERED_TECHNIQUES) or [],
            cautions(tracker),
            screening=tracker.get_slot(names.SCREENING),
            said_yes=tracker.get_intent_of_latest_message() == names.INTENT_AFFIRM,
        )


class ActionExplainChoice(ReplyAction):
    action_name = names.ACTION_EXPLAIN_CHOICE

    def reply(self, tracker: Tracker) -> Reply:
        return choosing.explain(new_reply(), tracker.get_slot(names.LAST_REASON))
