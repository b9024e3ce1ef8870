"""Fault suite for the index: damaged or missing parts are rebuilt with a one-line notice, or named."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge.embeddings import HashingEmbedding
from knowledge.index import IndexUnavailable, _forget_clients, open_store
from knowledge.ingest import ingest
from knowledge.search import search


def _open(data: Path, **kw):
    return open_store(data_dir=data, embedder=HashingEmbedding(), chroma_host="", **kw)


def _segments(index: Path) -> list[Path]:
    out = []
    for p in index.iterdir():
        try:
            uuid.UUID(p.name)
        except ValueError:
            continue
        out.append(p)
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("heal") / "data"
    store = _open(data)
    note = data.parent / "notes.md"
    note.write_text("# Notes\n\nThe pangolin interconnect runs at 77 terabits.\n", encoding="utf-8")
    ingest([note], store)
    _forget_clients()
    return data


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    _forget_clients()
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def _damage_missing_segment(index: Path) -> None:
    for seg in _segments(index):
        shutil.rmtree(seg)


def _damage_garbage_files(index: Path) -> None:
    for seg in _segments(index):
        for f in seg.iterdir():
            f.write_bytes(b"\x00garbage\xff" * 50)


def _damage_index_is_a_file(index: Path) -> None:
    shutil.rmtree(index)
    index.write_text("not a folder", encoding="utf-8")


@pytest.mark.parametrize("damage", [_damage_missing_segment, _damage_garbage_files, _damage_index_is_a_file])
def test_damaged_index_is_rebuilt_with_a_notice_and_keeps_notes(data: Path, damage) -> None:
    damage(data / "index")
    store = _open(data)
    assert store.report.rebuilt
    assert len(store.report.notices) == 1 and str(data / "index") in store.report.notices[0]
    assert "\n" not in store.report.notices[0]
    hits = search("pangolin interconnect", k=3, store=store)
    assert any(p.source == "your note: notes.md" for p in hits)


def test_siliconomics_index_reports_the_repair(data: Path) -> None:
    from agent.cli.main import cli

    _damage_missing_segment(data / "index")
    r = CliRunner().invoke(cli, ["index", "--data-dir", str(data)], env={"SILICONOMICS_EMBEDDER": "hashing"})
    assert r.exit_code == 0, r.output
    assert "unreadable" in r.output and "rebuilt it" in r.output and "Traceback" not in r.output


def test_data_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    with pytest.raises(IndexUnavailable) as err:
        _open(blocker)
    assert str(blocker) in str(err.value)


def test_rebuilds_leave_no_old_index_folders(data: Path) -> None:
    for _ in range(2):
        _open(data, rebuild=True)
    import sqlite3

    with sqlite3.connect(data / "index" / "chroma.sqlite3") as conn:
        live = {row[0] for row in conn.execute("SELECT id FROM segments")}
    assert {p.name for p in _segments(data / "index")} <= live
