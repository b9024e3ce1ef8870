"""The four commands, through the real `siliconomics` click group."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from agent.cli.main import cli as main


@pytest.fixture
def run():
    def invoke(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_help_imports_no_chromadb_or_onnx():
    code = (
        "import sys; from click.testing import CliRunner; from agent.cli.main import cli as main; "
        "r = CliRunner().invoke(main, ['--help']); import agent.cli.knowledge; "
        "assert r.exit_code == 0 and 'search' in r.stdout, r.stdout; "
        "bad = [m for m in ('chromadb', 'onnxruntime', 'bm25s') if m in sys.modules]; "
        "assert not bad, bad; print('clean')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "clean" in out.stdout, out.stderr


def test_search_hbm_margins_returns_the_memory_chapter(run, knowledge_store, data_dir):
    res = run("search", "what did he say about HBM gross margins", "--data-dir", str(data_dir), "-k", "3", "--json")
    assert res.exit_code == 0
    passages = json.loads(res.stdout)
    hit = next(p for p in passages if "gross margins on HBM" in p["text"])
    assert hit["chapter"] == "Evolving Memory Technology"
    assert hit["timestamp"] >= "60:58"
    readable = run("search", "what did he say about HBM gross margins", "--data-dir", str(data_dir), "-k", "3")
    assert "Evolving Memory Technology" in readable.stdout and hit["timestamp"] in readable.stdout


def test_search_h200_bandwidth_specs_json(run, knowledge_store, data_dir):
    res = run("search", "H200 bandwidth", "--source", "specs", "--json", "--data-dir", str(data_dir))
    passages = json.loads(res.stdout)
    assert set(passages[0]) == {
        "text",
        "source",
        "chapter",
        "timestamp",
        "score",
        "chunk_id",
        "source_urls",
        "speaker",
        "speaker_rule",
        "best_sentence",
        "best_sentence_speaker",
        "speakers",
        "source_kind",
    }
    assert passages[0]["speakers"] == [] and passages[0]["best_sentence_speaker"] is None  # a sheet has no speakers
    assert passages[0]["source_kind"] == "bundled spec"
    assert passages[0]["source"] == "Spec sheet: NVIDIA H200 SXM 141GB"
    assert passages[0]["source_urls"] and all(p["source"].startswith(("Spec sheet", "Model card")) for p in passages)


def test_search_eval_prints_three_modes(run, knowledge_store, data_dir):
    res = run("search-eval", "--data-dir", str(data_dir))
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert lines[0].startswith("retrieval suite:")
    assert [ln.split()[0] for ln in lines[2:5]] == ["hybrid", "dense", "bm25"]


def test_index_shows_contents(run, knowledge_store, data_dir):
    res = run("index", "--data-dir", str(data_dir))
    assert res.exit_code == 0
    assert "AI Semiconductor Landscape" in res.stdout and "Spec sheet: NVIDIA H200 SXM 141GB" in res.stdout
    assert "siliconomics-minilm" in res.stdout or "all-MiniLM" in res.stdout


def test_ingest_then_search_then_reingest(run, tmp_path, monkeypatch):
    from agent.settings import load_settings

    monkeypatch.setenv("SILICONOMICS_EMBEDDER", "hashing")  # semantics not needed here
    load_settings.cache_clear()
    notes = tmp_path / "notes.md"
    notes.write_text("# Desk notes\n\nThe narwhal switch has 4,096 ports.\n", encoding="utf-8")
    data = str(tmp_path / "data")
    first = run("ingest", str(notes), "--data-dir", data)
    assert first.exit_code == 0 and first.stdout.startswith("added")
    found = json.loads(run("search", "narwhal switch ports", "--json", "-k", "1", "--data-dir", data).stdout)
    assert "narwhal switch has 4,096 ports" in found[0]["text"] and found[0]["source"] == "your note: notes.md"
    assert found[0]["source_kind"] == "user file"
    again = run("ingest", str(notes), "--data-dir", data)
    assert again.stdout.startswith("unchanged")
    listing = run("index", "--data-dir", data).stdout
    assert "ingested files: 1" in listing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", ""), "error: query: empty query"),
        (("search", "hbm", "-k", "0"), "error: k: got 0"),
        (("ingest", "slides.pptx"), "error: path: 'slides.pptx' has an unsupported type '.pptx'"),
        (("ingest", "nowhere.md"), "error: path: 'nowhere.md' is not a readable file."),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code == 2
    assert res.output.strip().startswith(message) and len(res.output.strip().splitlines()) == 1
