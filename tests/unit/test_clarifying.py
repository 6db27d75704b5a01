"""Precise questions: several regions at once, and the NLU's unsure messages, each with buttons."""

from __future__ import annotations

import asyncio
import json

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.choosing import ActionStartTechnique
from actions.clarifying import ActionClarify
from kneadle.clarifying import clarify, distinct_regions, passed_on, which_region_first
from kneadle.messages import default_messages
from kneadle.reply import Reply


def _payload(button: dict) -> tuple[str, dict]:
    payload = button["payload"]
    intent, _, entities = payload.partition("{")
    return intent, json.loads("{" + entities) if entities else {}


def test_a_part_of_the_back_is_more_precise_than_the_back() -> None:
    assert distinct_regions(["back", "lower_back", "hands", "hands"]) == ["lower_back", "hands"]
    assert distinct_regions(["back"]) == ["back"]


def test_two_regions_ask_which_first_and_keep_the_symptom() -> None:
    reply = which_region_first(Reply(default_messages()), ["neck_shoulders", "hands"], {"symptom": "stiffness"})
    [message] = reply.messages
    assert "your neck and shoulders and your hands" in message["text"]
    assert [button["title"] for button in message["buttons"]] == ["Neck and shoulders", "Hands"]
    assert [_payload(button) for button in message["buttons"]] == [
        ("/report_complaint", {"symptom": "stiffness", "body_region": "neck_shoulders"}),
        ("/report_complaint", {"symptom": "stiffness", "body_region": "hands"}),
    ]


def test_unsure_offers_the_likeliest_meanings_and_something_else() -> None:
    ranking = ["nlu_fallback", "next_step", "report_red_flag", "skip_step", "repeat_step", "greet"]
    [message] = clarify(Reply(default_messages()), ranking, {}).messages
    assert [_payload(b)[0] for b in message["buttons"]] == ["/next_step", "/skip_step", "/repeat_step", "/out_of_scope"]
    assert message["buttons"][0]["title"] == "Next step"


def test_an_unsure_complaint_with_no_place_asks_where_and_keeps_the_symptom() -> None:
    [message] = clarify(Reply(default_messages()), ["report_complaint", "greet"], {"symptom": "numbness"}).messages
    assert message["text"].endswith("Where do you feel it?")
    assert _payload(message["buttons"][0]) == ("/report_complaint", {"symptom": "numbness", "body_region": "hands"})


def test_every_intent_a_person_can_mean_has_a_button_title() -> None:
    import yaml

    from kneadle.knowledge import PROJECT_ROOT

    intents = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["intents"]
    labels = default_messages().intent_labels
    assert sorted(set(intents) - {"report_red_flag"} - set(labels)) == []


def test_passed_on_keeps_the_persons_words_not_the_red_flag_components() -> None:
    entities = [
        {"entity": "symptom", "value": "pain"},
        {"entity": "red_flag_message", "value": "call 112"},
        {"entity": "side", "value": "left"},
    ]
    assert passed_on(entities) == {"symptom": "pain", "side": "left"}


def _tracker(text: str, intent: str, entities: list[dict], ranking: list[str]) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.4},
        "intent_ranking": [{"name": name, "confidence": 0.4} for name in ranking],
        "entities": entities,
    }
    event = {"event": "user", "text": text, "parse_data": latest}
    return Tracker("test", {}, latest, [event], False, None, {}, "action_listen")


def _run(action, tracker: Tracker) -> list[dict]:
    dispatcher = CollectingDispatcher()
    asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages


def test_the_start_action_asks_which_region_when_a_message_names_two() -> None:
    entities = [
        {"entity": "body_region", "value": "neck_shoulders"},
        {"entity": "symptom", "value": "stiffness"},
        {"entity": "body_region", "value": "hands"},
        {"entity": "symptom", "value": "numbness"},
    ]
    tracker = _tracker("neck's stiff and my hands tingle", "report_complaint", entities, ["report_complaint"])
    [message] = _run(ActionStartTechnique(), tracker)
    assert "Which shall we start with?" in message["text"]
    assert len(message["buttons"]) == 2


def test_the_fallback_action_reads_the_ranking_of_the_last_message() -> None:
    tracker = _tracker("nxt pls?", "nlu_fallback", [], ["nlu_fallback", "next_step", "skip_step"])
    [message] = _run(ActionClarify(), tracker)
    assert [_payload(b)[0] for b in message["buttons"]] == ["/next_step", "/skip_step", "/out_of_scope"]


def test_a_second_unsure_message_in_a_row_asks_to_rephrase() -> None:
    first = _tracker("nxt pls?", "nlu_fallback", [], ["nlu_fallback", "next_step"])
    second = _tracker("hmm??", "nlu_fallback", [], ["nlu_fallback", "next_step"])
    events = first.events + second.events
    tracker = Tracker("test", {}, second.latest_message, events, False, None, {}, "action_listen")
    [message] = _run(ActionClarify(), tracker)
    assert message["text"].startswith("Sorry, I still didn't catch that.")
    assert "buttons" not in message or not message["buttons"]
