"""Which yes/no question a plain yes or no answers, and what the answer does.

A question is a message with on_yes / on_no in messages.yml. Only the bot's last turn counts:
a yes to a question asked two messages ago would answer something the person no longer sees.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kneadle import names
from kneadle.messages import Answer, Catalog
from kneadle.reply import Reply


def question_just_asked(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The question the bot asked between the person's last two messages (tracker events, oldest first)."""
    users_seen = 0
    for event in reversed(list(events)):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return None
        elif users_seen == 1 and event.get("event") == "slot" and event.get("name") == names.OPEN_QUESTION:
            return event.get("value")
    return None


def answer_to(catalog: Catalog, question: str | None, said_yes: bool) -> Answer | None:
    """What the yes or no does; None when no question is open or the question has no such answer."""
    if question is None or question not in catalog.messages:
        return None
    message = catalog[question]
    return message.on_yes if said_yes else message.on_no


def nothing_asked(reply: Reply, said_yes: bool, technique_under_way: bool) -> Reply:
    """A yes or no when the last message asked nothing: say what the person can do next."""
    if not said_yes:
        return reply.say("no_problem")
    return reply.say("yes_during_technique" if technique_under_way else "yes_to_nothing")
