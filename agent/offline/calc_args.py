"""The arguments a question states for each calculator (catalog names aside), and what a follow-up carries over.

Only what the question states becomes an argument; everything else is the calculator's default.
Token rules (prompt, output, reasoning) are in :func:`token_args`.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.numbers import percent
from agent.offline.parse import Parsed
from agent.offline.plan_types import Plan, tool_default, tool_fields


def token_args(tool: str, p: Parsed, notes: list[str]) -> dict[str, int]:
    """``context`` (kv_cache) or ``prompt``/``output`` from what the question says (module rules)."""
    if p.reasoning is None and p.prompt is None and p.output is None and p.total is None:
        return {}
    fields = tool_fields(tool)
    default_prompt = tool_default("memory_fit", "prompt")
    default_output = tool_default("memory_fit", "output")
    prompt = p.prompt
    if p.total is not None and prompt is None and (p.reasoning is not None or p.output is not None):
        prompt = p.total  # "8k context plus 10k reasoning": the context is the prompt
    elif p.total is not None and prompt is None:
        if "context" in fields:
            return {"context": p.total}
        if "prompt" not in fields:
            return {}
        prompt = min(default_prompt, p.total)
        output = p.total - prompt
        notes.append(
            f"{p.total:,} tokens per request read as prompt + output: the default {prompt:,}-token prompt "
            f"and {output:,} generated tokens (only the total was given)."
        )
        return {"prompt": prompt, "output": output}
    output = p.output
    if _reasoning_is_output(p, prompt):
        output = p.reasoning
        notes.append(
            f"{p.total:,} tokens = {prompt:,} prompt + {p.reasoning:,} reasoning, as you added them: the reasoning is "
            "the whole output (no answer length added)."
        )
    elif p.reasoning is not None:
        answer = p.output if p.output is not None else default_output
        output = p.reasoning + answer
        how = "the stated answer" if p.output is not None else "the default answer length"
        notes.append(
            f"Reasoning tokens are generated, so they count as output: {p.reasoning:,} reasoning + {answer:,} ({how})."
        )
    args: dict[str, int] = {}
    if "prompt" in fields:
        if prompt is None and tool == "kv_cache":
            prompt = default_prompt
            notes.append(f"No prompt length given: the calculators' default prompt of {prompt:,} tokens.")
        if prompt is not None:
            args["prompt"] = prompt
        if output is not None:
            args["output"] = output
    return args


def _reasoning_is_output(p: Parsed, prompt: int | None) -> bool:
    """ "2k prompt + 10k reasoning = 12k tokens": the stated total is the prompt and the reasoning alone, so the
    reasoning is all the request generates (binary k allowed: 12k may be 12,288)."""
    if p.total is None or prompt is None or p.reasoning is None or p.output is not None:
        return False
    return any(abs(prompt + p.reasoning - t) <= 0.005 * t for t in (p.total, p.total * 1.024, p.total / 1.024))


#: Quantities every calculator that takes them takes as the question states them.
_AS_STATED = (
    "mem_eff",
    "compute_eff",
    "electricity",
    "rental_price",
    "capex_per_accelerator",
    "years",
    "cost_of_capital",
    "utilization",
    "pue",
    "power_kw",
    "facility_capex_per_mw",
    "networking_fraction",
    "maintenance",
    "tokens_per_s",
    "colo",
)


def calculator_args(tool: str, p: Parsed, notes: list[str]) -> dict[str, Any]:
    """The arguments the question states for calculator ``tool`` (catalog names excluded)."""
    a: dict[str, Any] = {**_count_args(tool, p), **_format_args(tool, p)}
    if p.batch is not None:
        a["batch"] = p.batch
    a.update(token_args(tool, p, notes))
    if p.roofline:
        a["mem_eff"] = 1.0
        a["compute_eff"] = 1.0
    a.update({name: getattr(p, name) for name in _AS_STATED if getattr(p, name) is not None})
    if tool == "memory_fit":
        a.update(_fit_args(p, notes))
    elif tool == "buildout":
        a.update(_buildout_args(p, notes))
    elif tool == "capex":
        a.update(capex_args(p))
    fields = tool_fields(tool)
    return {k: v for k, v in a.items() if k in fields}


def _count_args(tool: str, p: Parsed) -> dict[str, Any]:
    """A stated count: the accelerators of a fit or a speed; a cost's fleet (and its serving shape, up to one rack)."""
    if p.count is None:
        return {}
    if tool in ("memory_fit", "throughput"):
        return {"gpus": p.count}
    if tool == "tco":
        return {"count": p.count, **({"gpus": p.count} if p.models and p.count <= 72 else {})}
    return {}


def _format_args(tool: str, p: Parsed) -> dict[str, Any]:
    """Number formats: a KV-cache question's one format is the cache's; the others keep weights and cache apart."""
    a: dict[str, Any] = {}
    if tool == "kv_cache":
        if p.kv_dtype or p.weights_dtype:
            a["kv_dtype"] = p.kv_dtype or p.weights_dtype
        if p.tp is not None:
            a["tp"] = p.tp
        return a
    if p.weights_dtype:
        a["weights_dtype"] = p.weights_dtype
    if p.kv_dtype:
        a["kv_dtype"] = p.kv_dtype
    return a


def _fit_args(p: Parsed, notes: list[str]) -> dict[str, Any]:
    """In a fit question, "at 95% utilization" is the share of HBM the server may use (said)."""
    if p.utilization is None or not re.search(
        r"(?:memory|mem|hbm|vram|gpu)[ _]?(?:util|utili[sz]ation)|utili[sz]ation", p.text
    ):
        return {}
    notes.append(
        "In a fit question the utilization is read as the share of accelerator memory the server may use (gpu_mem_util)."
    )
    return {"gpu_mem_util": p.utilization}


def _buildout_args(p: Parsed, notes: list[str]) -> dict[str, Any]:
    """The build-out's size in GW ("300 MW" = 0.3 GW, said)."""
    if p.gw is not None:
        return {"gw": p.gw}
    if p.mw is not None:
        notes.append(f"{p.mw:g} MW = {p.mw / 1000:g} GW.")
        return {"gw": p.mw / 1000}
    return {}


def capex_args(p: Parsed) -> dict[str, Any]:
    """Company list, method and horizon for the capex tool from the question's words."""
    a: dict[str, Any] = {}
    if p.companies:
        a["company"] = list(p.companies)
    text = p.text
    if len(p.growth) == 3 and re.search(r"scenarios|bear|bull|low.{0,20}high", text):
        low, base, high = sorted(p.growth)
        a.update(growth=[base], low=low, high=high, method="scenario")  # "20%, 30%, 40% scenarios": low, base, high
    elif p.growth:
        a["growth"] = list(p.growth)  # one rate, or one per year (the last repeats)
        # "grows 15% a year off the 2026 guidance": the guided years as given, then the rate
        a["method"] = "guidance" if re.search(r"\bguid(?:ance|ed|e)\b", text) else "scenario"
    elif re.search(r"\bguid(?:ance|ed|e|es|ing)\b", text):
        a["method"] = "guidance"
    elif re.search(r"\blinear\b|trend ?line|straight line", text):
        a["method"] = "linear"
    elif re.search(r"\bcagr\b|compound", text):
        a["method"] = "cagr"
    import datetime

    if p.through is not None and p.through >= datetime.date.today().year:
        a["through"] = p.through  # a past year ("FY24") is in the history the default horizon covers
    ai_share = percent(
        [
            r"{N}\s*%\s*(?:of (?:it|capex|that|spend) )?(?:on|for|to|is|goes to) (?:ai|accelerators|gpus)",
            r"ai share\s*(?:of|=|:|at)?\s*{N}\s*%",
        ],
        text,
    )
    if ai_share is not None:
        a["ai_share"] = ai_share
    if re.search(r"back ?test", text) and p.since is not None:
        a["backtest_from"] = p.since
    if re.search(r"incl(?:uding|\.)? (?:finance )?leases|with leases", text):
        a["include_leases"] = True
    return a


def carried_args(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The previous turn's shape (format, GPUs, tokens, batch) for a question about the same model.

    Only when the question names no model of its own ("and how fast is that on H200s?").
    """
    if not ctx or p.models or p.unknown_models:
        return {}
    fields = tool_fields(tool)
    keep = ("gpus", "weights_dtype", "kv_dtype", "batch", "prompt", "output", "context", "mem_eff", "compute_eff", "tp")
    carried = {k: ctx[k] for k in keep if k in ctx and k in fields}
    if "context" in ctx and "context" not in fields and "prompt" in fields:
        carried.update(token_args(tool, Parsed(text="", total=int(ctx["context"])), plan.notes))
    if "kv_dtype" in ctx and "weights_dtype" in fields and "weights_dtype" not in ctx:
        carried.setdefault("weights_dtype", ctx["kv_dtype"])
    if any(k in carried for k in ("prompt", "output", "context")) and any(
        x is not None for x in (p.prompt, p.output, p.total, p.reasoning)
    ):
        for k in ("prompt", "output", "context"):
            carried.pop(k, None)
    if tool == "throughput" and "gpus" not in carried and "gpus" not in ctx and p.count is None and "chip" in ctx:
        carried["gpus"] = tool_default(
            "memory_fit", "gpus"
        )  # the fit before ran on the fit calculator's default server
    if carried:
        plan.notes.append(
            "Carried over from the previous question: " + ", ".join(f"{k}={v}" for k, v in carried.items()) + "."
        )
    return carried


def per_token(p: Parsed, args: dict[str, Any], plan: Plan) -> None:
    """A KV-cache question with no length: sized for a one-token sequence, said."""
    args["context"] = 1
    if re.search(r"per[- ]?token|/\s*token|a token", p.text):
        plan.notes.append("Per token: sized for a one-token sequence.")
    else:
        plan.notes.append(
            "No length given: sized per token (a one-token sequence); say 'at <N>k context' for a whole request."
        )
