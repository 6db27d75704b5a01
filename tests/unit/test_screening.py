"""The screening question: asked once before the first technique, and every answer is understood."""

from __future__ import annotations

import pytest
import spacy

from kneadle import choosing, names
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.red_flag_matcher import RedFlagMatcher, tokens_from_words
from kneadle.red_flags import default_red_flags
from kneadle.reply import Reply
from tests.conftest import PROJECT_ROOT

KNOWLEDGE = default_knowledge()


def reply() -> Reply:
    return Reply(default_messages())


def test_a_complaint_asks_the_screening_question_first() -> None:
    result = choosing.start(reply(), KNOWLEDGE, "hands", "numbness", None, screening=None)
    assert [m["text"] for m in result.messages] == [default_messages()["screening_question"].text]
    assert result.slots == {names.SCREENING: names.SCREENING_ASKED}


def test_an_answer_or_carrying_on_marks_it_done_and_starts_the_technique() -> None:
    result = choosing.start(reply(), KNOWLEDGE, "hands", "numbness", None, screening=names.SCREENING_ASKED)
    assert result.slots[names.SCREENING] == names.SCREENING_DONE
    assert result.slots[names.TECHNIQUE_ID] == "hand_self_massage"


def test_once_done_it_is_not_asked_again() -> None:
    result = choosing.start(reply(), KNOWLEDGE, "hands", "numbness", None, screening=names.SCREENING_DONE)
    assert names.SCREENING not in result.slots
    assert result.slots[names.TECHNIQUE_ID] == "hand_self_massage"


def test_a_technique_picked_by_name_waits_for_the_answer_then_starts() -> None:
    asked = choosing.choose(reply(), KNOWLEDGE, "dazhui_point_rub", (), screening=None)
    assert asked.slots == {names.SCREENING: names.SCREENING_ASKED, names.SUGGESTED_TECHNIQUE: "dazhui_point_rub"}
    answered = choosing.start(
        reply(), KNOWLEDGE, None, None, None, screening=names.SCREENING_ASKED, picked="dazhui_point_rub"
    )
    assert answered.slots[names.TECHNIQUE_ID] == "dazhui_point_rub"


def test_a_bare_yes_asks_which_one() -> None:
    result = choosing.choose(reply(), KNOWLEDGE, None, (), screening=names.SCREENING_ASKED, said_yes=True)
    assert [m["text"] for m in result.messages] == [default_messages()["screening_which"].text]


def test_cautions_adapt_the_technique() -> None:
    flags = default_red_flags().flags
    result = choosing.start(reply(), KNOWLEDGE, "lower_back", "pain", "alone", cautions=[flags["pregnancy"]])
    texts = [m["text"] for m in result.messages]
    assert texts[1] == "Keep in mind: " + (flags["pregnancy"].adaptation or "")
    assert result.slots[names.PRESSURE] == "lighter"


SCREENING_WORDS = sorted(
    {
        button["payload"]
        for message_id in ("screening_question", "screening_which")
        for button in default_messages()[message_id].buttons
        if not button["payload"].startswith("/")
    }
)


@pytest.mark.parametrize("payload", SCREENING_WORDS)
def test_every_screening_button_is_caught_as_a_contraindication(payload: str) -> None:
    nlp = spacy.load(PROJECT_ROOT / "build" / "spacy" / "kneadle_en")

    def tokenize(text: str) -> list:
        return tokens_from_words((token.text, token.lemma_) for token in nlp(text))

    matches = RedFlagMatcher(default_red_flags(), tokenize).find(tokenize(payload))
    assert matches, payload
    assert matches[0].flag.contraindication, (payload, matches[0].flag.id)
