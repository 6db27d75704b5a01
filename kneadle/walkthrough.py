"""Walking through a technique one step at a time.

The position is a 1-based step number kept in a tracker slot; these functions decide what to
say for each control (next, back, repeat, skip, pause, continue, how long, discomfort) and
what the slots become. Step wording adapts to the pressure the person asked for.
"""

from __future__ import annotations

from kneadle import names
from kneadle.knowledge import Range, Step, Technique
from kneadle.messages import Catalog
from kneadle.reply import Reply

# Steps after which the sources advise checking that the pressure is comfortable (004, tip 5).
PRESSURE_MOVEMENTS = frozenset({"press", "knead", "lift"})


def format_range(bounds: Range, unit: str) -> str:
    """Range(1, 2) with "minute" -> "1–2 minutes"; Range(3) -> "3 minutes"."""
    high = bounds.max if bounds.max is not None else bounds.min
    numbers = str(bounds.min) if high == bounds.min else f"{bounds.min}–{high}"
    return f"{numbers} {unit}{'' if high == 1 else 's'}"


def format_seconds(bounds: Range) -> str:
    """Whole minutes read as minutes ("1–2 minutes"), anything else as seconds."""
    high = bounds.max if bounds.max is not None else bounds.min
    if bounds.min % 60 == 0 and high % 60 == 0:
        return format_range(Range(bounds.min // 60, high // 60), "minute")
    return format_range(bounds, "second")


def step_timing(step: Step) -> str:
    """How long or how many times, as the source gives it; empty when it gives no number."""
    parts = []
    if step.seconds:
        parts.append(format_seconds(step.seconds))
    if step.repetitions:
        parts.append(format_range(step.repetitions, "time"))
    return ", ".join(parts)


def step_at(technique: Technique, number: int) -> Step | None:
    """The step with 1-based `number`, or None past either end."""
    return technique.steps[number - 1] if 1 <= number <= len(technique.steps) else None


def step_fields(catalog: Catalog, technique: Technique, number: int, pressure: str | None = None) -> dict[str, str]:
    """Values for the `step` message: "Step {step_number} of {step_count}: ..."."""
    step = step_at(technique, number)
    if step is None:
        raise ValueError(f"{technique.id} has no step {number}")
    timing = step_timing(step)
    adapts = step.movement in PRESSURE_MOVEMENTS and pressure in ("lighter", "firmer")
    return {
        "step_number": str(number),
        "step_count": str(len(technique.steps)),
        "step_title": step.title,
        "step_text": step.text,
        "step_timing": f" ({timing})" if timing else "",
        "pressure_line": catalog.text(f"pressure_line_{pressure}") if adapts else "",
    }


def show_step(
    reply: Reply,
    technique: Technique,
    number: int,
    pressure: str | None,
    pressure_checked: bool,
    can_push: bool = False,
) -> Reply:
    """Say step `number`, asking once per technique how the pressure feels after a pressing step.

    On channels that can push a message, a timed step comes with an offer to check back when the
    time is up; elsewhere the step's own text says how long. On channels that show images (the
    reply has a gallery), a picture of each place the step names comes first; its words name it too.
    """
    step = technique.steps[number - 1]
    if reply.gallery is not None:
        reply.messages.extend(reply.gallery.messages_for(step))
    reply.say("step", **step_fields(reply.catalog, technique, number, pressure))
    reply.remember(**{names.TECHNIQUE_ID: technique.id, names.STEP_NUMBER: float(number)})
    if not pressure_checked and step.movement in PRESSURE_MOVEMENTS:
        reply.say("pressure_check").remember(**{names.PRESSURE_CHECKED: True})
    if can_push and step.seconds:
        reply.say("timer_offer", timing=format_seconds(step.seconds))
    return reply


def timer_seconds(technique: Technique, number: int) -> int | None:
    """How long to wait before saying a timed step is up: the longest time the source gives."""
    step = step_at(technique, number)
    if step is None or step.seconds is None:
        return None
    return step.seconds.max if step.seconds.max is not None else step.seconds.min


def finish(reply: Reply, technique: Technique, related: Technique | None) -> Reply:
    """Close a technique: a short summary, how often (from the sources), and one to try next."""
    titles = ", ".join(step.title[0].lower() + step.title[1:] for step in technique.steps)
    reply.say("technique_done", technique_title=technique.title, step_titles=titles)
    if technique.how_often:
        reply.say("how_often", how_often=technique.how_often)
    if related:
        reply.say("try_related", related_title=related.title)
    return reply.remember(
        **{
            names.TECHNIQUE_ID: None,
            names.STEP_NUMBER: None,
            names.SUGGESTED_TECHNIQUE: related.id if related else None,
        }
    )


def move(
    reply: Reply,
    technique: Technique,
    current: int,
    offset: int,
    pressure: str | None,
    pressure_checked: bool,
    related: Technique | None,
    can_push: bool = False,
) -> Reply:
    """Go `offset` steps from `current` (+1 next or skip, -1 back, 0 repeat or continue)."""
    target = current + offset
    if target < 1:
        reply.say("at_first_step")
        target = 1
    if target > len(technique.steps):
        return finish(reply, technique, related)
    return show_step(reply, technique, target, pressure, pressure_checked, can_push)


def duration(reply: Reply, technique: Technique, current: int) -> Reply:
    """Answer "how long?" for the current step, from the source's own numbers."""
    step = step_at(technique, max(current, 1))
    timing = step_timing(step) if step else ""
    if timing:
        return reply.say("step_duration", step_number=str(current), timing=timing)
    return reply.say("step_no_duration", step_number=str(current))


def pause(reply: Reply, technique: Technique, current: int) -> Reply:
    return reply.say(
        "paused", step_number=str(current), step_count=str(len(technique.steps)), technique_title=technique.title
    )


def ease_off(reply: Reply) -> Reply:
    """Too much pressure or mild pain: lighten from now on, and say when to stop."""
    return reply.say("lighten_up").remember(**{names.PRESSURE: "lighter"})


def stop(reply: Reply, message_id: str = "stopped") -> Reply:
    return reply.say(message_id).remember(**{names.TECHNIQUE_ID: None, names.STEP_NUMBER: None})
