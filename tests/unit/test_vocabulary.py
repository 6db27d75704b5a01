"""The vocabulary components: misspelt body parts and symptoms count, ordinary words stay as they are."""

from __future__ import annotations

import json

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from components.vocabulary import EntityCanonicalizer, SpellingCorrector, english_words
from kneadle.durations import duration_value
from kneadle.knowledge import PROJECT_ROOT
from kneadle.vocabulary import Term, Vocabulary


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[SpellingCorrector, EntityCanonicalizer]:
    """Both components trained on the project's NLU data, then loaded back from model storage."""
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    context = ExecutionContext(GraphSchema({}), "test")
    training_data = load_data(str(PROJECT_ROOT / "data" / "nlu"))
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process_training_data(training_data)
    loaded = []
    for cls in (SpellingCorrector, EntityCanonicalizer):
        resource = Resource(cls.__name__)
        config = {**cls.get_default_config()}
        cls.create(config, storage, resource, context).train(training_data)
        loaded.append(cls.load(config, storage, resource, context))
    return loaded[0], loaded[1]


def _message(text: str) -> Message:
    message = Message({TEXT: text})
    tokens, offset = [], 0
    for word in text.split():
        start = text.index(word, offset)
        tokens.append(Token(word, start, lemma=word))
        offset = start + len(word)
    message.set(TOKENS_NAMES[TEXT], tokens)
    return message


def _lemmas(corrector: SpellingCorrector, text: str) -> list[str]:
    message = corrector.process([_message(text)])[0]
    return [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("sholder", "shoulder"),
        ("nek", "neck"),
        ("numbess", "numbness"),
        ("lowerback", "lower back"),
        ("fingures", "fingers"),
        ("neckk", "neck"),
        ("wirst", "wrist"),
        ("tierd", "tired"),
        ("stiffnes", "stiffness"),
        ("uperback", "upper back"),
    ],
)
def test_misspelt_vocabulary_words_get_the_real_word_as_lemma(trained, typed: str, meant: str) -> None:
    corrector, _ = trained
    assert _lemmas(corrector, f"my {typed} is bad") == ["my", meant, "is", "bad"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("show me the nxet step", "next"), ("anotehr one please", "another"), ("a different technque", "technique")],
)
def test_misspelt_words_get_the_training_word_meant(trained, typed: str, meant: str) -> None:
    corrector, _ = trained
    assert meant in _lemmas(corrector, typed)


def test_of_two_training_words_a_slip_away_the_one_used_more_is_meant() -> None:
    english = {"next", "nut"}
    assert Vocabulary.build([], english, {"next": 5, "nut": 1}).canonical_word("nxt") == "next"
    assert Vocabulary.build([], english, {"next": 1, "nut": 5}).canonical_word("nxt") == "nut"


def test_a_misspelling_is_never_read_as_another_misspelling() -> None:
    terms = [Term("body_region", "neck", "neck_shoulders"), Term("body_region", "nek", "neck_shoulders")]
    vocabulary = Vocabulary.build(terms, {"neck", "next"}, {"next": 3, "neck": 2, "nek": 1})
    assert vocabulary.canonical_word("nek") == "neck"
    assert vocabulary.canonical_word("nex") == "next"


def test_words_of_the_training_data_are_never_corrected() -> None:
    vocabulary = Vocabulary.build([], {"next"}, {"next": 5, "nxt": 1})
    assert vocabulary.canonical_word("nxt") is None
    assert vocabulary.canonical_word("nextt") == "next"


@pytest.mark.parametrize(
    "text",
    [
        "i should pack my bag",
        "the light is too bright",
        "i'm back, thanks for your help",
        "on the other hand it's fine",
        "had a bad day at work",
        "lol ok sure",
    ],
)
def test_ordinary_words_are_never_corrected(trained, text: str) -> None:
    corrector, _ = trained
    assert _lemmas(corrector, text) == text.split()


def _entity(entity: str, value: str) -> dict:
    return {"entity": entity, "value": value, "start": 0, "end": len(value), "extractor": "DIETClassifier"}


@pytest.mark.parametrize(
    ("entity", "value", "expected"),
    [
        ("body_region", "nek", "neck_shoulders"),
        ("body_region", "top of my sholders", "neck_shoulders"),
        ("body_region", "my left hand", "hands"),
        ("body_region", "lower bak", "lower_back"),
        ("body_region", "hands", "hands"),
        ("body_region", "tailbone", "lower_back"),
        ("body_region", "lower", "lower_back"),
        ("symptom", "numbnes", "numbness"),
        ("side", "lft", "left"),
        ("pressure", "less pressure", "lighter"),
        ("pressure", "firmr", "firmer"),
        ("duration", "for 3 wks", "weeks"),
        ("duration", "since yesterday", "days"),
    ],
)
def test_entities_get_their_slot_values(trained, entity: str, value: str, expected: str) -> None:
    _, canonicalizer = trained
    message = Message({TEXT: value, ENTITIES: [_entity(entity, value)]})
    [found] = canonicalizer.process([message])[0].get(ENTITIES)
    assert found["value"] == expected


@pytest.mark.parametrize(
    ("entity", "value"),
    [("body_region", "super"), ("body_region", "backpack"), ("duration", "for a bit"), ("pressure", "whatever")],
)
def test_entities_that_are_not_what_they_claim_are_dropped(trained, entity: str, value: str) -> None:
    _, canonicalizer = trained
    technique = _entity("technique_id", "hand_self_massage")
    message = Message({TEXT: value, ENTITIES: [_entity(entity, value), technique]})
    assert [e["entity"] for e in canonicalizer.process([message])[0].get(ENTITIES)] == ["technique_id"]


def test_a_real_word_near_a_vocabulary_word_stays_itself() -> None:
    vocabulary = Vocabulary.build([Term("body_region", "back", "back")], english={"back", "pack", "bark"})
    assert vocabulary.canonical_word("bakc") == "back"
    assert vocabulary.canonical_word("pack") is None
    assert vocabulary.canonical_word("bark") is None


def test_the_vocabulary_survives_storage() -> None:
    vocabulary = Vocabulary.build(
        [Term("body_region", "shoulder", "neck_shoulders"), Term("body_region", "sholder", "neck_shoulders")],
        english={"shoulder", "should", "next"},
        training_words={"next": 2},
    )
    copy = Vocabulary.from_dict(json.loads(json.dumps(vocabulary.to_dict())), vocabulary.english)
    assert copy.canonical_word("sholder") == "shoulder"
    assert copy.value("body_region", "shoulderr") == "neck_shoulders"
    assert copy.canonical_word("should") is None
    assert copy.canonical_word("nxet") == "next"


def test_english_words_come_from_the_installed_spacy_tables() -> None:
    words = english_words()
    assert {"shoulder", "should", "pack", "back"} <= words
    assert not {"sholder", "numbess"} & words


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("for three days", "days"),
        ("2 wks", "weeks"),
        ("a couple of weeeks", "weeks"),
        ("since last year", "years"),
        ("for ages", "months"),
        ("since this morning", "hours"),
        ("a week and a half, maybe 10 days", "weeks"),
        ("for a while", None),
    ],
)
def test_duration_units(text: str, unit: str | None) -> None:
    assert duration_value(text) == unit


def _symptom_at(text: str, word: str) -> dict:
    start = text.index(word)
    return {"entity": "symptom", "value": "pain", "start": start, "end": start + len(word), "extractor": "DIET"}


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("bak hurts", ["back"]),
        ("my lowerback hurts", ["lower_back"]),
        ("hurts between my shoulder blades", ["upper_back"]),
        ("it hurts", []),
    ],
)
def test_a_body_part_beside_a_symptom_is_looked_up_when_diet_missed_it(trained, text: str, regions: list) -> None:
    corrector, canonicalizer = trained
    message = corrector.process([_message(text)])[0]
    message.set(ENTITIES, [_symptom_at(text, "hurts")])
    found = canonicalizer.process([message])[0].get(ENTITIES)
    assert [e["value"] for e in found if e["entity"] == "body_region"] == regions


def test_no_body_part_is_looked_up_without_a_symptom(trained) -> None:
    corrector, canonicalizer = trained
    message = corrector.process([_message("i'm back, give me a hand")])[0]
    message.set(ENTITIES, [])
    assert canonicalizer.process([message])[0].get(ENTITIES) == []


@pytest.mark.parametrize("intent", ["report_complaint", "report_red_flag"])
def test_a_complaint_with_no_body_part_found_is_looked_up(trained, intent: str) -> None:
    corrector, canonicalizer = trained
    message = corrector.process([_message("ugh my nek today")])[0]
    message.set(ENTITIES, [])
    message.set("intent", {"name": intent, "confidence": 0.9})
    assert [e["value"] for e in canonicalizer.process([message])[0].get(ENTITIES)] == ["neck_shoulders"]
