"""The safety policy: one decision per message, from what the conversation has shown so far.

`decide` is the one entry point. It takes the safety state kept in the tracker's slots and what
the latest message shows (its findings, whether it answers yes or no, the classifier's red-flag
confidence) and returns what to do:
- ESCALATE: a red flag's rule is met, by this message or by findings added up across the
  conversation, or the person said yes to a safety question. The most serious flag wins; an
  emergency happening to someone with the writer escalates for them, in words for a bystander.
- ASK: the evidence for a flag is partial (an `ask` rule, a rule met only with findings the person
  asked about or gave an ordinary cause for, or the classifier's red-flag intent alone): one yes/no
  question from the flag's guideline, once per flag. A met rule less serious than the question waits.
- ASK_AGAIN: a question is open and the message answers neither yes nor no.
- CARRY_ON: "no" to the question; the message it interrupted is then handled as usual.
- NOTHING: no red flag, no question; the new findings are still kept.
The texts come from data/knowledge/messages.yml; the rules from red_flags.yml and findings.yml.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from kneadle import names
from kneadle.messages import Catalog
from kneadle.safety import levels
from kneadle.safety.findings import Finding, Found, Role
from kneadle.safety.flags import WHOLE_BODY, RedFlag, RedFlagFile, rule_match

UNEXPLAINED = "unexplained_serious"  # the flag asked about when only the classifier saw a red flag
ALL_REGIONS = "all"  # in `withheld_regions`: no massage anywhere


class Outcome(Enum):
    ESCALATE = "escalate"
    ASK = "ask"
    ASK_AGAIN = "ask_again"
    CARRY_ON = "carry_on"
    NOTHING = "nothing"


class Answer(Enum):
    YES = "yes"
    NO = "no"
    NONE = "none"


@dataclass(frozen=True)
class SafetyState:
    """The safety slots of one conversation."""

    triage_level: str = levels.NONE
    red_flag: str | None = None
    red_flag_message: str | None = None
    findings: frozenset[str] = frozenset()  # the writer's, so far
    findings_someone_else: frozenset[str] = frozenset()  # someone with the writer, now
    question: str | None = None  # the flag asked about, while its question is open
    asked: frozenset[str] = frozenset()  # flags asked about once already
    cautions: tuple[str, ...] = ()
    withheld_regions: frozenset[str] = frozenset()
    area_question: str | None = None  # a see_doctor flag whose area the bot asked about

    def slots(self) -> dict[str, object]:
        """The state as slot values."""
        return {
            names.TRIAGE_LEVEL: self.triage_level,
            names.RED_FLAG: self.red_flag,
            names.RED_FLAG_MESSAGE: self.red_flag_message,
            names.FINDINGS: sorted(self.findings),
            names.FINDINGS_SOMEONE_ELSE: sorted(self.findings_someone_else),
            names.SAFETY_QUESTION: self.question,
            names.SAFETY_ASKED: sorted(self.asked),
            names.CAUTIONS: list(self.cautions),
            names.WITHHELD_REGIONS: sorted(self.withheld_regions),
            names.AREA_QUESTION: self.area_question,
        }

    @classmethod
    def from_slots(cls, slots: Mapping[str, object]) -> SafetyState:
        def values(name: str) -> list[str]:
            value = slots.get(name)
            return [str(item) for item in value] if isinstance(value, list) else []

        def text(name: str) -> str | None:
            value = slots.get(name)
            return str(value) if value else None

        return cls(
            triage_level=text(names.TRIAGE_LEVEL) or levels.NONE,
            red_flag=text(names.RED_FLAG),
            red_flag_message=text(names.RED_FLAG_MESSAGE),
            findings=frozenset(values(names.FINDINGS)),
            findings_someone_else=frozenset(values(names.FINDINGS_SOMEONE_ELSE)),
            question=text(names.SAFETY_QUESTION),
            asked=frozenset(values(names.SAFETY_ASKED)),
            cautions=tuple(values(names.CAUTIONS)),
            withheld_regions=frozenset(values(names.WITHHELD_REGIONS)),
            area_question=text(names.AREA_QUESTION),
        )


@dataclass(frozen=True)
class Evidence:
    """What the latest message shows."""

    found: frozenset[Found] = frozenset()
    answer: Answer = Answer.NONE
    red_flag_intent: bool = False  # the classifier read a red flag
    regions: tuple[str, ...] = ()  # body regions the message names

    def findings(self, role: Role) -> frozenset[str]:
        return frozenset(item.finding for item in self.found if item.role is role)

    @property
    def explains_a_red_flag_away(self) -> bool:
        """Whether the message names red-flag findings only to say they are absent, someone else's or
        ordinary ("no numbness", "my dad had a stroke", "slept on my arm"): what a classifier misreads."""
        return any(item.role in (Role.ABSENT, Role.EXPLAINED, Role.OTHER) for item in self.found)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    state: SafetyState  # the slots after this message
    flag: RedFlag | None = None
    for_someone_else: bool = False
    text: str | None = None  # the escalation or the question
    noted: tuple[RedFlag, ...] = field(default_factory=tuple)  # other flags met at the same time


@dataclass(frozen=True)
class Safety:
    """The rules and words the decision needs; built once per process."""

    red_flags: RedFlagFile
    findings: Mapping[str, Finding]
    catalog: Catalog
    emergency_number: str

    def decide(self, state: SafetyState, evidence: Evidence) -> Decision:
        """What to do about the latest message (see the module docstring)."""
        own = state.findings | evidence.findings(Role.SELF)
        others = state.findings_someone_else | evidence.findings(Role.OTHER)
        unsure = evidence.findings(Role.UNSURE)
        updated = replace(state, findings=self._kept(own), findings_someone_else=self._kept(others))
        if state.area_question:
            updated = self._area_answered(updated, evidence.regions)

        met = self._newly_met(state.findings, own) + self._newly_met(state.findings_someone_else, others, True)
        met.sort(key=lambda pair: -levels.rank(pair[0].level))
        if state.question:
            return self._answered(updated, evidence, met)
        question = self._question(updated, own | unsure, others, evidence, met)
        if question is not None:
            return question
        if met:
            return self._escalate(
                updated, met, evidence.regions, (own, others), state.findings | state.findings_someone_else
            )
        return Decision(Outcome.NOTHING, updated)

    def _kept(self, findings: frozenset[str]) -> frozenset[str]:
        """The findings the conversation keeps: not the modifiers, which count in their own message."""
        return frozenset(found for found in findings if not (found in self.findings and self.findings[found].modifier))

    # --- what is met, what is asked -------------------------------------------------------------

    def _newly_met(
        self, before: Collection[str], now: Collection[str], someone_else: bool = False
    ) -> list[tuple[RedFlag, bool]]:
        """Flags met now and not before; for someone else only those that call for help now."""
        return [
            (flag, someone_else)
            for flag in self.red_flags.flags.values()
            if (not someone_else or flag.level in levels.FOR_SOMEONE_ELSE) and flag.met(now) and not flag.met(before)
        ]

    def _question(
        self,
        state: SafetyState,
        own: frozenset[str],
        others: frozenset[str],
        evidence: Evidence,
        met: list[tuple[RedFlag, bool]],
    ) -> Decision | None:
        """The most serious flag with partial evidence, more serious than anything met, not asked yet."""
        floor = max([levels.rank(state.triage_level), *(levels.rank(flag.level) for flag, _ in met)])
        for flag in self.red_flags.flags.values():
            if flag.id in state.asked or levels.rank(flag.level) <= floor:
                continue
            question = _partial(flag, own)
            someone_else = question is None and flag.level in levels.FOR_SOMEONE_ELSE
            if someone_else:
                question = _partial(flag, others)
            if question is not None:
                return self._ask(state, flag, question, someone_else)
        unexplained = self.red_flags.flags.get(UNEXPLAINED)
        classifier_only = evidence.red_flag_intent and not met and not evidence.explains_a_red_flag_away
        if classifier_only and not state.asked and unexplained and unexplained.question:
            # The classifier alone: one general question, and only while nothing has been asked yet.
            return self._ask(state, unexplained, unexplained.question, False)
        return None

    def _ask(self, state: SafetyState, flag: RedFlag, question: str, someone_else: bool) -> Decision:
        text = self.catalog.text("safety_question", question=self._wording(flag, question))
        asked = replace(state, question=flag.id, asked=state.asked | {flag.id})
        return Decision(Outcome.ASK, asked, flag, someone_else, text)

    def _wording(self, flag: RedFlag, question: str | None) -> str:
        """The question as asked: its own words, or the generic question naming the flag."""
        return question or self.catalog.text("safety_question_generic", flag_name=flag.name.lower())

    def _answered(self, state: SafetyState, evidence: Evidence, met: list[tuple[RedFlag, bool]]) -> Decision:
        """The message after a question: a flag as serious met, yes, no, or neither (asked again)."""
        asked = self.red_flags.flags.get(state.question or "")
        closed = replace(state, question=None)
        if asked is None:
            return Decision(Outcome.NOTHING, closed)
        own = _partial(asked, state.findings)
        someone_else = own is None and _partial(asked, state.findings_someone_else) is not None
        if met and levels.rank(met[0][0].level) >= levels.rank(asked.level):
            return self._escalate(closed, met, evidence.regions)
        if evidence.answer is Answer.YES:
            return self._escalate(closed, [(asked, someone_else), *met], evidence.regions)
        if evidence.answer is Answer.NO:
            return Decision(Outcome.CARRY_ON, closed, asked)
        # the same question again: the `ask` rule's own, when the findings still show which one it was
        question = own or _partial(asked, state.findings_someone_else) or asked.question
        text = self.catalog.text("safety_question_again", question=self._wording(asked, question))
        return Decision(Outcome.ASK_AGAIN, state, asked, someone_else, text)

    # --- escalating ---------------------------------------------------------------------------------

    def _escalate(
        self,
        state: SafetyState,
        met: list[tuple[RedFlag, bool]],
        regions: Collection[str],
        findings: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset()),
        earlier: Collection[str] = frozenset(),
    ) -> Decision:
        """The most serious flag met: its message, the triage slots, and the other flags' notes.
        `findings` are the writer's and someone else's so far, `earlier` those of earlier messages."""
        flag, someone_else = met[0]
        noted = tuple(other for other, for_other in met[1:] if not for_other)
        if levels.stops_all_massage(state.triage_level) and levels.rank(flag.level) <= levels.rank(state.triage_level):
            # Massage has stopped already: a milder flag never lowers the triage; say the advice again.
            return Decision(
                Outcome.ESCALATE, state, self.red_flags.flags.get(state.red_flag or ""), text=state.red_flag_message
            )
        new = state
        for each in (flag, *noted) if not someone_else else ():
            new = self._note(new, each, regions)
        added_up = self._added_up(flag, findings[1] if someone_else else findings[0], earlier)
        text = self.escalation_text(flag, someone_else, added_up, self._area_line(flag, new, regions))
        if levels.rank(flag.level) >= levels.rank(state.triage_level):
            new = replace(new, triage_level=flag.level, red_flag=flag.id, red_flag_message=text)
        return Decision(Outcome.ESCALATE, new, flag, someone_else, text, noted)

    def _area_line(self, flag: RedFlag, state: SafetyState, regions: Collection[str]) -> str:
        """For a see_doctor flag, which massage is left out, or the question which area it is."""
        if flag.level != levels.SEE_DOCTOR:
            return ""
        if flag.area == WHOLE_BODY:
            return self.catalog.text("see_doctor_everywhere")
        if state.area_question == flag.id:
            return self.catalog.text("which_area")
        named = " and ".join(self.catalog.label(region) for region in (regions or flag.regions))
        return self.catalog.text("see_doctor_area", region_names=named)

    def _note(self, state: SafetyState, flag: RedFlag, regions: Collection[str]) -> SafetyState:
        """A caution's adaptation is kept; a see_doctor flag withholds massage of its area: the regions
        the message names, else the flag's own, else the bot asks which."""
        if flag.level == levels.CAUTION and flag.id not in state.cautions:
            return replace(state, cautions=(*state.cautions, flag.id))
        if flag.level != levels.SEE_DOCTOR:
            return state
        area = {ALL_REGIONS} if flag.area == WHOLE_BODY else set(regions or flag.regions)
        if not area:
            return replace(state, area_question=flag.id)
        return replace(state, withheld_regions=state.withheld_regions | area)

    @staticmethod
    def _area_answered(state: SafetyState, regions: Collection[str]) -> SafetyState:
        """The message after "which area?": the regions it names are withheld; none named, none are."""
        return replace(state, area_question=None, withheld_regions=state.withheld_regions | set(regions))

    def _added_up(self, flag: RedFlag, findings: Collection[str], earlier: Collection[str]) -> list[str]:
        """The findings said in earlier messages that this flag's rule needed, by name; none when the
        latest message met the rule alone."""
        latest = set(findings) - set(earlier)
        if flag.met(latest):
            return []
        match = next((found for rule in flag.when if (found := rule_match(rule, findings, latest)) is not None), ())
        return [self.findings[finding].name for finding in match if finding in earlier and finding in self.findings]

    def escalation_text(
        self, flag: RedFlag, someone_else: bool = False, added_up: Iterable[str] = (), area_line: str = ""
    ) -> str:
        """What to do now (naming the number), then one line why, in the level's template; for a
        see_doctor flag, then which massage is left out."""
        advice = (flag.advice_for_someone_else if someone_else else None) or flag.advice
        message_id = f"red_flag_{flag.level}" + ("_someone_else" if someone_else else "")
        fields = {"advice": advice.format(emergency_number=self.emergency_number), "why": flag.why}
        text = self.catalog.text(
            message_id, **fields, **({"area_line": area_line} if flag.level == levels.SEE_DOCTOR else {})
        )
        earlier = list(added_up)
        if earlier:
            text = self.catalog.text("red_flag_added_up", findings=" and ".join(earlier)) + "\n" + text
        return text.strip()


def _partial(flag: RedFlag, findings: Collection[str]) -> str | None:
    """The question to ask about a flag these findings partly show: an `ask` rule met, or a `when`
    rule met only once the findings the person only asked about are counted. None otherwise; "" for
    a flag with no question of its own (the caller asks the generic one)."""
    question = flag.question_for(findings)
    if question is None and flag.met(findings):
        question = flag.question or ""
    return question
