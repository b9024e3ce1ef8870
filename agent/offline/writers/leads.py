"""What was asked, first: one bold line per quantity the question asked for, from the results, gathered from
each tool's writer."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import Call, Plan
from agent.offline.writers.buildout import buildout_leads
from agent.offline.writers.capex import (
    capex_latest_leads,
    capex_pair_leads,
    capex_year_leads,
    lease_gap_leads,
    quarter_leads,
)
from agent.offline.writers.content import load
from agent.offline.writers.kv_cache import kv_lead
from agent.offline.writers.memory_fit import fit_lead, fp8_fit_leads, kv_tokens_leads, min_leads
from agent.offline.writers.quote_sums import sum_leads
from agent.offline.writers.tco import tco_leads
from agent.offline.writers.throughput import latency_leads, speed_lead
from agent.offline.writers.whatif import WHATIF_LEADS
from agent.render.figures import num, pct, usd

#: Leads for each part of a several-part question, in the order of the calls.
PART_LEADS = {"throughput": speed_lead, "kv_cache": kv_lead, "memory_fit": fit_lead}


def leads(plan: Plan, calls: list[tuple[Call, Any]]) -> list[str]:
    """One bold line per quantity the question asked for, from the results (empty when none apply)."""
    results = [(c, load(content)) for c, content in calls]
    ok = [(c, r) for c, r in results if isinstance(r, dict) and "error" not in r]
    out: list[str] = []
    # second-round products (agent.offline.rounds): the power draw ends in "/ 1000" (kW -> MW), the bill does not
    fleet_power = [
        r
        for c, r in ok
        if c.name == "calculate"
        and not str(c.args.get("expression", "")).endswith("/ 1000")
        and not str(c.args.get("expression", "")).startswith(f"{plan.volume} / ")
    ]
    fleet_draw = [r for c, r in ok if c.name == "calculate" and str(c.args.get("expression", "")).endswith("/ 1000")]
    several = len({c.name for c, _ in results if c.name != "calculate"}) > 1  # a several-part question
    # the fp8 rerun of a fit that failed in the default format is led by fp8_fit_leads ("Does not fit in bf16; at fp8 ...")
    reruns = [
        c
        for c, _ in results
        if c.name == "memory_fit"
        and c.args.get("weights_dtype") == "fp8"
        and any(
            b.name == "memory_fit" and {**b.args, "weights_dtype": "fp8"} == c.args and "weights_dtype" not in b.args
            for b, _ in results
        )
    ]
    for call, r in ok:
        if several and call.name in PART_LEADS and not any(call is c for c in reruns):
            out += PART_LEADS[call.name](r)
        if call.name in WHATIF_LEADS:
            out += WHATIF_LEADS[call.name](r, plan.value_unit)
        if call.name == "tco":
            out += tco_leads(plan, call, r, fleet_power, fleet_draw)
        elif call.name == "buildout":
            out += buildout_leads(plan, r)
        if call.name == "capex":
            out += capex_pair_leads(plan, r, ok)
        if call.name == "capex" and plan.year is not None:
            out += capex_year_leads(plan, r)
        elif call.name == "capex" and r.get("cumulative_accelerators") is None:
            out += capex_latest_leads(r)
        if call.name == "capex" and r.get("cumulative_accelerators") is not None:
            years = [f["year"] for f in r.get("forecast") or []]
            out.append(
                f"**Implied accelerators {min(years)} to {max(years)}: {num(r['cumulative_accelerators'])}**"
                + (f" ({num(r['cumulative_gw'])} GW)" if r.get("cumulative_gw") is not None else "")
                + f", at {pct((r.get('inputs') or {}).get('ai_share', 0))} of capex on AI accelerators"
            )
    if "time_for_tokens" in plan.focus and plan.volume:
        times = [
            (c, r)
            for c, r in ok
            if c.name == "calculate" and str(c.args.get("expression", "")).startswith(f"{plan.volume} / ")
        ]
        speeds = [r for c, r in ok if c.name == "throughput" and r.get("decode_tokens_per_s")]
        if times and speeds:
            expr = str(times[0][0].args["expression"])
            unit = "hours" if expr.endswith("/ 3600") else "minutes" if expr.endswith("/ 60") else "seconds"
            best = max(speeds, key=lambda s: s["decode_tokens_per_s"])
            out.insert(
                0,
                f"**{num(plan.volume)} tokens take {num(times[0][1]['value'])} {unit}** at {num(best['decode_tokens_per_s'])} "
                f"tokens/s ({best['model']} on {num(best['gpus'])} x {best['chip']}, batch {num(best['batch'])})",
            )
    out = quarter_leads(plan, ok) + lease_gap_leads(plan, ok) + latency_leads(plan, ok) + out
    for call, r in ok:  # figures the plan computed directly (a power draw or bill with no catalog price)
        label = plan.labels.get(str(call.args.get("expression", "")))
        if call.name == "calculate" and label and r.get("value") is not None:
            what, unit, basis = label
            value = usd(r["value"]) + unit[1:] if unit.startswith("$") else f"{num(r['value'])} {unit}"
            out.append(f"**{what}: {value}** ({basis})")
    out += sum_leads(plan, ok)
    out += fp8_fit_leads(ok)
    if "min_accelerators" in plan.focus:
        out += min_leads(ok)
    return kv_tokens_leads(plan.focus, ok) + out
