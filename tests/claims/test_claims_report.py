"""The report, the chart and ``siliconomics claims`` through click's runner and the console script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from agent.claims.check import check_all, verdict_counts
from agent.claims.report import chart_png, render_markdown
from agent.cli.main import cli

SCRIPT = Path(sys.executable).with_name("siliconomics")
RESULTS = check_all()


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_report_has_the_summary_table_first_and_every_claim():
    md = render_markdown(RESULTS)
    summary, checks = md.index("## Summary"), md.index("## The checks")
    assert summary < checks < md.index("## Claims the calculators cannot check")
    assert "| # | claim | time | claimed | computed | verdict |" in md[summary:checks]
    counts = verdict_counts(RESULTS)
    assert f"{counts['inconsistent']} inconsistent" in md
    for r in RESULTS:
        if r.value is not None:
            assert f'<a id="{r.id}"></a>' in md and f"(#{r.id})" in md[summary:checks]
        for paragraph in r.quote.split("\n\n"):
            assert paragraph in md, r.id
    # figures are the computed ones, not retyped: the 405B reasoning peak concurrency appears as computed
    users = next(r for r in RESULTS if r.id == "reasoning-users-4-5x")
    assert f"| users reasoning peak | {users.figures['users_reasoning_peak']:.0f} |" in md


def test_chart_is_a_png_of_sane_size():
    png = chart_png(RESULTS)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 20_000 < len(png) < 2_000_000


def test_cli_report_chart_and_json(tmp_path):
    report, chart = tmp_path / "claims.md", tmp_path / "claims.png"
    r = run("claims", "--report", str(report), "--chart", str(chart))
    assert r.exit_code == 0, r.output
    assert "consistent under assumptions" in r.output and f"wrote {report}" in r.output
    assert report.read_text().startswith("# Checking the numbers")
    assert chart.read_bytes()[:4] == b"\x89PNG"
    r = run("claims", "--json")
    data = json.loads(r.output)
    assert [d["id"] for d in data] == [x.id for x in RESULTS]
    assert {d["verdict"] for d in data} == {
        "consistent",
        "consistent under assumptions",
        "inconsistent",
        "not checkable",
    }


def test_cli_single_claim_and_errors(tmp_path):
    r = run("claims", "--claim", "reasoning models serve 4-5x fewer users", "--json")
    assert r.exit_code == 0 and json.loads(r.output)["result"]["id"] == "reasoning-users-4-5x"
    r = run("claims", "--claim", "  ")
    assert (
        r.exit_code == 2
        and r.output.strip()
        == "error: claim: is empty; give the claim in words, e.g. 'reasoning models serve 4-5x fewer users'."
    )
    r = run("claims", "--report", str(tmp_path / "no" / "such" / "dir" / "claims.md"))
    assert r.exit_code == 2 and r.output.startswith("error: report: cannot write") and "Traceback" not in r.output


def test_console_script_runs_claims():
    out = subprocess.run(
        [str(SCRIPT), "claims", "--claim", "kv cache grows quadratically"], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Inconsistent: computed 10 x memory")
