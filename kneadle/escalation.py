"""Escalation: the message for a red flag, and the most serious red flag a conversation has shown.

The NLU component renders the message (so a rule and a domain response can send it with the
action server down); the actions use the levels to withhold massage after a serious flag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from kneadle import choosing, names
from kneadle.knowledge import Knowledge
from kneadle.messages import Catalog
from kneadle.red_flags import LEVELS, RedFlag
from kneadle.reply import Reply

# After these, the bot gives no more massage steps in the conversation.
WITHHOLD_LEVELS = frozenset({"see_doctor", "urgent", "emergency"})


def escalation_text(catalog: Catalog, flag: RedFlag, emergency_number: str) -> str:
    """What to do now (naming the number), then one line why, in the level's template."""
    advice = flag.advice.format(emergency_number=emergency_number)
    return catalog[f"red_flag_{flag.level}"].render(advice=advice, why=flag.why)["text"]


@dataclass(frozen=True)
class RedFlagReport:
    """One red flag the NLU component found in one message."""

    flag_id: str
    level: str
    message: str


def most_serious(reports: Iterable[RedFlagReport]) -> RedFlagReport | None:
    """The highest-level report; the latest one among equals."""
    best: RedFlagReport | None = None
    for report in reports:
        if best is None or LEVELS.index(report.level) >= LEVELS.index(best.level):
            best = report
    return best


@dataclass(frozen=True)
class Complaint:
    """What the person said bothers them, from the slots."""

    region: str | None
    symptom: str | None
    helper: str | None
    picked: str | None = None  # a technique chosen by name before the screening question


def withholds_massage(level: str | None) -> bool:
    return level in WITHHOLD_LEVELS


def after_red_flag(
    reply: Reply,
    knowledge: Knowledge,
    flags: Mapping[str, RedFlag],
    *,
    flag_id: str | None,
    triage_level: str | None,
    screening: str | None,
    current_step: int | None,
    complaint: Complaint,
    cautions: Sequence[str],
) -> Reply:
    """After the escalation message: stop, or carry on with a caution's adaptation.

    A serious level (the highest so far) ends any walk-through. A caution is noted so techniques
    follow its adaptation; a walk-through under way waits for "continue", and an answer to the
    screening question goes on to the technique.
    """
    if screening == names.SCREENING_ASKED:
        reply.remember(**{names.SCREENING: names.SCREENING_DONE})
    if withholds_massage(triage_level):
        return reply.remember(**{names.TECHNIQUE_ID: None, names.STEP_NUMBER: None, names.SUGGESTED_TECHNIQUE: None})
    flag = flags.get(flag_id or "")
    if flag is None or flag.level != "caution":
        return reply
    noted = [*cautions, flag.id] if flag.id not in cautions else list(cautions)
    reply.remember(**{names.CAUTIONS: noted})
    if flag.lighter_pressure:
        reply.remember(**{names.PRESSURE: "lighter"})
    if current_step is not None:
        return reply.say("continue_hint", step_number=str(current_step))
    if screening == names.SCREENING_ASKED and (complaint.region or complaint.picked):
        return choosing.start(
            reply,
            knowledge,
            complaint.region,
            complaint.symptom,
            complaint.helper,
            screening=names.SCREENING_ASKED,
            cautions=[flags[flag_id] for flag_id in noted if flag_id in flags],
            picked=complaint.picked,
        )
    return reply
