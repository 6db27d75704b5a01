"""Start a technique for the person's complaint and walk it one step per message."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.knowledge import Technique, default_knowledge
from kneadle.selection import rank_techniques
from kneadle.walkthrough import step_fields

from .say import say


class ActionStartTechnique(Action):
    """Pick the best technique for the region and symptom, then give its first step."""

    def name(self) -> str:
        return names.ACTION_START_TECHNIQUE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        region = tracker.get_slot(names.BODY_REGION)
        if not region:
            say(dispatcher, names.MSG_ASK_BODY_REGION)
            return []
        ranked = rank_techniques(default_knowledge(), region, tracker.get_slot(names.SYMPTOM))
        if not ranked:
            say(dispatcher, names.MSG_NO_TECHNIQUE_FOR_REGION)
            return []
        technique = ranked[0]
        say(
            dispatcher,
            names.MSG_TECHNIQUE_INTRO,
            technique_title=technique.title,
            technique_why=technique.why,
            step_count=str(len(technique.steps)),
        )
        return _say_step(dispatcher, technique, 1)


class ActionNextStep(Action):
    """Give the next step, or close the technique after its last step."""

    def name(self) -> str:
        return names.ACTION_NEXT_STEP

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        technique = _active_technique(tracker)
        if technique is None:
            say(dispatcher, names.MSG_NO_ACTIVE_TECHNIQUE)
            return []
        number = int(tracker.get_slot(names.STEP_NUMBER) or 0) + 1
        if number > len(technique.steps):
            say(
                dispatcher,
                names.MSG_TECHNIQUE_DONE,
                technique_title=technique.title,
                how_often=technique.how_often or "",
            )
            return _clear_walkthrough()
        return _say_step(dispatcher, technique, number)


class ActionStopTechnique(Action):
    """Stop the walk-through wherever it is."""

    def name(self) -> str:
        return names.ACTION_STOP_TECHNIQUE

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        say(dispatcher, names.MSG_STOPPED)
        return _clear_walkthrough()


def _active_technique(tracker: Tracker) -> Technique | None:
    return default_knowledge().technique(tracker.get_slot(names.TECHNIQUE_ID))


def _say_step(dispatcher: CollectingDispatcher, technique: Technique, number: int) -> list[EventType]:
    say(dispatcher, names.MSG_STEP, **step_fields(technique, number))
    return [SlotSet(names.TECHNIQUE_ID, technique.id), SlotSet(names.STEP_NUMBER, float(number))]


def _clear_walkthrough() -> list[EventType]:
    return [SlotSet(names.TECHNIQUE_ID, None), SlotSet(names.STEP_NUMBER, None)]
