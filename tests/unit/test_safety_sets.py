"""The deterministic detector keeps the targets on the sets it was developed on (in process, in seconds).

These sets were tuned on, so passing says nothing about new wording: it keeps a data or rule change
from quietly losing what already worked. The figures to report come from `make benchmark` on the
never-tuned set (benchmarks/safety/).
"""

from __future__ import annotations

import pytest

from benchmarks.safety.__main__ import SETS_DIR, load_set, summarise
from benchmarks.safety.offline import OfflineBot

TUNED_ON = ("dev_a", "dev_b", "dev_c", "tuning", "tuning_e", "tuning_g", "issue_11_kinds")


@pytest.fixture(scope="module")
def bot() -> OfflineBot:
    return OfflineBot()


@pytest.mark.parametrize("name", TUNED_ON)
def test_the_targets_hold_on_the_sets_tuned_on(bot: OfflineBot, name: str) -> None:
    messages, conversations = load_set(SETS_DIR / f"{name}.yml")
    outcomes = [bot.talk(case) for case in messages]
    summary = summarise(outcomes, [bot.talk(case) for case in conversations])
    missed = [o.case.turns for o in outcomes if o.case.level in ("emergency", "urgent") and not o.at_least("urgent")]
    assert missed == []
    assert summary.targets_met(), summary
    caught, adding_up = summary.conversations_caught
    assert caught == adding_up
