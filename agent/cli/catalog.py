"""``siliconomics catalog``: list and show the catalog's models, chips and prices, and keep your own rows.

    siliconomics catalog [--kind models|chips|prices] [--stale MONTHS] [--json]
    siliconomics catalog show NAME [--json]
    siliconomics catalog add-model --from-hf-config PATH --name NAME [--alias A ...] [--params-b B] [--replace]
    siliconomics catalog add-chip --name NAME --vendor V --memory-gb G --mem-bw-tbps T --source TEXT [...]
    siliconomics catalog add-price --chip NAME --usd X --basis B --date YYYY-MM-DD --source TEXT [--default]
    siliconomics catalog remove NAME

Your rows live in ``user_catalog.json`` in the data directory (``SILICONOMICS_DATA_DIR``) and are
used by every calculator, the agent and the MCP server, labelled "your catalog" in sources. Bad
input exits 2 with one line naming the field; a rejected row leaves the file unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from agent.errors import UsageError

KINDS = ("models", "chips", "prices")


def _data_dir() -> Path:
    from agent.settings import load_settings
    from tools.catalog import use_user_catalog

    data_dir = load_settings().data_dir
    use_user_catalog(data_dir)
    return data_dir


def _guard(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn``; an ``InputError`` becomes one ``error:`` line and exit code 2."""
    from tools.errors import InputError

    try:
        return fn(*args, **kwargs)
    except InputError as exc:
        raise UsageError(str(exc)) from None


def _rows(kind: str) -> list[Any]:
    from tools import catalog

    return list({"models": catalog.models, "chips": catalog.accelerators, "prices": catalog.price_rows}[kind]())


def _summary(kind: str, row: Any) -> list[str]:
    if kind == "models":
        active = f"/{row.active_params_b:g}" if row.active_params_b else ""
        return [
            row.name,
            f"{row.params_b:g}{active} B",
            row.attention[:28],
            f"{row.max_context:,}",
            row.source_date,
            row.origin,
        ]
    if kind == "chips":
        status = "PRELIMINARY" if row.preliminary else row.status
        price = f"{row.est_price_usd:,.0f}" if row.est_price_usd else "-"
        mem = f"{row.memory_gb:g} {row.memory_unit}"
        return [row.name, mem, f"{row.mem_bw_tbps:g}", price, status, row.source_date, row.origin]
    return [row.chip, f"{row.price_usd:,.4g}", row.basis, row.price_date, "default" if row.default else "", row.origin]


_HEADERS = {
    "models": ["model", "params (total/active)", "attention", "context", "source date", "origin"],
    "chips": ["chip", "memory", "TB/s", "price $", "status", "source date", "origin"],
    "prices": ["chip", "USD", "basis", "date", "", "origin"],
}


def _print_table(kind: str, rows: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{kind} ({len(rows)})", title_justify="left")
    for header in _HEADERS[kind]:
        table.add_column(header)
    for row in rows:
        table.add_row(*_summary(kind, row))
    Console().print(table)


def _dump(rows: list[Any]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in rows]


@click.group("catalog", invoke_without_command=True)
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only models, chips or prices.")
@click.option(
    "--stale", type=float, default=None, metavar="MONTHS", help="List rows whose source date is older than this."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def catalog_cmd(ctx: click.Context, kind: str | None, stale: float | None, as_json: bool) -> None:
    """List the catalog's models, chips and prices (shipped and yours); add, show and remove your own rows."""
    if ctx.invoked_subcommand is not None:
        return
    data_dir = _data_dir()
    if stale is not None:
        if stale < 0:
            raise UsageError(f"stale: must be >= 0 months (got {stale:g}).")
        from tools.catalog_freshness import stale_rows

        rows = [r for r in stale_rows(stale) if kind is None or r["kind"] == kind.rstrip("s")]
        if as_json:
            click.echo(json.dumps({"stale_after_months": stale, "rows": rows}, indent=2))
            return
        click.echo(f"{len(rows)} row(s) with a source date older than {stale:g} months (or none):")
        for r in rows:
            age = f"{r['age_months']:g} months" if r["age_months"] is not None else "no date"
            click.echo(f"  {r['kind']:<6} {r['name']}  ({r['source_date'] or '-'}, {age}; {r['origin']})")
        return
    kinds = [kind] if kind else list(KINDS)
    if as_json:
        from tools.user_catalog import catalog_path

        payload: dict[str, Any] = {k: _dump(_guard(_rows, k)) for k in kinds}
        payload["user_catalog"] = str(catalog_path(data_dir))
        click.echo(json.dumps(payload, indent=2))
        return
    for k in kinds:
        _print_table(k, _guard(_rows, k))


@catalog_cmd.command("show")
@click.argument("name", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def show_cmd(name: tuple[str, ...], as_json: bool) -> None:
    """Every field of one model or chip (forgiving name), with a chip's prices."""
    from tools import catalog
    from tools.errors import InputError

    _data_dir()
    query = " ".join(name)
    row: Any = None
    for finder in (catalog.find_model, catalog.find_accelerator):
        try:
            row = finder(query, field="name")
            break
        except InputError:
            continue
    if row is None:
        names = [r.name for r in (*catalog.models(), *catalog.accelerators())]
        near = catalog.closest(query, tuple(catalog.models()) + tuple(catalog.accelerators()))
        raise UsageError(
            f"name: no model or chip called {query!r} ({len(names)} in the catalog). Did you mean: {', '.join(near)}?"
        )
    data = row.model_dump(mode="json")
    if isinstance(row, catalog.Accelerator):
        data["prices"] = _dump(catalog.prices_for(row.name))
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    for key, value in data.items():
        if key == "prices":
            for p in value:
                click.echo(
                    f"  price: {p['price_usd']:,.4g} USD, {p['basis']}, {p['price_date']}{' (default)' if p['default'] else ''} - {p['source']}"
                )
            continue
        click.echo(f"{key}: {value}")


@catalog_cmd.command("add-model")
@click.option(
    "--from-hf-config",
    "config_path",
    type=click.Path(path_type=Path),
    required=True,
    help="A Hugging Face config.json.",
)
@click.option("--name", required=True, help="Catalog name for the model.")
@click.option("--alias", "aliases", multiple=True, help="Another name it answers to (repeat).")
@click.option(
    "--params-b",
    type=float,
    default=None,
    help="Total parameters, billions (required for MoE; dense: counted from the config).",
)
@click.option("--active-params-b", type=float, default=None, help="Parameters active per token, billions (MoE).")
@click.option("--source", default=None, help="Where the config comes from (default: the file path).")
@click.option("--replace", is_flag=True, help="Shadow a row of the same name.")
def add_model_cmd(
    config_path: Path,
    name: str,
    aliases: tuple[str, ...],
    params_b: float | None,
    active_params_b: float | None,
    source: str | None,
    replace: bool,
) -> None:
    """Add a model read from a Hugging Face config.json (dense, GQA, MLA, MoE, sliding and chunked windows)."""
    from tools import hf_config, user_catalog

    data_dir = _data_dir()
    for value, field in ((params_b, "params_b"), (active_params_b, "active_params_b")):
        if value is not None and value <= 0:
            raise UsageError(f"{field}: must be > 0 (got {value:g}).")
    added = user_catalog.today()
    cfg = _guard(hf_config.load_config, config_path)
    spec = _guard(
        hf_config.spec_from_config,
        cfg,
        name.strip(),
        aliases=tuple(a.strip() for a in aliases if a.strip()),
        params_b=params_b,
        active_params_b=active_params_b,
        source=f"your catalog: {source or f'Hugging Face config.json {config_path.resolve()}'} (added {added})",
        added=added,
    )
    path = _guard(user_catalog.add_row, data_dir, "models", spec, replace=replace)
    click.echo(
        f"Added model {spec.name} to your catalog ({path}): {spec.n_layers} layers, {spec.attention}, "
        f"{spec.params_b:g} B parameters."
    )


@catalog_cmd.command("add-chip")
@click.option("--name", required=True)
@click.option("--vendor", required=True)
@click.option("--memory-gb", type=float, required=True, help="Memory capacity as the vendor states it.")
@click.option("--memory-unit", type=click.Choice(["GB", "GiB"]), default="GB", show_default=True)
@click.option("--mem-bw-tbps", type=float, required=True, help="Memory bandwidth, TB/s.")
@click.option("--bf16-tflops", type=float, default=None, help="Dense BF16 TFLOPS.")
@click.option("--fp8-tflops", type=float, default=None, help="Dense FP8 TFLOPS.")
@click.option("--fp4-tflops", type=float, default=None, help="Dense FP4 TFLOPS.")
@click.option("--tdp-w", type=float, default=None, help="TDP, watts.")
@click.option("--year", type=int, default=None, help="Availability year (default: this year).")
@click.option("--alias", "aliases", multiple=True)
@click.option("--source", required=True, help="Where the figures come from (required: every row names its source).")
@click.option("--preliminary", is_flag=True, help="Announced, not shipped: every result using it warns.")
@click.option("--replace", is_flag=True, help="Shadow a row of the same name.")
def add_chip_cmd(**kw: Any) -> None:
    """Add an accelerator with its datasheet figures."""
    import datetime

    from pydantic import ValidationError

    from tools import user_catalog
    from tools.catalog import USER, Accelerator
    from tools.errors import from_validation_error

    data_dir = _data_dir()
    added = user_catalog.today()
    try:
        chip = Accelerator(
            name=kw["name"].strip(),
            aliases=tuple(a.strip() for a in kw["aliases"] if a.strip()),
            vendor=kw["vendor"],
            year=kw["year"] or datetime.date.today().year,
            memory_gb=kw["memory_gb"],
            memory_unit=kw["memory_unit"],
            mem_bw_tbps=kw["mem_bw_tbps"],
            bf16_dense_tflops=kw["bf16_tflops"],
            fp8_dense_tflops=kw["fp8_tflops"],
            fp4_dense_tflops=kw["fp4_tflops"],
            tdp_w=kw["tdp_w"],
            status="preliminary" if kw["preliminary"] else "shipping",
            source_date=added,
            source_urls=f"your catalog: {kw['source']} (added {added})",
            origin=USER,
        )
    except ValidationError as exc:
        raise UsageError(str(from_validation_error(exc))) from None
    path = _guard(user_catalog.add_row, data_dir, "chips", chip, replace=kw["replace"])
    click.echo(f"Added chip {chip.name} to your catalog ({path}).")


@catalog_cmd.command("add-price")
@click.option("--chip", "chip_name", required=True, help="A catalog chip (forgiving name).")
@click.option(
    "--usd", type=float, required=True, help="USD per accelerator (or per accelerator-hour for rental_per_hour)."
)
@click.option(
    "--basis",
    type=click.Choice(["server_all_in", "chip", "kit_per_chip", "bom_per_accelerator", "rental_per_hour"]),
    required=True,
)
@click.option("--date", "price_date", required=True, help="Date of the price, YYYY-MM-DD.")
@click.option("--source", required=True, help="Where the price comes from.")
@click.option(
    "--default/--no-default", "is_default", default=True, show_default=True, help="Use it as the chip's default price."
)
@click.option("--confidence", default="", help="How sure the source is (free text).")
def add_price_cmd(
    chip_name: str, usd: float, basis: str, price_date: str, source: str, is_default: bool, confidence: str
) -> None:
    """Add a dated price with its basis for a catalog chip."""
    from tools import user_catalog
    from tools.catalog import USER, PriceRow, find_accelerator
    from tools.catalog_freshness import parse_date

    data_dir = _data_dir()
    chip = _guard(find_accelerator, chip_name)
    if usd <= 0:
        raise UsageError(f"usd: must be > 0 (got {usd:g}).")
    if parse_date(price_date) is None:
        raise UsageError(f"date: {price_date!r} is not a date; write YYYY-MM-DD.")
    row = PriceRow(
        chip=chip.name,
        price_usd=usd,
        basis=basis,
        price_date=price_date,
        default=is_default,
        confidence=confidence,
        source=f"your catalog: {source}",
        origin=USER,
    )
    path = _guard(user_catalog.add_price, data_dir, row)
    click.echo(f"Added price {usd:,.4g} USD ({basis}, {price_date}) for {chip.name} to your catalog ({path}).")


@catalog_cmd.command("remove")
@click.argument("name", nargs=-1, required=True)
def remove_cmd(name: tuple[str, ...]) -> None:
    """Remove one of your models or chips (and that chip's prices). Shipped rows cannot be removed."""
    from tools import user_catalog

    data_dir = _data_dir()
    path, removed = _guard(user_catalog.remove, data_dir, " ".join(name))
    click.echo(f"Removed from your catalog ({path}): {', '.join(removed)}.")
