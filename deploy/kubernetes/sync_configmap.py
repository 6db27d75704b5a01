"""Copy docker/endpoints.production.yml and docker/credentials.production.yml into configmap.yaml.

Kustomize reads no file outside its folder, so the Kubernetes ConfigMap holds its own copy of the
two production files; one source keeps compose and Kubernetes alike. Run after changing either:
`.venv/bin/python deploy/kubernetes/sync_configmap.py` (tests/unit/test_deploy.py checks the copy).
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
CONFIGMAP = HERE / "configmap.yaml"
# Key in the ConfigMap kneadle-files -> the file it copies.
COPIES = {
    "endpoints.yml": PROJECT_ROOT / "docker" / "endpoints.production.yml",
    "credentials.yml": PROJECT_ROOT / "docker" / "credentials.production.yml",
}
FILES_DATA = "  name: kneadle-files\n"


def literal_block(key: str, text: str) -> str:
    """`key: |` and the text indented under it, as YAML reads back to exactly `text`."""
    lines = "".join(f"    {line}" if line.strip() else "\n" for line in text.splitlines(keepends=True))
    return f"  {key}: |\n{lines}"


def synced(configmap: str) -> str:
    """configmap.yaml with the data of kneadle-files (its last document) rewritten from the copies."""
    head, separator, files = configmap.rpartition("---\n")
    if FILES_DATA not in files:
        raise ValueError("configmap.yaml: the last document must be the ConfigMap kneadle-files")
    files = re.sub(r"(?ms)^data:\n.*", "data:\n", files)
    blocks = "".join(literal_block(key, path.read_text(encoding="utf-8")) for key, path in COPIES.items())
    return head + separator + files + blocks


def main() -> None:
    CONFIGMAP.write_text(synced(CONFIGMAP.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"Updated {CONFIGMAP.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
