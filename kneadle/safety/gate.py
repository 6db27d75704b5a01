"""The one gate every massage step goes through, and what a red flag does to a walk-through.

`massage_gate` says whether an action may give massage steps for some regions, or what to say
instead: nothing while a safety question is open; no massage at all after an urgent or emergency
flag, or a see_doctor flag about the whole body; none of a region a see_doctor flag is about (other
regions are fine, with the caution); and before the first step of the conversation, the screening
question, asked again briefly until it is answered. The actions call it for every action that gives
steps unless the action opts out (actions/reply.py).

`after_red_flag` runs after the escalation message: it ends a walk-through of a region now withheld,
and after an answer to the screening question it carries on with what the person asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kneadle import names
from kneadle.reply import Reply
from kneadle.safety import levels
from kneadle.safety.flags import RedFlag
from kneadle.safety.policy import ALL_REGIONS, SafetyState
from kneadle.selection import RELATED_REGIONS


@dataclass(frozen=True)
class Conversation:
    """What the gate needs besides the safety slots."""

    screening: str | None  # None, "asked" or "done"
    active_regions: tuple[str, ...] = ()  # the regions of the technique under way, if one is
    current_step: int | None = None


def withheld(state: SafetyState, regions: Collection[str]) -> bool:
    """Whether massage of any of these regions is withheld."""
    if levels.stops_all_massage(state.triage_level) or ALL_REGIONS in state.withheld_regions:
        return True
    return any(_overlaps(region, state.withheld_regions) for region in regions)


def massage_gate(
    reply: Reply, state: SafetyState, conversation: Conversation, regions: Sequence[str], action: str
) -> Reply | None:
    """None when the action may give massage steps for `regions` (none: it gives no step); otherwise
    `reply`, filled with what to say instead. `action` is remembered when the screening question is
    asked, so the answer carries on with it."""
    if not regions:
        return None
    if state.question:
        return reply.say("answer_safety_question_first")
    if withheld(state, regions):
        return _withheld(reply, state, regions)
    if conversation.active_regions or conversation.screening == names.SCREENING_DONE:
        return None
    if conversation.screening is None:
        return reply.say("screening_question").remember(
            **{names.SCREENING: names.SCREENING_ASKED, names.PENDING_ACTION: action}
        )
    return reply.say("screening_again").remember(**{names.PENDING_ACTION: action})


def _withheld(reply: Reply, state: SafetyState, regions: Sequence[str]) -> Reply:
    if levels.stops_all_massage(state.triage_level) or ALL_REGIONS in state.withheld_regions:
        reply.say("massage_withheld")
        if state.red_flag_message:
            reply.say("answer", answer=state.red_flag_message)
    else:
        region = next(region for region in regions if _overlaps(region, state.withheld_regions))
        reply.say("region_withheld", region_name=reply.catalog.label(region))
    return reply.remember(**{names.TECHNIQUE_ID: None, names.STEP_NUMBER: None})


def _overlaps(region: str, withheld_regions: Collection[str]) -> bool:
    return region in withheld_regions or any(related in withheld_regions for related in RELATED_REGIONS.get(region, ()))


def after_red_flag(
    reply: Reply, state: SafetyState, conversation: Conversation, cautions: Sequence[RedFlag]
) -> tuple[Reply, bool]:
    """After the escalation message: end a walk-through of a withheld region, or say how to carry on
    under a caution; an answer to the screening question marks it done. Also whether to carry on now
    with the action that asked the screening question."""
    answered_screening = conversation.screening == names.SCREENING_ASKED
    if answered_screening:
        reply.remember(**{names.SCREENING: names.SCREENING_DONE})
    if any(flag.lighter_pressure for flag in cautions):
        reply.remember(**{names.PRESSURE: "lighter"})
    if conversation.active_regions and withheld(state, conversation.active_regions):
        reply.remember(**{names.TECHNIQUE_ID: None, names.STEP_NUMBER: None, names.SUGGESTED_TECHNIQUE: None})
        return reply, False
    if conversation.current_step is not None:
        return reply.say("continue_hint", step_number=str(conversation.current_step)), False
    carry_on = answered_screening and not levels.stops_all_massage(state.triage_level) and not state.area_question
    return reply, carry_on
