"""Train and compare NLU pipelines on the held-out messages: `make benchmark-nlu`.

    python -m benchmarks.nlu [--only NAME ...] [--heldout FILE] [--details] [--errors]

In one run it trains, on data/nlu/, each of:
- rasa-init: the pipeline `rasa init` uses (Rasa's default_config.yml), with fixed seeds;
- kneadle: ours, config.yml as committed;
- kneadle+minilm: ours plus dense features from all-MiniLM-L6-v2 (benchmarks/nlu/minilm_featurizer.py);
and scores each model on benchmarks/nlu/heldout.yml, which is never used for training.

Tune on the development set instead, `--heldout benchmarks/nlu/dev.yml` (300 messages, half
typo'd, written apart from both data/nlu/ and heldout.yml), so that the held-out figures stay an
honest measure of what a change does to messages nobody tuned for.

What it prints, per pipeline:
- intent macro-F1 and accuracy of the top intent. A fallback (the bot asks instead of guessing)
  is scored by the intent under it, and its share is printed separately.
- entity F1 on (message, entity, value), after every component (synonyms, canonicalisation),
  for the entities the held-out file annotates: what the slots get, not token spans.
- body_region accuracy: messages naming a region whose predicted set of regions is exactly right;
  and the messages naming none where a region was found anyway.
- intent accuracy on the typo'd blocks (marked `# typos`) and on the clean ones, and on the
  messages whose words are not also a training example (short replies like "thanks" recur).
- training time (`rasa train nlu`, wall clock) and parse latency p50/p95 (one message at a time,
  in process, after a warm-up).
Then the targets of issue 5, met or not, for the committed pipeline.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "benchmarks" / "nlu" / "heldout.yml"
TYPO_MARK = "# typos"
FALLBACK = "nlu_fallback"
SEED = 42
MINILM = {"name": "benchmarks.nlu.minilm_featurizer.MiniLMFeaturizer"}
TARGETS = {"macro_f1": 0.95, "region_accuracy": 0.97, "typo_gap": 0.02, "train_seconds": 180, "p95_ms": 30}


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: frozenset[tuple[str, str]]
    typos: bool
    in_training: bool = False  # the same words are in data/nlu/ ("thanks", "next step please")


@dataclass
class Result:
    name: str
    train_seconds: float
    predictions: list[tuple[str, frozenset[tuple[str, str]], bool]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)


def load_heldout(path: Path) -> list[Example]:
    """The held-out examples, each marked typo'd when its intent block follows a `# typos` line."""
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

    lines = path.read_text(encoding="utf-8").splitlines()
    marks = [
        i > 0 and lines[i - 1].strip() == TYPO_MARK for i, line in enumerate(lines) if line.startswith("- intent:")
    ]
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]
    intent_blocks = [block for block in blocks if "intent" in block]
    assert len(intent_blocks) == len(marks), "every `- intent:` line starts a block"
    examples = []
    for block, typos in zip(intent_blocks, marks, strict=True):
        data = RasaYAMLReader().reads(yaml.safe_dump({"version": "3.1", "nlu": [block]}, allow_unicode=True))
        for message in data.training_examples:
            entities = frozenset((e["entity"], str(e["value"])) for e in message.get("entities") or [])
            examples.append(Example(message.get("text"), message.get("intent"), entities, typos))
    return examples


def pipelines() -> dict[str, dict]:
    """The configs to compare, built from Rasa's own default and our config.yml (never copied)."""
    import rasa.engine.recipes

    default = yaml.safe_load(
        (Path(rasa.engine.recipes.__file__).parent / "config_files/default_config.yml").read_text()
    )
    for component in default["pipeline"]:
        if component["name"] in ("DIETClassifier", "ResponseSelector"):
            component["random_seed"] = SEED
    ours = yaml.safe_load((ROOT / "config.yml").read_text())
    dense = yaml.safe_load((ROOT / "config.yml").read_text())
    featurizers = [i for i, c in enumerate(dense["pipeline"]) if "Featurizer" in c["name"]]
    dense["pipeline"].insert(featurizers[-1] + 1, MINILM)
    return {"rasa-init": default, "kneadle": ours, "kneadle+minilm": dense}


def train(name: str, config: dict, out: Path) -> tuple[Path, float]:
    config_path = out / f"{name}.yml"
    config_path.write_text(yaml.safe_dump(config, sort_keys=False))
    rasa = Path(sys.executable).parent / "rasa"
    command = [str(rasa), "train", "nlu", "-c", str(config_path), "--nlu", str(ROOT / "data" / "nlu")]
    command += ["--out", str(out), "--fixed-model-name", name]
    started = time.perf_counter()
    finished = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise SystemExit(f"training {name} failed:\n{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}")
    return out / f"{name}.tar.gz", seconds


async def evaluate(name: str, model: Path, seconds: float, examples: list[Example]) -> Result:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    for _ in range(5):
        await agent.parse_message("warm up: my neck is stiff")
    result = Result(name, seconds)
    for example in examples:
        started = time.perf_counter()
        parsed = await agent.parse_message(example.text)
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
        ranking = [r["name"] for r in parsed.get("intent_ranking") or [] if r["name"] != FALLBACK]
        top = ranking[0] if ranking else parsed["intent"]["name"]
        if parsed["intent"]["name"] not in (FALLBACK, top):
            top = parsed["intent"]["name"]  # a component overrode the classifier (red flags)
        entities = frozenset((e["entity"], str(e["value"])) for e in parsed.get("entities") or [])
        result.predictions.append((top, entities, parsed["intent"]["name"] == FALLBACK))
    return result


def mark_training_texts(examples: list[Example], training_dir: Path) -> list[Example]:
    """The examples, each marked when a training example has the same words: short replies
    ("thanks", "next") are bound to recur, and a score on the rest shows the share they carry."""
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.loading import load_data

    trained = {_words(message.get(TEXT)) for message in load_data(str(training_dir)).training_examples}
    return [dataclasses.replace(e, in_training=_words(e.text) in trained) for e in examples]


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def scores(result: Result, examples: list[Example]) -> dict[str, float]:
    from sklearn.metrics import f1_score

    gold = [e.intent for e in examples]
    predicted = [p[0] for p in result.predictions]
    labels = sorted(set(gold))
    annotated = {entity for e in examples for entity, _ in e.entities}
    true_positives = found = expected = 0
    region_right = region_total = false_regions = no_region = 0
    for example, (_, entities, _) in zip(examples, result.predictions, strict=True):
        predicted_entities = {pair for pair in entities if pair[0] in annotated}
        true_positives += len(predicted_entities & example.entities)
        found += len(predicted_entities)
        expected += len(example.entities)
        gold_regions = {v for k, v in example.entities if k == "body_region"}
        predicted_regions = {v for k, v in entities if k == "body_region"}
        if gold_regions:
            region_total += 1
            region_right += gold_regions == predicted_regions
        else:
            no_region += 1
            false_regions += bool(predicted_regions)
    precision = true_positives / found if found else 0.0
    recall = true_positives / expected if expected else 0.0

    def accuracy(include: Callable[[Example], bool]) -> float:
        pairs = [(e.intent, p[0]) for e, p in zip(examples, result.predictions, strict=True) if include(e)]
        return sum(g == p for g, p in pairs) / len(pairs)

    latencies = sorted(result.latencies_ms)
    return {
        "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
        "accuracy": sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold),
        "fallback_share": sum(p[2] for p in result.predictions) / len(gold),
        "entity_f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "region_accuracy": region_right / region_total,
        "false_regions": false_regions,
        "no_region": no_region,
        "typo_accuracy": accuracy(lambda e: e.typos),
        "clean_accuracy": accuracy(lambda e: not e.typos),
        "new_text_accuracy": accuracy(lambda e: not e.in_training),
        "train_seconds": result.train_seconds,
        "p50_ms": statistics.median(latencies),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))],
    }


def confusions(result: Result, examples: list[Example]) -> list[str]:
    """The intents and regions mistaken for others, with counts (no message texts)."""
    intents: Counter[tuple[str, str]] = Counter()
    regions: Counter[tuple[str, str]] = Counter()
    for example, (intent, entities, _) in zip(examples, result.predictions, strict=True):
        if intent != example.intent:
            intents[(example.intent, intent)] += 1
        gold = ",".join(sorted(v for k, v in example.entities if k == "body_region")) or "-"
        found = ",".join(sorted(v for k, v in entities if k == "body_region")) or "-"
        if gold != found:
            regions[(gold, found)] += 1
    lines = [f"  intent {gold} -> {found}: {n}" for (gold, found), n in intents.most_common()]
    return lines + [f"  body_region {gold} -> {found}: {n}" for (gold, found), n in regions.most_common()]


def mistakes(result: Result, examples: list[Example]) -> list[str]:
    """Each message whose intent or regions were mistaken, with its text: for the dev set only."""
    lines = []
    for example, (intent, entities, _) in zip(examples, result.predictions, strict=True):
        gold = sorted(v for k, v in example.entities if k == "body_region")
        found = sorted(v for k, v in entities if k == "body_region")
        if intent != example.intent or gold != found:
            lines.append(f"  {example.intent} -> {intent}  regions {gold} -> {found}: {example.text}")
    return lines


def report(all_scores: dict[str, dict[str, float]], examples: list[Example], examples_file: Path) -> bool:
    typo_count = sum(e.typos for e in examples)
    intents = len({e.intent for e in examples})
    repeated = sum(e.in_training for e in examples)
    print(
        f"\n{examples_file.name}: {len(examples)} messages, {intents} intents, {typo_count} typo'd, "
        f"{repeated} word for word in the training data"
    )
    rows = [
        ("intent macro-F1", "macro_f1", "{:.4f}"),
        ("intent accuracy", "accuracy", "{:.3f}"),
        ("fallback (asks)", "fallback_share", "{:.1%}"),
        ("entity F1", "entity_f1", "{:.3f}"),
        ("body_region accuracy", "region_accuracy", "{:.3f}"),
        ("regions found in none", "false_regions", "{:.0f}"),
        ("typo'd accuracy", "typo_accuracy", "{:.3f}"),
        ("clean accuracy", "clean_accuracy", "{:.3f}"),
        ("accuracy, not in training", "new_text_accuracy", "{:.3f}"),
        ("train nlu (s)", "train_seconds", "{:.0f}"),
        ("parse p50 (ms)", "p50_ms", "{:.1f}"),
        ("parse p95 (ms)", "p95_ms", "{:.1f}"),
    ]
    names = list(all_scores)
    print(f"{'':24}" + "".join(f"{name:>16}" for name in names))
    for label, key, fmt in rows:
        print(f"{label:24}" + "".join(f"{fmt.format(all_scores[n][key]):>16}" for n in names))
    if "kneadle" not in all_scores:
        return True
    ours = all_scores["kneadle"]
    checks = [
        (f"intent macro-F1 >= {TARGETS['macro_f1']}", ours["macro_f1"] >= TARGETS["macro_f1"]),
        (
            f"body_region accuracy >= {TARGETS['region_accuracy']}",
            ours["region_accuracy"] >= TARGETS["region_accuracy"],
        ),
        (
            f"typo'd within {TARGETS['typo_gap']:.0%} of clean",
            ours["clean_accuracy"] - ours["typo_accuracy"] <= TARGETS["typo_gap"],
        ),
        (f"training <= {TARGETS['train_seconds']} s", ours["train_seconds"] <= TARGETS["train_seconds"]),
        (f"parse p95 <= {TARGETS['p95_ms']} ms", ours["p95_ms"] <= TARGETS["p95_ms"]),
    ]
    if "rasa-init" in all_scores:
        checks.append(("beats rasa-init on macro-F1", ours["macro_f1"] > all_scores["rasa-init"]["macro_f1"]))
    print("\nTargets (issue 5) for the committed pipeline, kneadle:")
    for label, met in checks:
        print(f"  [{'met' if met else 'MISSED'}] {label}")
    return all(met for _, met in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", help="pipelines to run (default: all)")
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument("--details", action="store_true", help="also print what each pipeline mistook for what")
    parser.add_argument("--errors", action="store_true", help="also print each mistaken message (not held-out)")
    args = parser.parse_args()
    if args.errors and args.heldout.resolve() == HELDOUT.resolve():
        parser.error("the held-out messages stay unread: use --errors with --heldout benchmarks/nlu/dev.yml")
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"  # no traffic off this machine, here or in training
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"  # every pipeline trains from scratch: honest training times
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["LOG_LEVEL"] = "WARNING"
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)  # no per-message debug lines
    examples = mark_training_texts(load_heldout(args.heldout), ROOT / "data" / "nlu")
    configs = {name: config for name, config in pipelines().items() if not args.only or name in args.only}
    all_scores = {}
    with tempfile.TemporaryDirectory(prefix="kneadle-nlu-benchmark-") as out:
        for name, config in configs.items():
            print(f"training {name}...", flush=True)
            model, seconds = train(name, config, Path(out))
            result = asyncio.run(evaluate(name, model, seconds, examples))
            all_scores[name] = scores(result, examples)
            if args.details:
                print("\n".join(confusions(result, examples)), flush=True)
            if args.errors:
                print("\n".join(mistakes(result, examples)), flush=True)
    return 0 if report(all_scores, examples, args.heldout) else 1


if __name__ == "__main__":
    sys.exit(main())
