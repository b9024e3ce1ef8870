"""The build-out calculator's section and leads."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import PER_MW_GW, Plan
from agent.offline.writers.content import result
from agent.render.figures import num, usd


def buildout_section(data: dict[str, Any]) -> list[str]:
    r = result("buildout", data)
    return [
        f"**Build-out, {num(r.gw)} GW of {r.chip}**:",
        f"- accelerators: **{num(r.accelerators)}** ({num(r.it_power_mw)} MW of IT power at "
        f"{num(r.power_kw_per_accelerator)} kW each)",
        f"- capex: **{usd(r.total_capex_usd)}** ({usd(r.it_capex_usd)} IT at {usd(r.capex_per_accelerator)} per "
        f"accelerator, {usd(r.facility_capex_usd)} facility)",
        f"- power bill: {usd(r.power_cost_per_year_usd)} per year ({num(r.energy_mwh_per_year)} MWh per year)",
    ]


def buildout_leads(plan: Plan, r: dict[str, Any]) -> list[str]:
    head = f"{num(r['gw'])} GW of {r['chip']}"
    out = []
    if "per_mw" in plan.focus and r.get("gw") == PER_MW_GW:  # "capex per MW" with no size: a 1 MW build-out
        out.append(
            f"**Capex per MW of utility power, {r['chip']}: {usd(r['total_capex_usd'])}** ({usd(r['it_capex_usd'])} IT for "
            f"{num(r['accelerators'])} accelerators + {usd(r['facility_capex_usd'])} facility; power bill "
            f"{usd(r['power_cost_per_year_usd'])} per year)"
        )
    for focus in plan.focus or ["capex"]:
        if focus in ("capex", "per_hour", "per_mtok") and not out:
            out.append(f"**{head}: {usd(r['total_capex_usd'])} capex** for {num(r['accelerators'])} accelerators")
        elif focus in ("power_year", "per_year"):
            out.append(f"**{head}: power bill {usd(r['power_cost_per_year_usd'])} per year**")
        elif focus == "count":
            out.append(f"**{head}: {num(r['accelerators'])} accelerators**")
    return list(dict.fromkeys(out))
