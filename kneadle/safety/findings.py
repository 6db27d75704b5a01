"""Clinical findings: the small set of things red flags are made of, and how a message names them.

data/knowledge/findings.yml lists each finding (chest pain, sweating, numbness in both legs, a
fall from height, a history of cancer...) with its everyday wordings, checked against
schemas/findings.schema.json. A finding is found in a message by any of:
- a phrase: its words in order, a few words allowed between ("face is drooping");
- words near each other: one word or phrase from each group, in any order, in one clause within
  NEAR_WINDOW words ("my chest feels really heavy", "heavy feeling in my chest");
- a number in a range beside a context word ("temp 39.2", "I'm 77").
Words match by lemma, known endings and small misspellings (kneadle.safety.words). The scope rules
(kneadle.safety.scope) then decide whose finding it is and when: the writer's now (`SELF`), someone
else's now (`OTHER`), only asked about (`UNSURE`), given an ordinary cause (`EXPLAINED`), or named but
not there (`ABSENT`: negated, over, feared, someone's history).
A finding marked `lasting` (a history of cancer, osteoporosis) is never over; one marked
`passing_counts` (a drooping face) still counts once it has passed, unless that was long ago; a
`modifier` ("suddenly", "for weeks") counts only in its own message.

The red flags (kneadle.safety.flags) are rules over findings, so one new wording here serves every
flag that uses the finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from itertools import product
from pathlib import Path

from kneadle.datafile import load_data_file
from kneadle.knowledge import PROJECT_ROOT
from kneadle.safety.scope import Label, ScopeWords, clauses, just_asking, label_tokens
from kneadle.safety.words import EXACT_MARK, Phrase, Token, Tokenize, WordIndex, number_in

FINDINGS_PATH = PROJECT_ROOT / "data" / "knowledge" / "findings.yml"

MAX_GAP = 3  # words allowed between the words of one phrase
NEAR_WINDOW = 8  # the words of a `near` match lie within this many words of each other
NUMBER_REACH = 3  # a number's context word is at most this many words away
SIMILE_REACH = 4  # "like she's had a bottle of wine": a cause this soon after "like" is a comparison


class Role(Enum):
    SELF = "self"  # the writer's, now
    OTHER = "other"  # someone with the writer, now
    UNSURE = "unsure"  # only asked about: the bot asks
    EXPLAINED = "explained"  # given an ordinary cause ("sweaty after my run"): not a red flag
    ABSENT = "absent"  # negated, over, feared or someone else's history: named, but not there


@dataclass(frozen=True)
class NumberRange:
    low: float
    high: float
    context: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    id: str
    name: str  # said back when findings add up: "numbness in both legs"
    phrases: tuple[str, ...] = ()
    near: tuple[tuple[tuple[str, ...], ...], ...] = ()
    numbers: tuple[NumberRange, ...] = ()
    explained_by: tuple[str, ...] = ()
    lasting: bool = False
    passing_counts: bool = False
    modifier: bool = False  # counts only in its own message
    writer_only: bool = False  # a name for the writer's own worry; someone else's is their diagnosis


@dataclass(frozen=True)
class Found:
    finding: str
    role: Role
    span: tuple[int, int] = (0, 0)  # the first and last token of where it was found, for the tracker


def load_findings(path: Path = FINDINGS_PATH) -> dict[str, Finding]:
    """Load and check the findings file; raises DataFileError naming file, line, finding and field."""
    data_file = load_data_file(path, "findings")
    findings: dict[str, Finding] = {}
    for index, raw in enumerate(data_file.tree["findings"]):
        if raw["id"] in findings:
            raise data_file.error(["findings", index, "id"], f"id '{raw['id']}' is used twice")
        findings[str(raw["id"])] = Finding(
            id=str(raw["id"]),
            name=str(raw["name"]),
            phrases=tuple(map(str, raw.get("phrases", ()))),
            near=tuple(tuple(tuple(map(str, group)) for group in groups) for groups in raw.get("near", ())),
            numbers=tuple(
                NumberRange(float(n["min"]), float(n["max"]), tuple(map(str, n["near"])))
                for n in raw.get("numbers", ())
            ),
            explained_by=tuple(map(str, raw.get("explained_by", ()))),
            lasting=bool(raw.get("lasting", False)),
            passing_counts=bool(raw.get("passing_counts", False)),
            modifier=bool(raw.get("modifier", False)),
            writer_only=bool(raw.get("writer_only", False)),
        )
    return findings


@lru_cache(maxsize=1)
def default_findings() -> dict[str, Finding]:
    return load_findings()


@dataclass(frozen=True)
class _Occurrence:
    positions: tuple[int, ...]
    negation_at: int | None = None  # the position of the phrase's own negation ("can't pee")


class FindingsMatcher:
    """Finds the findings a message names, and whose and when they are."""

    def __init__(
        self,
        findings: Mapping[str, Finding],
        words: ScopeWords,
        tokenize: Tokenize,
        real_words: frozenset[str] = frozenset(),
    ) -> None:
        """`tokenize` is the pipeline's own, so data phrases split like messages ("can't" is "ca" + "n't")."""
        self.findings = findings
        self.words = words.retokenized(tokenize)
        cache: dict[str, Phrase] = {}

        def phrase(text: str) -> Phrase:
            if text not in cache:
                cache[text] = tuple(word for piece in text.split() for word in _words_of(piece, tokenize))
            return cache[text]

        self.phrases = {f.id: tuple(phrase(text) for text in f.phrases) for f in findings.values()}
        self.near = {
            f.id: tuple(tuple(tuple(phrase(text) for text in group) for group in groups) for groups in f.near)
            for f in findings.values()
        }
        self.contexts = {
            f.id: tuple(tuple(phrase(text) for text in n.context) for n in f.numbers) for f in findings.values()
        }
        self.explanations = {f.id: tuple(phrase(text) for text in f.explained_by) for f in findings.values()}
        # the words one of which a message must match for the finding to be there at all
        self.first_words = {
            f.id: frozenset(
                [p[0] for p in self.phrases[f.id] if p]
                + [p[0] for groups in self.near[f.id] for p in groups[0] if p]
                + [word for contexts in self.contexts[f.id] for p in contexts for word in p]
            )
            for f in findings.values()
        }
        self.index = WordIndex((word for words in cache.values() for word in words), real_words)
        self.idioms = self.words.idioms.entries

    def find(self, tokens: Sequence[Token]) -> list[Found]:
        """Every finding the message names, once per role, with where it was first found."""
        if not tokens:
            return []
        message = _Message(tokens, self.index, self.words, self.idioms)
        labels = label_tokens(tokens, self.words)
        asking = just_asking(tokens, self.words)
        found: dict[tuple[str, Role], Found] = {}
        for finding in self.findings.values():
            if self.first_words[finding.id].isdisjoint(message.positions):
                continue
            for occurrence in self._occurrences(finding, message):
                role = _role(finding, occurrence, labels, asking)
                if role in (Role.SELF, Role.OTHER) and self._explained(finding, message, labels):
                    role = Role.EXPLAINED  # "sweaty after my run": not a red flag
                if (finding.id, role) not in found:
                    span = (min(occurrence.positions), max(occurrence.positions))
                    found[(finding.id, role)] = Found(finding.id, role, span)
        return list(found.values())

    def _explained(self, finding: Finding, message: _Message, labels: Sequence[set[Label]]) -> bool:
        """Whether the message gives the finding an ordinary cause (its `explained_by` words, not negated:
        "I'm not dieting" explains no weight loss; and not in a comparison: "slurry like she's had wine")."""
        return any(
            all(Label.NEGATED not in labels[position] for position in occurrence.positions)
            and not self.words.similes.anywhere(
                message.tokens, max(0, occurrence.positions[0] - SIMILE_REACH), occurrence.positions[0]
            )
            for phrase in self.explanations[finding.id]
            for occurrence in message.phrase_occurrences(phrase)
        )

    def _occurrences(self, finding: Finding, message: _Message) -> Iterable[_Occurrence]:
        for phrase in self.phrases[finding.id]:
            yield from message.phrase_occurrences(phrase)
        for groups in self.near[finding.id]:
            yield from message.near_occurrences(groups)
        for number_range, contexts in zip(finding.numbers, self.contexts[finding.id], strict=True):
            yield from message.number_occurrences(number_range, contexts)


def _words_of(piece: str, tokenize: Tokenize) -> list[Token]:
    """A data word as the pipeline splits it; "=legs" is "legs" as written, not "leg" (its lemma is itself)."""
    if piece.startswith(EXACT_MARK):
        return [Token(piece[len(EXACT_MARK) :], piece)]  # its lemma "=legs" matches no message lemma
    return tokenize(piece)


def _role(finding: Finding, occurrence: _Occurrence, labels: Sequence[set[Label]], asking: bool) -> Role:
    """Whose the finding is, and when: ABSENT when negated, over, feared or someone else's history."""
    marks: set[Label] = set()
    for position in occurrence.positions:
        own = labels[position] - (
            {Label.NEGATED} if occurrence.negation_at is not None and position >= occurrence.negation_at else set()
        )
        marks |= own
    if marks & {Label.NEGATED, Label.FEARED} or (Label.OTHER in marks and not finding.lasting):
        return Role.ABSENT
    if Label.LONG_AGO in marks and not finding.lasting:
        return Role.ABSENT
    if Label.RESOLVED in marks and not (finding.lasting or finding.passing_counts):
        return Role.ABSENT
    if Label.HYPOTHETICAL in marks:
        # a name only asked about ("what is cauda equina?") is no worry of the writer's
        return Role.ABSENT if asking or finding.writer_only else Role.UNSURE
    if Label.OTHER_NOW in marks or (Label.OTHER in marks and finding.lasting):
        # someone else's lasting condition is part of how they are now ("he had a melanoma removed")
        return Role.ABSENT if finding.writer_only else Role.OTHER
    return Role.SELF


class _Message:
    """One message being matched: its tokens, clauses, and the data words each token matches."""

    def __init__(self, tokens: Sequence[Token], index: WordIndex, words: ScopeWords, idioms: Sequence[Phrase]) -> None:
        self.tokens = tokens
        self.words = words
        self.matched = [index.matches(token) for token in tokens]
        self.clause_of = _numbered(tokens, clauses(tokens, words))
        sentences = clauses(tokens, words, words.sentence_breaks)
        # a sentence that starts by pointing back joins the one before: "my calf? it's been swollen"
        joined = [index > 0 and words.refers_back.has(tokens[start]) for index, (start, _) in enumerate(sentences)]
        self.sentence_of = _numbered(tokens, sentences, joined)
        self.breaks = [words.clause_breaks.has(token) for token in tokens]
        self.idioms: dict[int, Phrase] = {}
        for start in range(len(tokens)):
            for idiom in idioms:
                if self._idiom_at(start, idiom):
                    for position in range(start, start + len(idiom)):
                        self.idioms[position] = idiom
        self.positions: dict[Token, list[int]] = {}
        for position, matched in enumerate(self.matched):
            for word in matched:
                self.positions.setdefault(word, []).append(position)

    def _idiom_at(self, start: int, idiom: Phrase) -> bool:
        return start + len(idiom) <= len(self.tokens) and all(
            self.tokens[start + number].lemma in (word.lemma, word.text)
            or self.tokens[start + number].text in (word.lemma, word.text)
            for number, word in enumerate(idiom)
        )

    def phrase_occurrences(self, phrase: Phrase) -> Iterable[_Occurrence]:
        for start in self.positions.get(phrase[0], ()) if phrase else ():
            occurrence = self.phrase_at(start, phrase)
            if occurrence is not None:
                yield occurrence

    def phrase_at(self, start: int, phrase: Phrase) -> _Occurrence | None:
        """The phrase's words from `start`, in order, with at most MAX_GAP words between."""
        positions: list[int] = []
        negation_at = None
        position = start
        for number, word in enumerate(phrase):
            limit = position + 1 if number == 0 else min(position + 1 + MAX_GAP, len(self.tokens))
            found = None
            for index in range(position, limit):
                if self.breaks[index]:
                    break
                if index > position and self.words.phrase_joins.has_text(self.tokens[index - 1]):
                    break  # "my back hurts and my neck is tense" is not "hurt my"
                if word in self.matched[index] and self._idiom_allows(index, phrase):
                    found = index
                    break
            if found is None:
                return None
            positions.append(found)
            if negation_at is None and self.words.negation.has(word):
                negation_at = found
            position = found + 1
        return _Occurrence(tuple(positions), negation_at)

    def _idiom_allows(self, index: int, phrase: Phrase) -> bool:
        """A word inside an idiom ("fell asleep") counts only for a phrase that has the idiom too."""
        idiom = self.idioms.get(index)
        if idiom is None:
            return True
        lemmas = [word.lemma for word in phrase]
        wanted = [word.lemma for word in idiom]
        return any(lemmas[i : i + len(wanted)] == wanted for i in range(len(lemmas) - len(wanted) + 1))

    def near_occurrences(self, groups: Sequence[Sequence[Phrase]]) -> Iterable[_Occurrence]:
        """One phrase of each group, all in one sentence, within NEAR_WINDOW words, in any order."""
        found_per_group = [[o for phrase in group for o in self.phrase_occurrences(phrase)] for group in groups]
        if not all(found_per_group):
            return
        for combination in product(*found_per_group):
            positions = sorted(p for occurrence in combination for p in occurrence.positions)
            if len(set(positions)) < len(positions):
                continue  # one word cannot serve two groups
            if len({self.sentence_of[p] for p in positions}) > 1 or positions[-1] - positions[0] > NEAR_WINDOW:
                continue
            negations = [o.negation_at for o in combination if o.negation_at is not None]
            yield _Occurrence(tuple(positions), min(negations) if negations else None)
            return

    def number_occurrences(self, number_range: NumberRange, contexts: Sequence[Phrase]) -> Iterable[_Occurrence]:
        """A number in the range, with a context word or phrase close by in its clause."""
        context_found = [o for phrase in contexts for o in self.phrase_occurrences(phrase)]
        for position, token in enumerate(self.tokens):
            value = number_in(token)
            if value is None or not number_range.low <= value <= number_range.high:
                continue
            for occurrence in context_found:
                distance = min(abs(p - position) for p in occurrence.positions)
                if distance <= NUMBER_REACH and self.clause_of[occurrence.positions[0]] == self.clause_of[position]:
                    yield _Occurrence(tuple(sorted({position, *occurrence.positions})))
                    break


def _numbered(tokens: Sequence[Token], spans: Sequence[tuple[int, int]], joined: Sequence[bool] = ()) -> list[int]:
    """For each token, the number of the span it is in (a joined span takes the number before it)."""
    numbers = [-1] * len(tokens)
    number = -1
    for index, (start, end) in enumerate(spans):
        number += 0 if index < len(joined) and joined[index] else 1
        for position in range(start, end):
            numbers[position] = number
    return numbers
