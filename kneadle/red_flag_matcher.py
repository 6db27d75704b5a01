"""Find red flags in a message, deterministically, from the red-flag file's phrase patterns.

Works on tokens (text and lemma, as spaCy gives them) so it needs no trained model:
- a phrase matches consecutive tokens, allowing a few words between ("face is drooping");
- a word matches by lemma or text, a known ending ("numb" ~ "numbness"), or a small misspelling
  (rapidfuzz, for words of five letters or more: "numbess", "bladdr");
- a phrase does not count when negated ("no numbness"), resolved ("gone once I moved",
  "my bladder is fine"), or about someone else's history ("my dad had a stroke").
A flag matches when every group of one of its patterns has a phrase that counts. Phrases go
through the same tokenizer as messages, so "can't" is "ca" + "n't" in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio

from kneadle.red_flags import LEVELS, RedFlag, RedFlagFile, ScopeWords

WORD_ENDINGS = ("ness", "iness", "ed", "ing", "s", "es", "y", "ful", "ly")
MAX_GAP = 3  # words allowed between the words of one phrase
FUZZY_MIN_LENGTH = 5
FUZZY_MIN_SCORE = 85


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str


@dataclass(frozen=True)
class Match:
    flag: RedFlag
    phrases: tuple[str, ...]


def tokens_from_words(words: Iterable[tuple[str, str]]) -> list[Token]:
    """Tokens from (text, lemma) pairs, lowercased, e.g. from a spaCy Doc."""
    return [Token(text.lower(), (lemma or text).lower()) for text, lemma in words]


Phrase = tuple[Token, ...]


class RedFlagMatcher:
    """Matches messages against the red-flag patterns; phrases are tokenized once, like messages."""

    def __init__(self, red_flags: RedFlagFile, tokenize: Callable[[str], list[Token]]) -> None:
        self.flags = red_flags.flags
        self.words = red_flags.scope_words
        self.patterns = {
            flag.id: [self._tokenized(pattern, tokenize) for pattern in flag.patterns] for flag in self.flags.values()
        }

    @staticmethod
    def _tokenized(
        pattern: Sequence[Sequence[str]], tokenize: Callable[[str], list[Token]]
    ) -> list[list[tuple[str, Phrase]]]:
        return [[(phrase, tuple(tokenize(phrase))) for phrase in group] for group in pattern]

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Every flag the message shows, most serious first."""
        counted = _counted_positions(tokens, self.words)
        matches = []
        for flag in self.flags.values():
            for pattern in self.patterns[flag.id]:
                found = [_first_phrase(tokens, counted, group, self.words) for group in pattern]
                if all(found):
                    matches.append(Match(flag, tuple(phrase for phrase in found if phrase)))
                    break
        return sorted(matches, key=lambda match: LEVELS.index(match.flag.level), reverse=True)


def _counted_positions(tokens: Sequence[Token], words: ScopeWords) -> list[bool]:
    """For each token, whether a phrase there counts (not negated, resolved or someone else's)."""
    counts = [True] * len(tokens)
    clauses = _clauses(tokens, words)
    for index, (start, end) in enumerate(clauses):
        clause = tokens[start:end]
        lemmas = [token.lemma for token in clause]
        for offset, token in enumerate(clause):
            if _is_in(token, words.negation):
                _mark(counts, start + offset + 1, end)
            if token.lemma in words.other_people and words.history_verbs & set(lemmas[offset + 1 : offset + 4]):
                _mark(counts, start + offset + 1, end)
            if _is_in(token, words.resolved):
                _mark(counts, start, start + offset)
                if offset <= 2 and index > 0:  # "..., gone once I moved" resolves the clause before
                    _mark(counts, *clauses[index - 1])
    return counts


def _clauses(tokens: Sequence[Token], words: ScopeWords) -> list[tuple[int, int]]:
    clauses, start = [], 0
    for index, token in enumerate(tokens):
        if token.text in words.clause_breaks:
            if index > start:
                clauses.append((start, index))
            start = index + 1
    if start < len(tokens):
        clauses.append((start, len(tokens)))
    return clauses


def _mark(counts: list[bool], start: int, end: int) -> None:
    for position in range(start, end):
        counts[position] = False


def _first_phrase(
    tokens: Sequence[Token], counted: Sequence[bool], group: Sequence[tuple[str, Phrase]], words: ScopeWords
) -> str | None:
    """The first phrase of the group found, counting, in the message."""
    for phrase, phrase_words in group:
        for start in range(len(tokens)):
            if counted[start] and _phrase_at(tokens, counted, start, phrase_words, words):
                return phrase
    return None


def _phrase_at(tokens: Sequence[Token], counted: Sequence[bool], start: int, phrase: Phrase, words: ScopeWords) -> bool:
    """Whether the phrase's words start at `start`, in order, with at most MAX_GAP words between.

    A phrase that carries its own negation ("can't pee") is not cancelled by it.
    """
    position, own_negation = start, False
    for number, word in enumerate(phrase):
        limit = position + 1 if number == 0 else min(position + 1 + MAX_GAP, len(tokens))
        found = None
        for index in range(position, limit):
            if tokens[index].text in words.clause_breaks:
                break
            if _word_matches(tokens[index], word):
                found = index
                break
        if found is None or not (counted[found] or own_negation):
            return False
        own_negation = own_negation or _is_in(word, words.negation)
        position = found + 1
    return True


def _is_in(token: Token, words: frozenset[str]) -> bool:
    return token.lemma in words or token.text in words


def _word_matches(token: Token, word: Token) -> bool:
    if token.lemma == word.lemma or token.text == word.text:
        return True
    for form in (token.lemma, token.text):
        if len(word.text) >= 3 and form.startswith(word.text) and form[len(word.text) :] in WORD_ENDINGS:
            return True
    if len(token.text) < FUZZY_MIN_LENGTH:
        return False
    forms = [word.text, *(word.text + ending for ending in WORD_ENDINGS)]
    return any(len(form) >= FUZZY_MIN_LENGTH and ratio(token.text, form) >= FUZZY_MIN_SCORE for form in forms)
