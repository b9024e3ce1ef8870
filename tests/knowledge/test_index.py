"""Opening, reopening, rebuilding and recovering the on-disk index (hashing embedder)."""

from __future__ import annotations

import socket
import time

import pytest

from knowledge.embeddings import HashingEmbedding
from knowledge.index import COLLECTION, IndexUnavailable, _forget_clients, open_store
from knowledge.ingest import ingest
from knowledge.search import search


def _open(data_dir, dim=64, **kw):
    return open_store(data_dir=data_dir, embedder=HashingEmbedding(dim), chroma_host="", **kw)


def _with_notes(tmp_path):
    data = tmp_path / "data"
    store = _open(data)
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nThe pangolin interconnect runs at 77 terabits.\n", encoding="utf-8")
    ingest([notes], store)
    return data, store


def test_first_open_builds_then_reopens_without_rebuilding(tmp_path):
    first = _open(tmp_path)
    assert first.report.rebuilt and first.report.reason == "first use" and not first.report.notices
    n = first.collection.count()
    again = _open(tmp_path)
    assert not again.report.rebuilt and again.collection.count() == n
    assert [d.chunk_id for d in again.docs] == [d.chunk_id for d in first.docs]


def test_embedder_change_rebuilds_and_keeps_ingested_files(tmp_path):
    data, _ = _with_notes(tmp_path)
    other = _open(data, dim=32)
    assert other.report.rebuilt and "embedding model changed" in other.report.reason
    assert any("pangolin" in p.text for p in search("pangolin interconnect", k=2, store=other))


def test_rebuild_flag_rebuilds(tmp_path):
    data, _ = _with_notes(tmp_path)
    store = _open(data, rebuild=True)
    assert store.report.rebuilt and store.report.reason == "requested (--rebuild)"
    assert any(d.source == "your note: notes.md" for d in store.docs)


def test_interrupted_build_is_detected_and_rebuilt(tmp_path):
    data, store = _with_notes(tmp_path)
    meta = dict(store.collection.metadata)
    store.collection.modify(metadata={**meta, "complete": False})  # as left by a build that died
    again = _open(data)
    assert again.report.rebuilt and "incomplete" in again.report.reason
    assert any(d.source == "your note: notes.md" for d in again.docs)


def test_corrupt_index_is_rebuilt_and_says_so(tmp_path):
    data, _ = _with_notes(tmp_path)
    _forget_clients()
    sqlite = data / "index" / "chroma.sqlite3"
    sqlite.write_bytes(b"this is not a database" * 100)
    store = _open(data)
    assert store.report.rebuilt
    assert (
        store.report.notices
        and "unreadable" in store.report.notices[0]
        and str(data / "index") in store.report.notices[0]
    )
    assert any("pangolin" in p.text for p in search("pangolin interconnect", k=2, store=store))
    assert store.collection.name == COLLECTION


def test_unanswering_chroma_server_fails_fast_naming_host_and_port(tmp_path):
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(IndexUnavailable) as err:
        open_store(data_dir=tmp_path, embedder=HashingEmbedding(), chroma_host="127.0.0.1", chroma_port=port)
    assert f"127.0.0.1:{port}" in str(err.value)
    assert time.monotonic() - started < 10  # connect timeout is 3 s; refused connections return at once


def test_silent_chroma_server_times_out(tmp_path):
    """A server that accepts the connection but never answers: the read timeout ends the wait."""
    import knowledge.chroma_clients as clients

    with socket.socket() as srv:
        srv.bind(("127.0.0.1", 0))
        srv.listen()
        port = srv.getsockname()[1]
        old = clients.READ_TIMEOUT_S
        clients.READ_TIMEOUT_S = 0.5
        try:
            with pytest.raises(IndexUnavailable) as err:
                open_store(data_dir=tmp_path, embedder=HashingEmbedding(), chroma_host="127.0.0.1", chroma_port=port)
        finally:
            clients.READ_TIMEOUT_S = old
    assert f"127.0.0.1:{port}" in str(err.value) and "Timeout" in str(err.value)
