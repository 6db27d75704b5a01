"""Send a kneadle Reply through the SDK: its messages to the dispatcher, its slots as events."""

from __future__ import annotations

from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from kneadle.messages import default_messages
from kneadle.reply import Reply


def new_reply() -> Reply:
    return Reply(default_messages())


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[EventType]:
    for message in reply.messages:
        dispatcher.utter_message(**message)
    return [SlotSet(name, value) for name, value in reply.slots.items()]
