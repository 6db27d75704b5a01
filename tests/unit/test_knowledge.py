"""The knowledge file says what the sources say, and selection picks the right technique."""

from __future__ import annotations

import pytest

from kneadle.knowledge import default_knowledge
from kneadle.selection import rank_techniques
from tests.conftest import SEEDS_DIR

HAND = "hand_self_massage"


def test_hand_self_massage_has_the_ten_steps_of_article_000() -> None:
    technique = default_knowledge().techniques[HAND]
    assert technique.source.file == "000_4e56dde7cd5cb689.txt"
    assert len(technique.steps) == 10
    assert technique.steps[0].movement == "setup"
    assert technique.steps[1].movement == "warm_up"
    # Steps 3 and 5 of the article last 1-2 minutes.
    timed = [number for number, step in enumerate(technique.steps, 1) if step.seconds]
    assert timed == [3, 5]
    assert all((technique.steps[n - 1].seconds.min, technique.steps[n - 1].seconds.max) == (60, 120) for n in timed)


def test_every_source_file_named_exists() -> None:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"source articles not found at {SEEDS_DIR}")
    knowledge = default_knowledge()
    named = {t.source.file for t in knowledge.techniques.values()} | {a.source.file for a in knowledge.advice.values()}
    assert named == {path.name for path in SEEDS_DIR.glob("*.txt")}


def test_every_region_has_a_technique() -> None:
    for region in ("hands", "neck_shoulders", "upper_back", "lower_back", "back"):
        ranked = rank_techniques(default_knowledge(), region)
        assert ranked, region
        assert all(region in t.regions or {"back", "upper_back", "lower_back"} & set(t.regions) for t in ranked)


def test_a_region_without_techniques_ranks_nothing() -> None:
    assert rank_techniques(default_knowledge(), "feet") == []


def test_every_question_intent_has_one_answer(domain: dict) -> None:
    question_intents = [
        intent for intent in domain["intents"] if intent.startswith("ask_") and intent not in NOT_ADVICE
    ]
    assert question_intents
    for intent in question_intents:
        assert default_knowledge().advice_for_intent(intent) is not None, intent


NOT_ADVICE = {"ask_capabilities", "ask_other_technique", "ask_step_duration", "ask_why", "ask_what_now"}
