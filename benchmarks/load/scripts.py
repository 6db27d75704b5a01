"""What a simulated person says, and whether each reply is right: a Kneadle walk-through that
must move forward step by step, and a fixed script over the `rasa init` bot's intents.

A script is asked for its next message, sent it, and then handed the reply; it answers with an
error (or None) and moves on. `message()` returning None means the walk-through is over.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Protocol

Reply = Sequence[dict[str, Any]]

STEP = re.compile(r"\bStep (\d+) of (\d+)\b")
SCREENING = "I'm not a doctor"  # the screening question's opening (data/knowledge/messages.yml)
SCREENING_ANSWER = "/deny"  # its first button, "None of these"
ALONE = "/doing_it_alone"  # "on yourself, or can someone help?" (domain.yml)
NEXT = "next"
COMPLAINTS = ("my hands are numb", "my neck is stiff")

# The `rasa init` bot: its three stories and two rules over its seven intents, ten messages, each
# of which gets a reply when the conversation is new. Its dialogue model answers "no" to "Did that
# help you?" only early in a conversation (later it predicts nothing), so a second walk-through in
# the same conversation (one person, messages in a row) says "bye" there instead: the same rule
# answers it, and the script keeps its length.
BASELINE_SCRIPT = (
    "hi",
    "I am sad",
    "no",
    "hey",
    "very sad",
    "yes",
    "are you a bot?",
    "hello",
    "great",
    "bye",
)
BASELINE_SCRIPT_AGAIN = tuple("bye" if message == "no" else message for message in BASELINE_SCRIPT)


def texts(reply: Reply) -> list[str]:
    return [str(message["text"]) for message in reply if message.get("text")]


def payloads(reply: Reply) -> list[str]:
    return [str(button.get("payload")) for message in reply for button in message.get("buttons") or []]


def step_of(reply: Reply) -> tuple[int, int] | None:
    """(k, n) of the last "Step k of n" in the reply, or None."""
    found = [match for text in texts(reply) for match in STEP.finditer(text)]
    return (int(found[-1].group(1)), int(found[-1].group(2))) if found else None


class Script(Protocol):
    def message(self) -> str | None: ...

    def take(self, reply: Reply) -> str | None: ...


class KneadleWalk:
    """One complete walk-through: the complaint, the screening question and the "on yourself?"
    question if they come, then "next" from step 1 to past the last step. Each step must be
    higher than the one before; anything else is an error, which ends the walk."""

    def __init__(self, complaint: str) -> None:
        self._next: str | None = complaint
        self._step = 0
        self._finishing = False

    def message(self) -> str | None:
        return self._next

    def take(self, reply: Reply) -> str | None:
        said = self._next
        self._next = None
        if not texts(reply):
            return "empty reply"
        if self._finishing:
            return None if step_of(reply) is None else "a step after the last one"
        step = step_of(reply)
        if step is None:
            return self._question(reply, said)
        number, last = step
        if number <= self._step:
            return f"step {number} after step {self._step}"
        self._step = number
        self._finishing = number >= last
        self._next = NEXT
        return None

    def _question(self, reply: Reply, said: str | None) -> str | None:
        """Before step 1 the bot may ask the screening question, then "on yourself?"; once each."""
        if self._step == 0 and texts(reply)[0].startswith(SCREENING) and said != SCREENING_ANSWER:
            self._next = SCREENING_ANSWER
            return None
        if self._step == 0 and ALONE in payloads(reply) and said != ALONE:
            self._next = ALONE
            return None
        return "no step" if self._step else "no walk-through started"


class FixedScript:
    """Messages said in order, each of which must get a non-empty reply."""

    def __init__(self, messages: Sequence[str]) -> None:
        self._messages = list(messages)
        self._position = 0

    def message(self) -> str | None:
        return self._messages[self._position] if self._position < len(self._messages) else None

    def take(self, reply: Reply) -> str | None:
        self._position += 1
        return None if texts(reply) else "empty reply"


def kneadle_walk(number: int, in_conversation: int) -> Script:
    """Hands, then neck, then hands...: a person's walk-throughs, one after another."""
    return KneadleWalk(COMPLAINTS[number % len(COMPLAINTS)])


def baseline_walk(number: int, in_conversation: int) -> Script:
    return FixedScript(BASELINE_SCRIPT if in_conversation == 0 else BASELINE_SCRIPT_AGAIN)


# A person's walk-through number `number` (from 0), the `in_conversation`-th of its conversation.
Walks = Callable[[int, int], Script]
WALKS: dict[str, Walks] = {"kneadle": kneadle_walk, "baseline": baseline_walk}
