"""Walking through a technique one step at a time.

The position is a 1-based step number kept in a tracker slot, so this module only
turns (technique, step number) into the values the domain's responses fill in.
"""

from __future__ import annotations

from kneadle.knowledge import Range, Step, Technique


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


def step_fields(technique: Technique, number: int) -> dict[str, str]:
    """Values for the `utter_step` response: "Step {step_number} of {step_count}: ..."."""
    step = step_at(technique, number)
    if step is None:
        raise ValueError(f"{technique.id} has no step {number}")
    timing = step_timing(step)
    return {
        "step_number": str(number),
        "step_count": str(len(technique.steps)),
        "step_title": step.title,
        "step_text": step.text,
        "step_timing": f" ({timing})" if timing else "",
    }
