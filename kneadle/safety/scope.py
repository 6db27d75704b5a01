"""Scope rules: which words of a message are negated, over, someone else's or only asked about.

Each rule is one function over one clause that returns the spans it marks; `label_tokens` applies
them all to a message. Every word a rule uses comes from data/knowledge/scope_words.yml
(`ScopeWords`); the numbers here are how far a rule reaches. A finding then counts as the writer's,
now, only where none of its words is marked (see kneadle.safety.findings).

- negated: "no numbness down below"; but "can't turn my neck", "no feeling down there" are the finding.
- resolved: "gone once I moved", "my bladder is fine"; not "gone numb", not "isn't getting better",
  not in a question, not relief by rest ("goes away when I stop").
- long ago: "knee surgery 8 years ago", "as a kid"; not "less than a year ago", not what goes on since.
- past habit: "I used to be on blood thinners", "stopped taking warfarin".
- someone else: "my dad had a stroke" (their history), "my husband's face is drooping" (now).
- hypothetical: "what are the signs of a stroke", "would numbness on one side be serious".
- feared: "scared of blood clots".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path

from kneadle.datafile import load_data_file
from kneadle.knowledge import PROJECT_ROOT
from kneadle.safety.words import Token, Tokenize, WordList, number_in

SCOPE_WORDS_PATH = PROJECT_ROOT / "data" / "knowledge" / "scope_words.yml"

NEGATION_REACH = 4  # a negation this many words before a resolution word cancels it ("isn't getting better")
FACTIVE_REACH = 3  # "didn't even notice"
QUESTION_REACH = 3  # "which neck moves are ok"
ONGOING_REACH = 6  # "since my stent a few years ago"
PAST_HABIT_REACH = 3  # "used to" only near the start of its clause ("weaker than it used to be" still counts)
OTHER_PERSON_VERB_REACH = 4  # the verb must come this soon after the other person ("my dad (80) suddenly has")
REFERS_BACK_REACH = 4  # a resolution this near its clause start, after small words only, tells of the one before
ABOUT_REACH = 4  # a message is about someone else when it names them within its first words
REST_REACH = 4  # "goes away when I rest": relief by rest this soon after is no resolution


class Label(Enum):
    NEGATED = "negated"
    RESOLVED = "resolved"
    LONG_AGO = "long_ago"
    OTHER = "other"  # someone else's history or state
    OTHER_NOW = "other_now"  # happening now to someone else
    HYPOTHETICAL = "hypothetical"  # only asked about
    FEARED = "feared"  # only feared: "scared of blood clots"


Span = tuple[int, int]  # start and end, within a clause


@dataclass(frozen=True)
class ScopeWords:
    """Every word list of data/knowledge/scope_words.yml (see the comments there)."""

    clause_breaks: WordList
    sentence_breaks: WordList
    negation: WordList
    negation_stops: WordList
    new_clause_starts: WordList
    inability: WordList
    capacities: WordList
    factive: WordList
    resolved: WordList
    gone_resolves_before: WordList
    not_resolving_before: WordList
    rest: WordList
    articles: WordList
    later_that: WordList
    refers_back: WordList
    degree: WordList
    hopes: WordList
    long_ago: WordList
    recent_before: WordList
    ongoing_since: WordList
    lasting_conditions: WordList
    now: WordList
    past_habit: WordList
    other_people: WordList
    history_verbs: WordList
    past: WordList
    past_after_present: WordList
    present_auxiliaries: WordList
    phrase_joins: WordList
    first_person: WordList
    recent: WordList
    hypothetical: WordList
    fears: WordList
    just_asking: WordList
    similes: WordList
    unsure_answers: WordList
    idioms: WordList
    question_auxiliaries: WordList
    question_subjects: WordList
    question_words: WordList
    question_lead_ins: WordList

    def retokenized(self, tokenize: Tokenize) -> ScopeWords:
        """Every list split as the pipeline splits messages ("i'm fine" as "i" + "'m" + "fine")."""
        return ScopeWords(**{name: getattr(self, name).retokenized(tokenize) for name in self.__dataclass_fields__})


def load_scope_words(path: Path = SCOPE_WORDS_PATH) -> ScopeWords:
    """Load and check the scope words; raises DataFileError naming file, line and field."""
    tree = load_data_file(path, "scope_words").tree
    return ScopeWords(**{name: WordList(map(str, tree[name])) for name in ScopeWords.__dataclass_fields__})


@lru_cache(maxsize=1)
def default_scope_words() -> ScopeWords:
    return load_scope_words()


def clauses(tokens: Sequence[Token], words: ScopeWords, breaks: WordList | None = None) -> list[Span]:
    """The clauses of a message, split at punctuation and words like "but" (or at `breaks`)."""
    found, start = [], 0
    for index, token in enumerate(tokens):
        if (breaks or words.clause_breaks).has(token):
            if index > start:
                found.append((start, index))
            start = index + 1
    if start < len(tokens):
        found.append((start, len(tokens)))
    return found


def label_tokens(tokens: Sequence[Token], words: ScopeWords) -> list[set[Label]]:
    """Every rule applied to every clause: the labels of each token of the message."""
    labels = _Labels(len(tokens))
    spans = clauses(tokens, words)
    about = about_someone_else(tokens, words)
    carried: Label | None = None  # someone else's goes on into clauses that say nothing of the writer
    for index, (start, end) in enumerate(spans):
        clause = tokens[start:end]
        whole = (0, len(clause))
        following = tokens[end].text if end < len(tokens) else ""
        previous = _joined_clause_before(tokens, spans, index, words)
        sentence_before = _sentence_before(tokens, spans, index, words)
        if about is not None:
            labels.mark(about, start, whole)
        else:
            carried = carried if not names_writer(clause, words) else None
            own = someone_else(clause, words)
            if carried is not None and not own:
                labels.mark(carried, start, whole)
            for span, now in own:
                labels.mark(Label.OTHER_NOW if now else Label.OTHER, start, span)
                carried = (Label.OTHER_NOW if now else Label.OTHER) if span[1] == len(clause) else None
        for span in negated(clause, words):
            labels.mark(Label.NEGATED, start, span)
        question = is_question(clause, following, words)
        next_clause = tokens[spans[index + 1][0] : spans[index + 1][1]] if index + 1 < len(spans) else []
        if question and answered_no(next_clause, words):
            labels.mark(Label.NEGATED, start, whole)  # "had a fall? no."
        for span, back in resolved(clause, words, question):
            # "..., it's long gone" tells of the whole sentence before; "numb, gone now" of the clause
            reach = sentence_before if words.refers_back.has(clause[0]) else previous
            labels.mark(Label.RESOLVED, start, span, reach if back else None)
        previous_lasting = previous is None or names_lasting(tokens[previous[0] : previous[1]], words)
        for span, back in long_ago(clause, words):
            labels.mark(Label.LONG_AGO, start, span, previous if back and not previous_lasting else None)
        for span, back in past_habit(clause, words):
            labels.mark(Label.LONG_AGO, start, span, previous if back else None)
        if feared(clause, words):
            labels.mark(Label.FEARED, start, whole)
        elif hypothetical(clause, question, words):
            labels.mark(Label.HYPOTHETICAL, start, whole)
    return labels.marks


class _Labels:
    """The labels of a message's tokens, marked span by span."""

    def __init__(self, length: int) -> None:
        self.marks: list[set[Label]] = [set() for _ in range(length)]

    def mark(self, label: Label, start: int, span: Span, previous: Span | None = None) -> None:
        """Mark `span` of the clause starting at `start`, and the whole `previous` clause if given."""
        for position in [*range(start + span[0], start + span[1]), *range(*(previous or (0, 0)))]:
            self.marks[position].add(label)


def _sentence_before(tokens: Sequence[Token], spans: Sequence[Span], index: int, words: ScopeWords) -> Span | None:
    """The clauses before this one in its sentence, as one span (after the last full stop)."""
    first = index
    while first > 0 and _joined_clause_before(tokens, spans, first, words) is not None:
        first -= 1
    return (spans[first][0], spans[index - 1][1]) if first < index else None


def _joined_clause_before(tokens: Sequence[Token], spans: Sequence[Span], index: int, words: ScopeWords) -> Span | None:
    """The clause before, when only a comma or a word like "but" stands between ("numb, gone once I
    moved", "had tingling yesterday but it's gone"), not a full stop: what a resolution or a date at
    the start of a clause can tell of."""
    if not index:
        return None
    gap = tokens[spans[index][0] - 1]
    full_stop = words.sentence_breaks.has(gap) and not gap.text.isalpha()
    return None if full_stop else spans[index - 1]


def just_asking(tokens: Sequence[Token], words: ScopeWords) -> bool:
    """Whether the writer says they are only asking ("just curious", "I'm fine")."""
    return words.just_asking.anywhere(tokens)


# --- negation --------------------------------------------------------------------------------


def negated(clause: Sequence[Token], words: ScopeWords) -> list[Span]:
    """What each negation covers: to the end of its clause, or to a word that starts what happened
    next ("didn't notice I needed to pee till I'd wet myself"), to "and" starting a new clause, or past
    a denied noticing ("didn't realise I'd wet myself"). "can't turn", "no feeling" are not negations."""
    spans = []
    for offset in range(len(clause)):
        length = words.negation.at(clause, offset)
        if length and not is_inability(clause, offset, words):
            spans.append((offset + length, negation_end(clause, offset, words)))
    return spans


def is_inability(clause: Sequence[Token], offset: int, words: ScopeWords) -> bool:
    """Whether the negation at `offset` is the finding itself: "can't turn", "no feeling", "no strength"."""
    if offset + 1 < len(clause) and clause[offset].lemma == "no" and words.capacities.has(clause[offset + 1]):
        return True
    return offset > 0 and clause[offset].lemma in ("not", "n't") and words.inability.has(clause[offset - 1])


def negation_end(clause: Sequence[Token], offset: int, words: ScopeWords) -> int:
    for position in range(offset + 1, len(clause)):
        token = clause[position]
        if words.negation_stops.has(token):
            return position
        following = clause[position + 1] if position + 1 < len(clause) else None
        if (
            token.text == "and"
            and following
            and (words.first_person.has(following) or words.new_clause_starts.has(following))
        ):
            return position
        unsure = following is not None and words.hopes.has(following)
        if words.factive.has(token) and position - offset <= FACTIVE_REACH and not unsure:
            return position + 1
    return len(clause)


# --- resolved ------------------------------------------------------------------------------------


def resolved(clause: Sequence[Token], words: ScopeWords, question: bool) -> list[tuple[Span, bool]]:
    """Each resolution covers its clause up to it ("was pregnant" too), and the clause before when it
    comes first in its own ("numb, gone once I moved"). Nothing resolves in a question."""
    found = []
    for offset in range(len(clause)):
        length = words.resolved.at(clause, offset)
        if length and not question and not asks(clause, offset, words) and resolves(clause, offset, length, words):
            found.append(((0, offset + length), starts_clause(clause, offset, words)))
    return found


def answered_no(clause: Sequence[Token], words: ScopeWords) -> bool:
    """Whether a clause answers the question before it with no: "fever? no", "injury? nope"."""
    return bool(clause) and words.negation.has(clause[0]) and len(clause) <= 3


def resolves(clause: Sequence[Token], offset: int, length: int, words: ScopeWords) -> bool:
    """Whether the resolution word at `offset` says something has ended (see the module docstring)."""
    after = offset + length
    following = clause[after] if after < len(clause) else None
    if following is not None and words.not_resolving_before.has(following):
        return False
    if (
        following is not None
        and words.articles.has(following)
        and (after + 1 >= len(clause) or not words.later_that.has(clause[after + 1]))
    ):
        return False
    if clause[offset].text == "gone" and length == 1 and following and not words.gone_resolves_before.has(following):
        return False
    if clause[offset].lemma == "go" and any(
        words.capacities.has(token) for token in clause[max(0, offset - 3) : offset]
    ):
        return False  # "my balance has gone"
    if any(words.rest.has(token) for token in clause[after : after + REST_REACH]):
        return False
    if any(words.hopes.has(token) for token in clause[:offset]):
        return False
    return not any(words.negation.at(clause, before) for before in range(max(0, offset - NEGATION_REACH), offset))


def starts_clause(clause: Sequence[Token], offset: int, words: ScopeWords) -> bool:
    """Whether the word at `offset` tells of the clause before: nothing but small words come before it
    in its clause ("numb, gone once I moved", "all better now"), or a word that points back does ("it's
    getting better with physio", "shake them and it's gone"). "skin healed up" is about the skin."""
    before = clause[:offset]
    if offset <= REFERS_BACK_REACH and all(_small(token, words) for token in before):
        return True
    return any(words.refers_back.has(token) for token in clause[max(0, offset - 2) : offset])


def _small(token: Token, words: ScopeWords) -> bool:
    """A word that says nothing of its own: "it", "was", "totally", a number."""
    return number_in(token) is not None or any(
        word_list.has(token)
        for word_list in (words.refers_back, words.question_auxiliaries, words.question_lead_ins, words.degree)
    )


# --- long ago, and past habits -------------------------------------------------------------------


def long_ago(clause: Sequence[Token], words: ScopeWords) -> list[tuple[Span, bool]]:
    """A long-past date ends the event it dates: from the start of the clause (or from "since" or
    "after") to the date; at the start of a clause, what follows up to "and", "now"..., and the
    clause before. Not "not long ago", "less than a year ago", nor a lasting condition."""
    found = []
    for offset in range(len(clause)):
        length = words.long_ago.at(clause, offset)
        if not length:
            continue
        before = range(max(0, offset - ONGOING_REACH), offset)
        if any(words.recent_before.has(clause[position]) for position in before):
            continue
        if any(words.negation.at(clause, position) for position in range(max(0, offset - 2), offset)):
            continue
        start = max((position for position in before if words.ongoing_since.has(clause[position])), default=0)
        if names_lasting(clause[start : offset + length], words) or (offset <= 1 and names_lasting(clause, words)):
            continue
        found.append(((start, offset + length), offset <= 2 or all(_small(token, words) for token in clause[:offset])))
        after = offset + length  # and what follows, up to the present again: "in 2021 with a temp"
        found.append(((after, now_again(clause, after, words)), False))
    return found


def past_habit(clause: Sequence[Token], words: ScopeWords) -> list[tuple[Span, bool]]:
    """ "I used to be on blood thinners", "stopped taking warfarin": over, up to "and", "now"...;
    "was on warfarin, but stopped taking it" ends the clause before too."""
    found = []
    for offset in range(len(clause)):
        length = words.past_habit.at(clause, offset)
        used_to = clause[offset].lemma == "use"
        if length and (offset <= PAST_HABIT_REACH or not used_to):
            found.append(((offset, now_again(clause, offset + length, words)), offset <= 1 and not used_to))
    return found


def names_lasting(tokens: Sequence[Token], words: ScopeWords) -> bool:
    """Whether a lasting condition is named: "had breast cancer 3 years ago" still matters."""
    return any(words.lasting_conditions.has(token) for token in tokens)


def now_again(clause: Sequence[Token], start: int, words: ScopeWords) -> int:
    """Where the present starts again after a past event: at "now", "today"..., at the writer ("years
    ago my back..."), or at "and" starting a new clause ("and my back hurts"), not the "and" of "pins
    and needles"."""
    for position in range(start, len(clause)):
        token = clause[position]
        following = clause[position + 1] if position + 1 < len(clause) else None
        new_clause = following is not None and (
            _writer_at(clause, position + 1, words) or words.new_clause_starts.has(following)
        )
        if (token.text == "and" and new_clause) or words.now.has(token) or _writer_at(clause, position, words):
            return position
    return len(clause)


# --- someone else ----------------------------------------------------------------------------------


def someone_else(clause: Sequence[Token], words: ScopeWords) -> list[tuple[Span, bool]]:
    """Another person followed soon by a verb about them: from there to the next word about the writer
    or the next person, or the end of the clause; and whether it is happening now (told in the present,
    or with a word like "suddenly" or "just now"). Not when the writer comes first ("my daughter says
    I've been confused")."""
    found = []
    offset = 0
    while offset < len(clause):
        length = words.other_people.at(clause, offset)
        span = _other_person_span(clause, offset + length, words) if length else None
        if span is None:
            offset += 1
            continue
        found.append(span)
        offset = span[0][1]
    return found


def _other_person_span(clause: Sequence[Token], after: int, words: ScopeWords) -> tuple[Span, bool] | None:
    for position in range(after, min(after + OTHER_PERSON_VERB_REACH, len(clause))):
        if _writer_at(clause, position, words):
            return None
        if words.history_verbs.has(clause[position]):
            stop = next(
                (
                    later
                    for later in range(position + 1, len(clause))
                    if _writer_at(clause, later, words) or _new_person_at(clause, later, words)
                ),
                len(clause),
            )
            return (after, stop), _now(clause, position, 0, stop, words)
    return None


def _now(clause: Sequence[Token], verb: int, start: int, stop: int, words: ScopeWords) -> bool:
    """Whether someone else's problem is told as happening now: not in the past ("had", "was", "has
    had") unless a word says it is recent ("just", "this morning"), and not long ago."""
    following = clause[verb + 1] if verb + 1 < len(clause) else None
    before = clause[verb - 1] if verb > 0 else None
    perfect = before is not None and words.present_auxiliaries.has_text(before)  # "he's got", "she has broken"
    past = (words.past.has_text(clause[verb]) and not perfect) or (
        following is not None and words.past_after_present.has_text(following)
    )
    if words.long_ago.anywhere(clause, start, stop):
        return False
    return not past or words.recent.anywhere(clause, start, stop)


def _new_person_at(clause: Sequence[Token], position: int, words: ScopeWords) -> bool:
    """Whether another person with a verb of their own starts here ("and my mum has..."), not "his hip"."""
    length = words.other_people.at(clause, position)
    reach = range(position + length, min(position + length + OTHER_PERSON_VERB_REACH, len(clause)))
    return bool(length) and any(words.history_verbs.has(clause[later]) for later in reach)


def _writer_at(tokens: Sequence[Token], position: int, words: ScopeWords) -> bool:
    """Whether the word is about the writer: "I", "me", "my back"; not the "my" of "my husband"."""
    if not words.first_person.has(tokens[position]):
        return False
    return not any(
        words.other_people.at(tokens, later) for later in range(position + 1, min(position + 3, len(tokens)))
    )


def names_writer(tokens: Sequence[Token], words: ScopeWords) -> bool:
    return any(_writer_at(tokens, position, words) for position in range(len(tokens)))


def about_someone_else(tokens: Sequence[Token], words: ScopeWords) -> Label | None:
    """A message about someone else from its first words ("my mum (79, brittle bones) just tripped...",
    "my brother took a tackle, he's saying his neck hurts") that never speaks of the writer: all of it
    is theirs, happening now when a word says so ("just", "now", "is"). None otherwise."""
    first = next((index for index, token in enumerate(tokens) if words.other_people.at(tokens, index)), None)
    if first is None or first > ABOUT_REACH or names_writer(tokens, words):
        return None
    verb = next((index for index in range(first, len(tokens)) if words.history_verbs.has(tokens[index])), None)
    return Label.OTHER_NOW if verb is None or _now(tokens, verb, first, len(tokens), words) else Label.OTHER


# --- questions and hypotheticals ----------------------------------------------------------------


def is_question(clause: Sequence[Token], following: str, words: ScopeWords) -> bool:
    """Whether the clause asks: a question mark, or an auxiliary and its subject first ("is it ok
    to...", "can i..."), or a question word and an auxiliary ("what's ok...", "which moves are ok")."""
    if "?" in (clause[-1].text, following):
        return True
    first = next((index for index, token in enumerate(clause) if not words.question_lead_ins.has(token)), len(clause))
    texts = [token for token in clause[first : first + QUESTION_REACH + 1] if token.lemma != "not"]
    if len(texts) < 2:
        return False
    if words.question_auxiliaries.has(texts[0]):
        return words.question_subjects.has(texts[1])
    return words.question_words.has(texts[0]) and any(
        words.question_auxiliaries.has(token) or token.text in ("'s", "s") for token in texts[1:]
    )


def asks(clause: Sequence[Token], offset: int, words: ScopeWords) -> bool:
    """Whether the word at `offset` follows an auxiliary and its subject, as in a question: "i take
    warfarin is that ok", "would it be fine"."""
    return any(
        words.question_auxiliaries.has(clause[offset - back]) and words.question_subjects.has(clause[offset - back + 1])
        for back in (2, 3)
        if offset - back >= 0
    )


def feared(clause: Sequence[Token], words: ScopeWords) -> bool:
    """Whether the clause only fears a finding: "scared of blood clots", "in case it's meningitis"."""
    return words.fears.anywhere(clause)


def hypothetical(clause: Sequence[Token], question: bool, words: ScopeWords) -> bool:
    """Whether the clause only asks about a finding: it names signs ("signs of a stroke"), or it is a
    question about it in general ("would numbness on one side be serious", "can a stiff neck be
    meningitis", "what is cauda equina"), not about the writer ("can I massage if I'm pregnant")."""
    if words.hypothetical.anywhere(clause):
        return True
    if not question or names_writer(clause, words):
        return False
    first = next((index for index, token in enumerate(clause) if not words.question_lead_ins.has(token)), len(clause))
    if first + 1 >= len(clause):
        return False
    if words.question_words.has(clause[first]):
        return True  # "what is cauda equina", "how do you spot a stroke"
    subject = clause[first + 1]
    return words.question_auxiliaries.has(clause[first]) and not words.question_subjects.has(subject)
