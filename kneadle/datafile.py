"""Load a YAML data file and validate it against its JSON schema.

Errors name the file, the line, the entry (by its id) and the field, so a broken
knowledge file stops start-up with a message a content editor can act on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

SCHEMA_DIR = Path(__file__).parent / "schemas"

PathPart = str | int


class DataFileError(ValueError):
    """A data file is missing, is not valid YAML, or breaks its schema."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


class DataFile:
    """A parsed YAML file that remembers where each value came from."""

    def __init__(self, path: Path, tree: Any) -> None:
        self.path = path
        self.tree = tree

    def line_of(self, where: Sequence[PathPart]) -> int | None:
        """1-based line of the value at `where` (keys and list indexes), or of its nearest parent."""
        node, line = self.tree, None
        for part in where:
            position = _position_in(node, part)
            if position is None:
                break
            line, node = position + 1, node[part]
        return line

    def error(self, where: Sequence[PathPart], problem: str) -> DataFileError:
        """An error for the value at `where`, naming the entry that holds it and the field."""
        field = _field_name(where)
        owner = self._owner(where)
        parts = [part for part in (owner, f"field {field}" if field else "") if part]
        prefix = ", ".join(parts)
        return DataFileError(self.path, self.line_of(where), f"{prefix}: {problem}" if prefix else problem)

    def _owner(self, where: Sequence[PathPart]) -> str:
        """Name the innermost entry with an id along `where`, e.g. "technique 'hand_self_massage'"."""
        node, owner = self.tree, ""
        for index, part in enumerate(where):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                break
            if isinstance(node, dict) and isinstance(node.get("id"), str) and index >= 1:
                collection = str(where[index - 1])
                owner = f"{_singular(collection)} '{node['id']}'"
        return owner


def load_data_file(path: Path, schema_name: str) -> DataFile:
    """Parse `path` and validate it against `kneadle/schemas/<schema_name>.schema.json`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read the file ({exc.strerror})") from exc
    try:
        tree = YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataFileError(path, line, f"not valid YAML: {exc.problem or exc.context}") from exc
    data_file = DataFile(path, tree)
    errors = sorted(_schema_errors(tree, schema_name), key=lambda error: list(map(str, error.absolute_path)))
    if errors:
        first = errors[0]
        raise data_file.error(list(first.absolute_path), first.message)
    return data_file


def _schema_errors(tree: Any, schema_name: str) -> Iterable[Any]:
    schema = json.loads((SCHEMA_DIR / f"{schema_name}.schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema).iter_errors(tree)


def _position_in(node: Any, part: PathPart) -> int | None:
    """0-based line of `part` inside a ruamel round-trip map or sequence."""
    try:
        if isinstance(node, dict) and part in node:
            return node.lc.key(part)[0]
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            return node.lc.item(part)[0]
    except (AttributeError, KeyError, TypeError):
        return None
    return None


def _field_name(where: Sequence[PathPart]) -> str:
    """`techniques[0].steps[2].seconds` → `steps[2].seconds` (the part below the entry)."""
    parts = list(where)
    if len(parts) >= 2 and isinstance(parts[1], int):
        parts = parts[2:]
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _singular(collection: str) -> str:
    return collection[:-1] if collection.endswith("s") else collection
