"""Build the spaCy pipeline that config.yml loads, inside the project, with no downloads.

spaCy's model downloads cannot be reached here, and rasa 3.6 pins spaCy below 3.5 while the
PyPI re-uploads of en_core_web_* need spaCy 3.6 or later. Rasa's SpacyNLP needs a pipeline
loaded from disk; ours is blank English (tokenizer) plus the lookup lemmatizer, whose table
comes from the spacy-lookups-data package and is saved into the pipeline folder.

Usage: python scripts/build_spacy_pipeline.py OUTPUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy

PIPELINE_NAME = "kneadle_en"


def build(output_dir: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "Blank English tokenizer with the lookup lemmatizer, built by Kneadle's set-up."
    nlp.to_disk(output_dir)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    output_dir = Path(argv[1])
    build(output_dir)
    lemmas = [token.lemma_ for token in spacy.load(output_dir)("my hands were aching")]
    print(f"Built spaCy pipeline in {output_dir}: 'my hands were aching' -> {lemmas}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
