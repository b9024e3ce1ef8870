"""Leads for the what-if calculators (serving_cost, growth): their results answer the question directly."""

from __future__ import annotations

from typing import Any

from agent.render.figures import num, pct, usd


def serving_leads(r: dict[str, Any], _unit: str | None = None) -> list[str]:
    """serving_cost: the unit economics asked for, from the result's fields."""
    out = [
        f"**{usd(r['cost_per_million_tokens'])} per million tokens**"
        + (
            f", {usd(r['cost_per_query'])} per query ({usd(r['cost_per_1k_queries'])} per 1,000 queries, "
            f"{num(r['queries_per_hour'])} queries per hour)"
            if r.get("cost_per_query") is not None
            else ""
        )
        + f" at {usd(r['replica_cost_per_hour'])} per replica-hour and {num(r['tokens_per_s_per_replica'])} tokens/s per replica"
    ]
    compared = r.get("compared")
    if isinstance(compared, dict) and compared.get("cost_per_million_tokens") is not None:
        out.append(
            f"**Compared scenario: {usd(compared['cost_per_million_tokens'])} per million tokens**"
            + (f", {usd(compared['cost_per_query'])} per query" if compared.get("cost_per_query") is not None else "")
            + _ratio_text(r.get("ratios"))
        )
    return out


def _ratio_text(ratios: Any) -> str:
    """ "(5.33x the first per million tokens)": the compared scenario's cost over the first's, from the result."""
    if not isinstance(ratios, dict) or not ratios.get("cost_per_million_tokens"):
        return ""
    return f" ({num(ratios['cost_per_million_tokens'])}x the first per million tokens)"


def _amount(value: float, unit: str | None) -> str:
    """A growth value in the unit the question gave its base in (dollars, watts as GW, or plain)."""
    if unit == "usd":
        return usd(value)
    if unit == "W":
        return f"{num(value)} GW" if value < 1e6 else f"{num(value / 1e9)} GW"
    return num(value)


def growth_leads(r: dict[str, Any], unit: str | None = None) -> list[str]:
    """growth: the year a target is reached, the CAGR, the series end and sum, or the multiple."""
    mode = r.get("mode")
    if mode == "until" and r.get("until_year") is not None:
        return [
            f"**Reached in {r['until_year']}: {_amount(r['until_value'], unit)}** ({num(r['multiple'])}x the start)"
        ]
    if mode == "until":
        return [f"**Not reached**: {r.get('until_note')}"]
    if mode == "cagr" and r.get("cagr") is not None:
        return [
            f"**CAGR {pct(r['cagr'])}**"
            + (f"; {r['final_year']}: {_amount(r['final_value'], unit)}" if r.get("final_year") else "")
        ]
    if mode == "multiplier":
        return [
            f"**{num(r['multiple'])}x after the steps: {_amount(r['final_value'], unit)}**; cumulative {_amount(r['cumulative'], unit)}"
        ]
    year = f"{r['final_year']}: " if r.get("final_year") else ""
    return [
        f"**{year}{_amount(r['final_value'], unit)}**; cumulative {_amount(r['cumulative'], unit)} ({num(r['multiple'])}x the start)"
    ]


#: Leads for the what-if calculators (their results answer the question directly).
WHATIF_LEADS = {"serving_cost": serving_leads, "growth": growth_leads}
