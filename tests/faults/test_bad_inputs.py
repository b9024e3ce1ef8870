"""Fault suite: hostile numbers, near-miss names and unknown arguments on every path into the calculators.

Each case must be refused with one line naming the field (CLI exit code 2, no traceback) and must
never print inf, nan or an absurd figure. The count of refused cases is the figure reported.
"""

from __future__ import annotations

import anyio
import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools.errors import InputError
from tools.registry import get

M70 = ["--model", "llama-3.1-70b", "--chip", "h100"]
#: (CLI arguments, the field the error must name)
CLI_CASES: list[tuple[list[str], str]] = [
    (["throughput", *M70, "--usd-per-gpu-hour", "inf"], "usd_per_gpu_hour"),
    (["throughput", *M70, "--usd-per-gpu-hour", "1e308"], "usd_per_gpu_hour"),
    (["throughput", *M70, "--batch", "100000000000"], "batch"),
    (["throughput", *M70, "--prompt", "1e308"], "prompt"),
    (["memory-fit", *M70, "--reserve-gb", "inf"], "reserve_gb"),
    (["memory-fit", *M70, "--reserve-gb", "nan"], "reserve_gb"),
    (["memory-fit", *M70, "--gpus", "99999999999"], "gpus"),
    (["kv-cache", "--model", "llama-3.1-70b", "--context", "10000000000"], "context"),
    (["kv-cache", "--model", "llama-3.1-70b", "--batch", "1e308"], "batch"),
    (["tco", "--chip", "h100", "--years", "inf"], "years"),
    (["tco", "--chip", "h100", "--years", "1e-300"], "years"),
    (["tco", "--chip", "h100", "--electricity", "1e308"], "electricity"),
    (["tco", "--chip", "h100", "--capex-per-accelerator", "inf"], "capex_per_accelerator"),
    (["tco", "--chip", "h100", "--tokens-per-s", "1e-300"], "tokens_per_s"),
    (["tco", "--chip", "h100", "--pue", "1e308"], "pue"),
    (["tco", "--chip", "h100", "--rental-price", "nan"], "rental_price"),
    (["buildout", "--gw", "inf", "--chip", "h100"], "gw"),
    (["buildout", "--gw", "1e308", "--chip", "h100"], "gw"),
    (["buildout", "--gw", "2", "--chip", "h100", "--power-kw", "1e-300"], "power_kw"),
    (["buildout", "--gw", "2", "--chip", "h100", "--capex-per-accelerator", "1e308"], "capex_per_accelerator"),
    (["capex", "--company", "big4", "--through", "99999"], "through"),
    (["capex", "--company", "big4", "--method", "scenario", "--growth", "inf"], "growth"),
    (["capex", "--company", "big4", "--capex-per-accelerator", "nan"], "capex_per_accelerator"),
    (["throughput", "--model", "llama-3.1-70b", "--chip", "h20"], "chip"),
    (["memory-fit", "--model", "x", "--chip", "h100"], "model"),
    (["throughput", *M70, "--chart", "/no/such/folder/speed.png"], "chart"),
]


@pytest.mark.parametrize(("args", "field"), CLI_CASES, ids=[" ".join(a) for a, _ in CLI_CASES])
def test_cli_refuses_with_one_line(args: list[str], field: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}"), result.output
    assert "Traceback" not in result.output
    for absurd in ("inf ", "nan", "e+30"):
        assert absurd not in result.output.lower().split(field)[0]


def test_names_never_resolve_to_a_different_product() -> None:
    for tool, args, field, suggested in (
        ("throughput", {"model": "llama-3.1-70b", "chip": "h20"}, "chip", "NVIDIA H200 SXM 141GB"),
        ("memory_fit", {"model": "x", "chip": "h100"}, "model", "Mixtral-8x7B-v0.1"),
    ):
        with pytest.raises(InputError) as err:
            get(tool).run(args)
        assert err.value.field == field and "unknown" in str(err.value) and suggested in err.value.suggestions


def test_slash_command_refuses_non_finite() -> None:
    from agent.slack.slash import run_slash

    reply = run_slash("buildout --gw 1e308 --chip h100")
    assert reply["response_type"] == "ephemeral" and reply["text"].startswith(":warning: gw:")


def test_mcp_refuses_non_finite_and_unknown() -> None:
    from mcp import Client

    from agent.mcp.server import build_server

    async def main():
        async with Client(build_server()) as client:
            a = await client.call_tool("buildout", {"gw": 1e308, "chip": "h100"})
            b = await client.call_tool("memory_fit", {"model": "llama-3.1-70b", "chip": "h100", "gpu": 1})
            return a, b

    a, b = anyio.run(main)
    assert a.is_error and a.content[0].text.startswith("gw: must be at most")
    assert b.is_error and b.content[0].text.startswith("gpu: unknown argument")


def test_refused_count() -> None:
    """The figure for the report: how many of the CLI cases are refused cleanly."""
    refused = 0
    for args, field in CLI_CASES:
        r = CliRunner().invoke(cli, args)
        refused += r.exit_code == 2 and r.output.startswith(f"error: {field}") and "Traceback" not in r.output
    print(f"\nbad inputs refused: {refused} of {len(CLI_CASES)}")
    assert refused == len(CLI_CASES)
