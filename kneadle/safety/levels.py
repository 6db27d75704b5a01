"""Triage levels, lowest to highest, and what each means for massage: the one place they are named."""

from __future__ import annotations

NONE = "none"
CAUTION = "caution"  # massage with an adaptation
SEE_DOCTOR = "see_doctor"  # a clinician before massaging the area concerned
URGENT = "urgent"  # medical help today
EMERGENCY = "emergency"  # the emergency number now

LEVELS = (NONE, CAUTION, SEE_DOCTOR, URGENT, EMERGENCY)
# At these, no massage at all for the rest of the conversation.
STOPS_ALL_MASSAGE = frozenset({URGENT, EMERGENCY})
# Someone else's emergency or urgent problem happening now escalates for them; their other flags
# (someone else's pregnancy, say) say nothing about the writer's massage.
FOR_SOMEONE_ELSE = STOPS_ALL_MASSAGE


def rank(level: str | None) -> int:
    """A level's place in LEVELS; an unknown or missing level counts as none."""
    return LEVELS.index(level) if level in LEVELS else 0


def higher(first: str, second: str) -> str:
    """The more serious of two levels."""
    return max(first, second, key=rank)


def stops_all_massage(level: str | None) -> bool:
    return level in STOPS_ALL_MASSAGE
