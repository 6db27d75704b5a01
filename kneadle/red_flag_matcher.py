"""Find red flags in a message, deterministically, from the red-flag file's phrase patterns.

Works on tokens (text and lemma, as spaCy gives them) so it needs no trained model:
- a phrase matches consecutive tokens, allowing a few words between ("face is drooping");
- a word matches by lemma or text, a known ending ("numb" ~ "numbness"), a number with decimals
  or a unit ("38" ~ "38.5", "39c"), or a small misspelling of a word of five letters or more
  ("numbess", "bladdr"; see `_misspelt`);
- a phrase does not count when negated ("no numbness"; but "can't turn my neck" is a symptom),
  resolved ("gone once I moved", "my bladder is fine", "healed weeks ago"; but not "gone numb"),
  or about someone else ("my dad had a stroke", "my wife is pregnant"; but not when it is sudden);
- a few two-word idioms are not what their words say ("fell asleep", "hay fever").
A flag matches when every group of one of its patterns has a phrase that counts. Phrases go
through the same tokenizer as messages, so "can't" is "ca" + "n't" in both. Scope words may be
several words ("go away", "was pregnant"); they are compared by lemma or text, word by word.
The phrase words are indexed once (`_WordIndex`), so a message costs lookups, not comparisons
with every phrase: about a millisecond for a chat message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from kneadle.red_flags import LEVELS, RedFlag, RedFlagFile, ScopeWords

WORD_ENDINGS = ("ness", "iness", "ed", "ing", "s", "es", "y", "ful", "ly", "ish")
NUMBER_ENDINGS = (".", "°", "c", "f")  # "38" matches "38.5", "38°c", "39c"
MAX_GAP = 3  # words allowed between the words of one phrase
JOINS = frozenset({"and", "or"})  # a phrase's words are one expression: the words between are not these
FUZZY_MIN_LENGTH = 5  # shorter words must be spelt right: too many short words are one letter apart
FUZZY_SUBSTITUTION_LENGTH = 9  # from this length a wrong letter is allowed, not only a missing or swapped one
FUZZY_TWO_EDITS_LENGTH = 10  # from this length two small misspellings are allowed
VOWELS = "aeiou"
NEGATION_REACH = 4  # a negation this many words before a resolution word cancels it ("isn't getting better")
# A negation after these is an inability, which is the symptom itself, not a denial of it:
# "can't turn my neck", "cannot feel my feet", "couldn't lift my arm", "won't stop".
INABILITY = frozenset({"ca", "can", "could", "wo"})
# Likewise a loss: "no feeling round my back passage" is numbness there, and "my balance has gone"
# or "my grip went" is a loss, not a recovery.
CAPACITIES = frozenset(
    {"feeling", "sensation", "strength", "control", "power", "grip", "balance", "vision", "sight", "speech"}
)
# Words about the person writing; they end another person's scope ("my wife is pregnant and I ...").
FIRST_PERSON = frozenset({"i", "me", "my", "myself", "im", "i'm", "ive", "i've"})
OTHER_PERSON_VERB_REACH = 3  # the history verb must come this soon after the other person
# Someone else's sudden problem is still an emergency to act on: "my mum's all confused out of nowhere".
ACUTE = (
    ("suddenly",),
    ("sudden",),
    ("out", "of", "nowhere"),
    ("out", "of", "the", "blue"),
    ("all", "of", "a", "sudden"),
)
# "gone" resolves only at the end of its clause or before one of these ("gone now", "gone once I
# moved"); before anything else it means "become": "gone numb", "smile's gone lopsided".
GONE_RESOLVES_BEFORE = frozenset(
    {
        "now", "away", "once", "after", "by", "when", "since", "completely", "totally", "entirely",
        "again", "off", "down", "within", "overnight", "quickly", "soon", "too", "as", "for",
    }
)  # fmt: skip
# A resolution word directly before one of these means something else: "passed out", "pass urine".
NOT_RESOLVING_BEFORE = frozenset({"out", "urine", "water", "blood", "wind", "stool", "stools"})
# A resolution followed soon by one of these is relief by rest, which describes the symptom
# (pain on exertion: "chest hurts on the stairs, goes away when I stop"), not its end.
REST = frozenset({"stop", "rest"})
REST_REACH = 4
# Two-word idioms whose words mean something else together: "fell asleep on my back" is not a
# fall, "hay fever" is not a fever, "confused about the steps" is not confusion. Their words only
# match a phrase that has the idiom too.
IDIOMS = frozenset(
    {
        ("fall", "asleep"), ("hay", "fever"), ("cabin", "fever"), ("confuse", "about"), ("confuse", "by"),
        ("confuse", "with"), ("confuse", "what"), ("confuse", "which"), ("confuse", "how"), ("confuse", "as"),
    }
)  # fmt: skip


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
Group = tuple[tuple[str, Phrase], ...]
ScopePhrase = tuple[str, ...]


@dataclass(frozen=True)
class _Scopes:
    """The scope words split into words, so that "go away" or "was pregnant" work like "gone"."""

    negation: tuple[ScopePhrase, ...]
    resolved: tuple[ScopePhrase, ...]
    other_people: tuple[ScopePhrase, ...]
    history_verbs: frozenset[str]
    clause_breaks: frozenset[str]

    @classmethod
    def of(cls, words: ScopeWords) -> _Scopes:
        def split(entries: frozenset[str]) -> tuple[ScopePhrase, ...]:
            return tuple(sorted({tuple(entry.split()) for entry in entries}, key=len, reverse=True))

        return cls(
            negation=split(words.negation),
            resolved=split(words.resolved),
            other_people=split(words.other_people),
            history_verbs=words.history_verbs,
            clause_breaks=words.clause_breaks,
        )


class RedFlagMatcher:
    """Matches messages against the red-flag patterns; phrases are tokenized once, like messages."""

    def __init__(self, red_flags: RedFlagFile, tokenize: Callable[[str], list[Token]]) -> None:
        self.flags = red_flags.flags
        self.words = red_flags.scope_words
        self.scopes = _Scopes.of(red_flags.scope_words)
        groups: dict[tuple[str, ...], Group] = {}  # a group used by several patterns is searched once
        self.patterns = {
            flag.id: [
                [groups.setdefault(tuple(group), self._tokenized(group, tokenize)) for group in pattern]
                for pattern in flag.patterns
            ]
            for flag in self.flags.values()
        }
        self.index = _WordIndex(word for group in groups.values() for _, phrase in group for word in phrase)

    @staticmethod
    def _tokenized(group: Sequence[str], tokenize: Callable[[str], list[Token]]) -> Group:
        return tuple((phrase, tuple(tokenize(phrase))) for phrase in group)

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Every flag the message shows, most serious first."""
        message = _Message(tokens, _counted_positions(tokens, self.scopes), self.index, self.words)
        found_in_group: dict[int, str | None] = {}
        matches = []
        for flag in self.flags.values():
            for pattern in self.patterns[flag.id]:
                found = []
                for group in pattern:
                    if id(group) not in found_in_group:
                        found_in_group[id(group)] = message.first_phrase(group)
                    found.append(found_in_group[id(group)])
                    if found[-1] is None:
                        break
                if all(found):
                    matches.append(Match(flag, tuple(phrase for phrase in found if phrase)))
                    break
        return sorted(matches, key=lambda match: LEVELS.index(match.flag.level), reverse=True)


class _WordIndex:
    """The phrase words, indexed so that the words a message token matches are found by lookups.

    A token matches a phrase word by lemma or text, by a known ending ("numb" ~ "numbness"), as a
    number with decimals or a unit ("38" ~ "38.5"), or as a small misspelling (see `_misspelt`).
    """

    CACHE_SIZE = 20_000

    def __init__(self, words: Iterable[Token]) -> None:
        self.by_lemma: dict[str, set[Token]] = {}
        self.by_text: dict[str, set[Token]] = {}
        self.by_stem: dict[str, set[Token]] = {}
        self.numbers: dict[str, set[Token]] = {}
        self.spellings: dict[tuple[str, int], set[tuple[str, Token]]] = {}
        for word in set(words):
            self.by_lemma.setdefault(word.lemma, set()).add(word)
            self.by_text.setdefault(word.text, set()).add(word)
            for stem in {word.text, word.lemma}:
                if len(stem) >= 3:
                    self.by_stem.setdefault(stem, set()).add(word)
            if word.text.isdigit():
                self.numbers.setdefault(word.text, set()).add(word)
            # Misspelt endings are only tried for "-ness" ("numbess"): with every ending, real words
            # come within a letter of made-up ones ("going" ~ "got" + "ing", "blades" ~ "bad" + "es").
            for form in {word.text, word.lemma, word.text + "ness"}:
                if len(form) >= FUZZY_MIN_LENGTH:
                    self.spellings.setdefault((form[0], len(form)), set()).add((form, word))
        self.cache: dict[Token, frozenset[Token]] = {}

    def matches(self, token: Token) -> frozenset[Token]:
        """The phrase words that `token` matches."""
        found = self.cache.get(token)
        if found is None:
            if len(self.cache) >= self.CACHE_SIZE:
                self.cache.clear()
            found = self.cache[token] = frozenset(self._matches(token))
        return found

    def _matches(self, token: Token) -> set[Token]:
        found = self.by_lemma.get(token.lemma, set()) | self.by_text.get(token.text, set())
        for form in {token.lemma, token.text}:
            for ending in WORD_ENDINGS:
                if form.endswith(ending):
                    found |= self.by_stem.get(form[: -len(ending)], set())
        digits = len(token.text) - len(token.text.lstrip("0123456789"))
        if 0 < digits < len(token.text) and token.text[digits] in NUMBER_ENDINGS:
            found |= self.numbers.get(token.text[:digits], set())
        written = token.text
        if len(written) >= FUZZY_MIN_LENGTH:
            for length in range(len(written) - 2, len(written) + 3):
                for form, word in self.spellings.get((written[0], length), ()):
                    if word not in found and _misspelt(written, form):
                        found.add(word)
        return found


class _Message:
    """One message being matched: its tokens, which of them count, and the words each matches."""

    def __init__(self, tokens: Sequence[Token], counted: Sequence[bool], index: _WordIndex, words: ScopeWords):
        self.tokens = tokens
        self.counted = counted
        self.words = words
        self.matched = [index.matches(token) for token in tokens]
        self.idioms = _idiom_positions(tokens)
        self.positions: dict[Token, list[int]] = {}
        for position, matched in enumerate(self.matched):
            for word in matched:
                self.positions.setdefault(word, []).append(position)

    def first_phrase(self, group: Group) -> str | None:
        """The first phrase of the group found, counting, in the message."""
        for phrase, phrase_words in group:
            for start in self.positions.get(phrase_words[0], ()) if phrase_words else ():
                if self.counted[start] and self.phrase_at(start, phrase_words):
                    return phrase
        return None

    def phrase_at(self, start: int, phrase: Phrase) -> bool:
        """Whether the phrase's words start at `start`, in order, with at most MAX_GAP words between.

        A phrase that carries its own negation ("can't pee") is not cancelled by it.
        """
        tokens, position, own_negation = self.tokens, start, False
        for number, word in enumerate(phrase):
            limit = position + 1 if number == 0 else min(position + 1 + MAX_GAP, len(tokens))
            found = None
            for index in range(position, limit):
                if tokens[index].text in self.words.clause_breaks:
                    break
                if index > position and tokens[index - 1].text in JOINS:
                    break  # "my back hurts and my neck is tense" is not "hurt my"
                if word in self.matched[index] and (index not in self.idioms or self.idioms[index] in _pairs(phrase)):
                    found = index
                    break
            if found is None or not (self.counted[found] or own_negation):
                return False
            own_negation = own_negation or _is_in(word, self.words.negation)
            position = found + 1
        return True


def _counted_positions(tokens: Sequence[Token], scopes: _Scopes) -> list[bool]:
    """For each token, whether a phrase there counts (not negated, resolved or someone else's)."""
    counts = [True] * len(tokens)
    clauses = _clauses(tokens, scopes.clause_breaks)
    for index, (start, end) in enumerate(clauses):
        clause = tokens[start:end]
        is_question = "?" in (clause[-1].text, tokens[end].text if end < len(tokens) else "")
        for offset in range(len(clause)):
            if _scope_at(clause, offset, scopes.negation) and not _is_inability(clause, offset):
                _mark(counts, start + offset + 1, start + _negation_end(clause, offset))
            person = _scope_at(clause, offset, scopes.other_people)
            if person:
                _mark_other_person(counts, clause, start, offset + person, scopes.history_verbs)
            resolution = _scope_at(clause, offset, scopes.resolved)
            if resolution and not is_question and _resolves(clause, offset, resolution, scopes.negation):
                _mark(counts, start, start + offset + resolution)  # "was pregnant" resolves itself too
                if offset <= 2 and index > 0:  # "..., gone once I moved" resolves the clause before
                    _mark(counts, *clauses[index - 1])
    return counts


def _scope_at(clause: Sequence[Token], offset: int, entries: Sequence[ScopePhrase]) -> int:
    """The number of words of the first scope entry found at `offset`, or 0."""
    for entry in entries:
        if offset + len(entry) <= len(clause) and all(
            _is(clause[offset + number], word) for number, word in enumerate(entry)
        ):
            return len(entry)
    return 0


def _is(token: Token, word: str) -> bool:
    return token.lemma == word or token.text == word


def _is_inability(clause: Sequence[Token], offset: int) -> bool:
    """Whether the negation at `offset` is a symptom: "can't turn", "no feeling", "no strength"."""
    if offset + 1 < len(clause) and clause[offset].lemma == "no" and _is_capacity(clause[offset + 1]):
        return True
    return offset > 0 and clause[offset].lemma in ("not", "n't") and clause[offset - 1].text in INABILITY


def _mark_other_person(
    counts: list[bool], clause: Sequence[Token], start: int, after: int, history_verbs: frozenset[str]
) -> None:
    """Mark another person's history ("my nan had a blood clot", "my wife is pregnant"): from the
    verb to the end of the clause or to the next word about the writer ("my dad has cancer and I
    have back pain"). Not when the writer comes first ("my daughter says I've been confused")."""
    for position in range(after, min(after + OTHER_PERSON_VERB_REACH, len(clause))):
        if _is_first_person(clause[position]):
            return
        if clause[position].lemma in history_verbs:
            stop = next(
                (later for later in range(position + 1, len(clause)) if _is_first_person(clause[later])), len(clause)
            )
            if not any(_scope_at(clause, later, ACUTE) for later in range(after, stop)):
                _mark(counts, start + after, start + stop)
            return


def _negation_end(clause: Sequence[Token], offset: int) -> int:
    """A negation lasts to the end of its clause, or to "and" starting a new one about the writer:
    "lost weight without trying and my back aches" (the back still aches)."""
    for position in range(offset + 1, len(clause) - 1):
        if clause[position].text == "and" and _is_first_person(clause[position + 1]):
            return position
    return len(clause)


def _is_capacity(token: Token) -> bool:
    return token.text in CAPACITIES or token.lemma in CAPACITIES


def _is_first_person(token: Token) -> bool:
    return token.text in FIRST_PERSON or token.lemma in FIRST_PERSON


def _resolves(clause: Sequence[Token], offset: int, length: int, negation: Sequence[ScopePhrase]) -> bool:
    """Whether the resolution word at `offset` says something has ended.

    Not when negated ("isn't getting better", "won't go away", "not like normal"), not relief by
    rest ("goes away when I stop"), not "passed out", and "gone" only at the end of its clause or
    before words like "now" and "away" ("gone numb" is not resolved).
    """
    after = offset + length
    following = clause[after].text if after < len(clause) else None
    if following in NOT_RESOLVING_BEFORE:
        return False
    if clause[offset].text == "gone" and length == 1 and following not in (None, *GONE_RESOLVES_BEFORE):
        return False
    if clause[offset].lemma == "go" and any(map(_is_capacity, clause[max(0, offset - 3) : offset])):
        return False  # "my balance has gone"
    if any(token.lemma in REST for token in clause[after : after + REST_REACH]):
        return False
    return not any(_scope_at(clause, before, negation) for before in range(max(0, offset - NEGATION_REACH), offset))


def _clauses(tokens: Sequence[Token], breaks: frozenset[str]) -> list[tuple[int, int]]:
    clauses, start = [], 0
    for index, token in enumerate(tokens):
        if token.text in breaks:
            if index > start:
                clauses.append((start, index))
            start = index + 1
    if start < len(tokens):
        clauses.append((start, len(tokens)))
    return clauses


def _mark(counts: list[bool], start: int, end: int) -> None:
    for position in range(start, end):
        counts[position] = False


def _idiom_positions(tokens: Sequence[Token]) -> dict[int, tuple[str, str]]:
    """The positions of both words of each idiom in the message, with the idiom."""
    positions = {}
    for index in range(len(tokens) - 1):
        for first in {tokens[index].lemma, tokens[index].text}:
            for second in {tokens[index + 1].lemma, tokens[index + 1].text}:
                if (first, second) in IDIOMS:
                    positions[index] = positions[index + 1] = (first, second)
    return positions


def _pairs(phrase: Phrase) -> set[tuple[str, str]]:
    """The pairs of neighbouring words in a phrase, by lemma and text."""
    return {
        (first, second)
        for before, after in zip(phrase, phrase[1:], strict=False)
        for first in (before.lemma, before.text)
        for second in (after.lemma, after.text)
    }


def _is_in(token: Token, words: frozenset[str]) -> bool:
    return token.lemma in words or token.text in words


def _misspelt(written: str, meant: str) -> bool:
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
