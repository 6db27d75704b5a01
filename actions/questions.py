"""Answer questions about massage from the knowledge file's advice entries."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.knowledge import default_knowledge

from .reply import new_reply, send
from .walkthrough import active_technique, current_step


class ActionAnswerQuestion(Action):
    """The advice entry whose `intent` is the question's intent; then how to resume, if mid-way."""

    def name(self) -> str:
        return names.ACTION_ANSWER_QUESTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = tracker.latest_message.get("intent", {}).get("name")
        advice = default_knowledge().advice_for_intent(intent)
        reply = new_reply()
        if advice is None:
            reply.say("no_answer")
        else:
            dispatcher.utter_message(text=advice.answer)
        if active_technique(tracker) is not None:
            reply.say("continue_hint", step_number=str(current_step(tracker)))
        return send(dispatcher, reply)
