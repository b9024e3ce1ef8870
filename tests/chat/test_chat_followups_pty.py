"""A 13-turn analyst conversation with the installed ``siliconomics chat`` under a real pseudo-terminal.

Every follow-up kind, offline (no key, no network): a follow-up that modifies the previous call
with a delta line; "and X" adding to a comparison; a chip's price not carried to another chip;
a bare value resuming the question that asked for it; "chart that", "as a table", "redo with
guidance" and "export that" acting on the last result; a short topic question searching its own
topic; the user's ingested note reached in plain words. Each turn's tool calls are read from the
chat's answer log (``<data>/chat/<conversation>.jsonl``, written as each answer is shown) and its
headline from the screen.

Expected figures: KV cache of Llama-3.1-70B, 32k x 8 = 83.89 GB in bf16, half in fp8
(tools/kv_cache.py docstring); H100 $1.50 per accelerator-hour from the catalog's $33,600
(.readme/economics.md); Microsoft's capex from knowledge/data/capex.csv.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pexpect
import pytest
from test_chat_terminal import BIN, Screen, child_env

pytestmark = pytest.mark.slow

NOTE = """# Channel check: CoWoS capacity, November 2026

Our channel check with two OSAT contacts says TSMC CoWoS-L capacity is sold out through 2027.
Advanced packaging, not HBM, is the tighter constraint according to both contacts.
"""
DONE = r"offline · [\d.]+ s[^\n]*"


def _calls(data_dir: Path) -> list[list[dict]]:
    """Each logged turn's tool calls (name and args)."""
    (log,) = (data_dir / "chat").glob("*.jsonl")
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return [[{"name": c["name"], **c["args"]} for c in row["answer"]["tool_calls"]] for row in rows]


def _chips(call: dict) -> list[str]:
    return [c.lower() for c in call.get("chip", [])]


def test_a_conversation_that_leans_on_context(tmp_path):
    data = tmp_path / "data"
    note = tmp_path / "channel-check.md"
    note.write_text(NOTE, encoding="utf-8")
    done = subprocess.run(
        [str(BIN), "ingest", str(note)], capture_output=True, text=True, env=child_env(data), timeout=600
    )
    assert done.returncode == 0, done.stderr
    child = pexpect.spawn(
        str(BIN),
        ["chat", "--model", "offline"],
        env=child_env(data),
        cwd=str(tmp_path),
        dimensions=(60, 140),
        encoding="utf-8",
        codec_errors="replace",
        timeout=60,
    )
    screen = Screen(child)
    try:
        screen.wait(r"Model: offline")
        screen.prompt(timeout=400)

        # 1-2: a follow-up modifies the previous call, with a delta line
        out = screen.ask("KV cache for Llama 3.1 70B at 32k context, batch 8?", DONE)
        assert "whole batch: 83.89 GB" in out and "Formula" not in out
        out = screen.ask("and at fp8?", DONE)
        assert re.search(r"Change: 41\.94 GB vs 83\.89 GB KV cache in total \(kv_dtype fp8, was bf16\): 0\.50x", out), (
            out
        )
        kv1, kv2 = _calls(data)[:2]
        assert kv1 == [{"name": "kv_cache", "model": "Llama-3.1-70B", "batch": 8, "context": 32000}]
        assert kv2 == [{**kv1[0], "kv_dtype": "fp8"}]

        # 3-4: a comparison as a table; "and X" adds a row with its own price
        out = screen.ask("compare cost per hour of H100, MI300X and Trainium2", DONE)
        assert re.search(r"H100\s+\$1\.50/h", out) and "MI300X" in out and "TRAINIUM2" in out, out
        out = screen.ask("and B200 at $40k?", DONE)
        assert re.search(r"B200\s+\$1\.80/h.*\$40,000", out) and re.search(r"H100\s+\$1\.50/h", out), out
        compare, added = _calls(data)[2:4]
        assert [_chips(c) for c in compare] == [["h100", "mi300x", "trainium2"]]
        assert [(_chips(c), c.get("capex_per_accelerator")) for c in added] == [
            (["h100", "mi300x", "trainium2"], None),
            (["b200"], 40000.0),
        ]

        # 5-6: B200's price is not carried to GB200 (no catalog price: it asks); a bare value resumes
        out = screen.ask("and with GB200 instead?", DONE)
        assert "I won't carry it to GB200" in out and "$40,000" not in out
        out = screen.ask("$60k", DONE)
        assert re.search(r"NVIDIA GB200 \(per Blackwell GPU, NVL72\): \$2\.53 per accelerator-hour", out), out
        assert "Resumed the previous question" in out
        asked, resumed = _calls(data)[4:6]
        assert asked == [] and [(_chips(c), c.get("capex_per_accelerator")) for c in resumed] == [(["gb200"], 60000.0)]

        # 7-8: "chart that" and "as a table" act on the last result
        out = screen.ask("chart that", DONE)
        assert re.search(r"chart: \S+tco\.png", out), out
        out = screen.ask("as a table", DONE)
        assert re.search(r"cost_per_accelerator_hour\s+\$2\.53/h", out), out
        assert _calls(data)[6] == resumed and _calls(data)[7] == resumed

        # 9-10: a forecast, redone with the company's guidance
        out = screen.ask("forecast microsoft capex through 2027", DONE)
        assert re.search(r"2027: Microsoft capex forecast \$[\d.]+ billion", out), out
        out = screen.ask("redo that forecast using company guidance", DONE)
        assert "guidance method" in out and "redone with the guidance method" in out
        forecast, redo = _calls(data)[8:10]
        assert forecast == [{"name": "capex", "company": ["Microsoft"], "through": 2027}]
        assert redo == [{**forecast[0], "method": "guidance"}]

        # 11: "export that" writes the last answer
        out = screen.ask("export that to forecast.xlsx", r"wrote 1 answer to \S*forecast\.xlsx")
        assert (tmp_path / "forecast.xlsx").stat().st_size > 0

        # 12: a short topic question searches its own topic, not the previous question's words
        out = screen.ask("what did he say about HBM?", DONE)
        assert 'search: "HBM"' in out and "HBM" in out
        assert _calls(data)[10] == [{"name": "search_knowledge", "query": "HBM", "source": "transcript"}]

        # 13: the user's ingested note, in plain words
        out = screen.ask("what does my channel check say about CoWoS?", DONE)
        assert "CoWoS-L capacity is sold out through 2027" in out, out
        (search,) = _calls(data)[11]
        assert search["name"] == "search_knowledge" and "cowos" in search["query"].lower()

        child.send("/quit\r")
        child.expect(pexpect.EOF, timeout=30)
        child.wait()
    finally:
        child.close()
    assert child.exitstatus == 0, screen.text[-2000:]
    assert "Traceback" not in screen.text and "unverified" not in screen.text
