"""The deterministic safety detector alone, in process, on the benchmark sets: seconds, not minutes.

    python -m benchmarks.safety.offline [--sets NAME ...] [--errors]

It tokenizes each message with the project's spaCy pipeline, finds its findings and runs the safety
policy for a new conversation (no classifier signal, no spelling corrector), answering a question
truthfully as the HTTP benchmark does; conversations are decided turn by turn. It prints the same
figures as `python -m benchmarks.safety`, plus the matcher's time per message. Use it to develop
the findings and rules; the figures to report come from the HTTP benchmark, which runs the bot.
`--errors` lists the misses and false alarms, never the texts of the never_tuned*.yml sets.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence

from benchmarks.safety.__main__ import NEVER_TUNED, SETS_DIR, Case, Outcome, load_set, report, set_names
from kneadle.messages import default_messages
from kneadle.safety.findings import FindingsMatcher, default_findings
from kneadle.safety.flags import default_red_flags
from kneadle.safety.policy import Answer, Evidence, Safety, SafetyState
from kneadle.safety.policy import Outcome as Decided
from kneadle.safety.scope import default_scope_words
from kneadle.safety.words import project_tokenizer
from kneadle.spelling import english_words


class OfflineBot:
    def __init__(self) -> None:
        self.tokenize = project_tokenizer()
        self.matcher = FindingsMatcher(default_findings(), default_scope_words(), self.tokenize, english_words())
        self.policy = Safety(default_red_flags(), default_findings(), default_messages(), "112")
        self.seconds: list[float] = []

    def talk(self, case: Case) -> Outcome:
        outcome = Outcome(case)
        state = SafetyState()
        for text in case.turns:
            started = time.perf_counter()
            found = self.matcher.find(self.tokenize(text))
            self.seconds.append(time.perf_counter() - started)
            decision = self.policy.decide(state, Evidence(frozenset(found)))
            while decision.outcome in (Decided.ASK, Decided.ASK_AGAIN) and len(outcome.questions) < 3:
                outcome.questions.append(decision.flag.id if decision.flag else "?")
                answer = Answer.YES if case.has_flag else Answer.NO
                decision = self.policy.decide(decision.state, Evidence(answer=answer))
                if decision.outcome is Decided.CARRY_ON:  # the bot handles the message again
                    decision = self.policy.decide(decision.state, Evidence(frozenset(found)))
            state = decision.state
        outcome.level = state.triage_level
        outcome.flag = state.red_flag
        return outcome


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sets", nargs="+", choices=set_names(), default=[n for n in set_names() if not n.startswith(NEVER_TUNED)]
    )
    parser.add_argument("--errors", action="store_true", help="list misses and false alarms (not for never_tuned)")
    args = parser.parse_args(argv)
    bot = OfflineBot()
    for name in args.sets:
        messages, conversations = load_set(SETS_DIR / f"{name}.yml")
        report(name, [bot.talk(c) for c in messages], [bot.talk(c) for c in conversations], errors=args.errors)
    milliseconds = sorted(1000 * s for s in bot.seconds)
    p95 = milliseconds[int(0.95 * (len(milliseconds) - 1))]
    median = statistics.median(milliseconds)
    print(f"\nFindings matcher: {len(milliseconds)} messages, p50 {median:.2f} ms, p95 {p95:.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
