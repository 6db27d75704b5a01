"""Slot, entity and action names, defined once.

They must match domain.yml; tests/unit/test_domain.py checks that they do.
"""

from typing import Final

# Slots
BODY_REGION: Final = "body_region"
SYMPTOM: Final = "symptom"
SIDE: Final = "side"
DURATION: Final = "duration"
TRIAGE_LEVEL: Final = "triage_level"
TECHNIQUE_ID: Final = "technique_id"
STEP_NUMBER: Final = "step_number"
PRESSURE: Final = "pressure"
PRESSURE_CHECKED: Final = "pressure_checked"
HAS_HELPER: Final = "has_helper"
OFFERED_TECHNIQUES: Final = "offered_techniques"
SUGGESTED_TECHNIQUE: Final = "suggested_technique"
LAST_REASON: Final = "last_reason"
TIMER_STEP: Final = "timer_step"
RED_FLAG: Final = "red_flag"
RED_FLAG_MESSAGE: Final = "red_flag_message"
EMERGENCY_NUMBER: Final = "emergency_number"
CAUTIONS: Final = "cautions"
FINDINGS: Final = "findings"
FINDINGS_SOMEONE_ELSE: Final = "findings_someone_else"
SAFETY_QUESTION: Final = "safety_question"
SAFETY_PROMPT: Final = "safety_prompt"
SAFETY_ASKED: Final = "safety_asked"
WITHHELD_REGIONS: Final = "withheld_regions"
AREA_QUESTION: Final = "area_question"
SCREENING: Final = "screening"
PENDING_ACTION: Final = "pending_action"
OPEN_QUESTION: Final = "open_question"

# Entities
FINDING: Final = "finding"

# Slot values
WHOLE_BACK: Final = "back"
SCREENING_ASKED: Final = "asked"
SCREENING_DONE: Final = "done"

# Custom actions
ACTION_START_TECHNIQUE: Final = "action_start_technique"
ACTION_OFFER_OTHER_TECHNIQUE: Final = "action_offer_other_technique"
ACTION_LIST_TECHNIQUES: Final = "action_list_techniques"
ACTION_CHOOSE_TECHNIQUE: Final = "action_choose_technique"
ACTION_EXPLAIN_CHOICE: Final = "action_explain_choice"
ACTION_NEXT_STEP: Final = "action_next_step"
ACTION_PREVIOUS_STEP: Final = "action_previous_step"
ACTION_REPEAT_STEP: Final = "action_repeat_step"
ACTION_SKIP_STEP: Final = "action_skip_step"
ACTION_RESUME_WALKTHROUGH: Final = "action_resume_walkthrough"
ACTION_PAUSE_WALKTHROUGH: Final = "action_pause_walkthrough"
ACTION_TELL_STEP_DURATION: Final = "action_tell_step_duration"
ACTION_EASE_OFF: Final = "action_ease_off"
ACTION_ACKNOWLEDGE_PRESSURE: Final = "action_acknowledge_pressure"
ACTION_STOP_FOR_PAIN: Final = "action_stop_for_pain"
ACTION_STOP_TECHNIQUE: Final = "action_stop_technique"
ACTION_ANSWER_QUESTION: Final = "action_answer_question"
ACTION_START_STEP_TIMER: Final = "action_start_step_timer"
ACTION_SAY_TIME_UP: Final = "action_say_time_up"
ACTION_AFTER_RED_FLAG: Final = "action_after_red_flag"
ACTION_AFTER_SCREENING: Final = "action_after_screening"
ACTION_CARRY_ON: Final = "action_carry_on"
ACTION_CLARIFY: Final = "action_clarify"
ACTION_ANSWER_YES_NO: Final = "action_answer_yes_no"

# Responses the safety policy predicts
UTTER_RED_FLAG: Final = "utter_red_flag"
UTTER_SAFETY_QUESTION: Final = "utter_safety_question"

# Intents that actions name
INTENT_STEP_TIME_UP: Final = "step_time_up"
INTENT_REPORT_RED_FLAG: Final = "report_red_flag"
INTENT_AFFIRM: Final = "affirm"
INTENT_DENY: Final = "deny"
INTENT_REPORT_COMPLAINT: Final = "report_complaint"
INTENT_OUT_OF_SCOPE: Final = "out_of_scope"
