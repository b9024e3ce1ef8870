"""``search(query, k=5, source=None) -> list[Passage]``: hybrid retrieval with citations.

Hybrid = reciprocal rank fusion (Cormack, Clarke & Buettcher 2009) of the dense ranking
(MiniLM cosine) and the BM25 ranking, each cut at ``CANDIDATES`` chunks:

    score(d) = sum over rankings r containing d of 1 / (RRF_K + rank_r(d))      (rank from 1)

``RRF_K = 60`` is the constant of the original paper. ``mode="dense"`` or ``"bm25"`` returns one
ranking alone (its own score: cosine similarity or BM25), for the side-by-side evaluation.
"""

from __future__ import annotations

from typing import Any

from knowledge.passage import Passage
from knowledge.thesaurus import expand
from tools.errors import InputError

RRF_K = 60
#: Chunks taken from each ranking before fusion.
CANDIDATES = 40
MAX_K = 50
SOURCES = ("transcript", "specs", "all")
MODES = ("hybrid", "dense", "bm25")


def _validate(query: Any, k: Any, source: Any, mode: str) -> tuple[str, int, str | None]:
    if not isinstance(query, str) or not query.strip():
        raise InputError("query", f"empty query {query!r}; ask about something, e.g. 'HBM gross margins'.")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError("k", f"got {k!r}; allowed: a whole number from 1 to {MAX_K}.")
    if source not in (None, *SOURCES):
        raise InputError("source", f"got {source!r}; allowed: {', '.join(SOURCES)}.")
    if mode not in MODES:
        raise InputError("mode", f"got {mode!r}; allowed: {', '.join(MODES)}.")
    return query.strip(), k, None if source in (None, "all") else source


def fuse(rankings: list[list[str]], rrf_k: int | None = None) -> list[tuple[str, float]]:
    """Reciprocal rank fusion of ranked id lists, best first.

    >>> fuse([["a", "b"], ["b", "c"]])[0][0]
    'b'
    """
    rrf_k = RRF_K if rrf_k is None else rrf_k
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (rrf_k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def search(query: str, k: int = 5, source: str | None = None, *, mode: str = "hybrid", store: Any = None) -> list[Passage]:
    """The ``k`` best passages for ``query`` from ``source`` ('transcript', 'specs', or None/'all').

    Raises :class:`InputError` for an empty query, ``k`` outside 1..50, or an unknown source.
    ``store`` defaults to the process-wide index (:func:`knowledge.index.get_store`), built on
    first use.
    """
    query, k, kind = _validate(query, k, source, mode)
    query = expand(query)
    if store is None:
        from knowledge.index import get_store

        store = get_store()
    if mode == "dense":
        ranked = store.dense(query, k, kind)
    elif mode == "bm25":
        ranked = store.lexical(query, k, kind)
    else:
        dense = store.dense(query, CANDIDATES, kind)
        lexical = store.lexical(query, CANDIDATES, kind)
        ranked = fuse([[i for i, _ in dense], [i for i, _ in lexical]])[:k]
    return [_passage(store.doc(i), score) for i, score in ranked[:k]]


def _passage(doc: Any, score: float) -> Passage:
    return Passage(
        text=doc.text,
        source=doc.source,
        chapter=doc.chapter,
        timestamp=doc.timestamp,
        score=round(score, 6),
        chunk_id=doc.chunk_id,
        source_urls=list(doc.source_urls),
    )
