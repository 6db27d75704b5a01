"""The findings matcher on the project's data: everyday wordings, misspellings, whose and when."""

from __future__ import annotations

from pathlib import Path

import pytest

from kneadle.datafile import DataFileError
from kneadle.safety.findings import FindingsMatcher, Found, Role, default_findings, load_findings
from kneadle.safety.scope import default_scope_words
from kneadle.safety.words import Tokenize
from kneadle.spelling import english_words
from tests.conftest import write_file


@pytest.fixture(scope="module")
def matcher(tokenize: Tokenize) -> FindingsMatcher:
    return FindingsMatcher(default_findings(), default_scope_words(), tokenize, english_words())


def found(matcher: FindingsMatcher, tokenize: Tokenize, text: str) -> set[tuple[str, str]]:
    return {(item.finding, item.role.value) for item in matcher.find(tokenize(text))}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("my chest feels really heavy", "chest_pain"),  # near each other, any order
        ("heavy feeling in my chest", "chest_pain"),
        ("can't catch my breath", "breathless"),  # a phrase with its own negation
        ("numbess in my groin", "saddle_numbness"),  # misspelt
        ("temp 39.2 since last night", "fever"),  # a number in range beside its context
        ("I'm 77 and my back hurts", "older_age"),
        ("both my legs are full of static", "both_legs"),
        ("my calf? it's been swollen since the flight", "calf_swelling"),  # the next sentence points back
        ("skin on my shoulder is red, hot and swollen", "skin_infection"),  # a list across commas
        ("12 weeks gone and my back aches", "pregnancy"),
    ],
)
def test_everyday_wordings_are_found(matcher: FindingsMatcher, tokenize: Tokenize, text: str, finding: str) -> None:
    assert (finding, "self") in found(matcher, tokenize, text)


@pytest.mark.parametrize(
    ("text", "finding", "role"),
    [
        ("my husband's face has gone droopy on one side", "face_droop", "other"),
        ("would numbness on one side be a stroke sign?", "numbness", "unsure"),
        ("sweaty after my run", "sweating", "explained"),
        ("her face drooped for a few minutes earlier but it's fine now", "face_droop", "other"),
    ],
)
def test_whose_and_when(matcher: FindingsMatcher, tokenize: Tokenize, text: str, finding: str, role: str) -> None:
    assert (finding, role) in found(matcher, tokenize, text)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("no numbness down below", "saddle_numbness"),
        ("pins and needles in my hand, gone once I moved", "numbness"),
        ("my dad had a heart attack last year", "named_heart_attack"),
        ("I'm scared of blood clots", "clot_diagnosed"),
        ("fell asleep on the sofa", "injury"),  # an idiom
        ("my boss is a pain in the neck", "neck_pain"),
        ("I'm not dieting and I've lost weight", "nothing"),  # a negated cause explains nothing
        ("what are the signs of a stroke? just curious, I'm fine", "named_stroke"),
    ],
)
def test_what_does_not_count(matcher: FindingsMatcher, tokenize: Tokenize, text: str, finding: str) -> None:
    roles = {role for name, role in found(matcher, tokenize, text) if name == finding}
    assert roles <= {"absent"}


def test_a_passing_stroke_sign_still_counts(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    assert ("face_droop", "self") in found(matcher, tokenize, "my face drooped for ten minutes, it's gone now")
    assert ("numbness", "absent") in found(matcher, tokenize, "my hand went numb for ten minutes, it's gone now")


def test_a_negated_finding_is_named_as_absent(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    assert found(matcher, tokenize, "no chest pain") == {("chest_pain", "absent")}


def test_a_negated_cause_is_no_cause(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    assert ("weight_loss", "self") in found(matcher, tokenize, "dropped loads of weight and I'm not dieting")


def test_a_comparison_is_no_cause(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    assert ("speech_trouble", "explained") in found(matcher, tokenize, "my speech is slurred, I had wine")
    assert ("speech_trouble", "self") in found(matcher, tokenize, "my speech is slurred like I had wine")


def test_gone_now_after_a_comma_reaches_the_whole_sentence(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    text = "my hand went numb and tingly when I slept on it, it's gone now"
    assert ("numbness", "self") not in found(matcher, tokenize, text)


def test_each_finding_is_reported_once_per_role_with_where(matcher: FindingsMatcher, tokenize: Tokenize) -> None:
    result = matcher.find(tokenize("chest pain, such chest pain"))
    assert [item for item in result if item.finding == "chest_pain"] == [Found("chest_pain", Role.SELF, (0, 1))]


def test_a_broken_findings_file_is_named(tmp_path: Path) -> None:
    path = write_file(
        tmp_path, "findings.yml", "findings:\n  - id: chest_pain\n    name: chest pain\n    phrases: [Chest]\n"
    )
    with pytest.raises(DataFileError, match=r"findings.yml:4: finding 'chest_pain', field phrases\[0\]"):
        load_findings(path)
    twice = "findings:\n" + "  - {id: fever, name: fever, phrases: [fever]}\n" * 2
    with pytest.raises(DataFileError, match="id 'fever' is used twice"):
        load_findings(write_file(tmp_path, "twice.yml", twice))
