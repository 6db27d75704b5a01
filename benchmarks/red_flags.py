"""Red-flag benchmark: labelled messages, each sent as the first message of a fresh conversation
to the real trained bot over HTTP (REST channel).

Three sets, each written by hand for this project, independently of the detector and of each
other: messages.yml and holdout.yml, on which the phrase patterns were improved (holdout.yml only
after its first, unseen run; see the README) and to which the targets apply; and unseen.yml,
never used for tuning, which shows how the detector does on wording it has not seen.

For each message it reads what the bot did from the tracker (the `red_flag` and `triage_level`
slots) and checks that the reply carried the escalation message. It prints recall per red flag,
recall for `emergency` and `urgent`, contraindications caught, under- and over-triage, and the
false-alarm rate on messages that should not escalate; it exits 1 when a target is missed.

    .venv/bin/python -m benchmarks.red_flags                 # starts the servers on loopback
    .venv/bin/python -m benchmarks.red_flags --no-actions    # with the action server down
    .venv/bin/python -m benchmarks.red_flags --url http://127.0.0.1:5005   # a running bot
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import yaml

from kneadle.messages import default_messages
from kneadle.red_flags import LEVELS, default_red_flags

SETS_DIR = Path(__file__).resolve().parent / "red_flags"
TUNING_PATHS = (SETS_DIR / "messages.yml", SETS_DIR / "holdout.yml")
UNSEEN_PATH = SETS_DIR / "unseen.yml"
SERIOUS_LEVELS = ("emergency", "urgent")
MAX_FALSE_ALARM_RATE = 0.03


@dataclass(frozen=True)
class Labelled:
    text: str
    expected: str  # a red-flag id, or "none"
    kind: str


@dataclass(frozen=True)
class Outcome:
    labelled: Labelled
    expected_level: str
    flag: str | None  # what the bot reported
    level: str  # the triage level it set ("none" if it did not escalate)
    replied_with_advice: bool
    safety_note: bool  # the classifier alone: a note before an ordinary reply, not an escalation

    @property
    def escalated(self) -> bool:
        return self.flag is not None and self.replied_with_advice


def load_labelled(path: Path) -> list[Labelled]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    return [Labelled(str(e["text"]), str(e["expected"]), str(e["kind"])) for e in entries]


def ask_bot(url: str, text: str) -> tuple[str | None, str, bool, bool]:
    """Send one message as a new person: the flag, the level, whether the advice was sent, and
    whether the reply carried the classifier's safety note."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    replies = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    replies.raise_for_status()
    tracker = requests.get(f"{url}/conversations/{sender}/tracker", timeout=30)
    tracker.raise_for_status()
    slots: dict[str, Any] = tracker.json()["slots"]
    advice = slots.get("red_flag_message")
    texts = [reply.get("text", "") for reply in replies.json()]
    replied = bool(advice) and any(advice in reply_text for reply_text in texts)
    note = default_messages()["red_flag_check"].text.split("{")[0]
    noted = any(reply_text.startswith(note) for reply_text in texts)
    return slots.get("red_flag"), slots.get("triage_level") or "none", replied, noted


def evaluate(url: str, labelled: list[Labelled]) -> list[Outcome]:
    flags = default_red_flags().flags
    outcomes = []
    for item in labelled:
        expected_level = flags[item.expected].level if item.expected != "none" else "none"
        outcomes.append(Outcome(item, expected_level, *ask_bot(url, item.text)))
    return outcomes


@dataclass(frozen=True)
class Summary:
    serious_recall: dict[str, tuple[int, int]]  # level -> (caught, total)
    contraindications: tuple[int, int]
    false_alarms: tuple[int, int]
    under_triage: list[Outcome]
    over_triage: list[Outcome]
    missed: list[Outcome]

    @property
    def targets_met(self) -> bool:
        caught_all_serious = all(caught == total for caught, total in self.serious_recall.values())
        caught, total = self.contraindications
        alarms, clean = self.false_alarms
        return caught_all_serious and caught == total and alarms <= MAX_FALSE_ALARM_RATE * clean


def summarise(outcomes: list[Outcome]) -> Summary:
    flagged = [o for o in outcomes if o.labelled.expected != "none"]
    clean = [o for o in outcomes if o.labelled.expected == "none"]
    serious = {
        level: (
            sum(o.escalated for o in flagged if o.expected_level == level),
            sum(o.expected_level == level for o in flagged),
        )
        for level in SERIOUS_LEVELS
    }
    contraindicated = [o for o in flagged if o.labelled.kind == "contraindication"]
    rank = LEVELS.index
    return Summary(
        serious_recall=serious,
        contraindications=(sum(o.escalated for o in contraindicated), len(contraindicated)),
        false_alarms=(sum(o.escalated for o in clean), len(clean)),
        under_triage=[o for o in flagged if o.escalated and rank(o.level) < rank(o.expected_level)],
        over_triage=[o for o in flagged if o.escalated and rank(o.level) > rank(o.expected_level)],
        missed=[o for o in flagged if not o.escalated],
    )


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def report(outcomes: list[Outcome], name: str) -> Summary:
    summary = summarise(outcomes)
    per_flag: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        if outcome.labelled.expected != "none":
            per_flag[outcome.labelled.expected].append(outcome)
    print(f"Red-flag benchmark: {len(outcomes)} messages from {name}\n")
    print(f"{'red flag':36} {'level':10} {'caught':>8} {'same flag':>10}")
    for flag_id, items in sorted(per_flag.items(), key=lambda kv: (-LEVELS.index(kv[1][0].expected_level), kv[0])):
        caught = sum(o.escalated for o in items)
        same = sum(o.flag == flag_id for o in items)
        print(f"{flag_id:36} {items[0].expected_level:10} {caught:>4}/{len(items):<3} {same:>6}/{len(items):<3}")
    print()
    for level, (caught, total) in summary.serious_recall.items():
        print(f"Recall, {level}: {percent(caught, total)}  (target 100%)")
    print(f"Contraindications caught: {percent(*summary.contraindications)}  (target 100%)")
    alarms, clean = summary.false_alarms
    print(f"False alarms on messages that should not escalate: {percent(alarms, clean)}  (target <= 3%)")
    print(f"Under-triage (escalated below the expected level): {len(summary.under_triage)}")
    print(f"Over-triage (escalated above the expected level): {len(summary.over_triage)}")
    missed_noted = sum(o.safety_note for o in summary.missed)
    clean_noted = sum(o.safety_note for o in outcomes if o.labelled.expected == "none")
    missed = len(summary.missed)
    print(f"Safety notes (classifier alone): on {missed_noted} of {missed} missed, {clean_noted} of {clean} clean")
    for title, items in (
        ("Missed", summary.missed),
        ("Under-triaged", summary.under_triage),
        ("Over-triaged", summary.over_triage),
        ("False alarms", [o for o in outcomes if o.labelled.expected == "none" and o.escalated]),
    ):
        for o in items:
            print(f"  {title}: {o.labelled.text!r} expected {o.labelled.expected}, got {o.flag} ({o.level})")
    print(f"\nTargets met on {name}: {'yes' if summary.targets_met else 'NO'}\n")
    return summary


def run_sets(url: str) -> bool:
    """Every set against the bot at `url`; True when the tuning sets meet the targets."""
    met = [report(evaluate(url, load_labelled(path)), path.name).targets_met for path in TUNING_PATHS]
    report(evaluate(url, load_labelled(UNSEEN_PATH)), UNSEEN_PATH.name + " (never used for tuning)")
    return all(met)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running Rasa server with the REST channel and the HTTP API")
    parser.add_argument("--no-actions", action="store_true", help="run the Rasa server with no action server")
    args = parser.parse_args()
    if args.url:
        return 0 if run_sets(args.url) else 1
    from tests.integration.servers import action_server, rasa_server

    with tempfile.TemporaryDirectory() as folder:
        log_dir = Path(folder)
        actions = action_server(log_dir)
        if not args.no_actions:
            actions.start()
        rasa = rasa_server(log_dir, actions, log_dir / "tracker.db").start()
        try:
            return 0 if run_sets(rasa.url) else 1
        finally:
            rasa.stop()
            actions.stop()


if __name__ == "__main__":
    sys.exit(main())
