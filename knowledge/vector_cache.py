"""Vectors of the bundled corpus, shipped with the package so a first build need not compute them.

Embedding the bundled transcript and spec sheets (chunks, their sentence windows and their
sentences: see :func:`bundled_texts`) takes a minute or more on two busy cores; every fresh machine and CI run paid it. The vectors
depend only on the text and the model, so they are computed once and shipped in
``knowledge/data/embedder/bundled_vectors.npz``:

* ``model``: the embedder's :meth:`model_id` (model file hash included) that computed them;
* ``keys``: the first 16 hex digits of sha256(text) for every embedded text;
* ``vectors``: float16, one row per key (384 dims; float16 changes a cosine by < 1e-3).

:func:`embed` takes a text's vector from the file when the same model computed it and the
text is unchanged, and computes the rest (ingested files, or bundled text whose chunking
changed since the file was written). Regenerate the file after changing the bundled data or
how it is chunked: ``python -m knowledge.vector_cache`` (a test fails while it is stale).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

FILENAME = "bundled_vectors.npz"


def text_key(text: str) -> str:
    """sha256 of the text, first 16 hex digits (what the file is keyed by)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def path() -> Path:
    return Path(str(resources.files("knowledge") / "data" / "embedder" / FILENAME))


@cache
def load() -> tuple[str, dict[str, np.ndarray]]:
    """(model id, text key -> float32 vector) from the shipped file; ('', {}) when there is none."""
    p = path()
    if not p.is_file():
        return "", {}
    with np.load(p, allow_pickle=False) as data:
        model = str(data["model"])
        vectors = data["vectors"].astype(np.float32)
        keys = [str(k) for k in data["keys"]]
    return model, dict(zip(keys, vectors))


def embed(embedder: Any, texts: list[str]) -> list[np.ndarray]:
    """``embedder(texts)``, with the vectors of shipped texts read from the file instead.

    Only used when the file was written by the same model (``embedder.model_id()``).
    """
    model, shipped = load()
    model_id = embedder.model_id() if hasattr(embedder, "model_id") else None
    if not shipped or model_id != model:
        return list(embedder(texts))
    out: list[Any] = [shipped.get(text_key(t)) for t in texts]
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        for i, vec in zip(missing, embedder([texts[i] for i in missing])):
            out[i] = np.asarray(vec, dtype=np.float32)
    return out


def bundled_texts() -> list[str]:
    """Every text the index embeds for the bundled corpus: each chunk's index text, its windows and sentences."""
    from knowledge.index import bundled_docs

    texts: list[str] = []
    for d in bundled_docs():
        texts.append(d.index_text())
        texts += [w for _, w in d.windows()] + [s for _, s in d.sentences()]
    return list(dict.fromkeys(texts))


def write(embedder: Any = None, target: Path | None = None) -> int:
    """Embed every bundled text with the real embedder and write the file; returns how many."""
    from knowledge.embeddings import MiniLMEmbedding

    embedder = embedder or MiniLMEmbedding()
    texts = bundled_texts()
    vectors = np.stack([np.asarray(v, dtype=np.float32) for v in embedder(texts)]).astype(np.float16)
    target = target or path()
    np.savez_compressed(
        target, model=np.array(embedder.model_id()), keys=np.array([text_key(t) for t in texts]), vectors=vectors
    )
    load.cache_clear()
    return len(texts)


if __name__ == "__main__":
    print(f"wrote {write()} vectors to {path()}")
