"""The policy that apologises when a custom action failed, and the time bound it sets for action calls.

Trackers are Rasa's real DialogueStateTracker with the project's domain (plus the apology response the
lead adds to domain.yml); the time bound is checked with Rasa's real RemoteAction against a fake
action server on loopback that sleeps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest
import rasa.core.actions.action
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException
from rasa.utils.endpoints import EndpointConfig

from components.action_failure import UTTER_ACTION_FAILED, ActionFailurePolicy, action_timeout
from kneadle import names
from tests.conftest import PROJECT_ROOT

APOLOGY = (
    "Sorry, I couldn't do that just now. Please try again in a moment; if this is urgent, call {emergency_number}."
)


@pytest.fixture(scope="module")
def rasa_domain() -> Domain:
    """domain.yml with the apology response the lead adds (see the report for the exact lines)."""
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    if UTTER_ACTION_FAILED in domain.responses:
        return domain
    return domain.merge(Domain.from_dict({"responses": {UTTER_ACTION_FAILED: [{"text": APOLOGY}]}}))


@pytest.fixture
def keep_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put Rasa's action time bound back after the test (the policy changes it when it loads)."""
    monkeypatch.setattr(
        rasa.core.actions.action, "DEFAULT_REQUEST_TIMEOUT", rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT
    )
    monkeypatch.delenv("KNEADLE_ACTION_TIMEOUT", raising=False)


def policy(tmp_path: Path, **config: Any) -> ActionFailurePolicy:
    return ActionFailurePolicy(
        {**ActionFailurePolicy.get_default_config(), **config},
        LocalModelStorage(tmp_path),
        Resource("action_failure"),
        ExecutionContext(GraphSchema({}), "test"),
    )


LIVE_START = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted(), ActionExecuted(ACTION_LISTEN_NAME)]


def predict(policy: ActionFailurePolicy, domain: Domain, *events: Event, live: bool = True) -> tuple[str | None, list]:
    """The action the policy predicts after these events (None: it leaves it to the others), and its events."""
    start = LIVE_START if live else [ActionExecuted(ACTION_LISTEN_NAME)]
    tracker = DialogueStateTracker.from_events("test", [*start, *events], domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if prediction.max_confidence == 0:
        return None, []
    return domain.action_names_or_texts[prediction.max_confidence_index], prediction.optional_events


NEXT = UserUttered("next", {"name": "next_step", "confidence": 1.0})
FAILED_STEP = ActionExecuted(names.ACTION_NEXT_STEP, policy="RulePolicy", confidence=1.0)


def test_a_custom_action_with_nothing_after_it_gets_the_apology(
    tmp_path: Path, rasa_domain: Domain, keep_timeout: None
) -> None:
    action, events = predict(policy(tmp_path), rasa_domain, NEXT, FAILED_STEP)
    assert action == UTTER_ACTION_FAILED
    assert events == [SlotSet(names.EMERGENCY_NUMBER, "112")]


def test_after_the_apology_the_bot_listens(tmp_path: Path, rasa_domain: Domain, keep_timeout: None) -> None:
    apology = [ActionExecuted(UTTER_ACTION_FAILED), BotUttered("Sorry...")]
    assert predict(policy(tmp_path), rasa_domain, NEXT, FAILED_STEP, *apology)[0] == ACTION_LISTEN_NAME


@pytest.mark.parametrize(
    "after",
    [
        [BotUttered("Step 5 of 10: ...")],
        [SlotSet(names.STEP_NUMBER, 5.0)],
    ],
    ids=["a message", "a slot"],
)
def test_a_custom_action_that_answered_is_left_alone(
    tmp_path: Path, rasa_domain: Domain, keep_timeout: None, after: list[Event]
) -> None:
    assert predict(policy(tmp_path), rasa_domain, NEXT, FAILED_STEP, *after)[0] is None


def test_replayed_stories_are_left_alone(tmp_path: Path, rasa_domain: Domain, keep_timeout: None) -> None:
    """Test stories and rules never list an action's messages, and have no session start."""
    assert predict(policy(tmp_path), rasa_domain, NEXT, FAILED_STEP, live=False)[0] is None


def test_no_apology_after_an_escalation(tmp_path: Path, rasa_domain: Domain, keep_timeout: None) -> None:
    escalation = [ActionExecuted(names.UTTER_RED_FLAG), BotUttered("🚨 ... call 112 now")]
    after = ActionExecuted(names.ACTION_AFTER_RED_FLAG, policy="SafetyPolicy", confidence=1.0)
    assert predict(policy(tmp_path), rasa_domain, NEXT, *escalation, after)[0] is None


@pytest.mark.parametrize("last", [ACTION_LISTEN_NAME, "utter_greet", ACTION_SESSION_START_NAME])
def test_responses_and_rasa_actions_are_left_alone(
    tmp_path: Path, rasa_domain: Domain, keep_timeout: None, last: str
) -> None:
    assert predict(policy(tmp_path), rasa_domain, NEXT, ActionExecuted(last))[0] is None


def test_the_apology_names_the_configured_number(tmp_path: Path, rasa_domain: Domain, keep_timeout: None) -> None:
    _, events = predict(policy(tmp_path, emergency_number="999"), rasa_domain, NEXT, FAILED_STEP)
    assert events == [SlotSet(names.EMERGENCY_NUMBER, "999")]
    with pytest.raises(InvalidConfigException, match="emergency_number"):
        policy(tmp_path, emergency_number="call us")


def test_loading_the_policy_bounds_action_calls(
    tmp_path: Path, keep_timeout: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy(tmp_path, action_timeout=3)
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 3
    monkeypatch.setenv("KNEADLE_ACTION_TIMEOUT", "1.5")
    policy(tmp_path, action_timeout=3)
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 1.5


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "301"])
def test_a_bad_time_bound_stops_loading(raw: str) -> None:
    with pytest.raises(InvalidConfigException, match="KNEADLE_ACTION_TIMEOUT"):
        action_timeout(5, {"KNEADLE_ACTION_TIMEOUT": raw})


class SlowActionServer(BaseHTTPRequestHandler):
    """An action server that takes 5 seconds to answer anything."""

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        time.sleep(5)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"events": [], "responses": []}')

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        """Quiet."""


@pytest.fixture
def slow_action_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowActionServer)
    server.daemon_threads = True
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/webhook"
    server.shutdown()
    server.server_close()


def test_a_slow_action_server_fails_the_call_within_the_bound(
    tmp_path: Path, rasa_domain: Domain, keep_timeout: None, slow_action_server: str
) -> None:
    """Rasa's own RemoteAction gives up after the policy's bound instead of 300 s, so the
    processor records the action with no events and the policy apologises."""
    policy(tmp_path, action_timeout=1)
    action = RemoteAction(names.ACTION_NEXT_STEP, EndpointConfig(slow_action_server))
    tracker = DialogueStateTracker.from_events("test", [*LIVE_START, NEXT], rasa_domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    started = time.monotonic()
    with pytest.raises(asyncio.TimeoutError):
        asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, rasa_domain))
    assert time.monotonic() - started < 3
