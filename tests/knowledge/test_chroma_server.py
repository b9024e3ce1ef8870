"""The same code against a real local Chroma server (``chroma run`` from the venv) over HTTP."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from knowledge.embeddings import HashingEmbedding
from knowledge.index import open_store
from knowledge.ingest import ingest
from knowledge.search import search

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """Start ``chroma run`` on a free loopback port; stop it afterwards. Skips if it cannot start."""
    import httpx

    exe = Path(sys.executable).with_name("chroma")
    if not exe.exists() and not shutil.which("chroma"):
        pytest.skip("the `chroma` server executable is not installed next to this Python")
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(exe if exe.exists() else shutil.which("chroma")),
            "run",
            "--path",
            str(path / "db"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip(
                    f"chroma run did not start (exit {proc.poll()}); log: {(path / 'server.log').read_text()[-300:]}"
                )
            time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_index_and_search_through_a_chroma_server(chroma_server, tmp_path):
    port = chroma_server
    store = open_store(data_dir=tmp_path, embedder=HashingEmbedding(), chroma_host="127.0.0.1", chroma_port=port)
    assert store.report.rebuilt and store.report.location == f"chroma server 127.0.0.1:{port}"
    top = search("H200 bandwidth", k=1, source="specs", store=store)[0]
    assert top.source == "Spec sheet: NVIDIA H200 SXM 141GB"

    notes = tmp_path / "notes.md"
    notes.write_text("# Server notes\n\nThe okapi fabric links 96 racks.\n", encoding="utf-8")
    assert ingest([notes], store)[0].status == "added"

    again = open_store(data_dir=tmp_path, embedder=HashingEmbedding(), chroma_host="127.0.0.1", chroma_port=port)
    assert not again.report.rebuilt  # the server kept the complete index
    assert any("okapi fabric" in p.text for p in search("okapi fabric racks", k=2, store=again))
