"""Set-up without Python 3.10 stops with a clear message and leaves nothing behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT


def fake_command(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def test_no_python_310_gives_instructions_and_installs_nothing(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "scripts", project / "scripts")
    shutil.copy(PROJECT_ROOT / "requirements.lock", project)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    # A python3.10 on PATH that is really another version, and a pyenv with no 3.10 installed.
    fake_command(bin_dir, "python3.10", f'exec {sys.executable} -I -c "import sys; sys.exit(1)" "$@"')
    fake_command(bin_dir, "pyenv", 'case "$1" in versions) echo 3.11.7;; *) exit 1;; esac')
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}

    result = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode != 0
    assert "needs Python 3.10" in result.stderr
    assert "pyenv install 3.10" in result.stderr
    assert "KNEADLE_PYTHON" in result.stderr
    assert not (project / ".venv").exists()
    assert not (project / "build").exists()


def test_a_wrong_kneadle_python_is_named(tmp_path: Path) -> None:
    env = {**os.environ, "KNEADLE_PYTHON": "/nonexistent/python3.10", "HOME": str(tmp_path)}
    project = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "scripts", project / "scripts")
    result = subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode != 0
    assert "KNEADLE_PYTHON=/nonexistent/python3.10 is not a working Python 3.10" in result.stderr
    assert not (project / ".venv").exists()
