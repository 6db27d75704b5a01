"""The deterministic red-flag matcher on real spaCy lemmas: combinations, misspellings, negation,
resolved symptoms and other people's history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import spacy
from spacy.language import Language

from kneadle.red_flag_matcher import RedFlagMatcher, Token, tokens_from_words
from kneadle.red_flags import RedFlagFile, default_red_flags, load_red_flags
from kneadle.spelling import english_words
from tests.conftest import PROJECT_ROOT, write_file

FLAGS = """\
scope_words:
  negation: ["no", "not", "n't", "never", "without"]
  resolved: [fine, gone, better]
  other_people: [dad, mum, wife]
  history_verbs: [have, die]
  clause_breaks: [".", ",", ";", but]
  lasting_conditions: [cancer, osteoporosis, diabetes]
  sudden: [suddenly, sudden, out of nowhere]
  idioms: [fall asleep, hay fever, confuse about]
guidelines:
  - {id: nhs, name: Conditions, publisher: NHS}
red_flags:
  - id: stroke
    level: emergency
    name: Possible stroke
    why: Sudden numbness on one side can be a stroke.
    advice: Call {emergency_number} now.
    guideline: nhs
    patterns:
      - [[face droop, drooping face]]
      - [[slurred speech, slur my words]]
      - [[sudden], [numb, weak], [one side, left side, right side]]
  - id: cauda_equina
    level: emergency
    name: Possible cauda equina syndrome
    why: Numbness between the legs with bladder trouble can be cauda equina syndrome.
    advice: Call {emergency_number} now.
    guideline: nhs
    patterns:
      - [[numb, tingle], [between my legs, groin, buttock, saddle]]
      - [[bladder, pee, wee], [can't, lose control, leak]]
  - id: numbness_after_injury
    level: urgent
    name: Numbness after an injury
    why: Numbness after a fall or injury needs checking today.
    advice: Get medical help today, or call {emergency_number} if it gets worse.
    guideline: nhs
    patterns:
      - [[pins and needles, numb, tingle], [fall, fell, injury, accident, hit]]
"""

Flags = RedFlagFile


@pytest.fixture(scope="module")
def flags(tmp_path_factory: pytest.TempPathFactory) -> Flags:
    return load_red_flags(write_file(tmp_path_factory.mktemp("flags"), "red_flags.yml", FLAGS))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(PROJECT_ROOT / "build" / "spacy" / "kneadle_en")


def tokenizer(nlp: Language) -> Callable[[str], list[Token]]:
    return lambda text: tokens_from_words((token.text, token.lemma_) for token in nlp(text))


def detect(nlp: Language, flags: Flags, text: str) -> list[str]:
    matcher = RedFlagMatcher(flags, tokenizer(nlp), english_words())
    return [match.flag.id for match in matcher.find(tokenizer(nlp)(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my face is drooping on the left", ["stroke"]),
        ("suddenly my left side went numb", ["stroke"]),
        ("sudden weakness in my right side arm and leg", ["stroke"]),
        ("i'm slurring my words", ["stroke"]),
        ("numbness between my legs and I can't pee", ["cauda_equina"]),
        ("my bum is numb, saddle area, and i cant control my bladder", ["cauda_equina"]),
        ("numbess in my groin", ["cauda_equina"]),  # misspelt
        ("I fell off a ladder yesterday and now my hand has pins and needles", ["numbness_after_injury"]),
    ],
)
def test_red_flags_are_found(nlp: Language, flags: Flags, text: str, expected: list[str]) -> None:
    assert detect(nlp, flags, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "no numbness down below and my bladder is fine",
        "pins and needles in my hand from leaning on my elbow, gone once I moved",
        "my dad had a stroke last year, now my neck is stiff",
        "my hands are numb after typing all day",
        "stiff neck and sore shoulders",
        "my lower back aches when I sit",
        "I don't have any numbness between my legs",
        "numb fingers, no fall or injury",
    ],
)
def test_hard_negatives_do_not_match(nlp: Language, flags: Flags, text: str) -> None:
    assert detect(nlp, flags, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("suddenly my left side has gone numb", ["stroke"]),  # "gone numb" is new, not resolved
        ("the numbness between my legs isn't getting better", ["cauda_equina"]),  # negated resolution
        ("numbness in my groin, is that fine?", ["cauda_equina"]),  # a question resolves nothing
        ("my wife has a numb groin and my face is drooping", ["stroke"]),  # her history, my symptom
        ("numbness in my groin, my dad has it too", ["cauda_equina"]),
    ],
)
def test_scope_words_limit_only_what_they_should(nlp: Language, flags: Flags, text: str, expected: list[str]) -> None:
    assert detect(nlp, flags, text) == expected


def test_the_most_serious_flag_comes_first(nlp: Language, flags: Flags) -> None:
    found = detect(nlp, flags, "after the fall my hand tingles and my face is drooping")
    assert found == ["stroke", "numbness_after_injury"]


@pytest.mark.parametrize(
    ("text", "expected_level"),
    [
        ("there's a heavy pressure in my chest and it spreads into my jaw", "emergency"),
        ("sudden numbness on my left side and my speech is slurred", "emergency"),
        ("my face is drooping and my arm feels weak", "emergency"),
        ("numb between my legs and i can't pee", "emergency"),
        ("fever and a really stiff neck and the light hurts my eyes", "emergency"),
        ("i have a fever and my back hurts", "urgent"),
        ("i'm pregnant, my lower back aches", "caution"),
        ("i had surgery on my back two weeks ago", "see_doctor"),
        ("i take warfarin, can i massage my neck", "caution"),
    ],
)
def test_the_project_red_flags_catch_the_issues_examples(nlp: Language, text: str, expected_level: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    found = matcher.find(tokenizer(nlp)(text))
    assert found, text
    assert found[0].flag.level == expected_level, [match.flag.id for match in found]


@pytest.mark.parametrize(
    "text",
    [
        "no numbness down below and my bladder is fine",
        "pins and needles in my hand from leaning on my elbow, gone once I moved",
        "my dad had a stroke last year, now my neck is stiff",
        "my hands go numb after typing",
        "stiff neck",
        "lower back ache",
        "my back is numb",
        "my shoulders are tense and tired",
        "my neck's stiff and my hands tingle",
    ],
)
def test_the_project_red_flags_leave_ordinary_complaints_alone(nlp: Language, text: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    assert [match.flag.id for match in matcher.find(tokenizer(nlp)(text))] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An inability is the symptom, not a denial: the body part after "can't" still counts.
        ("got a rugby tackle and now i can't turn my neck", "neck_injury"),
        ("my daughter says i've been slurring my words", "stroke"),  # the writer comes first
        ("my smile's gone lopsided", "stroke"),  # "gone" + a new state
        ("my temp is 38.7 and my back aches", "spinal_infection"),  # "38" matches "38.7"
        ("hot and shivery with a sore back", "spinal_infection"),
        ("osteoprosis and a sudden pain in my back", "osteoporotic_fracture"),  # misspelt
        ("chest hurts when i climb stairs, goes away when i rest", "chest_pain"),  # exertion, not recovery
        ("lost weight without trying and my back aches", "cancer_warning"),  # the negation ends at "and my"
        ("sudden bad pain in my neck, not like normal, and i feel dizzy", "artery_dissection"),
        ("no feeling round my back passage", "cauda_equina"),  # "no feeling" is the symptom
        ("my hands feel clumsy and my balance has gone", "spinal_cord_compression"),  # a loss, not a recovery
        ("my mum's all confused out of nowhere", "stroke"),  # someone else's sudden problem still counts
        ("had surgury on my back last month", "recent_surgery"),  # a wrong vowel in a longer word
        ("i have a fever and i'm confused about the steps", "fever"),  # not confusion: no sepsis
    ],
)
def test_the_project_red_flags_read_scope_like_people_do(nlp: Language, text: str, expected: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    found = matcher.find(tokenizer(nlp)(text))
    assert [match.flag.id for match in found][:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "my wife is pregnant and my back is sore from the lifting",  # someone else, with "is"
        "my dog had surgery and i've been carrying her",
        "had whiplash ten years ago, totally recovered",
        "numb bum from sitting all day, goes away when i stand up",
        "i was pregnant last year and my back still aches",
        "i fell asleep on the sofa and my neck is stiff",  # not a fall
        "hay fever and a sore back",  # not a fever
        "fewer headaches lately but my back aches",  # "fewer" is not "fever"
        "stress is making my shoulders creep up",  # no misspelling of "sutures" or "scraped"
        "back's stiff after hours in a cramped seat",
        "is it ok to massage my neck?",
        "my back hurts and my neck is tense",  # "hurts and my" is not "hurt my"
        "best massage of my life, my head feels great",
        "my head is exploding with all this work stress",
        "i broke my phone and my shoulders are tight",
        "i'm single, so just me doing it",  # a real word is not a misspelling of "shingles"
    ],
)
def test_the_project_red_flags_leave_look_alikes_alone(nlp: Language, text: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    assert [match.flag.id for match in matcher.find(tokenizer(nlp)(text))] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A question without its question mark resolves nothing.
        ("i'm on warfarin, is it ok to do the neck routine", "blood_thinners"),
        ("i take warfarin is that ok for a deep massage", "blood_thinners"),
        ("i've been diagnosed with cervical myelopathy, which neck moves are ok", "cervical_myelopathy"),
        # A negation stops at "till", "when"... and after a denied noticing.
        ("today i didnt even notice i needed to pee til i'd wet myself", "cauda_equina"),
        ("i didn't realise i'd wet myself, my back is agony", "cauda_equina"),
        ("lost weight without trying and there's an ache between my shoulder blades", "cancer_warning"),
        # A resolution word with an object is an action: "clearing the gutters".
        ("fell off a ladder clearing the gutters and my back has hurt ever since", "spinal_injury"),
        # A long-past date does not end a lasting condition, nor something ongoing since then.
        ("had breast cancer 10 years ago and now my back hurts", "cancer_history_spinal_pain"),
        ("on clopidogrel since my stent a few years ago", "blood_thinners"),
        # Someone else's emergency, told in the present, still needs the emergency number.
        ("my son has a temp and a stiff neck and there's a purple rash", "meningitis"),
        ("my wife is having chest pains going down her left arm", "heart_attack"),
    ],
)
def test_the_project_red_flags_read_questions_dates_and_other_people(nlp: Language, text: str, expected: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    found = matcher.find(tokenizer(nlp)(text))
    assert [match.flag.id for match in found][:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "had knee surgery about 8 years ago, totally unrelated, neck's just tight",  # long past
        "years ago i had an operation on my shoulder, it's just tight now",
        "broke my wrist as a kid, now it aches when it's cold",
        "i used to be on blood thinners but my doctor took me off them",  # a past treatment
        "i was on warfarin for a while but stopped taking it last year",
        "my friend sprained her ankle so im home bored, show me a hand routine",  # someone else's injury
        "my dad had a stroke last year, now my neck is stiff",  # someone else's past emergency
        "my dad has a stiff neck and i have a sore back",
        "my hand tingles and it hurts when i lift my arm",  # "hurts when i lift my arm" is not "hurt my arm"
        "my shoulder isn't as strong as it was, it's getting better with physio",  # "it" points back
    ],
)
def test_the_project_red_flags_leave_past_and_other_peoples_problems_alone(nlp: Language, text: str) -> None:
    matcher = RedFlagMatcher(default_red_flags(), tokenizer(nlp), english_words())
    assert [match.flag.id for match in matcher.find(tokenizer(nlp)(text))] == []
