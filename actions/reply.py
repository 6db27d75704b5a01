"""Send a kneadle Reply through the SDK, after the safety gate: every action that can give massage
steps goes through kneadle.safety.gate unless it says it gives none (`gated = False`)."""

from __future__ import annotations

import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.knowledge import Technique, default_knowledge
from kneadle.messages import default_messages
from kneadle.pictures import gallery_for
from kneadle.reply import Reply
from kneadle.safety.flags import RedFlag, default_red_flags
from kneadle.safety.gate import Conversation, massage_gate
from kneadle.safety.policy import ALL_REGIONS, SafetyState

# The action server's setting for where channels fetch step pictures (web/pictures/, drawn by
# `make setup`); Slack and Telegram fetch them from there, so it must be reachable by them.
PICTURES_URL_VARIABLE = "KNEADLE_PICTURES_URL"


def new_reply(tracker: Tracker | None = None) -> Reply:
    """A reply to fill. Given the tracker, steps shown on a channel that shows images get pictures."""
    channel = tracker.get_latest_input_channel() if tracker else None
    return Reply(default_messages(), gallery=gallery_for(channel, os.environ.get(PICTURES_URL_VARIABLE)))


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    for message in reply.messages:
        dispatcher.utter_message(**message)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


def safety_state(tracker: Tracker) -> SafetyState:
    return SafetyState.from_slots(tracker.current_slot_values())


def active_technique(tracker: Tracker) -> Technique | None:
    return default_knowledge().technique(tracker.get_slot(names.TECHNIQUE_ID))


def current_step(tracker: Tracker) -> int:
    return int(tracker.get_slot(names.STEP_NUMBER) or 0)


def conversation(tracker: Tracker) -> Conversation:
    """What the safety gate needs to know of the conversation besides the safety slots."""
    technique = active_technique(tracker)
    return Conversation(
        screening=tracker.get_slot(names.SCREENING),
        active_regions=technique.regions if technique else (),
        current_step=current_step(tracker) if technique else None,
    )


def left_out(tracker: Tracker) -> list[str]:
    """The regions a see_doctor flag leaves out of massage (the others go on with a reminder)."""
    return sorted(region for region in safety_state(tracker).withheld_regions if region != ALL_REGIONS)


def cautions(tracker: Tracker) -> list[RedFlag]:
    """The caution-level flags the person reported, whose adaptations techniques follow."""
    flags = default_red_flags().flags
    return [flags[flag_id] for flag_id in tracker.get_slot(names.CAUTIONS) or [] if flag_id in flags]


class ReplyAction(Action):
    """An action whose whole job is deciding a Reply from the tracker (subclasses set `action_name`).

    Gated by default: before `decide`, the safety gate may answer instead (withheld massage, the
    screening question). An action that never gives massage steps sets `gated = False`; one that
    can names the regions it would massage in `regions`.
    """

    action_name = ""
    gated = True

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if self.gated:
            held = new_reply().remember(**self.held_back(tracker))
            refusal = massage_gate(
                held, safety_state(tracker), conversation(tracker), self.regions(tracker), self.name()
            )
            if refusal is not None:
                return send(dispatcher, refusal)
        reply, extra_events = self.decide(tracker)
        return send(dispatcher, reply) + extra_events

    def regions(self, tracker: Tracker) -> tuple[str, ...]:
        """The regions this action would give massage steps for now; none when it would give none.
        By default the technique under way, else the region the person named."""
        technique = active_technique(tracker)
        if technique is not None:
            return technique.regions
        region = tracker.get_slot(names.BODY_REGION)
        return (region,) if region else ()

    def held_back(self, tracker: Tracker) -> dict[str, Any]:
        """Slots to keep when the gate holds the action back, so it can go on later as asked."""
        return {}

    def decide(self, tracker: Tracker) -> tuple[Reply, list[EventType]]:
        """The Reply, and any events beyond its slots (a reminder)."""
        return self.reply(tracker), []

    def reply(self, tracker: Tracker) -> Reply:
        raise NotImplementedError


async def carry_on_with_pending(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, fallback: str | None = None
) -> list[EventType]:
    """Run the action the screening question held back (`pending_action`, else `fallback`), now that it
    is answered, in this same turn, so the conversation goes on as the person asked."""
    pending = tracker.get_slot(names.PENDING_ACTION) or fallback
    done = {names.SCREENING: names.SCREENING_DONE, names.PENDING_ACTION: None}
    events: list[EventType] = [SlotSet(name, value) for name, value in done.items()]
    if pending is None:
        return events
    answered = Tracker.from_dict({**tracker.current_state(), "slots": {**tracker.slots, **done}})
    return events + await run_action(pending, dispatcher, answered, domain)


async def run_action(
    name: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """Run one of Kneadle's custom actions in this turn, as if the policies had predicted it."""
    action = next((action for action in _our_actions() if action.name() == name), None)
    return await action.run(dispatcher, tracker, domain) if action else []


def _our_actions() -> list[Action]:
    """An instance of every custom action class in this package (bases have an empty name)."""
    found, todo = [], [Action]
    while todo:
        for cls in todo.pop().__subclasses__():
            todo.append(cls)
            if cls.__module__.startswith(__package__ + "."):
                found.append(cls())
    return found
