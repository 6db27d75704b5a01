"""A plain yes or no answers the question the bot just asked (messages.yml on_yes / on_no).

The decisions are in kneadle.answers; this action runs what the answer names, in this turn.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.answers import answer_to, nothing_asked, question_just_asked
from kneadle.messages import default_messages

from .reply import active_technique, new_reply, run_action, send


class ActionAnswerYesNo(Action):
    def name(self) -> str:
        return names.ACTION_ANSWER_YES_NO

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        said_yes = (tracker.latest_message.get("intent") or {}).get("name") == names.INTENT_AFFIRM
        answer = answer_to(default_messages(), question_just_asked(tracker.events), said_yes)
        closed: list[EventType] = [SlotSet(names.OPEN_QUESTION, None)]
        if answer is None:
            under_way = active_technique(tracker) is not None
            return closed + send(dispatcher, nothing_asked(new_reply(), said_yes, under_way))
        if answer.say:
            return closed + send(dispatcher, new_reply().say(answer.say))
        return closed + await run_action(str(answer.action), dispatcher, tracker, domain)
