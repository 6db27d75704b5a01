"""Two fixes for Rasa 3.6 hot paths that cost every message time for nothing.

Measured with `python -m benchmarks.profile` (README: "Speed"), per message on 2 cores:

- Every reply from the action server is checked against Rasa's response schema with
  `jsonschema.validate`, which first checks the schema itself against the JSON Schema meta-schema:
  about 13 ms per action call, a quarter of a message. The schema never changes, so one compiled
  validator checks the same reply in well under a millisecond, with the same errors.
- Every stored event is turned back into an object by `Event.resolve_by_type`, which walks the
  whole tree of event classes for each one: about 4 ms per 200 events, paid again on every message
  as the conversation grows. A lookup by type name gives the same class.

Both keep Rasa's behaviour (the unit tests compare them with Rasa's own code) and are installed
when Rasa imports this package to load the model. A Rasa upgrade that changes either method makes
`install` fail loudly instead of patching blindly.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from jsonschema import ValidationError, validators
from jsonschema.protocols import Validator
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

RASA_VALIDATE = RemoteAction._validate_action_result
RASA_RESOLVE = Event.resolve_by_type


@lru_cache(maxsize=1)
def action_response_validator() -> Validator:
    """Rasa's response schema, checked once and compiled once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(action: RemoteAction, result: dict[str, Any]) -> bool:
    """Rasa's `_validate_action_result` without re-checking the schema on every call."""
    try:
        action_response_validator().validate(result)
        return True
    except ValidationError:
        # Rasa's own method adds its help text to the error: let it build the same error.
        return RASA_VALIDATE(action, result)


@cache
def event_classes_by_type() -> dict[str, type[Event]]:
    return {cls.type_name: cls for cls in reversed(all_subclasses(Event))}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Rasa's `Event.resolve_by_type` as one lookup; anything unusual goes to Rasa's own."""
    found = event_classes_by_type().get(type_name)
    return found if found is not None else RASA_RESOLVE(type_name, default)


def install() -> None:
    """Use the fast versions in this process (idempotent)."""
    if getattr(RASA_VALIDATE, "__qualname__", "") != "RemoteAction._validate_action_result":
        raise RuntimeError("Rasa's RemoteAction._validate_action_result changed: review components/speedups.py")
    RemoteAction._validate_action_result = validate_action_result
    Event.resolve_by_type = staticmethod(resolve_by_type)
