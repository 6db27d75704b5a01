"""The words people use for body parts, symptoms and sides, and their canonical slot values.

Built from the NLU training data (every annotated entity and every synonym), so the words live
in one place, `data/nlu/`. It answers two questions:
- `canonical_word`: which vocabulary word a misspelt token stands for ("sholder" -> "shoulder",
  "nek" -> "neck", "lowerback" -> "lower back"). Real English words are never changed, so
  "should", "pack" or "light" stay what they are; only non-words a slip away from a vocabulary
  word are corrected, and only when that word is the one nearest.
  A misspelt word that is no body part or symptom is read as the real word of the training
  data it is a slip from ("nxet" -> "next", "anotehr" -> "another"), so the classifier sees a word
  it learnt; of several, the one people used most.
- `value`: the slot value of an extracted entity ("top of my shoulders" -> neck_shoulders),
  through the same corrections; None when the words are not the entity's at all.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from kneadle.spelling import near_miss

# Word endings that do not change which body part or symptom is meant.
ENDINGS = ("s", "es", "ness", "ed", "ing", "y")


@dataclass(frozen=True)
class Term:
    entity: str
    text: str
    value: str


class Vocabulary:
    """Entity words with their values, the training data's words, and the English words that must
    not be corrected."""

    def __init__(
        self,
        terms: Iterable[Term],
        english: Set[str] = frozenset(),
        corrections: dict[str, str] | None = None,
        training_words: Mapping[str, int] | None = None,
    ) -> None:
        self.values: dict[tuple[str, str], str] = {}
        self.canonical_values: dict[str, set[str]] = {}
        for term in terms:
            self.values[(term.entity, _normal(term.text))] = term.value
            self.canonical_values.setdefault(term.entity, set()).add(term.value)
        self.stems = _unambiguous(
            ((entity, _without_endings(text)), value) for (entity, text), value in self.values.items()
        )
        # Words found in the terms of one value only ("tailbone", "lumbar", "blades"), so a
        # span that is only part of a term still says which ("tailbone" of "tailbone area").
        self.distinctive = _unambiguous(
            ((entity, word), value)
            for (entity, text), value in self.values.items()
            for word in text.split()
            if word not in STOP_WORDS
        )
        self.words = {word for _, text in self.values for word in text.split()}
        self.joined = {text.replace(" ", ""): text for _, text in self.values if " " in text}
        self.english = english
        # Misspellings that are in the training data themselves ("sholder"), with their real word.
        self.corrections = dict(corrections or {})
        # Every word of the training data, with how often it is used: these are never corrected,
        # and the real ones among them are what other misspellings are read as.
        self.training_words = dict(training_words or {})
        # Misspellings are read as a real word, never as another misspelling: "nex" is one slip
        # from "nek" but two from "neck", so it is not a neck.
        self._by_first = _by_first_letter(word for word in self.words if word not in self.corrections)
        self._known_by_first = _by_first_letter(word for word in self.training_words if word in english)

    @classmethod
    def build(
        cls, terms: Iterable[Term], english: Set[str], training_words: Mapping[str, int] | None = None
    ) -> Vocabulary:
        """The vocabulary, with the real word of each of its own misspellings."""
        draft = cls(terms)
        real = cls(terms=[t for t in draft.terms() if all(w in english for w in _normal(t.text).split())])
        corrections = {
            word: meant
            for word in sorted(draft.words - english)
            if (meant := real.joined.get(word) or real._nearest(word)) is not None
        }
        return cls(draft.terms(), english, corrections, training_words)

    def terms(self) -> list[Term]:
        return [Term(entity, text, value) for (entity, text), value in sorted(self.values.items())]

    def canonical_word(self, word: str) -> str | None:
        """The vocabulary word (or words) a misspelt `word` stands for; None if it is fine as it is."""
        word = word.lower()
        if word in self.corrections:
            return self.corrections[word]
        if word in self.words or word in self.english or not word.isalpha():
            return None
        meant = self.joined.get(word) or self._nearest(word)
        if meant:
            return " ".join(self.corrections.get(part, part) for part in meant.split())
        return None if word in self.training_words else self._nearest_known(word)

    def value(self, entity: str, text: str) -> str | None:
        """The canonical value of an entity's words, correcting slips word by word. When the
        whole span is not a term, its longest run of words that is ("my left hand" -> hands),
        else a word only one value's terms use ("tailbone" -> lower_back); else None."""
        text = _normal(text)
        if text in self.canonical_values.get(entity, ()):
            return text
        words = [self.canonical_word(word) or word for word in text.split()]
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                run = " ".join(words[start : start + size])
                found = self.values.get((entity, run)) or self.stems.get((entity, _without_endings(run)))
                if found is not None:
                    return found
        return next((found for word in words if (found := self.distinctive.get((entity, word)))), None)

    def find(self, entity: str, words: Sequence[Sequence[str]]) -> list[tuple[int, int, str]]:
        """The entity's terms in a message, as (first word, end word, value), longest first and
        not overlapping. Each word comes with its forms (as typed, lemma, corrected)."""
        longest = max((len(text.split()) for name, text in self.values if name == entity), default=0)
        found: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for size in range(min(longest, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if taken & set(range(start, start + size)):
                    continue
                value = self._term_value(entity, words[start : start + size])
                if value is not None:
                    found.append((start, start + size, value))
                    taken.update(range(start, start + size))
        return sorted(found)

    def _term_value(self, entity: str, run: Sequence[Sequence[str]]) -> str | None:
        for forms in itertools.product(*run):
            found = self.values.get((entity, _normal(" ".join(forms))))
            if found is not None:
                return found
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": [[t.entity, t.text, t.value] for t in self.terms()],
            "corrections": self.corrections,
            "training_words": self.training_words,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], english: Set[str]) -> Vocabulary:
        return cls((Term(*term) for term in data["terms"]), english, data["corrections"], data["training_words"])

    def _nearest(self, word: str) -> str | None:
        """The vocabulary word fewest slips away: of equals, the one closest in length, then the
        one ending alike ("sholders" -> "shoulders"); None when none is a slip away."""
        return _fewest_slips(word, self._by_first, lambda known: (abs(len(known) - len(word)), known[-1] != word[-1]))

    def _nearest_known(self, word: str) -> str | None:
        """The real training-data word fewest slips away: of equals, the one used most."""
        return _fewest_slips(word, self._known_by_first, lambda known: -self.training_words[known])


def _fewest_slips(word: str, by_first: Mapping[str, set[str]], tie_break: Callable[[str], Any]) -> str | None:
    """The word of `by_first` (words grouped by first letter) fewest slips from `word`, of equals
    the one `tie_break` ranks lowest; None when none is a slip away."""
    scored = [
        (slips, tie_break(known), known)
        for known in by_first.get(word[0], ())
        if (slips := near_miss(word, known)) is not None
    ]
    return min(scored)[-1] if scored else None


def _by_first_letter(words: Iterable[str]) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for word in words:
        grouped.setdefault(word[0], set()).add(word)
    return grouped


def _unambiguous(pairs: Iterable[tuple[tuple[str, str], str]]) -> dict[tuple[str, str], str]:
    """The keys that go with one value only, with that value."""
    values: dict[tuple[str, str], set[str]] = {}
    for key, value in pairs:
        values.setdefault(key, set()).add(value)
    return {key: found.pop() for key, found in values.items() if len(found) == 1}


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def _without_endings(text: str) -> str:
    words = []
    for word in text.split():
        for ending in ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        words.append(word)
    return " ".join(words)
