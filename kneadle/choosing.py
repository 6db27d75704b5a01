"""Choosing a technique, offering another, listing them, and explaining each choice.

Every choice leaves a one-line reason in the `last_reason` slot, so "why?" can be answered
later from the tracker alone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from kneadle import names
from kneadle.knowledge import Knowledge, Technique
from kneadle.reply import Reply
from kneadle.safety.flags import RedFlag
from kneadle.selection import ALONE, PARTNER, first_not_offered, helper_question_matters, rank_techniques
from kneadle.walkthrough import show_step


def start(
    reply: Reply,
    knowledge: Knowledge,
    region: str | None,
    symptom: str | None,
    helper: str | None,
    cautions: Sequence[RedFlag] = (),
    left_out: Sequence[str] = (),
) -> Reply:
    """Start the best technique for the complaint, asking only what is still needed (the safety gate
    has asked the screening question before this runs); techniques follow the adaptations of any
    caution-level flags (pregnancy, blood thinners...)."""
    if not region:
        return reply.say("ask_body_region")
    if helper is None and helper_question_matters(knowledge, region, symptom):
        reason = reply.catalog.text("reason_helper_question", region_name=reply.catalog.label(region))
        return reply.say("ask_helper").remember(**{names.LAST_REASON: reason})
    ranked = rank_techniques(knowledge, region, symptom, helper or ALONE)
    if not ranked:
        return reply.say("no_technique_for_region")
    return begin(reply, ranked[0], _reason(reply, ranked[0], region, symptom, helper), (), cautions, left_out)


def another(
    reply: Reply,
    knowledge: Knowledge,
    region: str | None,
    symptom: str | None,
    helper: str | None,
    offered: Sequence[str],
    cautions: Sequence[RedFlag] = (),
    left_out: Sequence[str] = (),
) -> Reply:
    """The next-best technique not offered yet; the full list when none is left."""
    if not region:
        return reply.say("ask_body_region")
    technique = first_not_offered(rank_techniques(knowledge, region, symptom, helper or ALONE), offered)
    if technique is None:
        reply.say("no_other_technique", region_name=reply.catalog.label(region))
        return listing(reply, knowledge, region, helper)
    return begin(reply, technique, _reason(reply, technique, region, symptom, helper), offered, cautions, left_out)


def choose(
    reply: Reply,
    knowledge: Knowledge,
    technique_id: str | None,
    offered: Sequence[str],
    cautions: Sequence[RedFlag] = (),
    left_out: Sequence[str] = (),
) -> Reply:
    """Start the technique the person picked by name or button, or said yes to."""
    technique = knowledge.technique(technique_id)
    if technique is None:
        return reply.say("no_active_technique")
    reason = reply.catalog.text(
        "reason_technique", technique_title=technique.title, reasons=reply.catalog.text("reason_requested")
    )
    return begin(reply, technique, reason, offered, cautions, left_out)


def listing(reply: Reply, knowledge: Knowledge, region: str | None, helper: str | None) -> Reply:
    """Every technique for the region, each as a button that starts it; those for two are marked."""
    if not region:
        return reply.say("ask_body_region")
    techniques = rank_techniques(knowledge, region, None, PARTNER if helper == PARTNER else None)
    if not techniques:
        return reply.say("no_technique_for_region")
    for_two = reply.catalog.text("needs_helper_mark")
    named = [(t, t.title + (f" {for_two}" if t.performer == PARTNER else "")) for t in techniques]
    buttons = [
        {"title": title, "payload": "/choose_technique" + json.dumps({names.TECHNIQUE_ID: t.id})} for t, title in named
    ]
    titles = ", ".join(title for _, title in named)
    return reply.say("technique_list", buttons=buttons, region_name=reply.catalog.label(region), titles=titles)


def begin(
    reply: Reply,
    technique: Technique,
    reason: str,
    offered: Sequence[str],
    cautions: Sequence[RedFlag] = (),
    left_out: Sequence[str] = (),
) -> Reply:
    """Introduce the technique and give its first step, with the cautions' adaptations and the regions
    a see_doctor flag leaves out."""
    catalog = reply.catalog
    needs = " and ".join(catalog.label(need) for need in technique.needs)
    reply.say(
        "technique_intro",
        technique_title=technique.title,
        technique_why=technique.why,
        needs_line=catalog.text("needs_line", needs=needs) if needs else "",
        step_count=str(len(technique.steps)),
    )
    reply.remember(
        **{
            names.OFFERED_TECHNIQUES: [*offered, technique.id] if technique.id not in offered else list(offered),
            names.LAST_REASON: reason,
            names.SUGGESTED_TECHNIQUE: None,
        }
    )
    if cautions:
        reply.say("caution_reminder", adaptations=" ".join(flag.adaptation or flag.advice for flag in cautions))
    if left_out:
        reply.say("left_out_reminder", region_names=" and ".join(catalog.label(region) for region in left_out))
    if any(flag.lighter_pressure for flag in cautions):
        reply.remember(**{names.PRESSURE: "lighter"})
        return show_step(reply, technique, 1, pressure="lighter", pressure_checked=True)
    return show_step(reply, technique, 1, pressure=None, pressure_checked=False)


def related_technique(knowledge: Knowledge, technique: Technique, region: str | None) -> Technique | None:
    """One technique to try next time: the source's related one, else the next best for the region."""
    for related_id in technique.related:
        if knowledge.technique(related_id):
            return knowledge.technique(related_id)
    others = [t for t in rank_techniques(knowledge, region, None, ALONE) if t.id != technique.id] if region else []
    return others[0] if others else None


def _reason(reply: Reply, technique: Technique, region: str, symptom: str | None, helper: str | None) -> str:
    catalog = reply.catalog
    parts = [catalog.text("reason_region", region_name=catalog.label(region))]
    if symptom and symptom in technique.symptoms:
        parts.append(catalog.text("reason_symptom", symptom_name=catalog.label(symptom)))
    parts.append(catalog.text("reason_partner" if technique.performer == PARTNER else "reason_alone"))
    reasons = ", ".join(parts[:-1]) + " and " + parts[-1]
    return catalog.text("reason_technique", technique_title=technique.title, reasons=reasons)


def explain(reply: Reply, last_reason: str | None) -> Reply:
    """Answer "why?" with the reason the last choice left behind."""
    if not last_reason:
        return reply.say("nothing_to_explain")
    return reply.say("reason", reason=last_reason)
