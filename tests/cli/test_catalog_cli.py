"""``siliconomics catalog``: listing, showing, the analyst's own rows (added, used, kept, refused, removed).

Each test gets its own data directory, so the user catalog never leaks into other tests.
Expected figures: the Qwen3-32B config below gives 64 x 2 x 8 x 128 x 2 B = 262,144 B/token (the
shipped Qwen3-32B row's kv_bytes_per_token_bf16) and the exact parameter formula 32,762,106,880.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools import catalog

SCRIPT = Path(sys.executable).with_name("siliconomics")
QWEN3_32B = {
    "architectures": ["Qwen3ForCausalLM"],
    "hidden_size": 5120,
    "intermediate_size": 25600,
    "num_attention_heads": 64,
    "num_hidden_layers": 64,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "max_position_embeddings": 40960,
    "vocab_size": 151936,
    "tie_word_embeddings": False,
}
KIMI_LIKE_MLA_MOE = {
    "hidden_size": 7168,
    "num_hidden_layers": 61,
    "num_attention_heads": 64,
    "num_key_value_heads": 64,
    "kv_lora_rank": 512,
    "qk_rope_head_dim": 64,
    "qk_nope_head_dim": 128,
    "n_routed_experts": 384,
    "num_experts_per_tok": 8,
    "max_position_embeddings": 131072,
    "vocab_size": 163840,
}
SCOUT_TEXT = {
    "text_config": {
        "hidden_size": 5120,
        "num_hidden_layers": 48,
        "num_attention_heads": 40,
        "num_key_value_heads": 8,
        "head_dim": 128,
        "attention_chunk_size": 8192,
        "no_rope_layers": [1, 1, 1, 0] * 12,
        "num_local_experts": 16,
        "max_position_embeddings": 10485760,
        "vocab_size": 202048,
    },
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path / "data"))
    from agent.settings import load_settings

    load_settings.cache_clear()
    yield tmp_path / "data"
    catalog.use_user_catalog(None)
    load_settings.cache_clear()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def write(path: Path, data) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def test_list_and_show(data_dir: Path) -> None:
    r = run("catalog", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert len(data["chips"]) == 24 and len(data["models"]) == 24 and data["user_catalog"].endswith("user_catalog.json")
    rubin = next(c for c in data["chips"] if c["name"].startswith("NVIDIA Rubin"))
    assert rubin["status"] == "preliminary" and rubin["origin"] == "shipped"
    table = run("catalog", "--kind", "chips")
    assert table.exit_code == 0 and "PRELIMINARY" in table.output
    shown = json.loads(run("catalog", "show", "h100", "--json").output)
    assert shown["est_price_usd"] == 33600 and {p["basis"] for p in shown["prices"]} >= {
        "server_all_in",
        "bom_per_accelerator",
    }
    bad = run("catalog", "show", "h1000-ish")
    assert bad.exit_code == 2 and bad.output.startswith("error: name:")


def test_stale_lists_rows_with_their_dates(data_dir: Path) -> None:
    r = run("catalog", "--stale", "0", "--json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["rows"]
    assert {"chip", "model", "price"} <= {x["kind"] for x in rows}
    assert all(x["source_date"] for x in rows)
    assert run("catalog", "--stale", "-1").exit_code == 2


def test_user_model_from_config_works_in_every_tool_and_survives_a_restart(data_dir: Path, tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.json", QWEN3_32B)
    r = run("catalog", "add-model", "--from-hf-config", str(cfg), "--name", "My-Qwen3-32B", "--alias", "myq32")
    assert r.exit_code == 0, r.output
    kv = json.loads(run("kv-cache", "--model", "myq32", "--kv-dtype", "bf16", "--context", "1000", "--json").output)
    assert kv["bytes_per_token"] == 262_144 and kv["model"] == "My-Qwen3-32B"
    assert any("your catalog" in s for s in kv["sources"])
    assert kv["assumptions"][0].startswith("My-Qwen3-32B comes from your catalog")
    fit = json.loads(run("memory-fit", "--model", "My-Qwen3-32B", "--chip", "h100", "--gpus", "2", "--json").output)
    assert fit["parameters"] == 32_762_106_880 and fit["fits"]
    # a new process (a restart) reads the same file
    out = subprocess.run(
        [str(SCRIPT), "kv-cache", "--model", "myq32", "--context", "10", "--json"],
        capture_output=True,
        check=False,
        text=True,
        timeout=120,
        env={**os.environ, "SILICONOMICS_DATA_DIR": str(data_dir)},
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["bytes_per_token"] == 262_144


def test_user_model_in_ask(data_dir: Path, tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.json", QWEN3_32B)
    assert run("catalog", "add-model", "--from-hf-config", str(cfg), "--name", "Acme-LM-33B").exit_code == 0
    # a fresh process, as a user runs it (the offline planner builds its name table once per process)
    out = subprocess.run(
        [str(SCRIPT), "ask", "kv cache per token for Acme-LM-33B at 1000 tokens", "--json", "--model", "offline"],
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
        env={**os.environ, "SILICONOMICS_DATA_DIR": str(data_dir)},
    )
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["tool_calls"][0]["args"]["model"] == "Acme-LM-33B"
    assert "262,144" in answer["answer"] and "your catalog" in answer["answer"]


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ('{"hidden_size": 10', "from_hf_config"),
        (
            {"hidden_size": 4096, "num_attention_heads": 32, "vocab_size": 1, "max_position_embeddings": 8},
            "num_hidden_layers",
        ),
        ({**QWEN3_32B, "num_key_value_heads": "eight"}, "num_key_value_heads"),
        ({**QWEN3_32B, "tie_word_embeddings": "no"}, "tie_word_embeddings"),
        ({k: v for k, v in KIMI_LIKE_MLA_MOE.items() if k != "qk_rope_head_dim"}, "qk_rope_head_dim"),
        (KIMI_LIKE_MLA_MOE, "params_b"),  # MoE without a parameter count
        ([1, 2, 3], "from_hf_config"),
    ],
)
def test_broken_config_exits_2_and_changes_nothing(data_dir: Path, tmp_path: Path, config, field: str) -> None:
    good = write(tmp_path / "good.json", QWEN3_32B)
    assert run("catalog", "add-model", "--from-hf-config", str(good), "--name", "Kept").exit_code == 0
    store = data_dir / "user_catalog.json"
    before = digest(store)
    bad = write(tmp_path / "bad.json", config)
    r = run("catalog", "add-model", "--from-hf-config", str(bad), "--name", "Broken")
    assert r.exit_code == 2, r.output
    assert r.output.startswith(f"error: {field}:") and "Traceback" not in r.output
    assert digest(store) == before


def test_mla_moe_and_chunked_configs(data_dir: Path, tmp_path: Path) -> None:
    mla = write(tmp_path / "kimi.json", KIMI_LIKE_MLA_MOE)
    r = run(
        "catalog",
        "add-model",
        "--from-hf-config",
        str(mla),
        "--name",
        "K2-Copy",
        "--params-b",
        "1000",
        "--active-params-b",
        "32",
    )
    assert r.exit_code == 0, r.output
    kv = json.loads(run("kv-cache", "--model", "k2-copy", "--kv-dtype", "bf16", "--context", "1000", "--json").output)
    assert kv["attention"] == "mla" and kv["bytes_per_token"] == 70_272  # same as the shipped Kimi-K2 row
    scout = write(tmp_path / "scout.json", SCOUT_TEXT)
    r = run(
        "catalog",
        "add-model",
        "--from-hf-config",
        str(scout),
        "--name",
        "Scout-Copy",
        "--params-b",
        "109",
        "--active-params-b",
        "17",
    )
    assert r.exit_code == 0, r.output
    shipped = json.loads(run("kv-cache", "--model", "llama-4-scout", "--context", "100000", "--json").output)
    mine = json.loads(run("kv-cache", "--model", "scout-copy", "--context", "100000", "--json").output)
    assert mine["bytes_per_sequence"] == shipped["bytes_per_sequence"]


def test_shadowing_needs_replace_and_remove_restores(data_dir: Path, tmp_path: Path) -> None:
    cfg = write(tmp_path / "config.json", {**QWEN3_32B, "max_position_embeddings": 131072})
    refused = run("catalog", "add-model", "--from-hf-config", str(cfg), "--name", "Qwen3-32B")
    assert refused.exit_code == 2 and "--replace" in refused.output
    clash = run("catalog", "add-model", "--from-hf-config", str(cfg), "--name", "Another", "--alias", "405b")
    assert clash.exit_code == 2 and "Llama-3.1-405B" in clash.output
    assert run("catalog", "add-model", "--from-hf-config", str(cfg), "--name", "Qwen3-32B", "--replace").exit_code == 0
    shown = json.loads(run("catalog", "show", "qwen3-32b", "--json").output)
    assert shown["origin"] == "your catalog" and shown["max_context"] == 131072
    r = run("catalog", "remove", "qwen3-32b")
    assert r.exit_code == 0, r.output
    assert json.loads(run("catalog", "show", "qwen3-32b", "--json").output)["origin"] == "shipped"
    assert run("catalog", "remove", "h100").exit_code == 2  # shipped rows cannot be removed


def test_user_chip_and_price_work_in_tco(data_dir: Path) -> None:
    r = run(
        "catalog",
        "add-chip",
        "--name",
        "Acme X1",
        "--vendor",
        "Acme",
        "--memory-gb",
        "256",
        "--mem-bw-tbps",
        "10",
        "--fp8-tflops",
        "5000",
        "--tdp-w",
        "1000",
        "--source",
        "Acme X1 datasheet, 2026",
        "--preliminary",
    )
    assert r.exit_code == 0, r.output
    unpriced = run("tco", "--chip", "acme x1")
    assert unpriced.exit_code == 2 and unpriced.output.startswith("error: capex_per_accelerator:")
    r = run(
        "catalog",
        "add-price",
        "--chip",
        "acme x1",
        "--usd",
        "30000",
        "--basis",
        "server_all_in",
        "--date",
        "2026-11-01",
        "--source",
        "quote from Acme, Nov 2026",
    )
    assert r.exit_code == 0, r.output
    t = json.loads(run("tco", "--chip", "acme x1", "--json").output)
    assert t["chips"][0]["capex_per_accelerator"] == 30000 and t["chips"][0]["price_date"] == "2026-11-01"
    assert t["assumptions"][0].startswith("WARNING: Acme X1 figures are PRELIMINARY")
    assert any("Acme X1 comes from your catalog" in a for a in t["assumptions"])
    assert (
        run(
            "catalog",
            "add-price",
            "--chip",
            "acme x1",
            "--usd",
            "-1",
            "--basis",
            "chip",
            "--date",
            "2026-11-01",
            "--source",
            "x",
        ).exit_code
        == 2
    )
    assert (
        run(
            "catalog",
            "add-price",
            "--chip",
            "acme x1",
            "--usd",
            "1",
            "--basis",
            "chip",
            "--date",
            "soon",
            "--source",
            "x",
        ).exit_code
        == 2
    )
    bad_chip = run(
        "catalog",
        "add-chip",
        "--name",
        "Bad",
        "--vendor",
        "V",
        "--memory-gb",
        "0",
        "--mem-bw-tbps",
        "1",
        "--source",
        "s",
    )
    assert bad_chip.exit_code == 2 and bad_chip.output.startswith("error: memory_gb:")
    assert run("catalog", "remove", "acme", "x1").exit_code == 0
    assert run("tco", "--chip", "acme x1").exit_code == 2
