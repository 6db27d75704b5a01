"""Send a message from data/knowledge/messages.yml through the dispatcher."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from kneadle.messages import default_messages


def say(dispatcher: CollectingDispatcher, message_id: str, **fields: str) -> None:
    """Fill the message's placeholders and send its text and buttons (Rasa renders them per channel)."""
    dispatcher.utter_message(**default_messages()[message_id].render(**fields))
