"""Arithmetic the analyst spells out and no calculator takes as written, planned as ``calculate`` calls.

Ratios of two chips' catalog specs or two models' KV per token (:mod:`agent.offline.spec_compare`). Three
readings (each module states its formula): a compute-bound prefill of a catalog model
(:mod:`agent.offline.catalog_roofline`); a bandwidth-bound decode with its weight bytes, KV bytes,
bandwidth and efficiency (:mod:`agent.offline.decode_bound`), which replaces the throughput calculator's own
reading of the same question; and a bill for stated tokens at a stated price per million tokens
(:mod:`agent.offline.token_bill`), used when the intent reading leaves a stated quantity unused or has no
calculator call. A podcast search planned beside either is kept: the passage and the computation are both answered.
"""

from __future__ import annotations

import re

from agent.offline.catalog_roofline import prefill_bound_calls
from agent.offline.decode_bound import decode_bound_calls
from agent.offline.plan_types import Call, Plan
from agent.offline.planners.checks import unaccounted
from agent.offline.spec_compare import chip_ratio_calls, kv_ratio_call
from agent.offline.token_bill import token_bill_calls

_QUOTES = ("search_knowledge", "check_claim")
#: A second part that asks for a fit ("and how many H200s just to hold the weights", "fp8 weight footprint?"):
#: its calls stay.
_FIT = re.compile(r"\bfit\b|\bto hold\b|\bhold (?:the|its)\b|footprint", re.I)


def spelled_out(question: str, plan: Plan, routed: bool) -> Plan:
    """``plan``, or the ``calculate`` plan of a roofline or a token bill the question spells out (module docstring)."""
    from agent.input_accounting import stated_quantities

    qs = stated_quantities(question)
    specs = None if qs else chip_ratio_calls(question, Call)  # a stated figure makes it another question
    if specs is not None:
        said = [c for c in plan.calls if c.name in _QUOTES and c.args.get("source") != "specs"]  # rows: chip_specs
        return _with(question, plan, said, *specs)
    kv_ratio = kv_ratio_call(question, plan.calls, Call)
    if kv_ratio is not None:
        plan.calls.append(kv_ratio[0])
        plan.labels.update(kv_ratio[1])
    roof = prefill_bound_calls(question, qs, Call) or decode_bound_calls(question, qs, Call)
    if roof is not None:
        fit = bool(_FIT.search(question))
        keep = [c for c in plan.calls if c.name in _QUOTES or (fit and c.name == "memory_fit")]
        if fit and not any(c.name == "memory_fit" for c in keep):
            keep += _fit_of_speed(plan)
        return _with(question, plan, keep, *roof)
    if routed or plan.spec is not None:
        return plan
    bill = token_bill_calls(question, Call)
    quotes_only = all(c.name in _QUOTES for c in plan.calls)  # numbers in a search query are not computed with
    if bill is not None and (plan.reply is not None or quotes_only or unaccounted(question, plan)):
        return _with(question, plan, [c for c in plan.calls if c.name in _QUOTES], *bill)
    return plan


def _fit_of_speed(plan: Plan) -> list[Call]:
    """The memory fit of the deployment the intent reading's throughput call names ("deepseek v3 on 8xH200: fp8
    weight footprint? and the bs1 decode ceiling"): the footprint part is answered beside the roofline."""
    from agent.offline.plan_types import tool_fields

    fields = tool_fields("memory_fit")
    return [
        Call("memory_fit", {k: v for k, v in c.args.items() if k in fields})
        for c in plan.calls
        if c.name == "throughput"
    ][:1]


def _with(
    question: str, plan: Plan, keep: list[Call], calls: list[Call], labels: dict[str, tuple[str, str, str]], note: str
) -> Plan:
    out = Plan(calls=keep + calls, focus=plan.focus, notes=[note])  # the intent reading's notes went with its calls
    out.labels.update(plan.labels)
    out.labels.update(labels)
    unused = unaccounted(question, out)  # the planner's check skips calculate-only plans: checked here
    if unused:
        it = "it" if len(unused) == 1 else "them"
        return Plan(
            reply=f"I could not use {'; '.join(unused)} from the question: the arithmetic I would do ({note.rstrip('.')}) "
            f"does not take {it}, and an answer without {it} would answer a different question, so I give no figure. "
            "Ask each part on its own, naming what each number is."
        )
    return out
