"""When the NLU is unsure: a precise question with buttons instead of a guess."""

from __future__ import annotations

from rasa_sdk import Tracker

from kneadle import clarifying, names
from kneadle.clarifying import FALLBACK_INTENT
from kneadle.reply import Reply

from .reply import ReplyAction, new_reply


class ActionClarify(ReplyAction):
    """The NLU and core fallbacks' reply: the likeliest meanings of the last message, as buttons."""

    action_name = names.ACTION_CLARIFY
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        message = tracker.latest_message
        ranking = [str(ranked.get("name")) for ranked in message.get("intent_ranking") or []]
        entities = clarifying.passed_on(message.get("entities") or [])
        return clarifying.clarify(new_reply(), ranking, entities, again=_unsure_before(tracker))


def _unsure_before(tracker: Tracker) -> bool:
    """Whether the message before the latest was also one the NLU was unsure of."""
    user_events = [event for event in reversed(tracker.events) if event.get("event") == "user"]
    if len(user_events) < 2:
        return False
    return (user_events[1].get("parse_data") or {}).get("intent", {}).get("name") == FALLBACK_INTENT
