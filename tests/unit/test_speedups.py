"""components/speedups.py gives the same answers as the Rasa code it replaces."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

import components  # noqa: F401 - importing the package installs the speedups, as Rasa does
from components import speedups

VALID = {"events": [{"event": "slot", "name": "step_number", "value": 2.0}], "responses": [{"text": "Step 2"}]}
INVALID = {"events": [{"event": "slot", "name": "step_number"}], "responses": "not a list"}


def test_the_package_installs_both() -> None:
    assert RemoteAction._validate_action_result is speedups.validate_action_result
    assert Event.resolve_by_type is speedups.resolve_by_type


def test_a_valid_reply_passes_and_the_schema_is_compiled_once() -> None:
    speedups.action_response_validator.cache_clear()
    action = RemoteAction("action_next_step", None)
    for _ in range(3):
        assert action._validate_action_result(VALID) is True
    assert speedups.action_response_validator.cache_info().misses == 1
    assert speedups.action_response_validator.cache_info().hits == 2


def test_an_invalid_reply_fails_with_rasas_own_error() -> None:
    action = RemoteAction("action_next_step", None)
    with pytest.raises(ValidationError) as ours:
        action._validate_action_result(INVALID)
    with pytest.raises(ValidationError) as rasas:
        speedups.RASA_VALIDATE(action, INVALID)
    assert str(ours.value.message) == str(rasas.value.message)
    assert "Failed to validate Action server response" in ours.value.message


@pytest.mark.parametrize("type_name", sorted({cls.type_name for cls in all_subclasses(Event)}))
def test_every_event_type_resolves_to_rasas_class(type_name: str) -> None:
    assert speedups.resolve_by_type(type_name) is speedups.RASA_RESOLVE(type_name)


def test_unknown_types_behave_as_in_rasa() -> None:
    assert speedups.resolve_by_type("topic") is None
    assert speedups.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="no_such_event"):
        speedups.resolve_by_type("no_such_event")
