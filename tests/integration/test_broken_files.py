"""Broken files are caught before a conversation starts, and the message names the file."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT
from tests.integration.servers import VENV_BIN, free_port, server_env

pytestmark = pytest.mark.integration


def copy_project(tmp_path: Path, *names: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in names:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, project / name)
    return project


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=server_env(), capture_output=True, text=True, timeout=180, check=False)


def validate(project: Path) -> subprocess.CompletedProcess[str]:
    """The validation step of `make test`, run on a copy of the project."""
    return run(["bash", str(PROJECT_ROOT / "scripts" / "validate.sh"), str(project)], cwd=PROJECT_ROOT)


@pytest.mark.parametrize(
    ("path", "old", "new", "named"),
    [
        ("data/nlu/chitchat.yml", "- intent: greet", "- intent: greet\n  examples: [unclosed", r"chitchat\.yml:"),
        ("data/rules/walkthrough.yml", "action: action_next_step", "action: utter_nonexistent", "utter_nonexistent"),
        ("domain.yml", "  - report_complaint\n", "  - report_complaint\n  - report_complaint\n", "report_complaint"),
        ("config.yml", "  - name: DIETClassifier", "  - name: NoSuchClassifier", r"config\.yml: .*NoSuchClassifier"),
        ("config.yml", "  - name: SpacyTokenizer", "  - name: [SpacyTokenizer", r"config\.yml:\d+: not valid YAML"),
        ("domain.yml", "  body_region:\n", "  body_region\n", r"domain\.yml:\d+: not valid YAML"),
        ("data/knowledge/techniques.yml", "performer: self", "performer: robot", r"techniques\.yml:\d+: technique"),
    ],
)
def test_validation_names_the_broken_file_or_item(tmp_path: Path, path: str, old: str, new: str, named: str) -> None:
    project = copy_project(tmp_path, "config.yml", "domain.yml", "data")
    (project / "build").symlink_to(PROJECT_ROOT / "build")
    target = project / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")

    result = validate(project)

    assert result.returncode != 0
    assert re.search(named, result.stdout + result.stderr)


def test_the_action_server_refuses_to_start_with_a_broken_knowledge_file(tmp_path: Path) -> None:
    project = copy_project(tmp_path, "actions", "kneadle", "data")
    knowledge = project / "data" / "knowledge" / "techniques.yml"
    text = knowledge.read_text(encoding="utf-8")
    knowledge.write_text(text.replace("performer: self", "performer: robot", 1), encoding="utf-8")
    line = text[: text.index("performer: self")].count("\n") + 1

    result = run([str(VENV_BIN / "rasa"), "run", "actions", "--port", str(free_port())], cwd=project)

    assert result.returncode != 0
    assert f"techniques.yml:{line}: technique 'hand_self_massage', field performer" in result.stdout + result.stderr


def test_the_project_itself_validates(tmp_path: Path) -> None:
    result = validate(copy_project(tmp_path, "config.yml", "domain.yml", "data"))
    assert result.returncode == 0, result.stdout + result.stderr
