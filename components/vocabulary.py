"""Two NLU components that make misspelt body parts and symptoms count as the real words.

- `SpellingCorrector` runs after the tokenizer: a token that is a misspelt vocabulary word gets
  that word as its lemma ("sholder" -> "shoulder", "lowerback" -> "lower back"), so the
  featurizers, and through them the intent classifier and DIET's entity tagger, see the word
  people meant. The token's text and position stay as typed.
- `EntityCanonicalizer` runs after DIET and the synonym mapper: each `body_region`, `symptom`
  `side` and `pressure` entity gets its slot value through the same corrections ("nek" -> neck_shoulders);
  one whose words are not the entity's at all ("super", "backpack") is dropped rather than
  passed on as a value no slot accepts. `duration` gets its unit (hours ... years). A body part
  DIET missed in a complaint, or beside a symptom it found, is looked up in the vocabulary
  ("bak hurts").

Both learn the vocabulary from the training data (annotated entities and synonyms in
`data/nlu/`, and every word used). Real words, from spaCy's English word lists, are never
corrected ("should" is not "shoulder", "pack" is not "back"), nor is any word of the training data.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from kneadle.clarifying import FALLBACK_INTENT
from kneadle.durations import duration_value
from kneadle.spelling import english_words
from kneadle.vocabulary import Term, Vocabulary

VOCABULARY_FILE = "vocabulary.json"


class _VocabularyComponent(GraphComponent):
    """Learns the vocabulary of the configured entities from the training data and stores it."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Each fills a categorical slot, which ignores any value but its own: "lightr" must
        # arrive as "lighter".
        return {"entities": ["body_region", "symptom", "side", "pressure"]}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.config = config
        self.entities = list(config["entities"])
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or Vocabulary(())

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> _VocabularyComponent:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> _VocabularyComponent:
        with model_storage.read_from(resource) as directory:
            data = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, Vocabulary.from_dict(data, english_words()))

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = Vocabulary.build(self._terms(training_data), english_words(), _word_counts(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(self.vocabulary.to_dict()), encoding="utf-8")
        return self._resource

    def _terms(self, training_data: TrainingData) -> list[Term]:
        """Every annotated entity's words, and every synonym of a value those entities take."""
        terms = []
        entity_of_value: dict[str, str] = {}
        for example in training_data.entity_examples:
            text = example.get(TEXT)
            for entity in example.get(ENTITIES) or []:
                name, value = entity[ENTITY_ATTRIBUTE_TYPE], str(entity[ENTITY_ATTRIBUTE_VALUE])
                if name in self.entities:
                    terms.append(Term(name, text[entity["start"] : entity["end"]], value))
                    entity_of_value[value] = name
        for synonym, value in training_data.entity_synonyms.items():
            if value in entity_of_value:
                terms.append(Term(entity_of_value[value], synonym, value))
        return terms


def _word_counts(training_data: TrainingData) -> Counter[str]:
    """How often each word (lower case, letters only) is used in the training examples."""
    return Counter(
        word
        for example in training_data.training_examples
        for token in example.get(TOKENS_NAMES[TEXT]) or []
        if (word := token.text.lower()).isalpha()
    )


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class SpellingCorrector(_VocabularyComponent):
    """Gives misspelt words their real word as lemma, before featurization."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                meant = self.vocabulary.canonical_word(token.text)
                if meant is not None:
                    token.lemma = meant
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=True)
class EntityCanonicalizer(_VocabularyComponent):
    """Maps extracted entity values to slot values, and drops those that are not the entity's."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **_VocabularyComponent.get_default_config(),
            "duration_entity": "duration",
            # An entity DIET missed is looked up in the vocabulary when the other one was found,
            # or the message is a complaint: "back hurts" names the back, while "I'm back" or
            # "give me a hand" name no body part. A red flag is a complaint too: after a caution
            # ("I'm pregnant and my lower back aches") the walk-through goes on for that place.
            "look_up": {"body_region": "symptom"},
            "look_up_in_intents": ["report_complaint", "report_red_flag"],
        }

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            kept = [entity for entity in (self._canonical(entity) for entity in entities) if entity is not None]
            kept += self._looked_up(message, kept)
            if kept != entities:
                message.set(ENTITIES, kept, add_to_output=True)
        return messages

    def _looked_up(self, message: Message, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Vocabulary terms for an entity DIET missed, when its companion entity was found or the
        message is a complaint."""
        names = {entity[ENTITY_ATTRIBUTE_TYPE] for entity in entities}
        complaint = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in self.config["look_up_in_intents"]
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        taken = {i for e in entities for i, t in enumerate(tokens) if t.start < e["end"] and t.end > e["start"]}
        added = []
        for missing, companion in self.config["look_up"].items():
            if missing in names or not (companion in names or complaint):
                continue
            words = [(t.text.lower(), (t.lemma or t.text).lower()) for t in tokens]
            for first, end, value in self.vocabulary.find(missing, words):
                if taken & set(range(first, end)):
                    continue
                added.append(
                    {
                        ENTITY_ATTRIBUTE_TYPE: missing,
                        ENTITY_ATTRIBUTE_VALUE: value,
                        "start": tokens[first].start,
                        "end": tokens[end - 1].end,
                        "extractor": self.__class__.__name__,
                    }
                )
        return added

    def _canonical(self, entity: dict[str, Any]) -> dict[str, Any] | None:
        name = entity[ENTITY_ATTRIBUTE_TYPE]
        if name == self.config["duration_entity"]:
            value = duration_value(str(entity[ENTITY_ATTRIBUTE_VALUE]))
        elif name in self.entities:
            value = self.vocabulary.value(name, str(entity[ENTITY_ATTRIBUTE_VALUE]))
        else:
            return entity
        if value is None:
            return None
        if value == entity[ENTITY_ATTRIBUTE_VALUE]:
            return entity
        processors = entity.get("processors", [])
        return {**entity, ENTITY_ATTRIBUTE_VALUE: value, "processors": [*processors, self.__class__.__name__]}


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoiseFilter(GraphComponent):
    """A message with no word in it ("hmm", "🙂🙂🙂", 20,000 "a"s, "asdfgh") is one the NLU cannot
    understand, whatever the classifier guessed: it gets the fallback intent, so the bot asks what was
    meant. A word is a real English word, by its text or by the lemma the spelling corrector gave it
    ("nek" is "neck"), and not a filler."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"fillers": ["hmm", "hm", "hmmm", "umm", "um", "uh", "uhh", "er", "erm", "ah", "ahh", "oh", "eh", "meh"]}

    def __init__(self, config: dict[str, Any]) -> None:
        self.fillers = frozenset(config["fillers"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NoiseFilter:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        english = english_words()
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # an intent payload, parsed by Rasa's RegexMessageHandler
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            forms = {form.lower() for token in tokens for form in (token.text, token.lemma or token.text)}
            if not (forms & english) - self.fillers:
                fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        return messages
