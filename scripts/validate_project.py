"""Check what `rasa data validate` does not, naming the file (and line) of each problem.

1. Every YAML file Rasa reads parses (Rasa's own message for a syntax error in config.yml or
   domain.yml says "<unicode string>" instead of the file name).
2. Kneadle's data files (techniques, messages, findings, scope words, red flags) match their
   schemas, and the red flags' rules name findings that exist.
3. config.yml's pipeline and policies pass the validation `rasa train` runs before training,
   so a misspelt component fails here rather than minutes into training.
4. Every policy that names an emergency number (the safety policy, the action-failure policy)
   names the same one, so a deployment that changes it cannot change only one.

Usage: python scripts/validate_project.py [PROJECT_DIR]   (then run `rasa data validate`)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import yaml

from kneadle.datafile import DataFileError
from kneadle.knowledge import load_knowledge
from kneadle.messages import load_messages
from kneadle.safety.findings import load_findings
from kneadle.safety.flags import load_red_flags
from kneadle.safety.scope import load_scope_words

RASA_FILES = ("config.yml", "domain.yml", "credentials.yml", "endpoints.yml")


def yaml_problems(project: Path) -> list[str]:
    files = [project / name for name in RASA_FILES if (project / name).exists()]
    files += sorted((project / "data").rglob("*.yml")) + sorted((project / "tests").rglob("*.yml"))
    problems = []
    for path in files:
        try:
            yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = f":{mark.line + 1}" if mark else ""
            problems.append(f"{path.relative_to(project)}{line}: not valid YAML: {exc.problem or exc.context}")
    return problems


def data_file_problems(project: Path) -> list[str]:
    knowledge = project / "data" / "knowledge"
    problems = []
    for loader, path in (
        (load_knowledge, knowledge / "techniques.yml"),
        (load_messages, knowledge / "messages.yml"),
        (load_scope_words, knowledge / "scope_words.yml"),
    ):
        try:
            loader(path)
        except DataFileError as exc:
            problems.append(str(exc))
    try:
        load_red_flags(knowledge / "red_flags.yml", load_findings(knowledge / "findings.yml"))
    except DataFileError as exc:
        problems.append(str(exc))
    return problems


def config_problems(project: Path) -> list[str]:
    from rasa.engine.recipes.recipe import Recipe
    from rasa.engine.validation import validate
    from rasa.shared.data import TrainingType
    from rasa.shared.exceptions import RasaException
    from rasa.shared.importers.importer import TrainingDataImporter

    try:
        importer = TrainingDataImporter.load_from_config(
            str(project / "config.yml"), str(project / "domain.yml"), [str(project / "data")]
        )
        config = importer.get_config()
        recipe = Recipe.recipe_for_name(config.get("recipe"))
        config, _, _ = recipe.auto_configure(importer.get_config_file_for_auto_config(), config, TrainingType.BOTH)
        validate(recipe.graph_config_for_recipe(config, {}, training_type=TrainingType.BOTH))
    except (RasaException, ValueError) as exc:
        return [f"config.yml: {exc}"]
    return []


def emergency_number_problems(project: Path) -> list[str]:
    policies = yaml.safe_load((project / "config.yml").read_text(encoding="utf-8")).get("policies") or []
    numbers = {str(p["emergency_number"]) for p in policies if isinstance(p, dict) and "emergency_number" in p}
    if len(numbers) > 1:
        return [f"config.yml: the policies name different emergency numbers ({', '.join(sorted(numbers))}): use one"]
    return []


def main(argv: list[str]) -> int:
    project = Path(argv[1] if len(argv) > 1 else ".").resolve()
    os.chdir(project)  # config.yml names the spaCy pipeline by a path relative to the project
    problems = yaml_problems(project) or (
        data_file_problems(project) + config_problems(project) + emergency_number_problems(project)
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("YAML, knowledge files and config.yml are valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
