"""The Docker files match the pinned versions and run as non-root; docker-compose accepts them.

No Docker engine runs here, so `docker-compose config` (Debian's docker-compose, installed by
.ci/run) validates the compose file without one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT


def pinned(package: str) -> str:
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(package)}==(\S+)$", lock, re.MULTILINE).group(1)


def instructions(dockerfile: str, keyword: str) -> list[str]:
    text = (PROJECT_ROOT / dockerfile).read_text(encoding="utf-8")
    return re.findall(rf"^{keyword}\s+(.+)$", text, re.MULTILINE)


@pytest.mark.parametrize(
    ("dockerfile", "image", "package"),
    [("Dockerfile", "rasa/rasa-sdk", "rasa-sdk"), ("docker/rasa.Dockerfile", "rasa/rasa", "rasa")],
)
def test_images_match_the_locked_versions(dockerfile: str, image: str, package: str) -> None:
    (base,) = instructions(dockerfile, "FROM")
    assert base.split(":")[0] == image
    assert base.split(":")[1].split("-")[0] == pinned(package)


@pytest.mark.parametrize("dockerfile", ["Dockerfile", "docker/rasa.Dockerfile"])
def test_images_run_as_a_non_root_user(dockerfile: str) -> None:
    assert instructions(dockerfile, "USER")[-1] not in ("root", "0")


def test_docker_compose_accepts_the_file() -> None:
    compose = shutil.which("docker-compose")
    if compose is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is missing: .ci/run installs Debian's docker-compose package")
        pytest.skip("docker-compose is not installed (apt-get install docker-compose)")
    result = subprocess.run(
        [compose, "config"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"^  actions:$", result.stdout, re.MULTILINE)
    assert re.search(r"^  rasa:$", result.stdout, re.MULTILINE)
    assert "127.0.0.1:5005:5005" in result.stdout


def test_the_rasa_image_has_the_code_our_pipeline_component_needs() -> None:
    """config.yml names our components, which import kneadle and read data/knowledge."""
    config = (PROJECT_ROOT / "config.yml").read_text(encoding="utf-8")
    assert "components.findings_detector.FindingsDetector" in config
    assert "components.safety_policy.SafetyPolicy" in config
    dockerfile = (PROJECT_ROOT / "docker" / "rasa.Dockerfile").read_text(encoding="utf-8")
    for folder in ("components", "kneadle", "data"):
        assert re.search(rf"^COPY .* {folder} \./{folder}$", dockerfile, re.MULTILINE), folder
    assert "rapidfuzz" in dockerfile


def test_the_rasa_image_carries_the_production_files() -> None:
    """docker-compose.production.yml runs the image with these (tests/unit/test_deploy.py checks them)."""
    dockerfile = (PROJECT_ROOT / "docker" / "rasa.Dockerfile").read_text(encoding="utf-8")
    assert re.search(
        r"^COPY .* docker/endpoints\.production\.yml docker/credentials\.production\.yml \./$", dockerfile, re.MULTILINE
    )


def test_the_action_image_runs_the_server_that_checks_the_token() -> None:
    """actions/server.py refuses calls without KNEADLE_ACTION_TOKEN; the stock rasa_sdk start would not."""
    (entrypoint,) = instructions("Dockerfile", "ENTRYPOINT")
    assert json.loads(entrypoint)[:3] == ["python", "-m", "actions.server"]
    assert (PROJECT_ROOT / "actions" / "server.py").is_file()
