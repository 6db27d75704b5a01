"""After a red flag: keep the conversation's most serious flag in the slots, and stop or adapt.

The escalation message itself is a domain response sent by a rule (see data/rules/safety.yml),
so it goes out even when this server is down; these actions add what needs the tracker.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from kneadle import names
from kneadle.escalation import Complaint, RedFlagReport, after_red_flag, most_serious
from kneadle.knowledge import default_knowledge
from kneadle.red_flags import default_red_flags

from .reply import new_reply, send
from .walkthrough import active_technique, current_step


def report_in(parse_data: dict[str, Any] | None) -> RedFlagReport | None:
    """The red flag the NLU component reported for one message, if any."""
    found = {
        entity.get("entity"): entity.get("value")
        for entity in (parse_data or {}).get("entities") or []
        if entity.get("extractor") == names.RED_FLAG_EXTRACTOR
    }
    if not found.get(names.RED_FLAG):
        return None
    return RedFlagReport(
        str(found[names.RED_FLAG]), str(found.get(names.TRIAGE_LEVEL)), str(found.get(names.RED_FLAG_MESSAGE))
    )


def reports_in(events: Iterable[dict[str, Any]]) -> list[RedFlagReport]:
    """Every red flag reported in the conversation's user messages, oldest first."""
    reports = (report_in(event.get("parse_data")) for event in events if event.get("event") == "user")
    return [report for report in reports if report is not None]


class ActionKeepMostSeriousRedFlag(Action):
    """Rasa's slot-mapping validation: a milder flag never lowers `triage_level` and its advice.

    Runs after the slot mappings on every message; without a new flag it changes nothing. When
    the action server is down, the mappings' values (the latest flag) stand.
    """

    def name(self) -> str:
        return names.ACTION_VALIDATE_SLOT_MAPPINGS

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if report_in(tracker.latest_message) is None:
            return []
        worst = most_serious(reports_in(tracker.events))
        if worst is None:
            return []
        return [
            SlotSet(names.TRIAGE_LEVEL, worst.level),
            SlotSet(names.RED_FLAG, worst.flag_id),
            SlotSet(names.RED_FLAG_MESSAGE, worst.message),
        ]


class ActionAfterRedFlag(Action):
    """Stops the walk-through after a serious flag; notes a caution and carries on adapted."""

    def name(self) -> str:
        return names.ACTION_AFTER_RED_FLAG

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        report = report_in(tracker.latest_message)
        reply = after_red_flag(
            new_reply(),
            default_knowledge(),
            default_red_flags().flags,
            flag_id=report.flag_id if report else None,
            triage_level=tracker.get_slot(names.TRIAGE_LEVEL),
            screening=tracker.get_slot(names.SCREENING),
            current_step=current_step(tracker) if active_technique(tracker) else None,
            complaint=Complaint(
                tracker.get_slot(names.BODY_REGION),
                tracker.get_slot(names.SYMPTOM),
                tracker.get_slot(names.HAS_HELPER),
                tracker.get_slot(names.SUGGESTED_TECHNIQUE),
            ),
            cautions=tracker.get_slot(names.CAUTIONS) or [],
        )
        return send(dispatcher, reply)
