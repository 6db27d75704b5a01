"""An NLU component that checks every message for red flags, deterministically.

It runs the phrase matcher (kneadle.red_flag_matcher) on the spaCy tokens and lemmas of each
message. A match overrides the classifier: the intent becomes `report_red_flag` and the flag
comes out as entities (`red_flag`, `triage_level`, the rendered `red_flag_message` and the
`emergency_number`). Slot mappings, one rule and one domain response then escalate, so
escalation needs neither the intent classifier nor the action server.

The trained classifier is a second, independent signal. When it reads a message as
`report_red_flag` with high confidence but no pattern matched, the component does not escalate
(on our labelled sets that would raise 10-20% false alarms: the classifier does not understand
"no numbness" or "my dad had a stroke"). It hands the message to the next-best intent and adds a
`red_flag_check` entity, so the actions put a short safety note before their reply.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language

from kneadle import names
from kneadle.escalation import escalation_text
from kneadle.messages import Catalog, default_messages
from kneadle.red_flag_matcher import RedFlagMatcher, Token, tokens_from_words
from kneadle.red_flags import RedFlag, RedFlagFile, default_red_flags
from kneadle.spelling import english_words

EMERGENCY_NUMBER_FORMAT = re.compile(r"^\+?[0-9]{2,6}$")


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
    model_from="SpacyNLP",
)
class RedFlagDetector(GraphComponent):
    """Finds red flags in each message and reports the most serious one."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            # The number every escalation names. 112 reaches emergency services across Europe and
            # from most mobile phones; set 999 (UK), 911 (US, Canada) or 000 (Australia) locally.
            "emergency_number": "112",
            # At or above this confidence in `report_red_flag`, with no pattern matched, the
            # reply starts with a safety note.
            "classifier_threshold": 0.8,
        }

    def __init__(self, config: dict[str, Any], red_flags: RedFlagFile, catalog: Catalog) -> None:
        self.emergency_number = str(config["emergency_number"])
        if not EMERGENCY_NUMBER_FORMAT.match(self.emergency_number):
            raise InvalidConfigException(
                f"RedFlagDetector: emergency_number '{self.emergency_number}' is not a phone number like 112"
            )
        self.classifier_threshold = float(config["classifier_threshold"])
        if not 0 < self.classifier_threshold <= 1:
            raise InvalidConfigException(
                f"RedFlagDetector: classifier_threshold {self.classifier_threshold} is not between 0 and 1"
            )
        self.red_flags = red_flags
        self.catalog = catalog
        self._matcher: RedFlagMatcher | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        """Reads the red-flag file when the model loads, so a broken file stops start-up."""
        return cls(config, default_red_flags(), default_messages())

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        matcher = self._matcher_for(model.model)
        for message in messages:
            flag = self._detect(message, matcher, model.model)
            if flag is not None:
                self._report(message, flag)
            elif self._classifier_confidence(message) >= self.classifier_threshold:
                self._ask_to_check(message)
        return messages

    def _matcher_for(self, nlp: Language) -> RedFlagMatcher:
        """The matcher, built once: its phrases go through the same spaCy pipeline as messages."""
        if self._matcher is None:
            self._matcher = RedFlagMatcher(self.red_flags, lambda text: _tokens(nlp(text)), english_words())
        return self._matcher

    def _detect(self, message: Message, matcher: RedFlagMatcher, nlp: Language) -> RedFlag | None:
        text = message.get(TEXT) or ""
        if not text.strip() or text.startswith("/"):
            return None  # empty, or an intent payload that Rasa's RegexMessageHandler parses
        doc = message.get(SPACY_DOCS[TEXT]) or nlp(text)
        matches = matcher.find(_tokens(doc))
        return matches[0].flag if matches else None

    @staticmethod
    def _classifier_confidence(message: Message) -> float:
        """The trained classifier's confidence in `report_red_flag` (even under a fallback)."""
        for ranked in message.get(INTENT_RANKING_KEY) or []:
            if ranked.get(INTENT_NAME_KEY) == names.INTENT_REPORT_RED_FLAG:
                return float(ranked.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        return 0.0

    def _ask_to_check(self, message: Message) -> None:
        """The classifier alone: the next-best intent carries on, with a note to check first."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        others = [ranked for ranked in ranking if ranked.get(INTENT_NAME_KEY) != names.INTENT_REPORT_RED_FLAG]
        if message.get(INTENT, {}).get(INTENT_NAME_KEY) == names.INTENT_REPORT_RED_FLAG:
            fallback = {INTENT_NAME_KEY: "nlu_fallback", PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, others[0] if others else fallback, add_to_output=True)
        self._add_entities(
            message, {names.RED_FLAG_CHECK: names.INTENT_REPORT_RED_FLAG, names.EMERGENCY_NUMBER: self.emergency_number}
        )

    def _report(self, message: Message, flag: RedFlag) -> None:
        intent = {INTENT_NAME_KEY: names.INTENT_REPORT_RED_FLAG, PREDICTED_CONFIDENCE_KEY: 1.0}
        others = message.get(INTENT_RANKING_KEY) or []
        ranking = [ranked for ranked in others if ranked.get(INTENT_NAME_KEY) != names.INTENT_REPORT_RED_FLAG]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        found = {
            names.RED_FLAG: flag.id,
            names.TRIAGE_LEVEL: flag.level,
            names.RED_FLAG_MESSAGE: escalation_text(self.catalog, flag, self.emergency_number),
            names.EMERGENCY_NUMBER: self.emergency_number,
        }
        self._add_entities(message, found)

    @staticmethod
    def _add_entities(message: Message, found: dict[str, str]) -> None:
        length = len(message.get(TEXT) or "")
        entities = [e for e in message.get(ENTITIES) or [] if e.get(ENTITY_ATTRIBUTE_TYPE) not in found]
        entities += [
            {
                ENTITY_ATTRIBUTE_TYPE: entity,
                ENTITY_ATTRIBUTE_VALUE: value,
                ENTITY_ATTRIBUTE_START: 0,
                ENTITY_ATTRIBUTE_END: length,
                EXTRACTOR: names.RED_FLAG_EXTRACTOR,
            }
            for entity, value in found.items()
        ]
        message.set(ENTITIES, entities, add_to_output=True)


def _tokens(doc: Any) -> list[Token]:
    return tokens_from_words((token.text, token.lemma_) for token in doc)
