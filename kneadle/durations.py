"""How long a complaint has lasted, from the words of a `duration` entity ("for 3 wks" -> weeks).

The unit words are rules of English, not content, so they live here. The values are the
`duration` slot's: hours, days, weeks, months, years.
"""

from __future__ import annotations

import re

from kneadle.spelling import near_miss

UNITS = {
    "hours": ("hour", "hours", "hr", "hrs", "morning", "tonight", "night", "today", "afternoon", "evening"),
    "days": ("day", "days", "dy", "dys", "yesterday", "weekend", "monday", "tuesday", "wednesday", "thursday",
             "friday", "saturday", "sunday"),
    "weeks": ("week", "weeks", "wk", "wks", "fortnight", "fortnights"),
    "months": ("month", "months", "mth", "mths", "mnth", "mnths", "ages", "forever"),
    "years": ("year", "years", "yr", "yrs", "decade", "decades"),
}  # fmt: skip
# "all week" and "since last week" are days to a week; "last night" is hours.
LONGEST_FIRST = ("years", "months", "weeks", "days", "hours")
_UNIT_OF = {word: unit for unit, words in UNITS.items() for word in words}


def duration_value(text: str) -> str | None:
    """The longest unit of time named in `text`, allowing a slip in the longer unit words."""
    found = {unit for word in re.findall(r"[a-z]+", text.lower()) if (unit := _unit(word))}
    return next((unit for unit in LONGEST_FIRST if unit in found), None)


def _unit(word: str) -> str | None:
    if word in _UNIT_OF:
        return _UNIT_OF[word]
    if len(word) < 4:
        return None
    near = {_UNIT_OF[known] for known in _UNIT_OF if len(known) >= 4 and near_miss(word, known) is not None}
    return near.pop() if len(near) == 1 else None
