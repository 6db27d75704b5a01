"""Choose a technique for what the person described.

Ranking is deliberately simple and explainable: the exact region first, a whole-back
technique for a back part next, the symptom, then techniques a person can do alone.
"""

from __future__ import annotations

from kneadle.knowledge import Knowledge, Technique

# A person who names part of the back can use a whole-back technique, and the reverse.
RELATED_REGIONS = {
    "upper_back": ("back",),
    "lower_back": ("back",),
    "back": ("upper_back", "lower_back"),
}


def rank_techniques(knowledge: Knowledge, region: str, symptom: str | None = None) -> list[Technique]:
    """Techniques for `region`, best first; empty when none fits the region."""

    def score(technique: Technique) -> tuple[int, int, int]:
        region_fit = 2 if region in technique.regions else 1
        symptom_fit = 1 if symptom and symptom in technique.symptoms else 0
        alone_fit = 1 if technique.performer in ("self", "either") else 0
        return region_fit, symptom_fit, alone_fit

    nearby = RELATED_REGIONS.get(region, ())
    fitting = [
        technique
        for technique in knowledge.techniques.values()
        if region in technique.regions or any(other in technique.regions for other in nearby)
    ]
    return sorted(fitting, key=score, reverse=True)
