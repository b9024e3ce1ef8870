"""Checks on a finished plan: a speed waits for the fit of its deployment, and a plan that leaves a stated
quantity unused is not run (it would answer a different question)."""

from __future__ import annotations

from typing import Any

from agent.offline.plan_types import CALCULATORS, Call, Plan, tool_default, tool_fields
from agent.offline.restatements import check as restated
from tools.errors import InputError

#: The deployment a speed and a fit describe: the same arguments mean the same servers and requests.
DEPLOYMENT = ("model", "chip", "gpus", "weights_dtype", "kv_dtype", "prompt", "output", "batch")


def fit_for_speed(args: dict[str, Any]) -> dict[str, Any]:
    """The memory_fit arguments for the deployment a throughput call describes (its default accelerator count)."""
    fit = {k: args[k] for k in DEPLOYMENT if k in args}
    fit.setdefault("gpus", tool_default("throughput", "gpus"))
    return fit


def speed_behind_fit(plan: Plan) -> Plan:
    """A decode speed is only given for a deployment that fits: each throughput call waits for the fit of
    its deployment (planned beside it), and is made by the next round only when the fit holds
    (:func:`agent.offline.rounds.more_calls`)."""
    if "ceiling" in plan.focus:
        return plan  # a bandwidth ceiling is a bound whether or not the deployment fits (its fit is said beside it)
    calls: list[Call] = []
    for call in plan.calls:
        calls.append(call)
        if call.name != "throughput" or not (call.args.get("model") and call.args.get("chip")):
            continue
        fit = fit_for_speed(call.args)
        if not any(c.name == "memory_fit" and fit_for_speed(c.args) == fit for c in plan.calls + calls):
            calls.append(Call("memory_fit", fit))
            plan.guards.append(calls[-1])
        plan.pending.append(call)
    plan.calls = calls
    return plan


def unaccounted(question: str, plan: Plan) -> list[str]:
    from agent.input_accounting import unused_inputs
    from agent.offline.capex_guided import stated_guidance

    readings = {
        "year": plan.year,
        "years": plan.compare_years,
        "sum_years": plan.sum_years,
        "extend": plan.extend_year,
        "volume": plan.volume,
        "quarters": [n for y, q in plan.quarters or () for n in (y, y % 100, q)],  # "Q4'25", "2Q FY2026"
        "quarter_sum": [n for y, q in plan.quarter_sum for n in (y, y % 100, q, len(plan.quarter_sum))],
        "guidance_usd_b": stated_guidance(question, plan.calls),  # "vs their $50B guide": the table's guidance
    }  # used by the answer writer
    return unused_inputs(question, [*plan.calls, readings], " ".join(plan.notes), _dry_run(plan.calls))


def accounted(question: str, plan: Plan) -> Plan:
    if not any(c.name in CALCULATORS for c in plan.calls):
        return plan
    unused = unaccounted(question, plan)
    if unused and restated(question, plan, unused):  # "deepseek-r1 at fp8 (671 GB)": checked against the catalog
        unused = unaccounted(question, plan)
    if not unused:
        return plan
    tools = list(dict.fromkeys(c.name for c in plan.calls if c.name in CALCULATORS))
    takes = "; ".join(f"{t} takes {', '.join(sorted(tool_fields(t)))}" for t in tools)
    plan.reply = (
        f"I could not use {'; '.join(unused)} from the question: none of the calculations I would run ({', '.join(tools)}) "
        f"takes {'it' if len(unused) == 1 else 'them'} as written, and an answer without {'it' if len(unused) == 1 else 'them'} "
        f"would answer a different question, so I give no figure. Ask again naming what each number is ({takes})."
    )
    plan.calls = []
    return plan


def _dry_run(calls: list[Call]) -> list[Any]:
    """The calculators' results for ``calls`` (pure and fast), to see which stated figures they agree with."""
    from tools.registry import get

    out = []
    for call in calls:
        if call.name not in CALCULATORS:
            continue
        try:
            out.append(get(call.name).run(call.args).model_dump())
        except (InputError, ValueError):
            continue
    return out
