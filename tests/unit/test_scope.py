"""The scope rules, one at a time, on the project's tokenizer and scope words: what each marks."""

from __future__ import annotations

import pytest

from kneadle.safety.scope import (
    Label,
    ScopeWords,
    about_someone_else,
    answered_no,
    clauses,
    default_scope_words,
    feared,
    hypothetical,
    is_question,
    just_asking,
    label_tokens,
    long_ago,
    negated,
    past_habit,
    resolved,
    someone_else,
)
from kneadle.safety.words import Token, Tokenize


@pytest.fixture(scope="module")
def words(tokenize: Tokenize) -> ScopeWords:
    return default_scope_words().retokenized(tokenize)


def texts(tokens: list[Token], spans: list[tuple[int, int]]) -> list[str]:
    return [" ".join(token.text for token in tokens[start:end]) for start, end in spans]


def labelled(tokenize: Tokenize, words: ScopeWords, text: str, label: Label) -> str:
    """The words of `text` that carry `label`."""
    tokens = tokenize(text)
    return " ".join(
        token.text for token, labels in zip(tokens, label_tokens(tokens, words), strict=True) if label in labels
    )


def test_clauses_split_at_punctuation_and_but(tokenize: Tokenize, words: ScopeWords) -> None:
    tokens = tokenize("my neck is stiff, my back aches but my hands are fine")
    assert texts(tokens, clauses(tokens, words)) == ["my neck is stiff", "my back aches", "my hands are fine"]


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("no numbness down below", ["numbness down below"]),
        ("i don't have any chest pain", ["have any chest pain"]),
        ("didn't notice i needed to pee till i'd wet myself", ["notice"]),  # stops at "till", and past noticing
        ("lost weight without trying and my back aches", ["trying"]),  # "and my..." starts a new clause
        ("i can't turn my neck", []),  # an inability is the finding itself
        ("no feeling round my back passage", []),  # so is a loss
    ],
)
def test_negation_covers_to_the_end_of_its_reach(
    tokenize: Tokenize, words: ScopeWords, text: str, covered: list[str]
) -> None:
    tokens = tokenize(text)
    assert texts(tokens, negated(tokens, words)) == covered


@pytest.mark.parametrize(
    ("text", "over"),
    [
        ("pins and needles gone once i moved", ["pins and needles gone"]),
        ("my bladder is fine", ["my bladder is fine"]),
        ("i've gone numb", []),  # "gone" before a word means "become"
        ("the numbness isn't getting better", []),  # a negated resolution
        ("my chest hurts on the stairs and goes away when i stop", []),  # relief by rest
        ("is it ok to massage", []),  # a question ends nothing
    ],
)
def test_a_resolution_ends_what_comes_before_it(
    tokenize: Tokenize, words: ScopeWords, text: str, over: list[str]
) -> None:
    tokens = tokenize(text)
    assert texts(tokens, [span for span, _ in resolved(tokens, words, is_question(tokens, "", words))]) == over


def test_a_resolution_first_in_its_clause_tells_of_the_clause_before(tokenize: Tokenize, words: ScopeWords) -> None:
    assert (
        labelled(tokenize, words, "tingling in my fingers, gone now", Label.RESOLVED) == "tingling in my fingers gone"
    )
    assert labelled(tokenize, words, "tingling in my fingers. it's gone now", Label.RESOLVED) == "it 's gone"


@pytest.mark.parametrize(
    ("text", "over"),
    [
        ("had knee surgery 8 years ago", ["had knee surgery 8 years ago"]),
        ("had my appendix out in 2009", ["had my appendix out in 2009"]),  # a year two or more back
        ("hurt my back when i was 12", ["hurt my back when i was 12"]),
        ("had breast cancer 3 years ago", []),  # a lasting condition
        ("surgery less than a year ago", []),
        ("on warfarin since my stent a few years ago", ["since my stent a few years ago"]),  # ongoing since
    ],
)
def test_a_long_past_date_ends_the_event(tokenize: Tokenize, words: ScopeWords, text: str, over: list[str]) -> None:
    tokens = tokenize(text)
    assert texts(tokens, [span for span, _ in long_ago(tokens, words)])[:1] == over


def test_a_past_habit_is_over(tokenize: Tokenize, words: ScopeWords) -> None:
    tokens = tokenize("i used to be on blood thinners")
    assert texts(tokens, [span for span, _ in past_habit(tokens, words)]) == ["used to be on blood thinners"]
    assert "weaker" not in labelled(tokenize, words, "my grip is weaker than it used to be", Label.LONG_AGO)


@pytest.mark.parametrize(
    ("text", "span", "now"),
    [
        ("my dad had a stroke", "had a stroke", False),
        ("my husband's face is drooping", "'s face is drooping", True),
        ("my dad has had a stroke", "has had a stroke", False),
        ("my dad just collapsed", "just collapsed", True),
        ("he's got a heavy feeling in his chest", "'s got a heavy feeling in his chest", True),
        ("my wife is pregnant and i have back pain", "is pregnant and", True),  # ends at the writer
    ],
)
def test_someone_else_and_whether_it_is_now(
    tokenize: Tokenize, words: ScopeWords, text: str, span: str, now: bool
) -> None:
    tokens = tokenize(text)
    found = someone_else(tokens, words)
    assert texts(tokens, [found[0][0]]) == [span]
    assert found[0][1] is now


def test_what_the_writer_says_of_themselves_is_theirs(tokenize: Tokenize, words: ScopeWords) -> None:
    text = "my daughter says i've been confused"
    assert "confused" not in labelled(tokenize, words, text, Label.OTHER) + labelled(
        tokenize, words, text, Label.OTHER_NOW
    )


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "my son just fell off the trampoline, landed on his back, and he says he can't feel his legs",
            Label.OTHER_NOW,
        ),
        ("my mum (79, brittle bones) tripped on the rug this morning", Label.OTHER_NOW),
        ("my grandad had a stroke years ago", Label.OTHER),
        ("my dad had a stroke and i have a stiff neck", None),  # the writer speaks too
    ],
)
def test_a_message_about_someone_else(tokenize: Tokenize, words: ScopeWords, text: str, label: Label | None) -> None:
    assert about_someone_else(tokenize(text), words) is label


@pytest.mark.parametrize(
    ("text", "expected"),
    [("what are the signs of a stroke", True), ("would numbness on one side be serious?", True),
     ("what is cauda equina?", True), ("can i massage my back if i'm pregnant?", False), ("my arm is numb", False)],
)  # fmt: skip
def test_hypothetical_questions(tokenize: Tokenize, words: ScopeWords, text: str, expected: bool) -> None:
    tokens = tokenize(text)
    assert hypothetical(tokens, is_question(tokens, "", words), words) is expected


def test_fears_and_just_asking(tokenize: Tokenize, words: ScopeWords) -> None:
    assert feared(tokenize("i'm scared of blood clots"), words)
    assert not feared(tokenize("i'm scared, my chest hurts"), words)
    assert just_asking(tokenize("asking for a friend, i'm fine"), words)


def test_a_question_answered_no(tokenize: Tokenize, words: ScopeWords) -> None:
    assert answered_no(tokenize("no"), words)
    assert not answered_no(tokenize("no but my legs are numb and weak"), words)
    assert labelled(tokenize, words, "had a fall? no. just a stiff back", Label.NEGATED) == "had a fall"
