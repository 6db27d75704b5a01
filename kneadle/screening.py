"""The one screening question before the first technique: do any contraindications apply?

Its buttons send plain words ("I'm pregnant"), so an answer goes through the NLU pipeline and
the red-flag component like a typed message; "None of these" sends /deny. Asked once per
conversation: any answer, or simply carrying on, marks it done.
"""

from __future__ import annotations

from kneadle import names
from kneadle.reply import Reply


def ask_first(reply: Reply, screening: str | None) -> bool:
    """Ask before the first technique; True when the caller should wait for the answer."""
    if screening is None:
        reply.say("screening_question").remember(**{names.SCREENING: names.SCREENING_ASKED})
        return True
    if screening == names.SCREENING_ASKED:
        reply.remember(**{names.SCREENING: names.SCREENING_DONE})
    return False
