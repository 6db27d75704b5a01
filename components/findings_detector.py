"""An NLU component that finds the clinical findings red flags are made of, in every message.

It runs the findings matcher (kneadle.safety.findings) on the message's tokens, after the spelling
corrector, so "numbess" and "sholder" count as spelt. Each finding becomes a `finding` entity whose
value is the finding id and whose role says whose it is: none for the writer's, now; `other` for
someone with the writer, now; `unsure` for one only asked about; `explained` for one given an
ordinary cause; `absent` for one named but not there (negated, over, feared, someone's history).

It decides nothing: the safety policy (components/safety_policy.py) adds the findings up across the
conversation and escalates or asks. The trained `report_red_flag` intent is a signal for that policy,
never a route for the dialogue rules: when the classifier puts it first, the next likeliest intent
takes its place and it stays in the ranking, where the policy reads its confidence. It needs no
training and no action server.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_ROLE,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from spacy.language import Language

from kneadle import names
from kneadle.safety.findings import FindingsMatcher, Role, default_findings
from kneadle.safety.scope import default_scope_words
from kneadle.safety.words import Token, pipeline_tokenizer
from kneadle.spelling import english_words


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False, model_from="SpacyNLP")
class FindingsDetector(GraphComponent):
    """Finds clinical findings, with whose and when they are, as `finding` entities."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> FindingsDetector:
        """Reads the findings and scope words when the model loads, so a broken file stops start-up."""
        default_findings()
        default_scope_words()
        return cls()

    def __init__(self) -> None:
        self._matcher: FindingsMatcher | None = None

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        matcher = self._matcher_for(model.model)
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):
                continue  # empty, or an intent payload that Rasa's RegexMessageHandler parses
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            words, origins = _words(tokens)
            entities = [
                {
                    ENTITY_ATTRIBUTE_TYPE: names.FINDING,
                    ENTITY_ATTRIBUTE_VALUE: item.finding,
                    **({ENTITY_ATTRIBUTE_ROLE: item.role.value} if item.role is not Role.SELF else {}),
                    ENTITY_ATTRIBUTE_START: tokens[origins[item.span[0]]].start,
                    ENTITY_ATTRIBUTE_END: tokens[origins[item.span[1]]].end,
                    EXTRACTOR: self.__class__.__name__,
                }
                for item in sorted(matcher.find(words), key=lambda item: item.span)
            ]
            if entities:
                message.set(ENTITIES, [*(message.get(ENTITIES) or []), *entities], add_to_output=True)
            _second_intent_first(message)
        return messages

    def _matcher_for(self, nlp: Language) -> FindingsMatcher:
        """The matcher, built once: the data's phrases go through the same spaCy pipeline as messages."""
        if self._matcher is None:
            self._matcher = FindingsMatcher(
                default_findings(), default_scope_words(), pipeline_tokenizer(nlp), english_words()
            )
        return self._matcher


def _second_intent_first(message: Message) -> None:
    """When the classifier reads a red flag first, the next likeliest intent leads instead."""
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) != names.INTENT_REPORT_RED_FLAG:
        return
    ranking = [
        ranked
        for ranked in message.get(INTENT_RANKING_KEY) or []
        if ranked.get(INTENT_NAME_KEY) != names.INTENT_REPORT_RED_FLAG
    ]
    if ranking:
        message.set(INTENT, ranking[0], add_to_output=True)


def _words(tokens: list[Any]) -> tuple[list[Token], list[int]]:
    """The matcher's words from Rasa's tokens, and the token each comes from. A misspelling the
    spelling corrector read as two words ("lowerback" -> "lower back") gives two words."""
    words: list[Token] = []
    origins: list[int] = []
    for index, token in enumerate(tokens):
        lemma = (token.lemma or token.text).lower()
        pieces = lemma.split()
        found = [Token(piece, piece) for piece in pieces] if len(pieces) > 1 else [Token(token.text.lower(), lemma)]
        words.extend(found)
        origins.extend([index] * len(found))
    return words, origins
