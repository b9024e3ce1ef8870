"""Knowledge-store fixtures: a fast index with the hashing embedder, and helpers."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def fake_store(tmp_path_factory: pytest.TempPathFactory):
    """The bundled corpus indexed with the deterministic hashing embedder (no semantics; fast)."""
    from knowledge.embeddings import HashingEmbedding
    from knowledge.index import open_store

    return open_store(data_dir=tmp_path_factory.mktemp("fake-index"), embedder=HashingEmbedding(), chroma_host="")
