"""Choosing techniques: the right one for each main complaint, asking only what matters."""

from __future__ import annotations

import pytest

from kneadle import choosing, names
from kneadle.knowledge import default_knowledge
from kneadle.messages import default_messages
from kneadle.reply import Reply
from kneadle.selection import ALONE, PARTNER, helper_question_matters, rank_techniques

KNOWLEDGE = default_knowledge()


def reply() -> Reply:
    return Reply(default_messages())


def texts(result: Reply) -> list[str]:
    return [message["text"] for message in result.messages]


@pytest.mark.parametrize(
    ("region", "symptom", "helper", "expected"),
    [
        ("hands", "numbness", None, "hand_self_massage"),
        ("neck_shoulders", "stiffness", PARTNER, "jianjing_point_pinch"),
        ("neck_shoulders", "stiffness", ALONE, "warm_compress_back"),
        ("back", "pain", ALONE, "self_back_massage"),
        ("back", "pain", PARTNER, "partner_back_massage_for_pain"),
        ("back", "numbness", ALONE, "warm_compress_back"),
        ("lower_back", "pain", ALONE, "self_back_massage"),
    ],
)
def test_the_main_complaints_get_the_sources_technique(
    region: str, symptom: str, helper: str | None, expected: str
) -> None:
    assert rank_techniques(KNOWLEDGE, region, symptom, helper or ALONE)[0].id == expected


def test_alone_never_gets_a_technique_for_two() -> None:
    for region in ("hands", "neck_shoulders", "upper_back", "lower_back", "back"):
        assert all(t.performer != PARTNER for t in rank_techniques(KNOWLEDGE, region, None, ALONE))


@pytest.mark.parametrize(
    ("region", "symptom", "asks"),
    [("hands", "numbness", False), ("back", "numbness", False), ("back", "pain", True), ("neck_shoulders", None, True)],
)
def test_alone_or_with_help_is_asked_only_when_it_changes_the_choice(
    region: str, symptom: str | None, asks: bool
) -> None:
    assert helper_question_matters(KNOWLEDGE, region, symptom) is asks
    result = choosing.start(reply(), KNOWLEDGE, region, symptom, helper=None)
    assert (texts(result)[0] == default_messages().text("ask_helper")) is asks


def test_no_region_asks_where() -> None:
    result = choosing.start(reply(), KNOWLEDGE, None, "stiffness", None)
    assert texts(result) == [default_messages().text("ask_body_region")]
    assert len(result.messages[0]["buttons"]) == 4


def test_starting_introduces_gives_step_one_and_remembers_why() -> None:
    result = choosing.start(reply(), KNOWLEDGE, "hands", "numbness", None)
    intro, step = texts(result)
    assert intro.startswith("Let's try this: Hand self-massage for numb hands.")
    assert step.startswith("Step 1 of 10: ")
    assert result.slots[names.OFFERED_TECHNIQUES] == ["hand_self_massage"]
    assert result.slots[names.LAST_REASON] == (
        "I picked Hand self-massage for numb hands because it works on your hands, "
        "it helps with numbness and you can do it on your own."
    )


def test_the_intro_says_what_is_needed() -> None:
    result = choosing.start(reply(), KNOWLEDGE, "back", "pain", PARTNER)
    assert ". You'll need massage oil or lotion" in texts(result)[0]


def test_another_technique_skips_those_offered_then_lists_all() -> None:
    first = choosing.start(reply(), KNOWLEDGE, "back", "pain", ALONE)
    offered = first.slots[names.OFFERED_TECHNIQUES]
    second = choosing.another(reply(), KNOWLEDGE, "back", "pain", ALONE, offered)
    assert second.slots[names.OFFERED_TECHNIQUES][-1] not in offered
    everything = [t.id for t in rank_techniques(KNOWLEDGE, "back", "pain", ALONE)]
    exhausted = choosing.another(reply(), KNOWLEDGE, "back", "pain", ALONE, everything)
    assert texts(exhausted)[0].startswith("That's every technique I have for your back")
    listed = [button["title"] for button in exhausted.messages[1]["buttons"]]
    assert len(listed) > len(everything)  # the list shows techniques for two as well, marked
    assert sum(title.endswith("(with a helper)") for title in listed) == len(listed) - len(everything)


def test_the_list_has_a_button_per_technique_that_starts_it() -> None:
    result = choosing.listing(reply(), KNOWLEDGE, "neck_shoulders", None)
    payloads = [button["payload"] for button in result.messages[0]["buttons"]]
    assert '/choose_technique{"technique_id": "jianjing_point_pinch"}' in payloads


def test_choosing_by_id_starts_that_technique() -> None:
    result = choosing.choose(reply(), KNOWLEDGE, "dazhui_point_rub", offered=["hand_self_massage"])
    assert result.slots[names.TECHNIQUE_ID] == "dazhui_point_rub"
    assert result.slots[names.OFFERED_TECHNIQUES] == ["hand_self_massage", "dazhui_point_rub"]
    assert "you asked for it" in result.slots[names.LAST_REASON]


def test_a_related_technique_comes_from_the_source_else_the_region() -> None:
    jianjing = KNOWLEDGE.techniques["jianjing_point_pinch"]
    assert choosing.related_technique(KNOWLEDGE, jianjing, "neck_shoulders").id == jianjing.related[0]
    hand = KNOWLEDGE.techniques["hand_self_massage"]
    assert choosing.related_technique(KNOWLEDGE, hand, "hands") is None
