"""Compact plain-text renderings of the same series the PNG charts draw (for terminals and chat).

Each function takes a result model and returns a string of at most ~100 columns: bars drawn
with block characters, numbers printed beside them, nothing computed that the result lacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tools.capex import CapexResult
    from tools.chip_specs import ChipSpecsResult
    from tools.tco import TCOResult
    from tools.throughput import ThroughputResult

BAR_WIDTH = 36


def _bar(value: float, top: float, char: str = "█", width: int = BAR_WIDTH) -> str:
    n = 0 if top <= 0 else round(max(0.0, value) / top * width)
    return char * n


def _money(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v:,.{digits}f}"


def capex_text(result: CapexResult) -> str:
    """Year-by-year bars: actuals solid, forecasts shaded with their low-high band, guidance marked."""
    top = max([p.capex_usd_b for p in result.history] + [p.high_usd_b for p in result.forecast] or [1.0])
    lines = [f"{result.series}: capex, US$ billions ({result.method})"]
    for p in result.history:
        lines.append(f"{p.year}  {_bar(p.capex_usd_b, top):<{BAR_WIDTH}}  {p.capex_usd_b:>9,.1f}  actual")
    for f in result.forecast:
        label = "guidance" if f.basis == "guidance" else f"{f.basis} [{f.low_usd_b:,.1f} - {f.high_usd_b:,.1f}]"
        lines.append(f"{f.year}  {_bar(f.capex_usd_b, top, '▒'):<{BAR_WIDTH}}  {f.capex_usd_b:>9,.1f}  {label}")
    if result.forecast:
        lines.append(
            f"cumulative {result.forecast[0].year}-{result.through}: {result.cumulative_usd_b:,.1f} "
            f"(band {result.cumulative_low_usd_b:,.1f} - {result.cumulative_high_usd_b:,.1f})"
        )
    for g in result.guidance:
        lines.append(
            f"guidance {g.year}: {g.capex_usd_b:,.1f}{' (incl. finance leases)' if g.includes_finance_leases else ''}"
        )
    if result.backtest:
        bt = result.backtest
        lines.append(f"backtest from {bt.from_year}: {bt.note}")
        for m in bt.methods:
            errs = ", ".join(f"{e.year} {e.error_fraction:+.1%}" for e in m.errors)
            lines.append(f"  {m.method:<8} MAPE {m.mape:6.1%}   {errs}")
        if bt.best_method:
            lines.append(f"  best: {bt.best_method}")
    return "\n".join(lines)


def _comparison_table(result: TCOResult) -> list[str]:
    """The side-by-side comparison: header, rule and one line per chip."""
    header = f"{'chip':<28}{'capex $':>10}{'kW':>6}{'$/h':>8}{'ref $/h':>9}{'$/used h':>10}{'$/Mtok':>9}{'GB/$1k':>8}{'GB/s/$1k':>10}"
    lines = [header, "-" * len(header)]
    for c in result.comparison:
        lines.append(
            f"{c.chip[:27]:<28}{_money(c.capex_per_accelerator, 0):>10}{c.power_kw:>6.2f}{c.cost_per_accelerator_hour:>8.3f}"
            f"{_money(c.reference_cost_per_hour):>9}{c.cost_per_used_hour:>10.3f}{_money(c.cost_per_million_tokens):>9}"
            f"{_money(c.hbm_gb_per_1k_usd, 1):>8}{_money(c.mem_bw_gbps_per_1k_usd, 0):>10}"
        )
    return lines


def tco_text(result: TCOResult) -> str:
    """The side-by-side comparison table, the cost breakdown per hour, and the sensitivity bars when asked."""
    lines = _comparison_table(result)
    lines.append("")
    lines.append("per installed hour, USD: capital / facility / power / maintenance")
    top = max(c.cost_per_accelerator_hour for c in result.chips)
    for c in result.chips:
        a = c.annual
        if a is None:
            lines.append(
                f"{c.chip[:27]:<28}sourced {c.cost_per_accelerator_hour:.3f} $/h (no all-in price; basis in assumptions)"
            )
            continue
        parts = [a.capital_usd / 8760, a.facility_usd / 8760, a.power_usd / 8760, a.maintenance_usd / 8760]
        bar = "".join(_bar(v, top, ch) for v, ch in zip(parts, "█▓▒░"))
        lines.append(f"{c.chip[:27]:<28}{bar:<{BAR_WIDTH + 2}} " + " / ".join(f"{v:.3f}" for v in parts))
    for c in result.chips:
        if not c.sensitivity:
            continue
        lines.append("")
        lines.append(f"sensitivity of $/used hour for {c.chip} (base {c.cost_per_used_hour:.3f}; input -20% / +20%)")
        width = max(r.swing for r in c.sensitivity) or 1.0
        for r in c.sensitivity:
            lines.append(
                f"  {r.input:<24}{_bar(r.swing, width, '■', 24):<25}{r.cost_at_low:>7.3f} / {r.cost_at_high:<7.3f}"
            )
    return "\n".join(lines)


def throughput_text(result: ThroughputResult) -> str:
    """The batch sweep: tokens/s per accelerator as bars, tokens/s per user beside them."""
    top = max(p.tokens_per_s_per_accelerator for p in result.sweep)
    lines = [f"batch sweep, {result.model} on {result.gpus} x {result.chip}: tokens/s per accelerator | per user"]
    for p in result.sweep:
        mark = "*" if p.batch == result.batch else " "
        lines.append(
            f"{mark}b={p.batch:<5}{_bar(p.tokens_per_s_per_accelerator, top):<{BAR_WIDTH}} "
            f"{p.tokens_per_s_per_accelerator:>9,.1f} | {p.tokens_per_s_per_user:>7,.1f}  {p.bound}"
        )
    return "\n".join(lines)


#: Widest chip name printed (keeps the table within 100 columns).
_CHIP_NAME_WIDTH = 30
#: Columns of the chip table: (catalog field, header, format).
_CHIP_COLUMNS = (
    ("memory_gb", "HBM GB", "{:,.0f}"),
    ("mem_bw_tbps", "TB/s", "{:,.2f}"),
    ("bf16_dense_tflops", "BF16 TF", "{:,.0f}"),
    ("fp8_dense_tflops", "FP8 TF", "{:,.0f}"),
    ("tdp_w", "W", "{:,.0f}"),
    ("est_price_usd", "price $", "{:,.0f}"),
)


def chip_table(result: ChipSpecsResult) -> str:
    """The rows as an aligned table: name, then memory, bandwidth, dense TFLOPS, power, price ('-' when unknown);
    an SRAM-only chip's memory reads '0.23 SRAM'."""
    from tools.chip_specs import sram_only

    cols = list(_CHIP_COLUMNS)  # 6 x 11 columns + the name: 96 columns
    if result.sorted_by and result.sorted_by not in {c[0] for c in cols}:
        cols.insert(0, (result.sorted_by, result.sorted_by, "{:,.4g}"))
    width = min(max([len(r.name) for r in result.rows] + [4]), _CHIP_NAME_WIDTH)
    header = f"{'chip':<{width}}" + "".join(f"  {h:>9}" for _, h, _ in cols)
    lines = [header]
    for row in result.rows:
        cells = []
        for field, _, fmt in cols:
            value = getattr(row, field)
            text = "-" if value is None else fmt.format(value)
            if field == "memory_gb" and sram_only(row):
                text = f"{value:.2f} SRAM"  # no HBM: on-chip SRAM, shown as such rather than "0"
            cells.append(f"  {text:>9}")
        name = row.name if len(row.name) <= width else row.name[: width - 1] + "…"
        lines.append(f"{name:<{width}}" + "".join(cells))
    return "\n".join(lines)
