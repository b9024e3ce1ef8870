"""Fault suite for ingest: concurrent processes, kill -9 at each step, a corrupt manifest, huge lines.

Every case runs real chromadb on disk (hashing embedder, so no model is loaded) and real processes.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from knowledge.embeddings import HashingEmbedding
from knowledge.index import open_store
from knowledge.ingest import MAX_PASSAGE_CHARS, chunk_version, ingest, ingested
from knowledge.search import search
from tools.errors import InputError

WORDS = [
    "quokka",
    "pangolin",
    "axolotl",
    "narwhal",
    "okapi",
    "tapir",
    "dugong",
    "fossa",
    "numbat",
    "quoll",
    "saiga",
    "kakapo",
    "gharial",
    "jerboa",
    "markhor",
    "takin",
]


def _open(data: Path):
    return open_store(data_dir=data, embedder=HashingEmbedding(), chroma_host="")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index built once; each test copies it (a build takes seconds, a copy milliseconds)."""
    from knowledge.index import _forget_client

    data = tmp_path_factory.mktemp("template") / "data"
    _open(data)
    _forget_client(data / "index")
    return data


@pytest.fixture
def data(template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(template, copy)
    return copy


def _note(folder: Path, word: str, body: str = "") -> Path:
    path = folder / f"{word}.md"
    path.write_text(
        f"# {word.title()} notes\n\nThe {word} interconnect runs at 77 terabits. {body}\n", encoding="utf-8"
    )
    return path


def _kept(data: Path, words: list[str]) -> int:
    """How many notes a fresh process finds: listed in the manifest and returned by search."""
    store = _open(data)
    names = {Path(p).stem for p in ingested(data)}
    return sum(w in names and any(w in p.text for p in search(f"{w} interconnect", k=3, store=store)) for w in words)


def _child(code: str, data: Path) -> subprocess.Popen:
    env = {**os.environ, "SILICONOMICS_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    prelude = (
        "import sys, time\nfrom pathlib import Path\nfrom knowledge.embeddings import HashingEmbedding\n"
        "from knowledge.index import open_store\nimport knowledge.ingest as I\n"
        f"store = open_store(data_dir=Path({str(data)!r}), embedder=HashingEmbedding(), chroma_host='')\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_concurrent_ingest_processes_keep_every_note(tmp_path: Path, data: Path) -> None:
    notes = [_note(tmp_path, w) for w in WORDS[:12]]
    procs = [
        _child(f"for p in {[str(n) for n in notes[i:12:4]]!r}:\n    I.ingest([Path(p)], store)\n", data)
        for i in range(4)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err[-2000:]
    kept = _kept(data, WORDS[:12])
    print(f"\nnotes kept after 4 concurrent ingests: {kept} of 12")
    assert kept == 12


def _wait_for(proc: subprocess.Popen, marker: str) -> None:
    for line in proc.stdout:  # type: ignore[union-attr]
        if marker in line:
            return
    raise AssertionError(f"child ended before {marker!r}: {proc.stderr.read()[-2000:]}")  # type: ignore[union-attr]


#: Where the child is killed: while the new chunks are being written, or just after the manifest switch.
KILL_POINTS = {
    "during-add": "I.ingest([Path(sys.argv[1])], store, progress=lambda d, t: (print('MARK', flush=True), time.sleep(30)))\n",
    "after-switch": (
        "save = I._save_manifest\n"
        "def slow(*a):\n    save(*a)\n    print('MARK', flush=True)\n    time.sleep(30)\n"
        "I._save_manifest = slow\nI.ingest([Path(sys.argv[1])], store)\n"
    ),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_kill_9_during_reingest_leaves_old_or_new_never_a_mix(tmp_path: Path, data: Path, point: str) -> None:
    store = _open(data)
    others = [_note(tmp_path, w) for w in WORDS[:4]]
    ingest(others, store)
    big = tmp_path / "report.md"
    old = " ".join(f"Old sentence {i} about the walrus fabric." for i in range(400))
    new = " ".join(f"New sentence {i} about the walrus fabric." for i in range(400))
    big.write_text(f"# Report\n\n{old}\n", encoding="utf-8")
    ingest([big], store)
    big.write_text(f"# Report\n\n{new}\n", encoding="utf-8")
    env_code = KILL_POINTS[point].replace("sys.argv[1]", repr(str(big)))
    child = _child(env_code, data)
    _wait_for(child, "MARK")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    after = _open(data)
    texts = [d.text for d in after.docs if d.origin == str(big.resolve())]
    has_old, has_new = any("Old sentence" in t for t in texts), any("New sentence" in t for t in texts)
    assert has_old != has_new, (point, has_old, has_new)  # exactly one version is searchable
    assert has_old if point == "during-add" else has_new
    hits = search("walrus fabric sentence", k=10, store=after)
    assert all(("Old" in p.text) == has_old for p in hits if p.source == "your note: report.md")
    kept = _kept(data, WORDS[:4])
    print(f"\nnotes kept after kill -9 {point}: {kept} of 4")
    assert kept == 4
    ingest([_note(tmp_path, WORDS[5])], after)  # the next ingest sweeps the dead process's leftovers
    versions = {chunk_version(i.split("#")[0]) for i, m in zip(*_records(after, str(big.resolve())))}
    assert len(versions) == 1


def _records(store, origin: str):
    got = store.collection.get(where={"origin": origin}, include=["metadatas"])
    return got["ids"], got["metadatas"]


def test_corrupt_manifest_is_rebuilt_from_kept_copies_with_a_warning(tmp_path: Path, data: Path) -> None:
    store = _open(data)
    ingest([_note(tmp_path, w) for w in WORDS[:3]], store)
    (data / "sources" / "manifest.json").write_text('{"truncated": ', encoding="utf-8")
    rebuilt = open_store(data_dir=data, embedder=HashingEmbedding(), chroma_host="", rebuild=True)
    assert any(
        "manifest.json cannot be read" in n and "rebuilt it from 3 kept copies" in n for n in rebuilt.report.notices
    )
    assert {Path(p).stem for p in ingested(data)} == set(WORDS[:3])
    assert _kept(data, WORDS[:3]) == 3
    assert list((data / "sources").glob("manifest.json.corrupt-*"))  # the damaged file is kept for inspection


def test_corrupt_manifest_found_by_the_next_ingest(tmp_path: Path, data: Path) -> None:
    store = _open(data)
    ingest([_note(tmp_path, w) for w in WORDS[:2]], store)
    (data / "sources" / "manifest.json").write_text(json.dumps({"x": 1}), encoding="utf-8")
    ingest([_note(tmp_path, WORDS[2])], store)
    assert any("not a manifest" in n for n in store.report.notices)
    assert _kept(data, WORDS[:3]) == 3


def test_a_single_huge_line_becomes_bounded_passages(tmp_path: Path, data: Path) -> None:
    store = _open(data)
    line = tmp_path / "dump.txt"
    line.write_text("tokens " * 60_000 + "x" * 10_000, encoding="utf-8")  # 430 kB, no sentence break
    [r] = ingest([line], store)
    passages = [d.text for d in store.docs if d.origin == str(line.resolve())]
    assert r.chunks == len(passages) > 100
    assert max(len(t) for t in passages) <= MAX_PASSAGE_CHARS


def test_size_limit_is_stated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Path) -> None:
    monkeypatch.setenv("SILICONOMICS_INGEST_MAX_MB", "0.1")
    from agent.settings import load_settings

    load_settings.cache_clear()
    store = _open(data)
    big = tmp_path / "big.md"
    big.write_text("word " * 40_000, encoding="utf-8")
    with pytest.raises(InputError) as err:
        ingest([big], store)
    assert "is 0.2 MB; the limit is 0.1 MB" in str(err.value) and "SILICONOMICS_INGEST_MAX_MB" in str(err.value)
