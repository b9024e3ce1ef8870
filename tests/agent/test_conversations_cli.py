"""``siliconomics conversations`` and ``conversations show ID --json``: the stored history, inspectable."""

from __future__ import annotations

import json

from click.testing import CliRunner

from agent.ask import ask
from agent.cli.main import cli


def test_list_and_show_json(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    empty = runner.invoke(cli, ["conversations"])
    assert empty.exit_code == 0 and "no conversations yet" in empty.output
    ask("kv cache for llama 3.1 70b at 8k context", conversation_id="conv-a", model="offline")
    ask("and at 16k?", conversation_id="conv-a", model="offline")
    listed = runner.invoke(cli, ["conversations", "--json"])
    assert listed.exit_code == 0
    (row,) = json.loads(listed.output)
    assert row["id"] == "conv-a" and row["turns"] == 2 and row["title"].startswith("kv cache")
    shown = runner.invoke(cli, ["conversations", "show", "conv-a", "--json"])
    data = json.loads(shown.output)
    assert [t["question"] for t in data["turns"]] == ["kv cache for llama 3.1 70b at 8k context", "and at 16k?"]
    assert "327,680" in data["turns"][0]["answer"] and data["turns"][1]["answer"]


def test_unknown_id_is_one_line_with_closest(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))
    ask("kv cache for llama 3.1 70b at 8k context", conversation_id="conv-a", model="offline")
    r = CliRunner().invoke(cli, ["conversations", "show", "conv-b"])
    assert r.exit_code == 2
    assert r.output.strip() == "error: conversation: unknown id 'conv-b'. Did you mean: conv-a?"
