"""Leads for the sums a podcast question asks on its own (or a quoted) figure (:mod:`agent.offline.quote_arithmetic`):
each ``calculate`` result with its unit and what it is."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import Call, Plan
from agent.render.figures import num, usd


def written(value: float, unit: str) -> str:
    """A sum's value in its unit: '$2.00 billion', '125x', '64', '8.1e+11 tokens/s', '$1.00 per million tokens', '$0.986 per hour'."""
    if unit == "$":
        return usd(value)
    if unit == "$/M tokens":
        return f"{usd(value)} per million tokens"
    if unit == "$/hour":
        return f"${value:,.3f} per hour"
    if unit == "x":
        return f"{num(value)}x"
    return f"{num(value)} {unit}".strip()


def sum_leads(plan: Plan, ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """'**<what>: <value>** (calculate: <expression>)' for each planned sum that was computed."""
    out = []
    for call, r in ok:
        expression = str(call.args.get("expression", ""))
        if call.name == "calculate" and expression in plan.sums and r.get("value") is not None:
            what, unit = plan.sums[expression]
            out.append(f"**{what}: {written(float(r['value']), unit)}** (calculate: `{expression}`)")
    return out
