"""Precise questions instead of guesses: several regions at once, or a message the NLU is unsure of.

Each question's buttons send an intent payload carrying what the message said (body part,
symptom, side...), so a tap is understood exactly and nothing said is lost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from kneadle import names
from kneadle.reply import Reply
from kneadle.selection import RELATED_REGIONS

MAX_CHOICES = 3  # likeliest meanings offered; more is a menu, not a question
# Intents never offered as a meaning: red flags are the component's to decide.
FALLBACK_INTENT = "nlu_fallback"
NEVER_OFFERED = frozenset({FALLBACK_INTENT, names.INTENT_REPORT_RED_FLAG})
# Entities a button passes on; the red-flag component's own are never copied into a payload.
PASSED_ON = (names.BODY_REGION, names.SYMPTOM, names.SIDE, names.DURATION, names.PRESSURE, names.TECHNIQUE_ID)


def distinct_regions(regions: Sequence[str]) -> list[str]:
    """The regions named, in order, once each; "back" is dropped when a part of it is named, the
    more precise ("my back, low down on the left")."""
    found = list(dict.fromkeys(regions))
    if names.WHOLE_BACK in found and any(part in found for part in RELATED_REGIONS[names.WHOLE_BACK]):
        found.remove(names.WHOLE_BACK)
    return found


def which_region_first(reply: Reply, regions: Sequence[str], entities: Mapping[str, str]) -> Reply:
    """Several regions in one message: ask which to start with, one button per region."""
    catalog = reply.catalog
    buttons = [
        _button(catalog.label(region).removeprefix("your ").capitalize(), names.INTENT_REPORT_COMPLAINT,
                {**entities, names.BODY_REGION: region})
        for region in regions
    ]  # fmt: skip
    named = " and ".join(catalog.label(region) for region in regions)
    return reply.say("which_region_first", buttons=buttons, regions=named)


def clarify(reply: Reply, ranking: Sequence[str], entities: Mapping[str, str], *, again: bool = False) -> Reply:
    """The likeliest meanings as buttons. A complaint with no place named asks where instead;
    a second unsure message in a row asks to rephrase."""
    if again:
        return reply.say("clarify_again")
    meanings = [intent for intent in ranking if intent not in NEVER_OFFERED][:MAX_CHOICES]
    if not meanings:
        return reply.say("clarify_nothing")  # nothing to offer: "hmm", emoji, keyboard mashing
    if meanings[:1] == [names.INTENT_REPORT_COMPLAINT] and names.BODY_REGION not in entities:
        buttons = [
            {**button, "payload": _payload(names.INTENT_REPORT_COMPLAINT, {**entities, **_entities_of(button)})}
            for button in reply.catalog["ask_body_region"].render()["buttons"]
        ]
        return reply.say("clarify_region", buttons=buttons)
    labels = reply.catalog.intent_labels
    buttons = [_button(labels[intent], intent, entities) for intent in meanings if intent in labels]
    if names.INTENT_OUT_OF_SCOPE not in meanings:
        buttons.append(_button(labels[names.INTENT_OUT_OF_SCOPE], names.INTENT_OUT_OF_SCOPE, {}))
    return reply.say("clarify", buttons=buttons)


def passed_on(entities: Sequence[Mapping[str, object]]) -> dict[str, str]:
    """The first value of each entity a button passes on, from a parsed message's entities."""
    found: dict[str, str] = {}
    for entity in entities:
        name = str(entity.get("entity"))
        if name in PASSED_ON and name not in found:
            found[name] = str(entity.get("value"))
    return found


def _button(title: str, intent: str, entities: Mapping[str, str]) -> dict[str, str]:
    return {"title": title, "payload": _payload(intent, entities)}


def _payload(intent: str, entities: Mapping[str, str]) -> str:
    return f"/{intent}{json.dumps(dict(entities))}" if entities else f"/{intent}"


def _entities_of(button: Mapping[str, str]) -> dict[str, str]:
    payload = button["payload"]
    return json.loads(payload[payload.index("{") :]) if "{" in payload else {}
