"""The knowledge index: a chromadb collection (dense vectors) plus BM25 over the same chunks.

Where it lives: ``<data_dir>/index`` (a ``PersistentClient``, telemetry off), where
``data_dir`` comes from :func:`knowledge.settings.knowledge_settings` (``SILICONOMICS_DATA_DIR``,
default the platformdirs user data directory) unless the caller passes one. When
``CHROMA_HOST`` is set the same code talks to that Chroma server over HTTP (port
``CHROMA_PORT``), with a 3 s connect timeout checked before anything else.

When it is (re)built: the collection's metadata records the hash of the bundled corpus
(data files and the code that turns them into chunks), the embedding model id and a
``complete`` flag written last. Opening compares them: same -> reopened as is; different,
missing, or an unreadable directory -> rebuilt from the bundled data plus every file the
user ingested (kept under ``<data_dir>/sources``, so a rebuild loses nothing), and the
reason is reported.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from knowledge.chroma_clients import (
    IndexUnavailable,
    _forget_client,
    _forget_clients,
    _http_client,
    _persistent_client,
)
from knowledge.documents import BUNDLED, Doc
from knowledge.transcript import BUNDLED_FILE as BUNDLED_TRANSCRIPT

log = logging.getLogger(__name__)

COLLECTION = "siliconomics"
#: Bumped when the stored layout changes (forces a rebuild). 3: ingested chunk ids carry the content version.
SCHEMA = 3
#: Files whose bytes decide whether the bundled part of the index is stale.
_HASHED_DATA = (BUNDLED_TRANSCRIPT, "accelerators.csv", "models.csv")
_HASHED_CODE = ("transcript.py", "specs.py", "aliases.py", "documents.py")
_ADD_BATCH = 32
#: Chunks (and 3x as many windows) fetched from chroma for the dense ranking before scoring.
_DENSE_POOL = 60

Progress = Callable[[int, int], None]


def bundled_hash() -> str:
    """sha256 over the bundled data files and the code that chunks them (first 16 hex digits)."""
    h = hashlib.sha256()
    pkg = resources.files("knowledge")
    for name in _HASHED_DATA:
        h.update(name.encode())
        h.update((pkg / "data" / name).read_bytes())
    for name in _HASHED_CODE:
        h.update(name.encode())
        h.update((pkg / name).read_bytes())
    h.update(str(SCHEMA).encode())
    return h.hexdigest()[:16]


def bundled_docs() -> list[Doc]:
    """The transcript's chunks and one document per catalog row."""
    from knowledge import transcript as T
    from knowledge.specs import spec_docs

    tr = T.bundled()
    docs = [
        Doc(
            chunk_id=c.chunk_id,
            text=c.text,
            kind="transcript",
            source=tr.title,
            chapter=c.chapter,
            timestamp=T.format_timestamp(c.seconds) if c.seconds is not None else None,
            source_urls=("knowledge/data/" + BUNDLED_TRANSCRIPT,),
        )
        for c in T.chunks(tr, "bg2")
    ]
    docs += [Doc(d.chunk_id, d.text, "specs", d.title, source_urls=d.source_urls) for d in spec_docs()]
    return docs


@dataclass
class OpenReport:
    """What opening the index did: where it is, whether it was (re)built and why, how long it took."""

    location: str
    rebuilt: bool = False
    reason: str | None = None
    build_seconds: float | None = None
    notices: list[str] = field(default_factory=list)


class KnowledgeStore:
    """An open index: the chroma collection, the chunks in memory, and BM25 built on demand."""

    def __init__(
        self, collection: Any, embedder: Any, data_dir: Path, report: OpenReport, index_dir: Path | None = None
    ) -> None:
        self.collection = collection
        #: The on-disk index folder (None for a Chroma server).
        self.index_dir = index_dir
        self.embedder = embedder
        self.data_dir = data_dir
        self.report = report
        self._lock = threading.Lock()
        self._docs: list[Doc] = []
        self._lexical: Any = None
        self._sentences: Any = None
        self._sentence_terms: Any = None
        self._canonical: list[str] | None = None
        self._last_query: tuple[str, Any] | None = None
        self._load_docs()

    # -- contents ------------------------------------------------------------
    def _load_docs(self) -> None:
        """Read every searchable chunk: the bundled ones, and of each ingested file only the version its
        manifest names (chunks of an unfinished or superseded ingest stay invisible until swept)."""
        from knowledge.ingest import chunk_version, current_versions

        got = self.collection.get(where={"level": "chunk"}, include=["documents", "metadatas"])
        docs = [Doc.from_record(i, t or "", m or {}) for i, t, m in zip(got["ids"], got["documents"], got["metadatas"])]
        versions = current_versions(self.data_dir)
        docs = [d for d in docs if d.origin == BUNDLED or versions.get(d.origin) == chunk_version(d.chunk_id)]
        docs.sort(key=lambda d: (d.origin != BUNDLED, d.origin, d.chunk_id))
        self._docs = docs
        self._by_id = {d.chunk_id: d for d in docs}
        windows = self.collection.get(where={"level": "window"}, include=["metadatas"])
        self._windows = {k: sum(1 for m in windows["metadatas"] if m["kind"] == k) for k in ("transcript", "specs")}
        self._lexical = None
        self._sentences = None
        self._sentence_terms = None
        self._canonical = None

    @property
    def docs(self) -> list[Doc]:
        return self._docs

    def doc(self, chunk_id: str) -> Doc:
        return self._by_id[chunk_id]

    def has(self, chunk_id: str) -> bool:
        return chunk_id in self._by_id

    def counts(self) -> dict[str, int]:
        """Chunks per source title."""
        out: dict[str, int] = {}
        for d in self._docs:
            out[d.source] = out.get(d.source, 0) + 1
        return out

    def refresh(self) -> None:
        """Re-read the index from disk (another process may have written to it since this store opened)."""
        if self.index_dir is not None:
            _forget_client(self.index_dir)
            self.collection = _persistent_client(self.index_dir).get_collection(COLLECTION)
        self._load_docs()

    def add(self, docs: list[Doc], progress: Progress | None = None, *, reload: bool = True) -> None:
        """Embed and store ``docs``, their sentence windows and their sentences (``progress(done, total)`` in chunks).

        Vectors of bundled texts come from the shipped file when it matches (:mod:`knowledge.vector_cache`).
        """
        from knowledge import vector_cache

        for i in range(0, len(docs), _ADD_BATCH):
            batch = docs[i : i + _ADD_BATCH]
            ids = [d.chunk_id for d in batch]
            texts = [d.index_text() for d in batch]
            metas: list[dict[str, str]] = [d.metadata() for d in batch]
            docs_text = [d.text for d in batch]
            for d in batch:
                for level, parts in (("window", d.windows()), ("sentence", d.sentences())):
                    for pid, ptext in parts:
                        ids.append(pid)
                        texts.append(ptext)
                        metas.append({"kind": d.kind, "level": level, "parent": d.chunk_id, "origin": d.origin})
                        docs_text.append(ptext)
            self.collection.upsert(
                ids=ids,
                documents=docs_text,
                metadatas=metas,
                embeddings=vector_cache.embed(self.embedder, texts),  # type: ignore[arg-type]
            )
            if progress:
                progress(min(i + _ADD_BATCH, len(docs)), len(docs))
        if reload:
            self._load_docs()

    # -- retrieval -------------------------------------------------------------
    def dense(self, query: str, n: int, kind: str | None = None) -> list[tuple[str, float]]:
        """Top ``n`` chunk ids by dense score, best first.

        score = (cos(query, chunk) + max over the chunk's windows of cos(query, window)) / 2, or
        cos(query, chunk) for a chunk without windows (cosine = 1 - chroma's cosine distance).
        """
        total = sum(1 for d in self._docs if kind is None or d.kind == kind)
        if not total:
            return []
        qvec = [self.query_vector(query)]

        def where(level: str) -> dict[str, Any]:
            return {"$and": [{"level": level}, {"kind": kind}]} if kind else {"level": level}

        pool = min(max(n, _DENSE_POOL), total)
        chunks = self._query(query_embeddings=qvec, n_results=pool, where=where("chunk"), include=["distances"])
        chunk_sim = {i: 1.0 - float(d) for i, d in zip(chunks["ids"][0], chunks["distances"][0]) if i in self._by_id}
        floor = min(chunk_sim.values()) if chunk_sim else 0.0
        n_windows = self._windows.get(kind, 0) if kind else sum(self._windows.values())
        best_window: dict[str, float] = {}
        windows: dict[str, Any] = {"metadatas": [[]], "distances": [[]]}
        if n_windows:
            windows = self._query(
                query_embeddings=qvec,
                n_results=min(3 * _DENSE_POOL, n_windows),
                where=where("window"),
                include=["distances", "metadatas"],
            )
        for meta, dist in zip(windows["metadatas"][0], windows["distances"][0]):
            parent = str(meta["parent"])
            if parent not in self._by_id:
                continue
            best_window[parent] = max(best_window.get(parent, -1.0), 1.0 - float(dist))
        scores = {}
        for cid in set(chunk_sim) | set(best_window):
            c = chunk_sim.get(cid, floor)
            scores[cid] = (c + best_window[cid]) / 2 if cid in best_window else c
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def _query(self, **kwargs: Any) -> Any:
        """``collection.query``; on a failure (this process's view went stale after another process wrote
        to the index) the index is re-read from disk and the query tried once more."""
        try:
            return self.collection.query(**kwargs)
        except Exception as exc:
            if self.index_dir is None:
                raise
            log.warning("index query failed (%s); re-reading the index at %s", type(exc).__name__, self.index_dir)
            self.refresh()
            return self.collection.query(**kwargs)

    def query_vector(self, query: str) -> Any:
        """The query vector: the normalised sum of the embeddings (through the synonym layer) of ``query``
        and of ``query`` without its question frame (:func:`knowledge.query_forms.dense_forms`; one
        embedding when it has none). The last one is kept, so the dense ranking and the sentence
        re-scoring of one search embed the query once."""
        import numpy as np

        from knowledge.aliases import canonicalize
        from knowledge.query_forms import dense_forms

        last = self._last_query
        if last is not None and last[0] == query:
            return last[1]
        vec = np.asarray(self.embedder([canonicalize(f) for f in dense_forms(query)]), dtype=np.float32).sum(axis=0)
        vec /= max(float(np.linalg.norm(vec)), 1e-12)
        self._last_query = (query, vec)
        return vec

    def _index_texts(self) -> list[str]:
        """Each chunk's :meth:`Doc.index_text` (through the synonym layer, the slow part), computed once for
        BM25 and the sentence terms."""
        if self._canonical is None:
            self._canonical = [d.index_text() for d in self._docs]
        return self._canonical

    def sentence_coverage(self, terms: list[str], chunk_ids: list[str]) -> dict[str, float]:
        """Share (idf-weighted) of ``terms`` held by each chunk's best sentence, for the ``chunk_ids`` with
        sentences (:mod:`knowledge.term_coverage`); the token sets are built on first use."""
        from knowledge.term_coverage import SentenceTerms, sentence_texts

        if self._sentence_terms is None:
            with self._lock:
                if self._sentence_terms is None:
                    chunks = ((d.chunk_id, sentence_texts(d, t)) for d, t in zip(self._docs, self._index_texts()))
                    self._sentence_terms = SentenceTerms.build(chunks)
        return self._sentence_terms.coverage(terms, chunk_ids)

    def best_sentence_index(self, query: str, chunk_id: str) -> int | None:
        """Index (in :meth:`Doc.sentences` order) of the chunk's sentence closest to ``query``; None without sentences."""
        self.best_sentence(query, [chunk_id])  # loads the sentence vectors
        vectors, rows = self._sentences
        if chunk_id not in rows:
            return None
        return int((vectors[rows[chunk_id]] @ self.query_vector(query)).argmax())

    def best_sentence(self, query: str, chunk_ids: list[str]) -> dict[str, float]:
        """max over each chunk's sentences of cos(query, sentence), for the ``chunk_ids`` that have
        stored sentences (transcript chunks; spec sheets have none).

        The sentence vectors are read from the collection on first use (1,404 for the bundled
        corpus, about 70 ms) and kept in memory as one matrix, so a search adds 20 small products.
        """
        import numpy as np

        if self._sentences is None:
            with self._lock:
                if self._sentences is None:
                    got = self.collection.get(where={"level": "sentence"}, include=["embeddings", "metadatas"])
                    parents = [str(m["parent"]) for m in got["metadatas"]]
                    vectors = np.asarray(got["embeddings"], dtype=np.float32).reshape(len(parents), -1)
                    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
                    rows: dict[str, list[int]] = {}
                    for row, parent in enumerate(parents):
                        rows.setdefault(parent, []).append(row)
                    self._sentences = (vectors, {p: np.asarray(r) for p, r in rows.items()})
        vectors, rows = self._sentences
        wanted = [i for i in chunk_ids if i in rows]
        if not wanted:
            return {}
        qvec = self.query_vector(query)
        qvec = qvec / max(float(np.linalg.norm(qvec)), 1e-12)
        return {i: float((vectors[rows[i]] @ qvec).max()) for i in wanted}

    def lexical(self, query: str, n: int, kind: str | None = None) -> list[tuple[str, float]]:
        """Top ``n`` chunk ids by BM25 score (only chunks sharing at least one query token)."""
        if self._lexical is None:
            with self._lock:
                if self._lexical is None:
                    from knowledge.bm25 import LexicalIndex

                    self._lexical = LexicalIndex(self._index_texts(), canonical=True)
        scores = self._lexical.scores(query)
        order = scores.argsort()[::-1]
        out = []
        for idx in order:
            if scores[idx] <= 0 or len(out) >= n:
                break
            d = self._docs[idx]
            if kind is None or d.kind == kind:
                out.append((d.chunk_id, float(scores[idx])))
        return out


# -- opening ---------------------------------------------------------------------


def _state(collection: Any, expected: dict[str, Any]) -> str | None:
    """Why the collection must be rebuilt, or None when it is current."""
    meta = collection.metadata or {}
    if not meta.get("complete"):
        return "the index was incomplete (an interrupted build?)"
    if meta.get("schema") != expected["schema"]:
        return "the index layout changed"
    if meta.get("embedder") != expected["embedder"]:
        return f"the embedding model changed ({meta.get('embedder')} -> {expected['embedder']})"
    if meta.get("corpus_hash") != expected["corpus_hash"]:
        return "the bundled data changed"
    return None


def open_store(
    *,
    data_dir: Path | None = None,
    embedder: Any = None,
    rebuild: bool = False,
    progress: Progress | None = None,
    chroma_host: str | None = None,
    chroma_port: int | None = None,
) -> KnowledgeStore:
    """Open (building or rebuilding when needed) the index; see the module docstring.

    ``data_dir``/``chroma_host``/``chroma_port`` default to the settings. ``embedder`` defaults
    to :func:`knowledge.embeddings.default_embedder`. Any failure opening or probing the local
    index (a damaged database, a missing segment folder, garbage files, the folder being a file)
    rebuilds it with a one-line notice; when that is impossible, :class:`IndexUnavailable` names the path.
    """
    from knowledge import embeddings  # registers the embedding functions with chromadb
    from knowledge.index_repair import probe, reset
    from knowledge.settings import knowledge_settings

    settings = knowledge_settings()
    data_dir = Path(data_dir or settings.data_dir)
    host = chroma_host if chroma_host is not None else settings.chroma_host
    port = chroma_port or settings.chroma_port
    embedder = embedder or embeddings.default_embedder()
    expected = {"schema": SCHEMA, "embedder": embedder.model_id(), "corpus_hash": bundled_hash()}
    index_dir = None if host else data_dir / "index"
    if hasattr(embedder, "warm"):  # load the ONNX model while chromadb opens (overlaps the two start-up costs)
        threading.Thread(target=embedder.warm, daemon=False).start()  # joined at exit: no abort mid-load
    report = OpenReport(location=f"chroma server {host}:{port}" if host else str(index_dir))

    def connect() -> Any:
        return _http_client(host, port) if host else _persistent_client(index_dir)  # type: ignore[arg-type]

    if index_dir is not None:
        _forget_client(index_dir)  # read what is on disk now, not a client cached before another process wrote

    reason: str | None = "requested (--rebuild)" if rebuild else None
    try:
        client = connect()
        collection, reason = _existing(client, expected, reason)
        if collection is not None:
            store = KnowledgeStore(collection, embedder, data_dir, report, index_dir)  # reads every chunk
            probe(collection)
            return store
    except (IndexUnavailable, ImportError, NameError):
        raise  # a server that does not answer, or a programming error: never wipe the index for these
    except BaseException as exc:  # noqa: BLE001 - chromadb's Rust core raises PanicException (a BaseException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        if host:
            raise IndexUnavailable(f"Chroma server at {host}:{port} failed: {exc}") from exc
        reason = f"the index at {index_dir} was unreadable ({type(exc).__name__}: {str(exc)[:120]}); rebuilt it"
        report.notices.append(reason)
        _forget_clients()
        reset(index_dir)  # type: ignore[arg-type]
        client = connect()
    return _build(client, embedder, data_dir, index_dir, expected, report, reason, progress)


def _existing(client: Any, expected: dict[str, Any], reason: str | None) -> tuple[Any, str | None]:
    """(the current collection, None) when it can be reused as is, else (None, why it must be rebuilt)."""
    try:
        collection = client.get_collection(COLLECTION)
    except Exception as exc:  # NotFoundError, or a collection chromadb cannot load
        if "does not exist" not in str(exc) and type(exc).__name__ != "NotFoundError":
            raise
        return None, reason or "first use"
    if reason is not None:
        return None, reason
    stale = _state(collection, expected)
    return (collection, None) if stale is None else (None, stale)


def _build(
    client: Any,
    embedder: Any,
    data_dir: Path,
    index_dir: Path | None,
    expected: dict[str, Any],
    report: OpenReport,
    reason: str | None,
    progress: Progress | None,
) -> KnowledgeStore:
    """Create the collection from the bundled data and the ingested files, then drop old segment folders."""
    from knowledge.index_repair import remove_old_segments
    from knowledge.ingest import stored_docs

    started = time.perf_counter()
    if reason not in ("first use", None) and not reason.startswith("the index at"):
        report.notices.append(f"rebuilding the index: {reason}")
    if any(getattr(c, "name", c) == COLLECTION for c in client.list_collections()):
        client.delete_collection(COLLECTION)
    collection = client.create_collection(
        COLLECTION,
        embedding_function=embedder,
        configuration={"hnsw": {"space": "cosine"}},
        metadata={**expected, "complete": False},
    )
    store = KnowledgeStore(collection, embedder, data_dir, report, index_dir)
    docs = bundled_docs() + stored_docs(data_dir, report.notices)
    store.add(docs, progress)
    collection.modify(metadata={**expected, "complete": True})
    if index_dir is not None:
        remove_old_segments(index_dir)
    report.rebuilt, report.reason = True, reason
    report.build_seconds = time.perf_counter() - started
    return store


_STORES: dict[tuple[str, str, str], KnowledgeStore] = {}
_STORES_LOCK = threading.Lock()


def get_store(embedder: Any = None, data_dir: Path | None = None) -> KnowledgeStore:
    """The process-wide store for the current settings (opened once, then reused)."""
    from knowledge.embeddings import default_embedder
    from knowledge.settings import knowledge_settings

    settings = knowledge_settings()
    embedder = embedder or default_embedder()
    where = (
        f"{settings.chroma_host}:{settings.chroma_port}" if settings.chroma_host else str(data_dir or settings.data_dir)
    )
    key = (where, embedder.name(), repr(sorted(embedder.get_config().items())))
    with _STORES_LOCK:
        store = _STORES.get(key)
        if store is None:
            store = open_store(data_dir=data_dir, embedder=embedder)
            _STORES[key] = store
            for notice in store.report.notices:
                log.warning(notice)
        return store
