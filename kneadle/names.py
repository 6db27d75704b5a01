"""Slot, message and action names, defined once.

They must match domain.yml and data/knowledge/messages.yml; tests/unit/test_domain.py checks them.
"""

from typing import Final

# Slots
BODY_REGION: Final = "body_region"
SYMPTOM: Final = "symptom"
TRIAGE_LEVEL: Final = "triage_level"
TECHNIQUE_ID: Final = "technique_id"
STEP_NUMBER: Final = "step_number"

# Messages sent by custom actions (data/knowledge/messages.yml)
MSG_DISCLAIMER: Final = "disclaimer"
MSG_ASK_BODY_REGION: Final = "ask_body_region"
MSG_NO_TECHNIQUE_FOR_REGION: Final = "no_technique_for_region"
MSG_TECHNIQUE_INTRO: Final = "technique_intro"
MSG_STEP: Final = "step"
MSG_TECHNIQUE_DONE: Final = "technique_done"
MSG_NO_ACTIVE_TECHNIQUE: Final = "no_active_technique"
MSG_STOPPED: Final = "stopped"

# Custom actions
ACTION_SESSION_START: Final = "action_session_start"
ACTION_START_TECHNIQUE: Final = "action_start_technique"
ACTION_NEXT_STEP: Final = "action_next_step"
ACTION_STOP_TECHNIQUE: Final = "action_stop_technique"
