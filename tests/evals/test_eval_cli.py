"""``siliconomics eval``: tables, run log, gate exit codes, --compare, malformed suites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evals.cli import eval_cmd


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")  # rich reads the width from COLUMNS; keep table cells unwrapped


def _invoke(*args: str):
    return CliRunner().invoke(eval_cmd, list(args), terminal_width=200)


def test_tools_run_writes_log_and_exits_zero(tmp_path: Path) -> None:
    log_path = tmp_path / "run.json"
    result = _invoke("tools", "--json", str(log_path))
    assert result.exit_code == 0, result.output
    assert "tools" in result.output and "100.0%" in result.output
    log = json.loads(log_path.read_text())
    assert set(log) >= {"model", "versions", "git_commit", "suites", "tokens", "cost_usd", "started_at", "machine"}
    assert log["versions"]["langchain"] and log["git_commit"]
    (suite,) = log["suites"]
    assert suite["passed"] == suite["total"] >= 25
    case = suite["cases"][0]
    assert set(case) >= {"id", "status", "checks", "latency_s", "source", "tool_calls"}


def test_default_log_goes_to_data_dir(data_dir: Path) -> None:
    result = _invoke("tools")
    assert result.exit_code == 0, result.output
    assert list((data_dir / "evals").glob("run-*.json"))


def test_broken_calculator_exits_nonzero_and_shows_expected_vs_got(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tools.kv_cache as kv

    real = kv.values_per_token_per_layer
    monkeypatch.setattr(kv, "values_per_token_per_layer", lambda shape, tp=1: 2 * real(shape, tp))
    result = _invoke("tools", "--json", str(tmp_path / "broken.json"))
    assert result.exit_code == 1, result.output
    assert "kv-opt13b-fp16-vllm-paper" in result.output
    assert "819200 B exactly" in result.output and "1638400" in result.output  # expected vs got
    assert "BELOW GATE" in result.output


def test_gate_option_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.kv_cache as kv

    real = kv.values_per_token_per_layer
    monkeypatch.setattr(kv, "values_per_token_per_layer", lambda shape, tp=1: 2 * real(shape, tp))
    assert _invoke("tools", "--gate", "0.3", "--json", str(tmp_path / "a.json")).exit_code == 0
    assert _invoke("tools", "--gate", "1", "--json", str(tmp_path / "b.json")).exit_code == 1


def test_compare_shows_what_got_worse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "good.json"
    assert _invoke("tools", "--json", str(good)).exit_code == 0
    import tools.throughput as tp

    monkeypatch.setattr(tp, "_bandwidth", lambda chip: chip.mem_bw_tbps * 0.5e12)
    result = _invoke("tools", "--json", str(tmp_path / "bad.json"), "--compare", str(good))
    assert result.exit_code == 1
    assert "compare:" in result.output and "decode-llama2-7b-a100-b1-roofline" in result.output
    assert "100.0%" in result.output
    # And the other way round: what got better.
    monkeypatch.undo()
    back = _invoke("tools", "--json", str(tmp_path / "again.json"), "--compare", str(tmp_path / "bad.json"))
    assert back.exit_code == 0 and "decode-llama2-7b-a100-b1-roofline" in back.output


def test_malformed_suite_is_exit_2_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evals.loader

    (tmp_path / "bad.yaml").write_text(
        "suite: bad\nkind: tools\ncases:\n  - id: x\n    source: s\n    tool: kv_cache\n    args: {}\n"
    )
    monkeypatch.setattr(evals.loader, "SUITES_DIR", tmp_path)
    result = _invoke()
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "bad.yaml" in result.output and "case x" in result.output


def test_unknown_suite_and_bad_compare_file(tmp_path: Path) -> None:
    result = _invoke("nosuch")
    assert result.exit_code == 2 and "unknown suite" in result.output
    result = _invoke("tools", "--compare", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "--compare" in result.output


def test_prices_go_together() -> None:
    result = _invoke("tools", "--price-in", "1")
    assert result.exit_code == 2 and "--price-out" in result.output
