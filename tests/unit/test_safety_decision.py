"""The safety decision (kneadle.safety.policy): escalate, ask, carry on, across a conversation."""

from __future__ import annotations

import pytest

from kneadle.messages import default_messages
from kneadle.safety import levels
from kneadle.safety.findings import Found, Role, default_findings
from kneadle.safety.flags import RedFlag, default_red_flags
from kneadle.safety.policy import ALL_REGIONS, Answer, Decision, Evidence, Outcome, Safety, SafetyState

SAFETY = Safety(default_red_flags(), default_findings(), default_messages(), "999")
FLAGS = default_red_flags().flags


def said(*findings: str, role: Role = Role.SELF, regions: tuple[str, ...] = ()) -> Evidence:
    return Evidence(frozenset(Found(finding, role) for finding in findings), regions=regions)


def answer(value: Answer) -> Evidence:
    return Evidence(answer=value)


def conversation(*messages: Evidence) -> Decision:
    """Each message decided in turn, from the state the one before left."""
    state = SafetyState()
    decision = Decision(Outcome.NOTHING, state)
    for message in messages:
        decision = SAFETY.decide(decision.state, message)
    return decision


def test_a_rule_met_in_one_message_escalates_at_once() -> None:
    decision = conversation(said("chest_pain", "sweating"))
    assert (decision.outcome, decision.flag.id if decision.flag else None) == (Outcome.ESCALATE, "heart_attack")
    assert (decision.state.triage_level, decision.state.red_flag) == ("emergency", "heart_attack")
    assert decision.text and decision.text.startswith("🚨 Please stop, sit down and call 999 now.")
    assert decision.state.red_flag_message == decision.text


def test_findings_add_up_across_the_conversation_and_say_so() -> None:
    decision = conversation(said("neck_stiffness"), said("headache"), said("fever"))
    assert decision.outcome is Outcome.ESCALATE and decision.flag and decision.flag.id == "meningitis"
    assert decision.text and decision.text.startswith("Putting together what you've told me (a stiff neck):")


def test_a_modifier_counts_only_in_its_own_message() -> None:
    decision = conversation(said("recent_surgery", "persistent"), said("numbness"))
    assert decision.state.findings == frozenset({"recent_surgery", "numbness"})
    assert decision.flag is None or decision.flag.id != "persistent_numbness"


def test_partial_evidence_asks_one_question_and_yes_escalates() -> None:
    asked = conversation(said("arm_pain", "sweating"))
    assert (asked.outcome, asked.state.question) == (Outcome.ASK, "heart_attack")
    assert asked.text and FLAGS["heart_attack"].question in asked.text
    yes = SAFETY.decide(asked.state, answer(Answer.YES))
    assert (yes.outcome, yes.state.red_flag, yes.state.question) == (Outcome.ESCALATE, "heart_attack", None)


def test_no_carries_on_and_the_question_is_not_asked_again() -> None:
    asked = conversation(said("arm_pain", "sweating"))
    no = SAFETY.decide(asked.state, answer(Answer.NO))
    assert (no.outcome, no.state.question, no.state.triage_level) == (Outcome.CARRY_ON, None, "none")
    assert "heart_attack" in no.state.asked
    again = SAFETY.decide(no.state, said("arm_pain", "sweating"))
    assert again.outcome is Outcome.NOTHING


def test_a_non_answer_asks_again() -> None:
    asked = conversation(said("arm_pain", "sweating"))
    decision = SAFETY.decide(asked.state, said())
    assert (decision.outcome, decision.state.question) == (Outcome.ASK_AGAIN, "heart_attack")
    assert decision.text and decision.text.startswith("Sorry, I need a yes or a no")


def test_a_non_answer_gets_the_same_question_again() -> None:
    asked = conversation(said("osteoporosis", "back_pain"))
    own_question = "Did the back pain start suddenly"
    assert asked.state.question == "osteoporotic_fracture" and asked.text and own_question in asked.text
    again = SAFETY.decide(asked.state, said())
    assert again.outcome is Outcome.ASK_AGAIN and again.text and own_question in again.text


def test_a_more_serious_flag_met_while_a_question_is_open_escalates() -> None:
    asked = conversation(said("recent_surgery", "calf_pain"))
    assert asked.flag and asked.flag.id == "deep_vein_thrombosis"
    decision = SAFETY.decide(asked.state, said("face_droop"))
    assert (decision.outcome, decision.state.red_flag) == (Outcome.ESCALATE, "stroke")


def test_a_more_serious_question_comes_before_a_milder_flag_met() -> None:
    decision = conversation(said("injury", "back_pain"))  # recent_injury is met; spinal_injury only partly
    assert (decision.outcome, decision.state.question) == (Outcome.ASK, "spinal_injury")


def test_findings_only_asked_about_ask_rather_than_escalate() -> None:
    decision = conversation(said("face_droop", role=Role.UNSURE))
    assert (decision.outcome, decision.state.question) == (Outcome.ASK, "stroke")


def test_someone_elses_emergency_now_escalates_for_them() -> None:
    decision = conversation(said("face_droop", role=Role.OTHER))
    assert decision.for_someone_else and decision.state.red_flag == "stroke"
    assert decision.text and decision.text.startswith("🚨 Please call 999 for them now")
    assert decision.state.findings_someone_else == frozenset({"face_droop"}) and not decision.state.findings


def test_someone_elses_state_says_nothing_of_the_writers_massage() -> None:
    assert conversation(said("pregnancy", role=Role.OTHER)).outcome is Outcome.NOTHING


def test_see_doctor_withholds_the_area_named() -> None:
    decision = conversation(said("recent_surgery", regions=("neck_shoulders",)))
    assert decision.state.withheld_regions == frozenset({"neck_shoulders"})
    assert decision.text and decision.text.endswith(
        "I'll leave your neck and shoulders out until a clinician has checked it; I can still help with other areas."
    )


def test_see_doctor_asks_which_area_when_unclear_and_the_answer_names_it() -> None:
    decision = conversation(said("recent_surgery"))
    assert decision.state.area_question == "recent_surgery" and not decision.state.withheld_regions
    assert decision.text and decision.text.endswith(default_messages().text("which_area"))
    answered = SAFETY.decide(decision.state, said(regions=("lower_back",)))
    assert (answered.state.area_question, answered.state.withheld_regions) == (None, frozenset({"lower_back"}))


def test_a_whole_body_flag_withholds_every_region() -> None:
    assert conversation(said("fever")).state.withheld_regions == frozenset({ALL_REGIONS})


def test_a_caution_is_noted_for_the_techniques() -> None:
    decision = conversation(said("pregnancy"))
    assert (decision.state.triage_level, decision.state.cautions) == ("caution", ("pregnancy",))


def test_a_milder_flag_later_never_lowers_the_triage_and_repeats_the_advice() -> None:
    first = conversation(said("face_droop"))
    later = SAFETY.decide(first.state, said("anticoagulants"))
    assert (later.state.triage_level, later.state.red_flag) == ("emergency", "stroke")
    assert later.text == first.text


def test_the_classifier_is_not_asked_about_what_the_message_explains_away() -> None:
    evidence = Evidence(frozenset({Found("saddle_numbness", Role.ABSENT)}), red_flag_intent=True)
    assert SAFETY.decide(SafetyState(), evidence).outcome is Outcome.NOTHING


def test_the_classifiers_red_flag_alone_asks_one_general_question_once() -> None:
    asked = SAFETY.decide(SafetyState(), Evidence(frozenset({Found("headache", Role.SELF)}), red_flag_intent=True))
    assert (asked.outcome, asked.state.question) == (Outcome.ASK, "unexplained_serious")
    no = SAFETY.decide(asked.state, answer(Answer.NO))
    assert SAFETY.decide(no.state, Evidence(red_flag_intent=True)).outcome is Outcome.NOTHING


@pytest.mark.parametrize("flag", list(FLAGS.values()), ids=lambda flag: flag.id)
def test_every_escalation_says_what_to_do_names_the_number_and_why(flag: RedFlag) -> None:
    text = SAFETY.escalation_text(flag)
    assert "999" in text and flag.why in text and "{" not in text
    if flag.level == levels.EMERGENCY:
        assert text.startswith("🚨 ")
