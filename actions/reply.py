"""Send a kneadle Reply through the SDK: its messages to the dispatcher, its slots as events."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.escalation import withholds_massage
from kneadle.messages import default_messages
from kneadle.red_flags import RedFlag, default_red_flags
from kneadle.reply import Reply


def new_reply() -> Reply:
    return Reply(default_messages())


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    for message in reply.messages:
        dispatcher.utter_message(**message)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


def withheld_reply(tracker: Tracker) -> Reply | None:
    """After a serious red flag, massage actions repeat the advice instead of giving steps."""
    if not withholds_massage(tracker.get_slot(names.TRIAGE_LEVEL)):
        return None
    reply = new_reply().say("massage_withheld")
    advice = tracker.get_slot(names.RED_FLAG_MESSAGE)
    if advice:
        reply.say("answer", answer=advice)
    return reply.remember(**{names.TECHNIQUE_ID: None, names.STEP_NUMBER: None})


def send_safety_note(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The classifier alone read a red flag (the component's `red_flag_check`): a note first.

    Once per conversation: the classifier also fires on about one ordinary message in five
    (benchmarks/red_flags.py counts it), and a warning repeated too often stops being read.
    """
    if (
        tracker.get_slot(names.SAFETY_NOTED)
        or next(tracker.get_latest_entity_values(names.RED_FLAG_CHECK), None) is None
    ):
        return []
    number = next(tracker.get_latest_entity_values(names.EMERGENCY_NUMBER), None) or "your emergency number"
    return send(
        dispatcher,
        new_reply().say("red_flag_check", emergency_number=str(number)).remember(**{names.SAFETY_NOTED: True}),
    )


def cautions(tracker: Tracker) -> list[RedFlag]:
    """The caution-level flags the person reported, whose adaptations techniques follow."""
    flags = default_red_flags().flags
    return [flags[flag_id] for flag_id in tracker.get_slot(names.CAUTIONS) or [] if flag_id in flags]


class ReplyAction(Action):
    """An action whose whole job is deciding a Reply from the tracker (subclasses set `action_name`).

    Actions that give massage (`gives_massage`) are withheld after a serious red flag, whatever
    the dialogue policies predicted.
    """

    action_name = ""
    gives_massage = False

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        noted = send_safety_note(dispatcher, tracker)
        withheld = withheld_reply(tracker) if self.gives_massage else None
        if withheld is not None:
            return noted + send(dispatcher, withheld)
        reply, extra_events = self.decide(tracker)
        return noted + send(dispatcher, reply) + extra_events

    def decide(self, tracker: Tracker) -> tuple[Reply, list[EventType]]:
        """The Reply, and any events beyond its slots (a reminder)."""
        return self.reply(tracker), []

    def reply(self, tracker: Tracker) -> Reply:
        raise NotImplementedError
