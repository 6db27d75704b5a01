"""scripts/validate_project.py: the checks Rasa's own validation does not make."""

from __future__ import annotations

from pathlib import Path

from scripts.validate_project import emergency_number_problems
from tests.conftest import PROJECT_ROOT


def test_the_project_names_one_emergency_number() -> None:
    assert emergency_number_problems(PROJECT_ROOT) == []


def test_two_different_numbers_are_a_problem(tmp_path: Path) -> None:
    config = (PROJECT_ROOT / "config.yml").read_text(encoding="utf-8")
    (tmp_path / "config.yml").write_text(config.replace('emergency_number: "112"', 'emergency_number: "911"', 1))
    assert emergency_number_problems(tmp_path) == [
        "config.yml: the policies name different emergency numbers (112, 911): use one"
    ]
