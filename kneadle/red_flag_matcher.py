"""Find red flags in a message, deterministically, from the red-flag file's phrase patterns.

Works on tokens (text and lemma, as spaCy gives them) so it needs no trained model:
- a phrase matches consecutive tokens, allowing a few words between ("face is drooping");
- a word matches by lemma or text, a known ending ("numb" ~ "numbness"), a number with decimals
  or a unit ("38" ~ "38.5", "39c"), or a small misspelling of a word of five letters or more
  ("numbess", "bladdr"; see `kneadle.spelling.misspelt`);
- a phrase does not count when negated ("no numbness"; but "can't turn my neck" is a symptom),
  resolved ("gone once I moved", "my bladder is fine", "healed weeks ago"; but not "gone numb",
  nor in a question, "is it ok to..."), long past ("knee surgery 8 years ago", "I used to be on
  blood thinners"; but cancer stays a risk), or about someone else ("my dad had a stroke", "my
  wife is pregnant"; but not when it is sudden, and an emergency happening to someone now,
  "my son has a temp and a stiff neck", still counts);
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

from kneadle.red_flags import LEVELS, RedFlag, RedFlagFile, ScopeWords
from kneadle.spelling import FUZZY_MIN_LENGTH, misspelt

WORD_ENDINGS = ("ness", "iness", "ed", "ing", "s", "es", "y", "ful", "ly", "ish")
NUMBER_ENDINGS = (".", "°", "c", "f")  # "38" matches "38.5", "38°c", "39c"
MAX_GAP = 3  # words allowed between the words of one phrase
# A phrase's words are one expression: the words between are not these, which join or start another
# ("my back hurts and my neck is tense" is not "hurt my"; "it hurts when i lift my arm" is not "hurt my arm").
JOINS = frozenset({"and", "or", "i", "when", "while", "if"})
NEGATION_REACH = 4  # a negation this many words before a resolution word cancels it ("isn't getting better")
# A negation does not reach past these, which start what happened next or why: "didn't notice I
# needed to pee till I'd wet myself", "no pain until I fell", "not numb when I sit, then it is".
NEGATION_STOPS = frozenset({"til", "till", "until", "because", "cos", "coz", "cuz", "when", "whenever", "then"})
# "and" followed by one of these (or by the writer) starts a new clause, which the negation does not
# reach: "lost weight without trying and there's an ache in my back", "no fall and now my legs are numb".
NEW_CLAUSE_STARTS = frozenset(
    {"there", "theres", "it", "its", "now", "then", "the", "this", "that", "he", "she", "they", "also", "still"}
)
# A denied noticing is not a denial of what happened: "didn't realise I'd wet myself", "never noticed
# the numbness till now"; but "don't know if it's numb" stays unsure.
FACTIVE = frozenset({"realise", "realize", "notice", "know"})
FACTIVE_REACH = 3  # "didn't even notice"
# A clause is a question without a question mark when it starts (after words like "so") with an
# auxiliary verb and its subject ("is it ok to...", "can i...", "should i...", "is that bad"), or
# with a question word and an auxiliary ("what's ok for..."). A question resolves nothing.
AUXILIARIES = frozenset(
    {
        "is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "should", "would", "will", "may",
        "might", "shall", "must", "ca", "wo", "has", "have",
    }
)  # fmt: skip
SUBJECTS = frozenset({"i", "it", "that", "this", "you", "we", "they", "there", "my", "me", "u", "ya", "ye"})
QUESTION_WORDS = frozenset({"what", "which", "how", "why", "where", "who", "whats", "hows", "wat"})
QUESTION_REACH = 3  # "which neck moves are ok"
QUESTION_LEAD_INS = frozenset(
    {"so", "and", "also", "just", "then", "or", "oh", "um", "hey", "hi", "pls", "please", "plus", "anyway", "now"}
)
# A resolution after one of these in its clause is only hoped for or asked about: "is it ok if...",
# "wondering whether it's fine", "until it goes away", "hopefully it'll settle".
HYPOTHETICAL = frozenset({"if", "whether", "unless", "until", "till", "til", "hope", "hoping", "hopefully"})
# A resolution word before an article has an object, so it is an action, not an ending: "clearing
# the gutters", "passed the ball"; but "better the next day" is still better.
ARTICLES = frozenset({"the", "a", "an", "some", "those", "these"})
LATER_THAT = frozenset(
    {
        "next", "following", "same", "day", "morning", "evening", "night", "week", "weekend", "few", "couple",
        "while", "bit", "little", "lot", "minute", "hour", "second", "moment",
    }
)  # fmt: skip
# A long-past date ends an event: "had knee surgery about 8 years ago", "broke my wrist as a kid",
# "years ago i hurt my back". Not when it dates the start of something still going on ("on
# clopidogrel since my stent a few years ago"), and not for a lasting condition: "had breast
# cancer 3 years ago" still matters for back pain, like osteoporosis or diabetes diagnosed long ago.
LONG_AGO = (
    ("year", "ago"), ("years", "ago"), ("yr", "ago"), ("yrs", "ago"), ("decade", "ago"), ("decades", "ago"),
    ("age", "ago"), ("ages", "ago"), ("long", "time", "ago"), ("year", "back"), ("years", "back"),
    ("as", "a", "kid"), ("as", "a", "child"), ("as", "a", "teenager"), ("as", "a", "teen"), ("as", "a", "boy"),
    ("as", "a", "girl"), ("when", "i", "be", "a", "kid"), ("when", "i", "be", "little"),
    ("when", "i", "be", "young"), ("when", "i", "be", "younger"), ("in", "my", "teens"), ("in", "my", "twenties"),
)  # fmt: skip
ONGOING_SINCE = frozenset({"since", "from", "after"})
ONGOING_REACH = 6  # "since my stent a few years ago"
RECENT_BEFORE = frozenset({"less", "under", "within", "only", "just"})  # "less than a year ago"
# A long-past date at the start of a clause dates what follows, up to one of these.
NOW = frozenset({"and", "now", "today", "recently", "lately", "since", "currently", "still"})
# A past habit or a stopped treatment: what follows, up to "and", "now"... or the end of the clause,
# is over: "I used to be on blood thinners", "stopped taking warfarin". "used to" only near the
# start of its clause, so that "weaker than it used to be" still counts.
PAST_HABIT = (("use", "to"), ("stop", "take"), ("quit", "take"))
PAST_HABIT_REACH = 3
# Another person's problem told in the present ("my son has a temp", "my husband is having chest
# pains") is happening now: an emergency there still needs the emergency number, though the flags
# of someone else's history ("my dad had a stroke") or state ("my wife is pregnant") do not apply.
PRESENT = frozenset({"has", "have", "is", "are", "'s", "s", "'re", "gets", "get", "keeps", "seems", "looks"})
PAST_AFTER_PRESENT = frozenset({"had"})  # "has had a stroke" is history; "has been feverish all day" is now
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
# "gone" resolves only at the end of its clause or before one of these ("gone now", "gone once I
# moved"); before anything else it means "become": "gone numb", "smile's gone lopsided".
GONE_RESOLVES_BEFORE = frozenset(
    {
        "now", "away", "once", "after", "by", "when", "since", "completely", "totally", "entirely",
        "again", "off", "down", "within", "overnight", "quickly", "soon", "too", "as", "for",
    }
)  # fmt: skip
# A resolution this far into a clause starting with one of these tells of the clause before:
# "my shoulder is weak, it's getting better with physio".
REFERS_BACK = frozenset({"it", "that", "this", "they", "its", "it's", "both", "all"})
REFERS_BACK_REACH = 4
# A resolution word directly before one of these means something else: "passed out", "pass urine",
# "ok to massage", "fine if i...", "gone to sleep".
NOT_RESOLVING_BEFORE = frozenset({"out", "urine", "water", "blood", "wind", "stool", "stools", "to", "if"})
# A resolution followed soon by one of these is relief by rest, which describes the symptom
# (pain on exertion: "chest hurts on the stairs, goes away when I stop"), not its end.
REST = frozenset({"stop", "rest"})
REST_REACH = 4


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
    lasting_conditions: frozenset[str]
    sudden: tuple[ScopePhrase, ...]
    idioms: frozenset[ScopePhrase]

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
            lasting_conditions=words.lasting_conditions,
            sudden=split(words.sudden),
            idioms=frozenset(split(words.idioms)),
        )


class RedFlagMatcher:
    """Matches messages against the red-flag patterns; phrases are tokenized once, like messages."""

    def __init__(
        self,
        red_flags: RedFlagFile,
        tokenize: Callable[[str], list[Token]],
        real_words: frozenset[str] = frozenset(),
    ) -> None:
        """`real_words` are never read as misspellings ("single" is not "shingles")."""
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
        self.index = _WordIndex(
            (word for group in groups.values() for _, phrase in group for word in phrase), real_words
        )

    @staticmethod
    def _tokenized(group: Sequence[str], tokenize: Callable[[str], list[Token]]) -> Group:
        return tuple((phrase, tuple(tokenize(phrase))) for phrase in group)

    def find(self, tokens: Sequence[Token]) -> list[Match]:
        """Every flag the message shows, most serious first."""
        counted, someone_now = _counted_positions(tokens, self.scopes)
        message = _Message(tokens, counted, self.index, self.words, self.scopes.idioms)
        found_in_group: dict[tuple[int, bool], str | None] = {}
        matches = []
        for flag in self.flags.values():
            found = self._pattern_found(flag, message, False, found_in_group)
            if found:
                matches.append(Match(flag, found))
        if any(someone_now) and not any(match.flag.level == LEVELS[-1] for match in matches):
            # Someone else's emergency happening now ("my son has a temp and a stiff neck"), read from
            # their words alone, still needs the emergency number. The writer's own emergency leads.
            other = _Message(tokens, someone_now, self.index, self.words, self.scopes.idioms, message.matched)
            for flag in self.flags.values():
                found = self._pattern_found(flag, other, True, found_in_group) if flag.level == LEVELS[-1] else None
                if found:
                    matches.append(Match(flag, found))
        return sorted(matches, key=lambda match: LEVELS.index(match.flag.level), reverse=True)

    def _pattern_found(
        self,
        flag: RedFlag,
        message: _Message,
        is_other: bool,
        found_in_group: dict[tuple[int, bool], str | None],
    ) -> tuple[str, ...] | None:
        """The phrases of the first pattern of the flag found in the message."""
        for pattern in self.patterns[flag.id]:
            found = []
            for group in pattern:
                key = (id(group), is_other)
                if key not in found_in_group:
                    found_in_group[key] = message.first_phrase(group)
                found.append(found_in_group[key])
                if found[-1] is None:
                    break
            if all(found):
                return tuple(phrase for phrase in found if phrase)
        return None


class _WordIndex:
    """The phrase words, indexed so that the words a message token matches are found by lookups.

    A token matches a phrase word by lemma or text, by a known ending ("numb" ~ "numbness"), as a
    number with decimals or a unit ("38" ~ "38.5"), or as a small misspelling (see `kneadle.spelling.misspelt`).
    """

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
        found |= self.by_text.get(written + "s", set())  # a plural in a phrase: "seconds" ~ "second"
        if len(written) >= FUZZY_MIN_LENGTH and written not in self.real_words:
            for length in range(len(written) - 2, len(written) + 3):
                for form, word in self.spellings.get((written[0], length), ()):
                    if word not in found and misspelt(written, form):
                        found.add(word)
        return found


class _Message:
    """One message being matched: its tokens, which of them count, and the words each matches."""

    def __init__(
        self,
        tokens: Sequence[Token],
        counted: Sequence[bool],
        index: _WordIndex,
        words: ScopeWords,
        idioms: frozenset[ScopePhrase],
        matched: list[frozenset[Token]] | None = None,
    ):
        self.tokens = tokens
        self.counted = counted
        self.words = words
        self.matched = matched if matched is not None else [index.matches(token) for token in tokens]
        self.idioms = _idiom_positions(tokens, idioms)
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


def _counted_positions(tokens: Sequence[Token], scopes: _Scopes) -> tuple[list[bool], list[bool]]:
    """For each token, whether a phrase there counts (not negated, resolved, long past or someone
    else's), and whether it tells of someone else's problem now (see PRESENT)."""
    counts = [True] * len(tokens)  # not negated, resolved or long past
    others = [False] * len(tokens)  # someone else's history or state
    now = [False] * len(tokens)  # someone else's problem, told in the present
    clauses = _clauses(tokens, scopes.clause_breaks)
    carried = False  # someone else's present problem goes on into clauses that say nothing of the writer
    for index, (start, end) in enumerate(clauses):
        clause = tokens[start:end]
        carried = carried and not any(map(_is_first_person, clause))
        if carried:
            _set(now, start, end)
        is_question = _is_question(clause, tokens[end].text if end < len(tokens) else "")
        for offset in range(len(clause)):
            if _scope_at(clause, offset, scopes.negation) and not _is_inability(clause, offset):
                _mark(counts, start + offset + 1, start + _negation_end(clause, offset))
            person = _scope_at(clause, offset, scopes.other_people)
            if person:
                span = _other_person_span(clause, offset + person, scopes)
                if span:
                    first, stop, present = span
                    _set(others, start + first, start + stop)
                    if present:
                        _set(now, start + first, start + stop)
                        carried = stop == len(clause)
            resolution = _scope_at(clause, offset, scopes.resolved)
            if (
                resolution
                and not is_question
                and not _asks(clause, offset)
                and _resolves(clause, offset, resolution, scopes.negation)
            ):
                _mark(counts, start, start + offset + resolution)  # "was pregnant" resolves itself too
                if index > 0 and _starts_clause(clause, offset):  # "..., gone once I moved": the clause before
                    _mark(counts, *clauses[index - 1])
            past = _scope_at(clause, offset, LONG_AGO)
            event = _long_past_from(clause, offset, past, scopes) if past else None
            if event is not None:
                _mark(counts, start + event, start + offset + past)
                if offset <= 1:  # "years ago i hurt my back, and now..."
                    after = offset + past
                    _mark(counts, start + after, start + _next_of(clause, after, NOW))
                previous = clauses[index - 1] if index > 0 else None
                lasting = _names_lasting(tokens[previous[0] : previous[1]], scopes) if previous else True
                if offset <= 2 and not lasting:
                    _mark(counts, *previous)  # "had surgery on my knee, 8 years ago"
            habit = _scope_at(clause, offset, PAST_HABIT)
            if habit and (offset <= PAST_HABIT_REACH or clause[offset].lemma != "use"):
                _mark(counts, start + offset, start + _next_of(clause, offset + habit, NOW))
                if offset <= 1 and index > 0 and clause[offset].lemma != "use":
                    _mark(counts, *clauses[index - 1])  # "was on warfarin, but stopped taking it"
    counted = [count and not other for count, other in zip(counts, others, strict=True)]
    someone_now = [count and other for count, other in zip(counts, now, strict=True)]
    return counted, someone_now


def _is_question(clause: Sequence[Token], following: str) -> bool:
    """Whether the clause asks: a question mark, or an auxiliary and its subject first ("is it ok
    to...", "can i...", "should i..."), or a question word and an auxiliary ("what's ok...", "which
    neck moves are ok")."""
    if "?" in (clause[-1].text, following):
        return True
    first = next((index for index, token in enumerate(clause) if token.text not in QUESTION_LEAD_INS), len(clause))
    words = [token.text for token in clause[first : first + QUESTION_REACH + 1] if token.lemma != "not"]
    if len(words) < 2:
        return False
    if words[0] in AUXILIARIES:
        return words[1] in SUBJECTS
    return words[0] in QUESTION_WORDS and any(word in AUXILIARIES or word in ("'s", "s") for word in words[1:])


def _starts_clause(clause: Sequence[Token], offset: int) -> bool:
    """Whether the word at `offset` comes first in its clause, so that it tells of the clause before:
    "numb, gone once I moved", "pins and needles, all better now", or after a word that points back:
    "my shoulder is weak, it's getting better with physio"."""
    return offset <= 2 or (offset <= REFERS_BACK_REACH and clause[0].text in REFERS_BACK)


def _asks(clause: Sequence[Token], offset: int) -> bool:
    """Whether the word at `offset` follows an auxiliary and its subject, as in a question: "i take
    warfarin is that ok", "would it be fine", "is my neck ok"."""
    return any(
        clause[offset - back].text in AUXILIARIES and clause[offset - back + 1].text in SUBJECTS
        for back in (2, 3)
        if offset - back >= 0
    )


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


def _other_person_span(clause: Sequence[Token], after: int, scopes: _Scopes) -> tuple[int, int, bool] | None:
    """Another person's history or state ("my nan had a blood clot", "my wife is pregnant"): from
    the verb to the end of the clause or to the next word about the writer ("my dad has cancer and
    I have back pain"), and whether it is told in the present ("my son has a temp"). None when the
    writer comes first ("my daughter says I've been confused") or when it is sudden ("my mum's all
    confused out of nowhere"), which counts like the writer's own."""
    for position in range(after, min(after + OTHER_PERSON_VERB_REACH, len(clause))):
        if _is_first_person(clause[position]):
            return None
        if clause[position].lemma in scopes.history_verbs:
            stop = next(
                (later for later in range(position + 1, len(clause)) if _is_first_person(clause[later])), len(clause)
            )
            if any(_scope_at(clause, later, scopes.sudden) for later in range(after, stop)):
                return None
            following = clause[position + 1].text if position + 1 < len(clause) else ""
            present = clause[position].text in PRESENT and following not in PAST_AFTER_PRESENT
            return after, stop, present
    return None


def _negation_end(clause: Sequence[Token], offset: int) -> int:
    """A negation lasts to the end of its clause, to "and" starting a new one about the writer ("lost
    weight without trying and my back aches": the back still aches), or to a word that starts what
    happened next or why ("didn't notice I needed to pee till I'd wet myself"), or past a denied
    noticing ("didn't realise I'd wet myself")."""
    for position in range(offset + 1, len(clause)):
        token = clause[position]
        if token.text in NEGATION_STOPS:
            return position
        following = clause[position + 1] if position + 1 < len(clause) else None
        if token.text == "and" and following and (_is_first_person(following) or following.text in NEW_CLAUSE_STARTS):
            return position
        unsure = following is not None and following.text in HYPOTHETICAL
        if token.lemma in FACTIVE and position - offset <= FACTIVE_REACH and not unsure:
            return position + 1
    return len(clause)


def _is_capacity(token: Token) -> bool:
    return token.text in CAPACITIES or token.lemma in CAPACITIES


def _is_first_person(token: Token) -> bool:
    return token.text in FIRST_PERSON or token.lemma in FIRST_PERSON


def _resolves(clause: Sequence[Token], offset: int, length: int, negation: Sequence[ScopePhrase]) -> bool:
    """Whether the resolution word at `offset` says something has ended.

    Not when negated ("isn't getting better", "won't go away", "not like normal"), not relief by
    rest ("goes away when I stop"), not "passed out" or "ok to massage", not an action on something
    ("clearing the gutters"), not hoped for ("if it settles"), and "gone" only at the end of its
    clause or before words like "now" and "away" ("gone numb" is not resolved).
    """
    after = offset + length
    following = clause[after].text if after < len(clause) else None
    if following in NOT_RESOLVING_BEFORE:
        return False
    if following in ARTICLES and (after + 1 >= len(clause) or clause[after + 1].text not in LATER_THAT):
        return False
    if clause[offset].text == "gone" and length == 1 and following not in (None, *GONE_RESOLVES_BEFORE):
        return False
    if clause[offset].lemma == "go" and any(map(_is_capacity, clause[max(0, offset - 3) : offset])):
        return False  # "my balance has gone"
    if any(token.lemma in REST for token in clause[after : after + REST_REACH]):
        return False
    if any(token.text in HYPOTHETICAL for token in clause[:offset]):
        return False
    return not any(_scope_at(clause, before, negation) for before in range(max(0, offset - NEGATION_REACH), offset))


def _long_past_from(clause: Sequence[Token], offset: int, length: int, scopes: _Scopes) -> int | None:
    """Where the long-past event dated at `offset` starts in its clause (see LONG_AGO), or None: not
    "not long ago" or "less than a year ago", and not a lasting condition ("had breast cancer 3 years
    ago"). After "since", "from" or "after" only that event is past, not what goes on since: "on
    clopidogrel since my stent a few years ago", "back pain from a fall years ago"."""
    before = range(max(0, offset - ONGOING_REACH), offset)
    if any(clause[position].text in RECENT_BEFORE for position in before):
        return None
    if any(_scope_at(clause, position, scopes.negation) for position in range(max(0, offset - 2), offset)):
        return None
    start = max((position for position in before if clause[position].text in ONGOING_SINCE), default=0)
    if _names_lasting(clause[start : offset + length], scopes) or (offset <= 1 and _names_lasting(clause, scopes)):
        return None
    return start


def _names_lasting(tokens: Sequence[Token], scopes: _Scopes) -> bool:
    return any(_is_in(token, scopes.lasting_conditions) for token in tokens)


def _next_of(clause: Sequence[Token], start: int, words: frozenset[str]) -> int:
    return next((position for position in range(start, len(clause)) if clause[position].text in words), len(clause))


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


def _set(marks: list[bool], start: int, end: int) -> None:
    for position in range(start, end):
        marks[position] = True


def _idiom_positions(tokens: Sequence[Token], idioms: frozenset[ScopePhrase]) -> dict[int, tuple[str, str]]:
    """The positions of both words of each idiom in the message, with the idiom."""
    positions = {}
    for index in range(len(tokens) - 1):
        for first in {tokens[index].lemma, tokens[index].text}:
            for second in {tokens[index + 1].lemma, tokens[index + 1].text}:
                if (first, second) in idioms:
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
