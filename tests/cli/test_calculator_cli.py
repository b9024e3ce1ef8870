"""The registry-driven CLI: through click's runner and once through the installed console script."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from agent.cli.main import cli

SCRIPT = Path(sys.executable).with_name("siliconomics")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_kv_cache_json_405b() -> None:
    r = run("kv-cache", "--model", "llama-3.1-405b", "--kv-dtype", "bf16", "--context", "8192", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["bytes_per_token"] == 516096
    assert data["bytes_per_sequence"] == 516096 * 8192
    assert {"total_bytes", "formula", "assumptions", "sources", "inputs"} <= data.keys()


def test_memory_fit_reasoning_ratios() -> None:
    base = [
        "memory-fit",
        "--model",
        "llama-3.1-70b",
        "--chip",
        "h100",
        "--gpus",
        "8",
        "--weights-dtype",
        "bf16",
        "--kv-dtype",
        "bf16",
        "--prompt",
        "1000",
        "--gpu-mem-util",
        "0.9",
        "--reserve-gb",
        "0",
        "--json",
    ]
    short = json.loads(run(*base, "--output", "1000").output)
    long = json.loads(run(*base, "--output", "11000").output)
    assert short["max_concurrent_sequences"] / long["max_concurrent_sequences"] == pytest.approx(6, rel=0.02)
    assert short["avg_concurrent_sequences"] / long["avg_concurrent_sequences"] == pytest.approx(4.33, rel=0.02)
    for key in ("fits", "weights_bytes", "kv_budget_bytes", "min_accelerators"):
        assert key in short


def test_memory_fit_does_not_fit_readable() -> None:
    r = run("memory-fit", "--model", "llama-3.1-405b", "--chip", "h100", "--gpus", "8", "--weights-dtype", "bf16")
    assert r.exit_code == 0, r.output
    assert "Does not fit" in r.output and "at least 11 accelerators" in r.output


def test_throughput_json_keys() -> None:
    r = run(
        "throughput",
        "--model",
        "llama-2-7b",
        "--chip",
        "h100",
        "--weights-dtype",
        "fp16",
        "--prompt",
        "512",
        "--output",
        "512",
        "--mem-eff",
        "1",
        "--compute-eff",
        "1",
        "--json",
    )
    data = json.loads(r.output)
    assert data["decode_tokens_per_s"] == pytest.approx(243.6, rel=2e-3)
    for key in ("decode_tokens_per_s_per_accelerator", "tokens_per_s_per_user", "ttft_s", "bound"):
        assert key in data


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["kv-cache", "--model", "llama-9000", "--context", "10"], "model: unknown model 'llama-9000'"),
        (["kv-cache", "--model", "llama-2-7b", "--context", "0"], "context: must be >= 1"),
        (["memory-fit", "--model", "405b", "--chip", "h100", "--gpus", "0"], "gpus: must be >= 1"),
        (["throughput", "--model", "405b", "--chip", "h100", "--mem-eff", "1.5"], "mem_eff: must be <= 1"),
        (["memory-fit", "--model", "405b", "--chip", "h100", "--gpu-mem-util", "0"], "gpu_mem_util: must be > 0"),
    ],
)
def test_bad_input_exit_2_one_line(args: list[str], needle: str) -> None:
    r = run(*args)
    assert r.exit_code == 2
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and needle in lines[0]
    assert "Traceback" not in r.output


@pytest.mark.parametrize(("text", "tokens"), [("128k", 128_000), ("32k", 32_000), ("1.5M", 1_500_000), ("1,024", 1024)])
def test_integer_flags_read_magnitudes(text: str, tokens: int) -> None:
    r = run("kv-cache", "--model", "llama-3.1-70b", "--context", text, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["inputs_given"]["context"] == tokens


@pytest.mark.parametrize("text", ["-2048", "abc", "1.2345k", "12 GB"])
def test_bad_integer_flags_still_exit_2_naming_the_flag(text: str) -> None:
    r = run("kv-cache", "--model", "llama-3.1-70b", "--context", text)
    assert r.exit_code == 2 and r.output.startswith("error: context:"), r.output


def test_a_fraction_given_as_percent_is_refused_with_a_suggestion() -> None:
    r = run("tco", "--chip", "h100", "--utilization", "80")
    assert r.exit_code == 2
    assert "utilization: must be <= 1" in r.output and "did you mean 0.8 (80 %)?" in r.output
    assert "did you mean" not in run("tco", "--chip", "h100", "--utilization", "1.5").output  # 150 %, not 1.5 %


def test_a_percent_sign_is_read_as_the_fraction_it_says() -> None:
    r = run("tco", "--chip", "h100", "--utilization", "80%", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["inputs_given"]["utilization"] == pytest.approx(0.8)


def test_difference_vs_reference_shows_its_percent() -> None:
    r = CliRunner().invoke(cli, ["tco", "--chip", "h100"], env={"COLUMNS": "200"})
    row = next(ln for ln in r.output.splitlines() if "difference_vs_reference" in ln)
    assert re.search(r"\d\.\d+ \([+-]\d+\.\d %\)", row), row


@pytest.mark.skipif(not SCRIPT.exists() and not shutil.which("siliconomics"), reason="console script not installed")
def test_installed_console_script() -> None:
    exe = str(SCRIPT if SCRIPT.exists() else shutil.which("siliconomics"))
    ok = subprocess.run(
        [exe, "kv-cache", "--model", "llama-3.1-405b", "--context", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["bytes_per_token"] == 516096
    bad = subprocess.run(
        [exe, "kv-cache", "--model", "llama-9000", "--context", "1"], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "Did you mean" in bad.stderr
    assert "Traceback" not in bad.stderr
