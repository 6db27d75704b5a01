"""A Rasa dialogue policy that puts safety first, in the Rasa server, with no action server needed.

After every user message it hands the conversation's safety slots and the message's `finding`
entities (components/findings_detector.py) to the safety decision (kneadle.safety.policy), then:
- a red flag met, or yes to a safety question: predicts `utter_red_flag` (the escalation is a domain
  response), then `action_after_red_flag` (ends a walk-through, notes a caution), then listens;
- partial evidence: predicts `utter_safety_question` (the question, with Yes and No buttons);
- no to the question: predicts `action_carry_on`, which handles the interrupted message as usual;
- otherwise predicts nothing, and the other policies answer; the new findings are kept all the same.
Its priority is above the RulePolicy's, so a safety step always comes before anything else. The
slots it sets (triage_level, red_flag, findings, safety_question...) have only `custom` mappings: no
typed or button payload can set them.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import InvalidConfigException

from components.hand_written_policy import HandWrittenPolicy
from kneadle import names
from kneadle.messages import default_messages
from kneadle.safety.findings import Found, Role, default_findings
from kneadle.safety.flags import default_red_flags
from kneadle.safety.policy import Answer, Decision, Evidence, Outcome, Safety, SafetyState
from kneadle.safety.scope import default_scope_words

EMERGENCY_NUMBER_FORMAT = re.compile(r"^\+?[0-9]{2,6}$")


def checked_emergency_number(config: dict[str, Any], policy: str) -> str:
    """The policy's `emergency_number`, or an error naming the policy when it is not a phone number."""
    number = str(config["emergency_number"])
    if not EMERGENCY_NUMBER_FORMAT.match(number):
        raise InvalidConfigException(f"{policy}: emergency_number '{number}' is not a phone number like 112")
    return number


# What the policy predicts for each outcome, right after the user's message.
FIRST_ACTION = {
    Outcome.ESCALATE: names.UTTER_RED_FLAG,
    Outcome.ASK: names.UTTER_SAFETY_QUESTION,
    Outcome.ASK_AGAIN: names.UTTER_SAFETY_QUESTION,
    Outcome.CARRY_ON: names.ACTION_CARRY_ON,
}
# What follows each of its own actions.
NEXT_ACTION = {
    names.UTTER_RED_FLAG: names.ACTION_AFTER_RED_FLAG,
    names.ACTION_AFTER_RED_FLAG: ACTION_LISTEN_NAME,
    names.UTTER_SAFETY_QUESTION: ACTION_LISTEN_NAME,
}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class SafetyPolicy(HandWrittenPolicy):
    """Escalates red flags and asks safety questions before any other policy answers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # Above RulePolicy (6): a safety step wins over every rule and story.
            "priority": 7,
            # The number every escalation names. 112 reaches emergency services across Europe and
            # from most mobile phones; set 999 (UK), 911 (US, Canada) or 000 (Australia) locally.
            "emergency_number": "112",
            # At or above this confidence in the `report_red_flag` intent, with no finding that
            # explains it, the bot asks a safety question.
            "classifier_threshold": 0.8,
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
        self.emergency_number = checked_emergency_number(config, "SafetyPolicy")
        self.classifier_threshold = float(config["classifier_threshold"])
        if not 0 < self.classifier_threshold <= 1:
            raise InvalidConfigException(
                f"SafetyPolicy: classifier_threshold {self.classifier_threshold} is not between 0 and 1"
            )
        # Read the data files when the model loads, so a broken one stops start-up.
        self.safety = Safety(default_red_flags(), default_findings(), default_messages(), self.emergency_number)
        self.unsure_answers = default_scope_words().unsure_answers

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        if _just_heard_the_user(tracker):
            return self._after_message(tracker, domain)
        last = _last_action(tracker)
        if last is not None and last.policy == self.__class__.__name__ and last.action_name in NEXT_ACTION:
            return self._predict(domain, NEXT_ACTION[last.action_name])
        return self._abstain(domain)

    def _after_message(self, tracker: DialogueStateTracker, domain: Domain) -> PolicyPrediction:
        state = SafetyState.from_slots(tracker.current_slot_values())
        decision = self.safety.decide(state, self._evidence(tracker))
        events = _slot_events(state, decision)
        action = FIRST_ACTION.get(decision.outcome)
        if action is None:
            # Nothing to say: the new findings are kept whichever policy answers.
            return self._prediction(self._default_predictions(domain), events=events)
        if decision.text and decision.outcome is Outcome.ESCALATE:
            events.append(SlotSet(names.EMERGENCY_NUMBER, self.emergency_number))
        if decision.text and decision.outcome in (Outcome.ASK, Outcome.ASK_AGAIN):
            events.append(SlotSet(names.SAFETY_PROMPT, decision.text))
        return self._predict(domain, action, events)

    def _evidence(self, tracker: DialogueStateTracker) -> Evidence:
        """What the latest message shows: findings, a yes or no, the classifier's red flag, regions."""
        message = tracker.latest_message
        if message is None:
            return Evidence()
        found = frozenset(
            Found(str(entity.get("value")), _role(entity.get("role")))
            for entity in message.entities
            if entity.get("entity") == names.FINDING
        )
        intent = message.intent.get("name")
        text = (message.text or "").lower()
        answer = Answer.NONE
        if intent == names.INTENT_AFFIRM or self._unsure(text):
            answer = Answer.YES  # a safety question answered "not sure" is taken as yes
        elif intent == names.INTENT_DENY:
            answer = Answer.NO
        confidence = next(
            (float(ranked.get("confidence") or 0) for ranked in message.parse_data.get("intent_ranking") or []
             if ranked.get("name") == names.INTENT_REPORT_RED_FLAG),
            0.0,
        )  # fmt: skip
        regions = tuple(
            str(entity.get("value")) for entity in message.entities if entity.get("entity") == names.BODY_REGION
        )
        return Evidence(found, answer, confidence >= self.classifier_threshold, regions)

    def _unsure(self, text: str) -> bool:
        return any(
            re.search(rf"\b{re.escape(' '.join(word.text for word in entry))}\b", text)
            for entry in self.unsure_answers.entries
        )


def _role(value: Any) -> Role:
    return next((role for role in Role if role.value == value), Role.SELF)


def _slot_events(before: SafetyState, decision: Decision) -> list[Event]:
    """SlotSet events for the safety slots the decision changed."""
    old, new = before.slots(), decision.state.slots()
    return [SlotSet(name, value) for name, value in new.items() if old.get(name) != value]


def _last_action(tracker: DialogueStateTracker) -> ActionExecuted | None:
    return next((event for event in reversed(tracker.events) if isinstance(event, ActionExecuted)), None)


def _just_heard_the_user(tracker: DialogueStateTracker) -> bool:
    """Whether this is the first prediction after a user message (nothing run since it came)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted):
            return False
    return False
