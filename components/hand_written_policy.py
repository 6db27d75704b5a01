"""The base of Kneadle's dialogue policies that learn nothing: their decisions are written by hand."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.generator import TrackerWithCachedStates


class HandWrittenPolicy(Policy):
    """A policy with nothing to train, that either predicts one action for sure or abstains."""

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        """Nothing to learn: the decisions are in the code and the data files."""
        with self._model_storage.write_to(self._resource):
            pass
        return self._resource

    def _predict(self, domain: Domain, action: str, events: list[Event] | None = None) -> PolicyPrediction:
        """`action` for sure, with `events` applied first if it wins."""
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, optional_events=events or [])

    def _abstain(self, domain: Domain) -> PolicyPrediction:
        return self._prediction(self._default_predictions(domain))
