"""The cost calculator's section and leads: per hour, per million tokens, power bill and draw, per MW, per
dollar, per year, break-even and capex, in the order the question asks for them."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import Call, Plan
from agent.render.figures import num, pct, usd


def tco_section(r: dict[str, Any]) -> list[str]:
    lines = []
    util = r.get("inputs", {}).get("utilization")
    for c in r.get("chips") or [r]:
        name = c.get("chip") or "the accelerator"
        lines.append(f"**Cost of owning {name}** (fleet of {num(r['count'])}):")
        if c.get("cost_per_accelerator_hour") is not None:
            lines.append(
                f"- per accelerator-hour, every installed hour: **{usd(c['cost_per_accelerator_hour'])}/hour**"
            )
        if c.get("cost_per_used_hour") is not None:
            at = f" at {pct(util)} utilization" if util is not None else ""
            lines.append(f"- per used hour{at}: **{usd(c['cost_per_used_hour'])}/hour**")
        if c.get("cost_per_million_tokens") is not None:
            tps = c.get("tokens_per_s_per_accelerator")
            lines.append(
                f"- per million tokens: **{usd(c['cost_per_million_tokens'])} per million tokens**"
                + (f" at {num(tps)} tokens/s per accelerator" if tps else "")
            )
        lines += _own_inputs_line(c)
        if c.get("cost_basis") == "reference":
            lines.append(
                f"- basis: a sourced cost per accelerator-hour ({c.get('price_basis')}), not a price: no capex behind it"
            )
        elif c.get("fleet_capex_usd") is not None:
            lines.append(
                f"- fleet capex {usd(c['fleet_capex_usd'])}; fleet cost {usd(c['fleet_annual_cost_usd'])} per year"
            )
        if c.get("reference_cost_per_hour") is not None:
            lines.append(f"- outside reference (SemiAnalysis): {usd(c['reference_cost_per_hour'])}/hour")
        if c.get("margin_per_used_hour") is not None:
            lines.append(f"- margin against the rental price: {usd(c['margin_per_used_hour'])}/hour")
        if c.get("break_even_utilization") is not None:
            lines.append(f"- break-even utilization against the rental price: {pct(c['break_even_utilization'])}")
    return lines


def _own_inputs_line(c: dict[str, Any]) -> list[str]:
    """The hand figure: the same cost without the adders the question did not state (the calculator's defaults)."""
    own = c.get("own_inputs_cost_per_accelerator_hour")
    if own is None:
        return []
    left = ", ".join(c.get("own_inputs_left_out") or [])
    mtok = c.get("own_inputs_cost_per_million_tokens")
    return [
        f"- from your inputs alone (straight-line capex plus power; without the calculator's default {left}): "
        f"**{usd(own)}/hour**" + (f", **{usd(mtok)} per million tokens**" if mtok is not None else "")
    ]


def _first(value: Any) -> float:
    """A tco input that may be one value or one per chip (the first chip's)."""
    if isinstance(value, list):
        return float(value[0]) if value else 0.0
    return float(value or 0.0)


def tco_leads(
    plan: Plan, call: Call, r: dict[str, Any], fleet_power: list[dict[str, Any]], fleet_draw: list[dict[str, Any]]
) -> list[str]:
    count = int(r.get("count") or 1)
    inp = r.get("inputs") or {}
    out = []
    for i, c in enumerate(r.get("chips") or [r]):
        name = c.get("chip") or "the accelerator"
        annual = c.get("annual") or {}
        for focus in plan.focus or ["per_hour"]:
            if focus == "per_hour" and c.get("cost_per_accelerator_hour") is not None:
                used = c.get("cost_per_used_hour")
                util = inp.get("utilization")
                out.append(
                    f"**{name}: {usd(c['cost_per_accelerator_hour'])} per accelerator-hour to own**"
                    + (
                        f" ({usd(used)} per used hour at {pct(util)} utilization)"
                        if used is not None and util is not None
                        else ""
                    )
                )
            elif focus == "per_mtok":
                if c.get("cost_per_million_tokens") is not None:
                    illus = (
                        "Illustration: "
                        if call.args.get("model")
                        and "per_mtok" in plan.focus
                        and any(n.startswith("Illustration") for n in plan.notes)
                        else ""
                    )
                    how = (
                        f" at {num(c['tokens_per_s_per_accelerator'])} tokens/s per accelerator"
                        if c.get("tokens_per_s_per_accelerator")
                        else ""
                    )
                    shape = (
                        f" ({inp.get('model')} on {num(inp.get('gpus', 0))} x {name}, batch {num(inp.get('batch', 0))})"
                        if inp.get("model")
                        else ""
                    )
                    out.append(f"**{illus}{name}: {usd(c['cost_per_million_tokens'])} per million tokens**{how}{shape}")
                else:
                    out.append(
                        f"**{name}: no $ per million tokens**: it needs a model or a tokens/s, and none was given."
                    )
            elif focus == "power_year" and annual.get("power_usd") is not None:
                basis = (
                    f"{num(c.get('power_kw', 0))} kW all-in x PUE {num(inp.get('pue', 0))} x 8,760 h "
                    f"at {usd(inp.get('electricity', 0))}/kWh"
                )
                if count > 1 and i < len(fleet_power):
                    out.append(
                        f"**Power bill for the fleet of {num(count)} x {name}: {usd(fleet_power[i]['value'])} per year** "
                        f"({usd(annual['power_usd'])} per accelerator per year; {basis})"
                    )
                else:
                    out.append(f"**Power bill for one {name}: {usd(annual['power_usd'])} per year** ({basis})")
            elif focus == "power_draw" and i < len(fleet_draw):
                out.append(
                    f"**{num(count)} x {name} draw {num(fleet_draw[i]['value'])} MW at the facility** "
                    f"({num(c.get('power_kw', 0))} kW all-in each x PUE {num(inp.get('pue', 0))})"
                )
            elif focus == "per_mw" and c.get("tokens_per_s_per_mw") is not None:
                out.append(
                    f"**{name}: {num(c['tokens_per_s_per_mw'])} tokens/s per MW** of facility power "
                    f"({num(c.get('tokens_per_s_per_accelerator', 0))} tokens/s per accelerator)"
                )
            elif focus == "per_dollar" and c.get("tokens_per_dollar") is not None:
                out.append(
                    f"**{name}: {num(c['tokens_per_dollar'])} tokens per dollar** "
                    f"({usd(c['cost_per_million_tokens'])} per million tokens)"
                )
            elif focus == "per_year" and c.get("fleet_annual_cost_usd") is not None:
                each = f" ({usd(annual['total_usd'])} per accelerator)" if count > 1 and annual.get("total_usd") else ""
                fleet = f"the fleet of {num(count)} x {name}" if count > 1 else f"one {name}"
                out.append(f"**Cost to own {fleet}: {usd(c['fleet_annual_cost_usd'])} per year**{each}")
            elif focus == "break_even" and c.get("break_even_utilization") is not None:
                out.append(
                    f"**{name}: owning breaks even with renting at {pct(c['break_even_utilization'])} utilization** "
                    f"(rental {usd(_first(inp.get('rental_price')))}/hour; margin {usd(c['margin_per_used_hour'])} per used hour "
                    f"at {pct(inp.get('utilization', 0))} utilization)"
                )
            elif focus == "break_even" and c.get("cost_per_used_hour") is not None:
                # with no rental price, the break-even price is what one used hour costs to own
                out.append(
                    f"**{name}: break-even rental price {usd(c['cost_per_used_hour'])} per hour** "
                    f"(the cost to own per used hour at {pct(inp.get('utilization', 0))} utilization; any rental above it is margin; "
                    "give 'renting at $<N>/hr' for the margin)"
                )
            elif focus == "capex" and c.get("fleet_capex_usd") is not None:
                fleet = f"{num(count)} x {name}" if count > 1 else f"one {name}"
                out.append(
                    f"**Capex for {fleet}: {usd(c['fleet_capex_usd'])}** (server, networking and facility share)"
                )
    return out
