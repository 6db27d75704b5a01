"""Telling a misspelling from a different word, shared by the red-flag matcher and the vocabulary.

Two rules of different strictness:
- `misspelt` knows nothing about the writer's other words, so it is strict: five letters or more,
  and only slips that common words a letter apart don't make ("fever"/"fewer" stay apart).
- `near_miss` is for words known NOT to be English (the vocabulary checks that first), so it can
  accept short words and any one slip: "nek" is "neck", "bak" is "back", "sholder" is "shoulder".
Both are only tried on words that are not real English words (`english_words`): "single" is never
a misspelling of "shingles", nor "should" of "shoulder".
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from typing import Any

import spacy_lookups_data
from rapidfuzz.distance import OSA

FUZZY_MIN_LENGTH = 5  # shorter words must be spelt right: too many short words are one letter apart
FUZZY_SUBSTITUTION_LENGTH = 9  # from this length a wrong letter is allowed, not only a missing or swapped one
FUZZY_TWO_EDITS_LENGTH = 10  # from this length two small misspellings are allowed
VOWELS = "aeiou"
NEAR_MISS_MIN_LENGTH = 3  # "nek", "bak"; two letters are too few to guess from
NEAR_MISS_TWO_EDITS_LENGTH = 7  # from this length two slips: "trapezious", "shouldrr"


def misspelt(written: str, meant: str) -> bool:
    """Whether `written` is a small misspelling of `meant`: same first letter, and one missing,
    extra or swapped letter ("bladdr", "numbess", "pregant", "nubmness"); from
    FUZZY_SUBSTITUTION_LENGTH letters also a wrong letter ("osteoperosis"), and from
    FUZZY_TWO_EDITS_LENGTH two slips. Common words a letter apart ("fever"/"fewer",
    "spine"/"spins", "dropping"/"drooping", "there"/"three") are not confused."""
    shorter, longer = sorted((len(written), len(meant)))
    if shorter < FUZZY_MIN_LENGTH or longer <= FUZZY_MIN_LENGTH or written[0] != meant[0] or longer - shorter > 2:
        return False  # five-letter words only take an extra letter ("cheast"): "there" is not "three"
    allowed = 2 if shorter >= FUZZY_TWO_EDITS_LENGTH else 1
    distance = OSA.distance(written, meant, score_cutoff=allowed)
    if distance > allowed:
        return False
    if distance == 1 and len(written) == len(meant) and shorter < FUZZY_SUBSTITUTION_LENGTH:
        # a swap of two letters ("nubmness"), or from six letters a wrong vowel ("surgury")
        wrong = [(one, other) for one, other in zip(written, meant, strict=True) if one != other]
        vowels = set(VOWELS)
        return sorted(written) == sorted(meant) or (shorter > FUZZY_MIN_LENGTH and set(wrong[0]) <= vowels)
    return True


def near_miss(written: str, meant: str) -> int | None:
    """The number of slips (1 or 2) if a non-word `written` is a misspelling of `meant`, else None.

    Same first letter, at most two letters longer or shorter; one missing, extra, wrong or swapped
    letter, and from NEAR_MISS_TWO_EDITS_LENGTH letters two.
    """
    if len(written) < NEAR_MISS_MIN_LENGTH or written == meant or written[0] != meant[0]:
        return None
    if abs(len(written) - len(meant)) > 2:
        return None
    allowed = 2 if min(len(written), len(meant)) >= NEAR_MISS_TWO_EDITS_LENGTH else 1
    distance = OSA.distance(written, meant, score_cutoff=allowed)
    return distance if distance <= allowed else None


# spaCy's English word probabilities (log) above which a word counts as a real word, whatever
# the lemma tables say: "shoulda" (-13.4) and "lol" (-8.6) are real; "sholder" (-17.7) is not.
COMMON_WORD_LOG_PROBABILITY = -14.5


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Real English words, from the spacy-lookups-data tables installed with the project."""
    index, forms, probabilities = (_lookup_table(name) for name in ("lemma_index", "lemma_lookup", "lexeme_prob"))
    words = {word for words in index.values() for word in words}
    words.update(forms)
    words.update(
        word for word, log_probability in probabilities.items() if log_probability > COMMON_WORD_LOG_PROBABILITY
    )
    return frozenset(word.lower() for word in words if word.isalpha())


def _lookup_table(name: str) -> dict[str, Any]:
    with gzip.open(str(spacy_lookups_data.get_file(f"en_{name}.json.gz")), "rt", encoding="utf-8") as file:
        return json.load(file)
