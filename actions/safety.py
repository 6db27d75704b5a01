"""After the safety policy spoke: what the escalation means for a walk-through, and carrying on
after "no" to a safety question.

The escalation and the question themselves are domain responses that the safety policy
(components/safety_policy.py) predicts, so they go out even when this server is down.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SlotSet, UserUtteranceReverted, UserUttered
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.safety.gate import after_red_flag

from .reply import carry_on_with_pending, cautions, conversation, new_reply, safety_state, send


class ActionAfterRedFlag(Action):
    """Ends a walk-through of a region now withheld, or says how to carry on under a caution; after
    an answer to the screening question, goes on with what the person asked for."""

    def name(self) -> str:
        return names.ACTION_AFTER_RED_FLAG

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply, carry_on = after_red_flag(new_reply(), safety_state(tracker), conversation(tracker), cautions(tracker))
        events = send(dispatcher, reply)
        if carry_on:
            events += await carry_on_with_pending(dispatcher, tracker, domain)
        return events


class ActionCarryOn(Action):
    """ "No" to a safety question: the message it interrupted is handled as if just said (the way
    Rasa's two-stage fallback replays an affirmed message), and the question is not asked again."""

    def name(self) -> str:
        return names.ACTION_CARRY_ON

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        interrupted = _user_messages(tracker)[-2:-1]
        if not interrupted:
            # Nothing to carry on with; never silent (components/action_failure.py).
            return send(dispatcher, new_reply().say("no_problem"))
        message = interrupted[0]
        asked = tracker.get_slot(names.SAFETY_ASKED) or []
        return [
            UserUtteranceReverted(),  # the "no"
            UserUtteranceReverted(),  # the message and the question
            ActionExecuted("action_listen"),
            UserUttered(message.get("text"), message.get("parse_data"), input_channel=message.get("input_channel")),
            SlotSet(names.SAFETY_ASKED, asked),
        ]


def _user_messages(tracker: Tracker) -> list[dict[str, Any]]:
    """The user messages still in the conversation, oldest first (reverted ones left out)."""
    messages: list[dict[str, Any]] = []
    for event in tracker.events:
        if event.get("event") == "user":
            messages.append(event)
        elif event.get("event") == "rewind" and messages:
            messages.pop()
    return messages
