"""Tokens, and how a message's words match the words of the safety data files.

A token is (text, lemma), lowercased, as spaCy gives them, so "peed", "pees" and "pee" are one
word. A message token matches a data word by lemma or text, by a known ending ("numb" ~
"numbness"), as a number with decimals or a unit ("38" ~ "38.5", "39c"), or as a small
misspelling of a longer word ("numbess", "bladdr"; see `kneadle.spelling.misspelt`) that is not
itself an English word ("single" is never "shingles").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kneadle.knowledge import PROJECT_ROOT
from kneadle.spelling import FUZZY_MIN_LENGTH, misspelt

SPACY_PIPELINE = PROJECT_ROOT / "build" / "spacy" / "kneadle_en"  # built by `make setup`; config.yml loads it

WORD_ENDINGS = ("ness", "iness", "ed", "ing", "s", "es", "y", "ful", "ly", "ish")
NUMBER_ENDINGS = (".", "°", "c", "f")  # "38" matches "38.5", "38°c", "39c"
NUMBER = "#"  # in a word list, any number: "when i be #" is "when I was 12"
EXACT_MARK = "="  # the lemma of a data word that matches only as written ("=legs")
YEAR = "####"  # in a word list, a year at least two years back: "back in ####" is "back in 2019"


@dataclass(frozen=True)
class Token:
    text: str
    lemma: str


def tokens_from_words(words: Iterable[tuple[str, str]]) -> list[Token]:
    """Tokens from (text, lemma) pairs, lowercased, e.g. from a spaCy Doc."""
    return [Token(text.lower(), (lemma or text).lower()) for text, lemma in words]


Phrase = tuple[Token, ...]


Tokenize = Callable[[str], list[Token]]


def pipeline_tokenizer(nlp: Callable[[str], Iterable[Any]]) -> Tokenize:
    """A Tokenize over a spaCy pipeline: the text and lemma of each of its tokens."""

    def tokenize(text: str) -> list[Token]:
        return tokens_from_words((token.text, token.lemma_) for token in nlp(text))

    return tokenize


def project_tokenizer() -> Tokenize:
    """The project's own spaCy pipeline as a Tokenize, for tests and benchmarks outside Rasa."""
    import spacy  # here, not at the top: the action server never needs it

    return pipeline_tokenizer(spacy.load(SPACY_PIPELINE))


class WordList:
    """Entries of one or more words ("go away", "i'm fine"): each word as written is compared with a
    message token's lemma or text, word by word.

    Entries are split as the pipeline splits messages when a `tokenize` is given ("i'm" is "i" + "'m",
    as in "im fine"); otherwise at spaces. "#" in an entry is any number, "####" a year at least two
    years back ("back in 2019").
    """

    def __init__(self, entries: Iterable[str], tokenize: Tokenize | None = None) -> None:
        self.source = tuple(entries)
        split = {
            tuple(word for piece in entry.lower().split() for word in _split(piece, tokenize)) for entry in self.source
        }
        self.entries = tuple(sorted(split, key=len, reverse=True))
        self.texts = frozenset(entry[0].text for entry in split if len(entry) == 1)
        self.by_first: dict[str, list[tuple[Token, ...]]] = {}  # longest first, as `entries`
        for entry in self.entries:
            self.by_first.setdefault(entry[0].text, []).append(entry)

    def retokenized(self, tokenize: Tokenize) -> WordList:
        return WordList(self.source, tokenize)

    def has(self, token: Token) -> bool:
        """Whether the token's lemma or text is one of the one-word entries."""
        return token.text in self.texts or token.lemma in self.texts

    def has_text(self, token: Token) -> bool:
        """Whether the token is written as one of the one-word entries ("has", not "had")."""
        return token.text in self.texts

    def at(self, tokens: Sequence[Token], offset: int) -> int:
        """The length of the longest entry found at `offset`, or 0."""
        token = tokens[offset]
        candidates = [
            *self.by_first.get(token.text, ()),
            *(self.by_first.get(token.lemma, ()) if token.lemma != token.text else ()),
            *self.by_first.get(NUMBER, ()),
            *self.by_first.get(YEAR, ()),
        ]
        for entry in sorted(candidates, key=len, reverse=True):
            if offset + len(entry) <= len(tokens) and all(
                _same(tokens[offset + number], word) for number, word in enumerate(entry)
            ):
                return len(entry)
        return 0

    def anywhere(self, tokens: Sequence[Token], start: int = 0, end: int | None = None) -> bool:
        """Whether an entry starts anywhere in tokens[start:end]."""
        stop = len(tokens) if end is None else end
        return any(self.at(tokens, offset) for offset in range(start, stop))


def _split(piece: str, tokenize: Tokenize | None) -> list[Token]:
    # a contraction's ending ("'ve", "'s") is one token in a message ("they've" is "they" + "'ve")
    if tokenize is None or piece in (NUMBER, YEAR) or piece.startswith("'"):
        return [Token(piece, piece)]
    return tokenize(piece)


def _same(token: Token, word: Token) -> bool:
    if word.text == NUMBER:
        return number_in(token) is not None
    if word.text == YEAR:
        value = number_in(token)
        return value is not None and len(token.text) == 4 and 1900 <= value <= date.today().year - 2
    return word.text in (token.text, token.lemma)


class WordIndex:
    """The data's words, indexed so that the words a message token matches are found by lookups."""

    CACHE_SIZE = 20_000

    def __init__(self, words: Iterable[Token], real_words: frozenset[str] = frozenset()) -> None:
        self.real_words = real_words
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
        """The data words that `token` matches."""
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
        plurals = self.by_text.get(written + "s", set())  # a plural in the data: "seconds" ~ "second"
        found |= {word for word in plurals if not word.lemma.startswith(EXACT_MARK)}
        if len(written) >= FUZZY_MIN_LENGTH and written not in self.real_words:
            for length in range(len(written) - 2, len(written) + 3):
                for form, word in self.spellings.get((written[0], length), ()):
                    if word not in found and misspelt(written, form):
                        found.add(word)
        return found


def number_in(token: Token) -> float | None:
    """The number a token starts with ("38.5", "39c", "101f", "77"), or None."""
    text = token.text.replace(",", ".")
    digits = ""
    for character in text:
        if character.isdigit() or (character == "." and digits and "." not in digits):
            digits += character
        else:
            break
    rest = text[len(digits) :]
    if not digits or digits.endswith(".") or (rest and rest[0] not in NUMBER_ENDINGS and not rest.isalpha()):
        return None
    return float(digits)
