"""The red-flag NLU component on real messages, with the project's spaCy pipeline and files."""

from __future__ import annotations

from typing import Any

import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.training_data.message import Message

from components.red_flag_detector import RedFlagDetector
from kneadle import names
from kneadle.messages import default_messages
from kneadle.red_flags import default_red_flags
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def model() -> SpacyModel:
    return SpacyModel(model=spacy.load(PROJECT_ROOT / "build" / "spacy" / "kneadle_en"), model_name="kneadle_en")


def detector(**config: Any) -> RedFlagDetector:
    return RedFlagDetector({**RedFlagDetector.get_default_config(), **config}, default_red_flags(), default_messages())


def parse(model: SpacyModel, text: str, intent: str = "report_complaint", confidence: float = 0.9) -> Message:
    message = Message(data={"text": text})
    ranking = [{"name": intent, "confidence": confidence}, {"name": "greet", "confidence": 1 - confidence}]
    message.set("intent", ranking[0])
    message.set("intent_ranking", ranking)
    message.set("entities", [{"entity": "body_region", "value": "neck_shoulders", "start": 3, "end": 7}])
    (processed,) = detector().process([message], model)
    return processed


def entities(message: Message) -> dict[str, str]:
    return {e["entity"]: e["value"] for e in message.get("entities") if e.get("extractor") == "RedFlagDetector"}


def test_a_red_flag_overrides_the_intent_and_comes_out_as_entities(model: SpacyModel) -> None:
    message = parse(model, "my neck is stiff and there's a heavy pressure in my chest that spreads into my jaw")
    assert message.get("intent") == {"name": names.INTENT_REPORT_RED_FLAG, "confidence": 1.0}
    assert message.get("intent_ranking")[1]["name"] == "report_complaint"
    found = entities(message)
    assert (found["red_flag"], found["triage_level"], found["emergency_number"]) == ("heart_attack", "emergency", "112")
    assert found["red_flag_message"].startswith("🚨 Please stop, sit down and call 112 now.")
    assert any(e["entity"] == "body_region" for e in message.get("entities")), "the classifier's entities stay"


def test_the_most_serious_flag_wins(model: SpacyModel) -> None:
    message = parse(model, "i'm pregnant and my face has gone droopy on one side")
    assert entities(message)["red_flag"] == "stroke"


@pytest.mark.parametrize(
    "text",
    [
        "my neck is stiff",
        "my dad had a stroke last year, now my neck is stiff",
        "",
        '/report_complaint{"body_region": "hands"}',
    ],
)
def test_ordinary_messages_and_payloads_pass_through(model: SpacyModel, text: str) -> None:
    message = parse(model, text)
    assert message.get("intent")["name"] == "report_complaint"
    assert entities(message) == {}


def test_the_classifier_alone_does_not_escalate_but_asks_for_a_safety_note(model: SpacyModel) -> None:
    confident = parse(model, "something is really wrong with me", intent=names.INTENT_REPORT_RED_FLAG, confidence=0.95)
    assert confident.get("intent")["name"] == "greet", "the next-best intent carries on"
    assert entities(confident) == {"red_flag_check": "report_red_flag", "emergency_number": "112"}
    unsure = parse(model, "something is really wrong with me", intent=names.INTENT_REPORT_RED_FLAG, confidence=0.5)
    assert entities(unsure) == {}


def test_the_emergency_number_comes_from_the_config(model: SpacyModel) -> None:
    message = Message(data={"text": "my face is drooping and my speech is slurred"})
    (processed,) = detector(emergency_number=999).process([message], model)
    assert entities(processed)["emergency_number"] == "999"
    assert "call 999 now" in entities(processed)["red_flag_message"]


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        ({"emergency_number": "call us"}, "not a phone number"),
        ({"classifier_threshold": 1.5}, "not between 0 and 1"),
    ],
)
def test_a_bad_config_fails_naming_the_setting(config: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidConfigException, match=problem):
        detector(**config)
