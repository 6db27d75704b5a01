"""Walk a technique one step per message: next, back, repeat, skip, continue, pause, how long,
discomfort, pressure and stop. The decisions are in kneadle.walkthrough."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, ReminderScheduled

from kneadle import names, walkthrough
from kneadle.choosing import related_technique
from kneadle.knowledge import Range, Technique, default_knowledge
from kneadle.reply import Reply

from .reply import ReplyAction, active_technique, current_step, new_reply

# Channels that can receive a message the person did not ask for (a reminder when a timed step is up).
PUSH_CHANNELS = frozenset({"socketio", "slack", "telegram"})
# A test setting in the action server's environment: multiplies every step timer's delay
# (0.01 makes a 2-minute reminder fire after about a second), so tests see one fire by itself.
TIMER_SCALE_VARIABLE = "KNEADLE_STEP_TIMER_SCALE"


def timer_scale() -> float:
    return float(os.environ.get(TIMER_SCALE_VARIABLE) or 1)


def can_push(tracker: Tracker) -> bool:
    return tracker.get_latest_input_channel() in PUSH_CHANNELS


class WalkthroughAction(ReplyAction):
    """Runs `respond` when a technique is under way; otherwise says how to start one."""

    def decide(self, tracker: Tracker) -> tuple[Reply, list[EventType]]:
        technique = active_technique(tracker)
        reply = new_reply(tracker)
        if technique is None:
            return reply.say("no_active_technique"), []
        return reply, self.respond(reply, technique, tracker) or []

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        """Fill `reply`; return any events beyond its slots."""
        raise NotImplementedError


class StepAction(WalkthroughAction):
    """Moves `offset` steps, after an optional preface ("Skipping step 3.")."""

    offset = 0
    preface = ""

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        current = current_step(tracker)
        if self.preface:
            reply.say(self.preface, step_number=str(current))
        walkthrough.move(
            reply,
            technique,
            current,
            self.offset,
            pressure=tracker.get_slot(names.PRESSURE),
            pressure_checked=bool(tracker.get_slot(names.PRESSURE_CHECKED)),
            related=related_technique(default_knowledge(), technique, tracker.get_slot(names.BODY_REGION)),
            can_push=can_push(tracker),
        )


class ActionNextStep(StepAction):
    action_name = names.ACTION_NEXT_STEP
    offset = 1


class ActionPreviousStep(StepAction):
    action_name = names.ACTION_PREVIOUS_STEP
    offset = -1


class ActionRepeatStep(StepAction):
    action_name = names.ACTION_REPEAT_STEP


class ActionSkipStep(StepAction):
    action_name = names.ACTION_SKIP_STEP
    offset = 1
    preface = "skipped"


class ActionResumeWalkthrough(StepAction):
    action_name = names.ACTION_RESUME_WALKTHROUGH
    preface = "resumed"


class ActionPauseWalkthrough(WalkthroughAction):
    action_name = names.ACTION_PAUSE_WALKTHROUGH
    gated = False

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        walkthrough.pause(reply, technique, current_step(tracker))


class ActionTellStepDuration(WalkthroughAction):
    action_name = names.ACTION_TELL_STEP_DURATION
    gated = False

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        walkthrough.duration(reply, technique, current_step(tracker))


class ActionEaseOff(WalkthroughAction):
    action_name = names.ACTION_EASE_OFF
    gated = False

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        walkthrough.ease_off(reply)


class ActionAcknowledgePressure(WalkthroughAction):
    action_name = names.ACTION_ACKNOWLEDGE_PRESSURE
    gated = False

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        pressure = tracker.get_slot(names.PRESSURE) or "usual"
        reply.say(f"pressure_set_{pressure}")


class ActionStopForPain(ReplyAction):
    """Sharp or worsening pain: stop at once, whether or not a technique is under way."""

    action_name = names.ACTION_STOP_FOR_PAIN
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        return walkthrough.stop(new_reply(), "stop_for_pain")


class ActionStopTechnique(ReplyAction):
    action_name = names.ACTION_STOP_TECHNIQUE
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        return walkthrough.stop(new_reply())


class ActionStartStepTimer(WalkthroughAction):
    """Schedule a Rasa reminder for when the current step's time is up (no waiting in the action)."""

    action_name = names.ACTION_START_STEP_TIMER
    gated = False

    def respond(self, reply: Reply, technique: Technique, tracker: Tracker) -> list[EventType] | None:
        number = current_step(tracker)
        seconds = walkthrough.timer_seconds(technique, number)
        if seconds is None:
            reply.say("timer_not_needed")
            return None
        reply.say("timer_set", timing=walkthrough.format_seconds(Range(seconds)))
        reply.remember(**{names.TIMER_STEP: float(number)})
        reminder = ReminderScheduled(
            names.INTENT_STEP_TIME_UP,
            trigger_date_time=datetime.now() + timedelta(seconds=seconds * timer_scale()),
            name="step_timer",
            kill_on_user_message=False,
        )
        return [reminder]


class ActionSayTimeUp(ReplyAction):
    """The reminder (or the person) says time is up: prompt for the next step, if still on that step.

    A reminder that fires after the person moved on or stopped says nothing.
    """

    action_name = names.ACTION_SAY_TIME_UP
    gated = False

    def reply(self, tracker: Tracker) -> Reply:
        number = current_step(tracker)
        timer_step = tracker.get_slot(names.TIMER_STEP)
        reply = new_reply()
        if active_technique(tracker) and (timer_step is None or int(timer_step) == number):
            reply.say("time_up", step_number=str(number))
        return reply.remember(**{names.TIMER_STEP: None})
