"""The calls for one calculator intent: catalog names, the stated arguments, the defaults said."""

from __future__ import annotations

from typing import Any

from agent.offline.calc_args import calculator_args, carried_args, per_token, token_args
from agent.offline.names import catalog_names, chip_arg
from agent.offline.parse import Parsed
from agent.offline.plan_types import DEFAULT_CHIP, TOKEN_ARGS, Call, Plan, tool_default, tool_fields
from agent.offline.planners.capex import capex_reply
from agent.offline.planners.cost import cost_chips, per_mw_size, tco_call

#: Calculators that need a model, and those that also need an accelerator.
_MODEL_TOOLS = ("kv_cache", "memory_fit", "throughput")
_CHIP_TOOLS = ("memory_fit", "throughput")


def calculator_calls(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan, *, only_if_named: bool) -> str | None:
    """Append the calls for one calculator intent; return a reply when a needed name is missing."""
    if only_if_named and tool in _MODEL_TOOLS and not p.models:
        return None  # "what did he say about fitting users": the transcript, not a calculator
    named = _catalog_names_for(tool, p, ctx, plan)
    if isinstance(named, str):
        return named
    model_names, chip_names = named
    args = {**carried_args(tool, p, ctx, plan), **calculator_args(tool, p, plan.notes)}
    if tool == "kv_cache" and not any(k in args for k in TOKEN_ARGS):
        per_token(p, args, plan)
    if tool in ("tco", "buildout"):
        chips = cost_chips(tool, p, args, chip_names, plan)
        if not isinstance(chips, list):
            return chips
        chip_names = chips
    if tool == "buildout" and "gw" not in args and "per_mw" in plan.focus:
        per_mw_size(args, plan)
    if tool == "tco":
        plan.calls.append(tco_call(args, model_names, chip_names, plan))
        return None
    if tool == "capex" and (reply := capex_reply(p, args, chip_names, plan)):
        return reply
    if tool == "memory_fit" and p.batch is not None and model_names:
        _kv_beside_fit(p, model_names[0], plan)
    _append_calls(tool, p, args, model_names, chip_names, plan)
    return None


def _catalog_names_for(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan) -> tuple[list[str], list[str]] | str:
    """The models and chips one calculator is run for (the question's, else the previous turn's), or a reply
    asking for a name the calculator needs. "How many H100s do I need" with no chip: :data:`DEFAULT_CHIP`, said."""
    fields = tool_fields(tool)
    needs_model = tool in _MODEL_TOOLS
    model_names, reply = catalog_names(p, "model", ctx.get("model") if needs_model or "model" in fields else None, plan)
    if reply:
        return reply
    chip_names, reply = catalog_names(p, "chip", ctx.get("chip") if "chip" in fields else None, plan)
    if reply:
        return reply
    if needs_model and not model_names:
        return missing_reply("model", tool, p)
    if tool == "memory_fit" and not chip_names and "min_accelerators" in plan.focus and not p.unknown_chips:
        chip_names = [DEFAULT_CHIP]
        plan.notes.insert(
            0, f"No chip named: assumed {DEFAULT_CHIP} (the catalog's priced NVIDIA chip); name one to change it."
        )
    if tool in _CHIP_TOOLS and not chip_names:
        return missing_reply("chip", tool, p)
    return model_names, chip_names


def _kv_beside_fit(p: Parsed, model: str, plan: Plan) -> None:
    """ "HBM for 100 concurrent users": the fit, plus the KV cache of exactly that many requests."""
    kv = {"model": model, "batch": p.batch, **token_args("kv_cache", p, [])}
    if p.kv_dtype or p.weights_dtype:
        kv["kv_dtype"] = p.kv_dtype or p.weights_dtype
    if "context" in kv or "prompt" in kv:
        plan.calls.append(Call("kv_cache", kv))


def _append_calls(
    tool: str, p: Parsed, args: dict[str, Any], model_names: list[str], chip_names: list[str], plan: Plan
) -> None:
    """One call per model and chip; a speed gets the fit of its deployment beside it (:func:`fit_beside_speed`)."""
    fields = tool_fields(tool)
    checked = tool == "throughput" and not (p.unknown_models or p.unknown_chips)
    for model in model_names or [None]:
        for chip in chip_names or [None]:
            names = {}
            if model and "model" in fields:
                names["model"] = model
            if chip and "chip" in fields:
                names["chip"] = chip_arg(chip)
            plan.calls.append(Call(tool, {**names, **args}))
            if checked and model and chip and ("gpus" not in args or "time_for_tokens" in plan.focus):
                plan.calls.append(Call("memory_fit", fit_beside_speed(names, args)))
    if checked and "gpus" not in args and model_names and chip_names:
        plan.notes.append(
            "No accelerator count given: the speed is for the throughput calculator's default of one accelerator, "
            "so the fit on that one is checked too (ask 'on 8x ...' for a server)."
        )


def fit_beside_speed(names: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """The fit check for a speed question with no accelerator count: same shape, the speed's one accelerator."""
    shape = {k: v for k, v in args.items() if k in ("weights_dtype", "kv_dtype", "prompt", "output")}
    return {**names, "gpus": args.get("gpus", tool_default("throughput", "gpus")), **shape}


def missing_reply(kind: str, tool: str, p: Parsed) -> str:
    example = {
        "kv_cache": "'KV cache for Llama-3.1-70B at fp8, context <N>k, batch <B>'",
        "memory_fit": "'how many requests of <N>k tokens fit for Llama-3.1-405B fp8 on <G>x H100?'",
        "throughput": "'tokens/s for Llama-3.1-70B on <G>x H100 at batch <B>'",
    }[tool]
    what = "which model" if kind == "model" else "which accelerator"
    named = [m.text for m in (p.chips if kind == "model" else p.models)]
    got = f" I read {', '.join(named)}, but not {what}." if named else ""
    return f"I can't tell {what} you mean, and I won't guess.{got} Ask with a catalog name, e.g. {example}."
