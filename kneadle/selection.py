"""Choose a technique for what the person described.

Ranking is deliberately simple and explainable: the exact region first (a whole-back
technique for a back part next), then the symptom, then who does it, then techniques whose
main purpose is that symptom (symptoms are listed most important first), then fuller routines
over single moves. Whether the person is alone or has help is asked only when the answer
would change the best technique.
"""

from __future__ import annotations

from collections.abc import Iterable

from kneadle import names
from kneadle.knowledge import Knowledge, Technique

ALONE, PARTNER = "alone", "partner"

# A person who names part of the back can use a whole-back technique, and the reverse.
RELATED_REGIONS = {
    "upper_back": (names.WHOLE_BACK,),
    "lower_back": (names.WHOLE_BACK,),
    names.WHOLE_BACK: ("upper_back", "lower_back"),
}


def can_do(technique: Technique, helper: str | None) -> bool:
    """Partner techniques need someone else's hands; everything else suits anyone."""
    return technique.performer != PARTNER or helper == PARTNER


def rank_techniques(
    knowledge: Knowledge, region: str, symptom: str | None = None, helper: str | None = None
) -> list[Technique]:
    """Techniques for `region` that the person can do, best first.

    `helper` is "alone", "partner" or None (not asked). With a helper, techniques made for two
    come first; otherwise ones a person can do on their own do.
    """

    def score(technique: Technique) -> tuple[int, int, int, int, int]:
        region_fit = 2 if region in technique.regions else 1
        symptom_fit = 1 if symptom and symptom in technique.symptoms else 0
        if helper == PARTNER:
            performer_fit = 1 if technique.performer in (PARTNER, "either") else 0
        else:
            performer_fit = 1 if technique.performer in ("self", "either") else 0
        symptom_primacy = -technique.symptoms.index(symptom) if symptom_fit else 0
        return region_fit, symptom_fit, performer_fit, symptom_primacy, len(technique.steps)

    nearby = RELATED_REGIONS.get(region, ())
    fitting = [
        technique
        for technique in knowledge.techniques.values()
        if (region in technique.regions or any(other in technique.regions for other in nearby))
        and (helper is None or can_do(technique, helper))
    ]
    return sorted(fitting, key=score, reverse=True)


def helper_question_matters(knowledge: Knowledge, region: str, symptom: str | None) -> bool:
    """True when the best technique alone differs from the best one with someone's help."""
    alone = rank_techniques(knowledge, region, symptom, ALONE)
    with_help = rank_techniques(knowledge, region, symptom, PARTNER)
    return bool(with_help) and (not alone or alone[0].id != with_help[0].id)


def first_not_offered(ranked: Iterable[Technique], offered: Iterable[str]) -> Technique | None:
    """The best technique not offered yet in this conversation."""
    seen = set(offered)
    return next((technique for technique in ranked if technique.id not in seen), None)
