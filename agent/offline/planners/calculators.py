"""The calls for one calculator intent: catalog names, the stated arguments, the defaults said."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.calc_args import calculator_args, carried_args, per_token, token_args
from agent.offline.names import catalog_names, catalog_price, chip_arg, short_chip
from agent.offline.parse import Parsed
from agent.offline.plan_types import DEFAULT_CHIP, PER_MW_GW, TOKEN_ARGS, Call, Plan, tool_default, tool_fields
from agent.offline.planners.capex import capex_notes
from agent.offline.planners.cost import default_chip, illustrate, power_calls, power_only, unpriced_reply
from tools.catalog import find_accelerator


def calculator_calls(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan, *, only_if_named: bool) -> str | None:  # noqa: C901 - over budget, to be split
    """Append the calls for one calculator intent; return a reply when a needed name is missing."""
    fields = tool_fields(tool)
    needs_model = tool in ("kv_cache", "memory_fit", "throughput")
    needs_chip = tool in ("memory_fit", "throughput")
    if only_if_named and needs_model and not p.models:
        return None  # "what did he say about fitting users": the transcript, not a calculator
    model_names, reply = catalog_names(p, "model", ctx.get("model") if needs_model or "model" in fields else None, plan)
    if reply:
        return reply
    chip_names, reply = catalog_names(p, "chip", ctx.get("chip") if "chip" in fields else None, plan)
    if reply:
        return reply
    if needs_model and not model_names:
        return missing_reply("model", tool, p)
    if (
        needs_chip
        and not chip_names
        and tool == "memory_fit"
        and "min_accelerators" in plan.focus
        and not p.unknown_chips
    ):
        chip_names = [DEFAULT_CHIP]
        plan.notes.insert(
            0, f"No chip named: assumed {DEFAULT_CHIP} (the catalog's priced NVIDIA chip); name one to change it."
        )
    if needs_chip and not chip_names:
        return missing_reply("chip", tool, p)
    args = {**carried_args(tool, p, ctx, plan), **calculator_args(tool, p, plan.notes)}
    if tool == "kv_cache" and not any(k in args for k in TOKEN_ARGS):
        per_token(p, args, plan)
    if tool in ("tco", "buildout") and not chip_names and not p.unknown_chips:
        chip_names, reply = default_chip(tool, p, args, plan)
        if reply:
            return reply
    if tool in ("tco", "buildout") and chip_names and "capex_per_accelerator" not in args:
        unpriced = [c for c in chip_names if catalog_price(c) is None]
        if unpriced and tool == "tco" and power_only(plan.focus):
            # "power draw of 1,024 b200s": the power needs the all-in kW, not a price
            powered = [c for c in unpriced if power_calls(c, p, args, plan)]
            unpriced = [c for c in unpriced if c not in powered]
            chip_names = [c for c in chip_names if c not in powered]
            if not chip_names:
                return None if powered and not unpriced else unpriced_reply(unpriced)
        if unpriced:
            chip_names = [c for c in chip_names if c not in unpriced]
            # short aliases: a reply with no tool result must hold no figure, and "141GB" in a name reads as one
            missing = unpriced_reply(unpriced)
            if not chip_names:
                return missing
            plan.notes.insert(0, "Left out: " + missing)
    if tool == "buildout" and "gw" not in args and "per_mw" in plan.focus:
        args["gw"] = PER_MW_GW
        plan.notes.insert(
            0,
            "No size given: priced as a 1 MW build-out (gw=0.001), so the figures are per MW of utility power "
            "(grid power into the site, before PUE); give a size in MW or GW for a whole site.",
        )
    if tool == "tco":
        names: dict[str, Any] = {"chip": [chip_arg(c) for c in chip_names]} if chip_names else {}
        if model_names:
            names["model"] = model_names[0]
        elif "per_mtok" in plan.focus and "tokens_per_s" not in args:
            illustrate(names, args, plan)
        plan.calls.append(Call(tool, {**names, **args}))
        return None
    if tool == "capex" and not args.get("company") and not re.search(r"hyperscal|big tech|\ball\b", p.text):
        return (
            "I can't tell which company's capex you mean. The capex table covers Microsoft, Alphabet, Amazon, "
            "Meta and Oracle; ask e.g. 'Meta capex history' or 'Microsoft capex forecast at <R>%/yr'."
        )
    if tool == "capex":
        capex_notes(p, args, plan)
        if "ai_share" in args and "capex_per_accelerator" not in args:
            chip = chip_names[0] if chip_names else DEFAULT_CHIP
            price = catalog_price(chip)
            if price is None:
                return (
                    f"The catalog has no price for {short_chip(chip)}, and I won't guess one; the implied accelerator "
                    "count needs one. Ask again with e.g. 'at $<N>k per GPU'."
                )
            from tools.defaults import all_in_power_kw

            args["capex_per_accelerator"] = price
            args.setdefault("power_kw", all_in_power_kw(find_accelerator(chip))[0])
            # the short alias: the capex result does not hold the chip's full name (whose "80GB" reads as a figure)
            plan.notes.insert(
                0,
                f"No chip named: assumed {short_chip(chip)} at its catalog price and all-in kW for the implied "
                "accelerators; name one to change it."
                if not chip_names
                else f"Implied accelerators at the catalog price and all-in kW of {short_chip(chip)}.",
            )
    if tool == "memory_fit" and p.batch is not None and model_names:
        # "HBM for 100 concurrent users": the fit, plus the KV cache of exactly that many requests
        kv = {"model": model_names[0], "batch": p.batch, **token_args("kv_cache", p, [])}
        if p.kv_dtype or p.weights_dtype:
            kv["kv_dtype"] = p.kv_dtype or p.weights_dtype
        if "context" in kv or "prompt" in kv:
            plan.calls.append(Call("kv_cache", kv))
    for model in model_names or [None]:
        for chip in chip_names or [None]:
            names = {}
            if model and "model" in fields:
                names["model"] = model
            if chip and "chip" in fields:
                names["chip"] = chip_arg(chip)
            plan.calls.append(Call(tool, {**names, **args}))
            if (
                tool == "throughput"
                and model
                and chip
                and not (p.unknown_models or p.unknown_chips)
                and ("gpus" not in args or "time_for_tokens" in plan.focus)
            ):
                plan.calls.append(Call("memory_fit", fit_beside_speed(names, args)))
    if (
        tool == "throughput"
        and "gpus" not in args
        and model_names
        and chip_names
        and not (p.unknown_models or p.unknown_chips)
    ):
        plan.notes.append(
            "No accelerator count given: the speed is for the throughput calculator's default of one accelerator, "
            "so the fit on that one is checked too (ask 'on 8x ...' for a server)."
        )
    return None


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
