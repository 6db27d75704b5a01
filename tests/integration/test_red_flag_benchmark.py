"""The red-flag benchmark's targets, on its tuning sets, against this session's real servers.

The figures themselves come from `make benchmark` (benchmarks/red_flags.py); this keeps a change
to the patterns, the pipeline or the rules from quietly missing a red flag.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.red_flags import TUNING_PATHS, evaluate, load_labelled, summarise
from tests.integration.servers import Server

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("path", TUNING_PATHS, ids=lambda path: path.name)
def test_every_emergency_urgent_and_contraindication_is_caught_with_few_false_alarms(rasa: Server, path: Path) -> None:
    summary = summarise(evaluate(rasa.url, load_labelled(path)))
    assert [o.labelled.text for o in summary.missed if o.expected_level in ("emergency", "urgent")] == []
    assert [o.labelled.text for o in summary.under_triage if o.expected_level in ("emergency", "urgent")] == []
    assert summary.targets_met, summary
