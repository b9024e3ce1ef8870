"""``siliconomics claims``: check the BG2 episode's quantitative claims with the calculators.

Prints the summary table (rich), or every check as JSON; ``--report`` writes the markdown
report, ``--chart`` a PNG; ``--claim TEXT`` checks the one claim that best matches TEXT.
Exit codes: 0 done; 2 bad usage (unwritable path, unknown claim id).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

EXAMPLES = """\
Examples:

  siliconomics claims

  siliconomics claims --report claims.md --chart claims.png

  siliconomics claims --claim "reasoning models serve 4-5x fewer users"

  siliconomics claims --json
"""


def _write(path: str, data: bytes | str) -> None:
    from agent.errors import UsageError

    try:
        target = Path(path)
        if isinstance(data, bytes):
            target.write_bytes(data)
        else:
            target.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"report: cannot write {path!r} ({exc.strerror or exc}).")


def _print_table(results) -> None:
    from rich.console import Console
    from rich.table import Table

    from agent.claims.check import verdict_counts
    from agent.claims.report import fmt

    colours = {
        "consistent": "green",
        "consistent under assumptions": "yellow",
        "inconsistent": "red",
        "not checkable": "dim",
    }
    table = Table(title="BG2 episode: quantitative claims checked", show_lines=False)
    for col in ("id", "time", "claimed", "computed", "verdict"):
        table.add_column(col, overflow="fold")
    for r in results:
        computed = "-" if r.value is None else f"{fmt(r.value)} {r.unit}"
        if r.value_min is not None and r.value_min != r.value_max:
            computed += f" ({fmt(r.value_min)}-{fmt(r.value_max)})"
        table.add_row(r.id, r.timestamp or "-", r.claimed, computed, f"[{colours[r.verdict]}]{r.verdict}[/]")
    console = Console()
    console.print(table)
    counts = verdict_counts(results)
    console.print(", ".join(f"{n} {v}" for v, n in counts.items()))


@click.command("claims", epilog=EXAMPLES)
@click.option("--json", "as_json", is_flag=True, help="Print every check (or the --claim match) as JSON.")
@click.option("--report", "report", default=None, metavar="PATH.md", help="Write the markdown report here.")
@click.option(
    "--chart", "chart", default=None, metavar="PATH.png", help="Write a PNG chart (computed / claimed per claim)."
)
@click.option(
    "--claim", "claim_text", default=None, metavar="TEXT", help="Check only the claim that best matches TEXT."
)
def claims_cmd(as_json: bool, report: str | None, chart: str | None, claim_text: str | None) -> None:
    """Check the podcast's quantitative claims: quote, chapter, time, the check, the figures, the verdict."""
    from agent.claims.check import check_all
    from agent.claims.match import check_claim
    from agent.errors import UsageError
    from tools.errors import InputError

    if claim_text is not None:
        try:
            match = check_claim(claim_text)
        except InputError as exc:
            raise UsageError(str(exc))
        if as_json:
            click.echo(match.model_dump_json(indent=2))
        else:
            click.echo(match.message)
            if not match.found:
                for near in match.nearest:
                    click.echo(f"  {near}")
        return

    results = check_all()
    if report:
        from agent.claims.report import render_markdown

        command = f"siliconomics claims --report {report}" + (f" --chart {chart}" if chart else "")
        _write(report, render_markdown(results, command=command))
    if chart:
        from agent.claims.report import chart_png

        _write(chart, chart_png(results))
    if as_json:
        click.echo(json.dumps([r.model_dump(mode="json") for r in results], indent=2))
        return
    _print_table(results)
    for path in (report, chart):
        if path:
            click.echo(f"wrote {path}")
