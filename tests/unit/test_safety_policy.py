"""The Rasa policy that puts safety first: what it predicts after a message, and after its own actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException

from components.safety_policy import SafetyPolicy
from kneadle import names
from tests.conftest import PROJECT_ROOT


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def policy(tmp_path: Path, **config: Any) -> SafetyPolicy:
    return SafetyPolicy(
        {**SafetyPolicy.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("safety"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def message(text: str, intent: str = "report_complaint", *findings: str, **roles: str) -> UserUttered:
    entities = [{"entity": names.FINDING, "value": finding} for finding in findings]
    entities += [{"entity": names.FINDING, "value": finding, "role": role} for finding, role in roles.items()]
    ranking = [{"name": intent, "confidence": 0.9}]
    return UserUttered(text, {"name": intent, "confidence": 0.9}, entities, {"intent_ranking": ranking})


def predict(policy: SafetyPolicy, domain: Domain, *events: Event) -> tuple[str | None, list[Event]]:
    """The action the policy predicts after these events (None: it leaves it to the others), and its events."""
    tracker = DialogueStateTracker.from_events("test", [ActionExecuted(ACTION_LISTEN_NAME), *events], domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None, prediction.events
    return domain.action_names_or_texts[prediction.max_confidence_index], prediction.optional_events


def test_a_red_flag_escalates_with_a_domain_response(tmp_path: Path, rasa_domain: Domain) -> None:
    action, events = predict(
        policy(tmp_path), rasa_domain, message("chest pain and sweaty", "greet", "chest_pain", "sweating")
    )
    assert action == names.UTTER_RED_FLAG
    assert SlotSet(names.TRIAGE_LEVEL, "emergency") in events and SlotSet(names.EMERGENCY_NUMBER, "112") in events


def test_its_own_actions_are_followed_by_the_next_then_listening(tmp_path: Path, rasa_domain: Domain) -> None:
    safety = policy(tmp_path)
    utter = ActionExecuted(names.UTTER_RED_FLAG, policy="SafetyPolicy")
    assert predict(safety, rasa_domain, message("x"), utter)[0] == names.ACTION_AFTER_RED_FLAG
    after = ActionExecuted(names.ACTION_AFTER_RED_FLAG, policy="SafetyPolicy")
    assert predict(safety, rasa_domain, message("x"), utter, after)[0] == ACTION_LISTEN_NAME
    someone_elses = ActionExecuted(names.UTTER_RED_FLAG, policy="RulePolicy")
    assert predict(safety, rasa_domain, message("x"), someone_elses)[0] is None


def test_partial_evidence_asks_then_no_carries_on(tmp_path: Path, rasa_domain: Domain) -> None:
    safety = policy(tmp_path)
    first = message("arm aches, sweaty", "report_complaint", "arm_pain", "sweating")
    action, events = predict(safety, rasa_domain, first)
    assert action == names.UTTER_SAFETY_QUESTION and SlotSet(names.SAFETY_QUESTION, "heart_attack") in events
    asked = [first, *events, ActionExecuted(names.UTTER_SAFETY_QUESTION, policy="SafetyPolicy")]
    assert predict(safety, rasa_domain, *asked, ActionExecuted(ACTION_LISTEN_NAME), message("no", "deny"))[0] == (
        names.ACTION_CARRY_ON
    )
    assert predict(safety, rasa_domain, *asked, ActionExecuted(ACTION_LISTEN_NAME), message("not sure", "greet"))[
        0
    ] == (
        names.UTTER_RED_FLAG  # unsure is taken as yes
    )


def test_nothing_to_say_keeps_the_findings_whichever_policy_answers(tmp_path: Path, rasa_domain: Domain) -> None:
    action, events = predict(policy(tmp_path), rasa_domain, message("my back aches", "report_complaint", "back_pain"))
    assert action is None and events == [SlotSet(names.FINDINGS, ["back_pain"])]


def test_someone_elses_findings_are_kept_apart(tmp_path: Path, rasa_domain: Domain) -> None:
    action, events = predict(policy(tmp_path), rasa_domain, message("his face droops", "greet", face_droop="other"))
    assert action == names.UTTER_RED_FLAG and SlotSet(names.FINDINGS_SOMEONE_ELSE, ["face_droop"]) in events


def test_a_wrong_emergency_number_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(InvalidConfigException, match="emergency_number 'call us'"):
        policy(tmp_path, emergency_number="call us")
