"""The shipped vectors of the bundled corpus: complete for the current code, and the model's own."""

from __future__ import annotations

import numpy as np

from knowledge import vector_cache
from knowledge.embeddings import HashingEmbedding, MiniLMEmbedding


def test_shipped_file_covers_every_bundled_text():
    model, shipped = vector_cache.load()
    assert model == MiniLMEmbedding().model_id()
    missing = [t for t in vector_cache.bundled_texts() if vector_cache.text_key(t) not in shipped]
    assert not missing, f"{len(missing)} bundled texts have no shipped vector: run python -m knowledge.vector_cache"


def test_shipped_vectors_are_what_the_model_computes():
    texts = vector_cache.bundled_texts()
    sample = [texts[0], texts[len(texts) // 2], texts[-1]]
    live = np.stack(MiniLMEmbedding()(sample))
    _, shipped = vector_cache.load()
    cached = np.stack([shipped[vector_cache.text_key(t)] for t in sample])
    cos = (live * cached).sum(axis=1) / np.linalg.norm(cached, axis=1)
    assert cos.min() > 0.999


class _Counting(MiniLMEmbedding):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def __call__(self, input):
        self.seen += list(input)
        return [np.ones(384, dtype=np.float32) / np.sqrt(384) for _ in input]


def test_only_texts_without_a_shipped_vector_are_embedded():
    bundled = vector_cache.bundled_texts()[0]
    embedder = _Counting()
    out = vector_cache.embed(embedder, [bundled, "a note the user ingested"])
    assert embedder.seen == ["a note the user ingested"]
    assert np.allclose(out[0], vector_cache.load()[1][vector_cache.text_key(bundled)])


def test_another_model_never_reads_the_file():
    out = vector_cache.embed(HashingEmbedding(), [vector_cache.bundled_texts()[0]])
    assert out[0].shape == (64,)
