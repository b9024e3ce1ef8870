"""Memo-quality charts of calculator results: data in, PNG bytes out (no files, no global state).

Each function takes a result model and returns PNG bytes, so the CLI (``--chart PATH.png``),
the Slack bot (file upload) and the agent can all use them. matplotlib is imported inside the
functions and driven through its object API with the Agg canvas (no pyplot state, no display).
Every chart has a title, labelled axes with units and a source line.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.capex import CapexResult
    from tools.tco import SensitivityRow, TCOResult
    from tools.throughput import ThroughputResult

_DPI = 150
_COLOURS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6", "#bf9000")


def _figure(width: float = 8.0, height: float = 4.8) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=_DPI, layout="constrained")


def _finish(fig: Any, source: str) -> bytes:
    """Add the source line under the plot and render to PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.get_layout_engine().set(rect=(0, 0.06, 1, 0.94))
    fig.text(0.01, 0.01, "\n".join(textwrap.wrap(source, 150)), fontsize=6.5, color="#555555", va="bottom", ha="left")
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI)
    return buf.getvalue()


def _gapped(points: list[tuple[int, float]]) -> tuple[list[int], list[float]]:
    """Years and values with a NaN inserted wherever years are missing, so lines break at gaps."""
    xs: list[int] = []
    ys: list[float] = []
    for year, value in points:
        if xs and year > xs[-1] + 1:
            xs.append(xs[-1] + 1)
            ys.append(float("nan"))
        xs.append(year)
        ys.append(value)
    return xs, ys


def _style(ax: Any) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def capex_chart(result: CapexResult) -> bytes:
    """History (solid), forecast (dashed) with its low-high band, guidance marked, per company when several."""
    fig = _figure()
    ax = fig.add_subplot()
    _style(ax)
    for i, company in enumerate(result.companies):
        colour = _COLOURS[(i + 1) % len(_COLOURS)]
        hx = [p.year for p in company.history]
        ax.plot(
            *_gapped([(p.year, p.capex_usd_b) for p in company.history]),
            color=colour,
            linewidth=1,
            alpha=0.8,
            label=company.company,
        )
        if company.forecast:
            fx = [hx[-1]] + [p.year for p in company.forecast]
            fy = [company.history[-1].capex_usd_b] + [p.capex_usd_b for p in company.forecast]
            ax.plot(fx, fy, color=colour, linewidth=1, linestyle="--", alpha=0.8)
        for g in company.guidance:
            ax.scatter(
                [g.year], [g.capex_usd_b], marker="D", s=22, color=colour, edgecolor="black", linewidth=0.5, zorder=4
            )
    main = _COLOURS[0]
    hx = [p.year for p in result.history]
    hy = [p.capex_usd_b for p in result.history]
    ax.plot(
        *_gapped(list(zip(hx, hy))),
        color=main,
        linewidth=2.2,
        marker="o",
        markersize=3.5,
        label=f"{result.series} (actual)",
    )
    if result.forecast:
        fx = [hx[-1]] + [p.year for p in result.forecast]
        ax.plot(
            fx,
            [hy[-1]] + [p.capex_usd_b for p in result.forecast],
            color=main,
            linewidth=2.2,
            linestyle="--",
            marker="o",
            markersize=3.5,
            label=f"forecast ({result.method})",
        )
        ax.fill_between(
            fx,
            [hy[-1]] + [p.low_usd_b for p in result.forecast],
            [hy[-1]] + [p.high_usd_b for p in result.forecast],
            color=main,
            alpha=0.15,
            label="low-high band",
        )
        for p in result.forecast:
            if p.basis == "guidance":
                ax.annotate("guidance", (p.year, p.capex_usd_b), textcoords="offset points", xytext=(4, 6), fontsize=7)
    if result.guidance:
        ax.scatter(
            [g.year for g in result.guidance],
            [g.capex_usd_b for g in result.guidance],
            marker="D",
            s=36,
            color="white",
            edgecolor=main,
            linewidth=1.5,
            zorder=5,
            label="company guidance",
        )
    elif any(c.guidance for c in result.companies):
        ax.scatter([], [], marker="D", s=22, color="grey", edgecolor="black", linewidth=0.5, label="company guidance")
    if result.forecast:
        ax.axvline(result.last_history_year + 0.5, color="#999999", linewidth=0.8, linestyle=":")
    ax.set_title(
        f"Capital expenditure: {result.series}, {hx[0]}-{result.through}\n"
        f"forecast {result.forecast[0].year if result.forecast else '-'}-{result.through}: "
        f"{result.cumulative_usd_b:,.0f} US$ bn cumulative (band {result.cumulative_low_usd_b:,.0f}-{result.cumulative_high_usd_b:,.0f})",
        fontsize=10,
        loc="left",
    )
    ax.set_xlabel("Fiscal year")
    ax.set_ylabel("Capex, US$ billions (nominal)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    source = (
        "Source: company 10-K cash-flow statements and earnings releases as collected in knowledge/data/capex.csv "
        "(see its source column); forecast and band computed by siliconomics capex."
        if result.sources != ["user-supplied history"]
        else "Source: user-supplied history; forecast and band computed by siliconomics capex."
    )
    return _finish(fig, source)


def _tornado(ax: Any, rows: list[SensitivityRow], base: float, step_label: tuple[str, str]) -> None:
    rows = list(reversed(rows))
    labels = [r.input.replace("_", " ") for r in rows]
    y = range(len(rows))
    ax.barh(
        y,
        [r.cost_at_low - base for r in rows],
        left=base,
        color=_COLOURS[0],
        alpha=0.85,
        label=f"input {step_label[0]}",
    )
    ax.barh(
        y,
        [r.cost_at_high - base for r in rows],
        left=base,
        color=_COLOURS[1],
        alpha=0.85,
        label=f"input {step_label[1]}",
    )
    ax.axvline(base, color="black", linewidth=0.8)
    ax.set_yticks(list(y), labels, fontsize=7)
    ax.set_xlabel("Cost per used accelerator-hour, USD")
    ax.legend(fontsize=7, frameon=False, loc="lower right")


def tornado_chart(rows: list[SensitivityRow], base: float, title: str) -> bytes:
    """A tornado of cost per used hour with each input at -20 % and +20 %."""
    fig = _figure(7.5, 4.5)
    ax = fig.add_subplot()
    _style(ax)
    _tornado(ax, rows, base, ("-20 %", "+20 %"))
    ax.set_title(title, fontsize=10, loc="left")
    return _finish(
        fig, "Source: siliconomics tco sensitivity (each input moved alone; PUE kept >= 1, utilization <= 1)."
    )


def tco_chart(result: TCOResult) -> bytes:
    """Stacked cost per accelerator-hour by component for each chip (reference marked); tornado beside it when asked."""
    chips = result.chips
    with_tornado = bool(chips[0].sensitivity)
    fig = _figure(11.5 if with_tornado else 8.0, 4.8)
    axes = fig.subplots(1, 2, width_ratios=(1, 1.1)) if with_tornado else [fig.add_subplot()]
    ax = axes[0]
    _style(ax)
    parts = (
        ("capital", "capital_usd"),
        ("facility", "facility_usd"),
        ("power", "power_usd"),
        ("maintenance", "maintenance_usd"),
    )
    x = list(range(len(chips)))
    bottom = [0.0] * len(chips)
    for i, (label, attr) in enumerate(parts):
        values = [getattr(c.annual, attr) / 8760 if c.annual else 0.0 for c in chips]
        ax.bar(x, values, bottom=bottom, color=_COLOURS[i], width=0.6, label=label)
        bottom = [b + v for b, v in zip(bottom, values)]
    sourced = [c.cost_per_accelerator_hour if c.annual is None else 0.0 for c in chips]
    if any(sourced):
        ax.bar(x, sourced, bottom=bottom, color="#bbbbbb", hatch="//", width=0.6, label="sourced $/h (no all-in price)")
    refs = [(i, c.reference_cost_per_hour) for i, c in enumerate(chips) if c.reference_cost_per_hour]
    if refs:
        ax.scatter(
            [i for i, _ in refs],
            [v for _, v in refs],
            marker="_",
            s=900,
            color="black",
            linewidth=2,
            zorder=5,
            label="SemiAnalysis hyperscaler-owned",
        )
    for i, c in enumerate(chips):
        ax.annotate(
            f"${c.cost_per_accelerator_hour:.2f}",
            (i, c.cost_per_accelerator_hour),
            textcoords="offset points",
            xytext=(0, 3),
            ha="center",
            fontsize=7,
        )
    ax.set_xticks(x, [textwrap.shorten(c.chip, 22, placeholder="...") for c in chips], fontsize=7)
    ax.set_ylabel("USD per installed accelerator-hour")
    ax.set_title("Cost of owning one accelerator, per installed hour", fontsize=10, loc="left")
    ax.legend(fontsize=7, frameon=False, markerscale=0.4)
    if with_tornado:
        _style(axes[1])
        _tornado(axes[1], chips[0].sensitivity, chips[0].cost_per_used_hour, ("-20 %", "+20 %"))
        axes[1].set_title(
            f"What moves the cost per used hour: {textwrap.shorten(chips[0].chip, 28, placeholder='...')}",
            fontsize=10,
            loc="left",
        )
    return _finish(
        fig,
        "Source: siliconomics tco (annuity of capex, facility, power, maintenance; defaults and their sources in the "
        "result's assumptions); reference: SemiAnalysis InferenceX GPU_SPECS via knowledge/data/reference_cost_per_gpu_hour.csv.",
    )


def throughput_chart(result: ThroughputResult) -> bytes:
    """Batch sweep: tokens/s per accelerator against tokens/s per user, each point labelled with its batch."""
    fig = _figure()
    ax = fig.add_subplot()
    _style(ax)
    xs = [p.tokens_per_s_per_user for p in result.sweep]
    ys = [p.tokens_per_s_per_accelerator for p in result.sweep]
    ax.plot(xs, ys, color=_COLOURS[0], marker="o", markersize=4, linewidth=1.8)
    for p in result.sweep:
        colour = _COLOURS[1] if p.bound == "compute" else _COLOURS[0]
        ax.annotate(
            f"b={p.batch}",
            (p.tokens_per_s_per_user, p.tokens_per_s_per_accelerator),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize=6.5,
            color=colour,
        )
    ax.set_xlabel("Tokens/s per user (interactivity)")
    ax.set_ylabel("Tokens/s per accelerator (throughput)")
    ax.set_title(
        f"Decode throughput vs interactivity: {result.model} on {result.gpus} x {result.chip}", fontsize=10, loc="left"
    )
    return _finish(
        fig,
        "Source: siliconomics throughput roofline (datasheet bandwidth and FLOPS from knowledge/data/accelerators.csv, "
        f"{result.inputs.get('mem_eff')} of bandwidth, {result.inputs.get('compute_eff')} of peak; labels in orange are compute-bound).",
    )
