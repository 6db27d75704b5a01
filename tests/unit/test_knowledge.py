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


@pytest.mark.parametrize(
    ("region", "symptom", "expected"),
    [
        ("hands", "numbness", HAND),
        ("hands", None, HAND),
        ("back", "pain", "self_back_massage"),
        ("lower_back", "tension", "self_back_massage"),
    ],
)
def test_best_technique_for_a_complaint(region: str, symptom: str | None, expected: str) -> None:
    assert rank_techniques(default_knowledge(), region, symptom)[0].id == expected


def test_every_region_has_a_technique() -> None:
    for region in ("hands", "neck_shoulders", "upper_back", "lower_back", "back"):
        ranked = rank_techniques(default_knowledge(), region)
        assert ranked, region
        assert all(region in t.regions or {"back", "upper_back", "lower_back"} & set(t.regions) for t in ranked)


def test_a_region_without_techniques_ranks_nothing() -> None:
    assert rank_techniques(default_knowledge(), "feet") == []
