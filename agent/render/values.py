"""Readable rendering of calculator results for the terminal (rich), shared by the CLI and chat."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from agent.render.figures import unit_of

_WORK_FIELDS = {"formula", "inputs", "assumptions", "sources"}


def human_bytes(n: float) -> str:
    """Decimal and binary forms side by side: 516096 -> '516.1 KB = 504.0 KiB'."""
    for power, dec, binary in ((4, "TB", "TiB"), (3, "GB", "GiB"), (2, "MB", "MiB"), (1, "KB", "KiB")):
        if abs(n) >= 1000**power:
            return f"{n / 1000**power:,.1f} {dec} = {n / 1024**power:,.1f} {binary}"
    return f"{n:,.0f} B"


def format_value(name: str, value: Any) -> str:
    """One value with its unit made explicit: bytes get GB/GiB, USD gets $, fractions stay fractions with their
    percent beside them ("0.2829 (+28.3 %)" for a difference, "0.8 (80.0 %)" for a share)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)) and unit_of(name) == "fraction":
        percent = f"{value * 100:+.1f}" if name.startswith("difference") else f"{value * 100:.1f}"
        return f"{value:.4g} ({percent} %)"
    if isinstance(value, int) and "bytes" in name:
        return f"{value:,} B ({human_bytes(value)})"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.1f}"
        if abs(value) >= 1:
            return f"{value:,.4g}" if abs(value) < 100 else f"{value:,.2f}"
        return f"{value:.4g}"
    if isinstance(value, int):
        return str(value) if "year" in name or name in {"through", "backtest_from"} else f"{value:,}"
    return str(value)


def scalar_fields(result: BaseModel) -> list[tuple[str, Any]]:
    """The result's headline fields: set scalars only, without the work (formula, inputs...)."""
    out = []
    for name, value in result:
        if value is None or name in _WORK_FIELDS or isinstance(value, (list, dict, BaseModel)):
            continue
        out.append((name, value))
    return out


def result_renderable(
    title: str, result: BaseModel, *, extra: RenderableType | None = None, show_sources: bool = True
) -> RenderableType:
    """A table of the result's figures, then ``extra`` (a comparison or text chart), the formula,
    assumptions and sources."""
    table = Table(title=title, show_header=True, header_style="bold", title_justify="left")
    table.add_column("quantity")
    table.add_column("value", justify="right")
    for name, value in scalar_fields(result):
        table.add_row(name, format_value(name, value))
    parts: list[RenderableType] = [table] if table.row_count else []
    if extra is not None:
        parts.append(extra)
    formula = getattr(result, "formula", "")
    if formula:
        parts.append(Text.assemble(("Formula: ", "bold"), formula))
    for line in getattr(result, "assumptions", []):
        parts.append(Text.assemble(("Assumption: ", "bold"), line))
    if show_sources:
        for line in getattr(result, "sources", [])[:8]:
            parts.append(Text.assemble(("Source: ", "dim bold"), (line, "dim")))
    return Group(*parts)
