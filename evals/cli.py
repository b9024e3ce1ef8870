"""``siliconomics eval``: run the suites, print a table per suite, write the run log, gate."""

from __future__ import annotations

from pathlib import Path

import click


@click.command(
    "eval",
    epilog=(
        "Examples:\n\n"
        "  siliconomics eval                          # every offline suite; live suites skipped without a key\n\n"
        "  siliconomics eval tools --gate 1\n\n"
        "  siliconomics eval agent_offline agent_live --model openai:gpt-4.1-mini --concurrency 8 --json run.json\n\n"
        "  siliconomics eval --compare old.json       # what got better or worse since old.json"
    ),
)
@click.argument("suites", nargs=-1)
@click.option("--model", "-m", default=None, help="Model for agent suites: offline, openai:<model>, anthropic:<model>.")
@click.option(
    "--concurrency", "-c", default=4, show_default=True, type=click.IntRange(1, 64), help="Cases run at once."
)
@click.option(
    "--json",
    "json_path",
    default=None,
    metavar="PATH",
    help="Write the run log here (default: DATA_DIR/evals/run-<time>.json).",
)
@click.option(
    "--gate", default=None, type=click.FloatRange(0, 1), help="Pass rate every suite must reach (default: per suite)."
)
@click.option(
    "--compare", "compare_path", default=None, metavar="OLD.json", help="Show changes against an earlier run log."
)
@click.option(
    "--price-in", default=None, type=click.FloatRange(0), help="USD per million input tokens, for the cost column."
)
@click.option("--price-out", default=None, type=click.FloatRange(0), help="USD per million output tokens.")
@click.option("--all", "show_all", is_flag=True, help="List passing cases too.")
def eval_cmd(
    suites: tuple[str, ...],
    model: str | None,
    concurrency: int,
    json_path: str | None,
    gate: float | None,
    compare_path: str | None,
    price_in: float | None,
    price_out: float | None,
    show_all: bool,
) -> None:
    """Run the eval suites (tools, retrieval, agent) and exit 1 when a suite is below its gate.

    Tools cases compare calculator results with published figures; retrieval cases look for a
    gold quote in the top-k passages; agent cases ask a question and check the figures, tool
    calls, citations and behaviour of the answer. Every case names the source of its expected value.
    """
    from rich.console import Console

    from agent.errors import UsageError
    from agent.settings import load_settings
    from evals.loader import SuiteError, load_suites
    from evals.report import compare, compare_renderable, run_renderable
    from evals.runner import Prices, default_log_path, read_log, run, write_log
    from tools.errors import InputError

    old = None
    if compare_path:
        try:
            old = read_log(Path(compare_path))
        except (OSError, ValueError) as exc:
            raise UsageError(f"--compare: cannot read run log {compare_path!r}: {exc}")
    if (price_in is None) != (price_out is None):
        raise UsageError("--price-in and --price-out go together (USD per million input and output tokens).")
    prices = Prices(input_per_m=price_in, output_per_m=price_out) if price_in is not None else None
    try:
        selected = load_suites(list(suites) or None)
    except SuiteError as exc:
        raise UsageError(f"suite: {exc}")
    try:
        log = run(selected, model=model, concurrency=concurrency, gate=gate, prices=prices)
    except InputError as exc:
        raise UsageError(str(exc))
    path = Path(json_path) if json_path else default_log_path(load_settings().data_dir)
    write_log(log, path)
    data = log.model_dump(mode="json")
    console = Console()
    console.print(run_renderable(data, show_passing=show_all))
    if old is not None:
        console.print(compare_renderable(compare(old, data)))
    console.print(f"run log: {path}")
    if not log.passed:
        below = [s.suite for s in log.suites if not s.meets_gate]
        click.echo(f"below gate: {', '.join(below)}", err=True)
        raise SystemExit(1)
