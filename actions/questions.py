"""Answer questions about massage from the knowledge file's advice entries."""

from __future__ import annotations

from rasa_sdk import Tracker

from kneadle import names
from kneadle.knowledge import default_knowledge
from kneadle.reply import Reply

from .reply import ReplyAction, active_technique, current_step, new_reply


class ActionAnswerQuestion(ReplyAction):
    """The advice entry whose `intent` is the question's intent; then how to resume, if mid-way."""

    action_name = names.ACTION_ANSWER_QUESTION
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        intent = tracker.latest_message.get("intent", {}).get("name")
        advice = default_knowledge().advice_for_intent(intent)
        reply = new_reply()
        if advice is None:
            reply.say("no_answer")
        else:
            reply.say("answer", answer=advice.answer)
        if active_technique(tracker) is not None:
            reply.say("continue_hint", step_number=str(current_step(tracker)))
        return reply
