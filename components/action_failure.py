"""A Rasa dialogue policy that apologises when a custom action failed, and bounds how long one may take.

Rasa 3.6 (`MessageProcessor._run_action`) catches any exception of a custom action (the action
server refused the connection, answered 5xx, or took longer than its time bound), logs it, and
records the action as run with no events; the person then hears nothing. Every Kneadle custom
action returns at least one event or message when it works (tests/unit/test_actions_answer.py), so
an `ActionExecuted` of a custom action with nothing after it means the call failed. This policy
sees exactly that and predicts `utter_action_failed` (a domain response: it needs no action server),
then listening. It works on every channel, because it is part of the model, not of a connector.

Two conversations are not apologised in:
- trackers with no `SessionStarted` event: those are replayed stories and rules (`rasa test`,
  training), which never list an action's bot messages; every live conversation starts with
  Rasa's own `action_session_start`;
- the failed action is `action_after_red_flag`: the escalation was already said (SafetyPolicy's
  domain response), and an apology after it would only blur what to do.

The time bound: Rasa passes `rasa.core.constants.DEFAULT_REQUEST_TIMEOUT` (300 s) with every action
server request and has no setting for it (an endpoint's extra keys in endpoints.yml are ignored).
Loading this policy sets the value `rasa.core.actions.action` uses, once, to `action_timeout`
seconds (config.yml), or to the environment's KNEADLE_ACTION_TIMEOUT when set. This module is the
only place that changes it.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import rasa.core.actions.action
from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME, DEFAULT_ACTION_NAMES
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException

from components.hand_written_policy import HandWrittenPolicy
from components.safety_policy import checked_emergency_number
from kneadle import names

logger = logging.getLogger(__name__)

UTTER_ACTION_FAILED = "utter_action_failed"
TIMEOUT_VARIABLE = "KNEADLE_ACTION_TIMEOUT"
# Actions whose failure is not apologised for (see the module docstring).
NOT_APOLOGISED_FOR = frozenset({names.ACTION_AFTER_RED_FLAG})


def action_timeout(configured: Any, environ: dict[str, str] | None = None) -> float:
    """The action server time bound in seconds: KNEADLE_ACTION_TIMEOUT if set, else the configured one."""
    environ = dict(os.environ) if environ is None else environ
    raw = environ.get(TIMEOUT_VARIABLE) or configured
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        raise InvalidConfigException(
            f"{TIMEOUT_VARIABLE} / action_timeout {raw!r} is not a number of seconds"
        ) from None
    if not 0 < seconds <= 300:
        raise InvalidConfigException(f"{TIMEOUT_VARIABLE} / action_timeout {seconds} is not between 0 and 300 seconds")
    return seconds


def bound_action_requests(seconds: float) -> None:
    """Make every custom action request give up after `seconds` (Rasa reads this name per request)."""
    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds  # type: ignore[attr-defined]


def failed_action(tracker: DialogueStateTracker, domain: Domain) -> str | None:
    """The custom action that just failed in a live conversation, if one did (see the module docstring)."""
    if not tracker.events:
        return None
    last = tracker.events[-1]
    if not isinstance(last, ActionExecuted) or not last.action_name:
        return None
    name = last.action_name
    if name in DEFAULT_ACTION_NAMES or name.startswith("utter_") or name not in domain.user_actions:
        return None
    if not any(isinstance(event, SessionStarted) for event in tracker.events):
        return None
    return name


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class ActionFailurePolicy(HandWrittenPolicy):
    """After a custom action that failed, apologises with a way forward, then listens."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Above SafetyPolicy (7) and RulePolicy (6): a rule's "listen now" after an action must
            # not win over the apology for that action.
            "priority": 8,
            # Seconds a custom action may take before the person gets the apology instead.
            "action_timeout": 5,
            # The number the apology names for urgent help; keep it the SafetyPolicy's.
            "emergency_number": "112",
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.emergency_number = checked_emergency_number(config, "ActionFailurePolicy")
        seconds = action_timeout(config["action_timeout"])
        bound_action_requests(seconds)
        logger.info("Custom actions time out after %s seconds (ActionFailurePolicy).", seconds)

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        failed = failed_action(tracker, domain)
        if failed is not None and failed not in NOT_APOLOGISED_FOR:
            logger.warning("The custom action %s failed; the person is told to try again.", failed)
            events = [SlotSet(names.EMERGENCY_NUMBER, self.emergency_number)]
            return self._predict(domain, UTTER_ACTION_FAILED, events)
        if tracker.latest_action_name == UTTER_ACTION_FAILED:
            return self._predict(domain, ACTION_LISTEN_NAME)
        return self._abstain(domain)
