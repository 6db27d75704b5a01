"""Send a kneadle Reply through the SDK: its messages to the dispatcher, its slots as events."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle.messages import default_messages
from kneadle.reply import Reply


def new_reply() -> Reply:
    return Reply(default_messages())


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    for message in reply.messages:
        dispatcher.utter_message(**message)
    return [SlotSet(name, value) for name, value in reply.slots.items()]


class ReplyAction(Action):
    """An action whose whole job is deciding a Reply from the tracker (subclasses set `action_name`)."""

    action_name = ""

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        return send(dispatcher, self.reply(tracker))

    def reply(self, tracker: Tracker) -> Reply:
        raise NotImplementedError
