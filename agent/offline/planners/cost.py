"""The cost and build-out calculators' chip and price: a default chip (said), a price asked for rather than
guessed, a fleet's power computed directly for a chip with no price, an illustrative $/Mtok."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.names import chip_arg, costable, short_chip
from agent.offline.own_costs import missing_price_and_chip
from agent.offline.parse import Parsed
from agent.offline.plan_types import DEFAULT_CHIP, ILLUSTRATION_MODEL, PER_MW_GW, Call, Plan, tool_default
from tools.catalog import accelerators, find_accelerator


def cost_chips(tool: str, p: Parsed, args: dict[str, Any], chip_names: list[str], plan: Plan) -> list[str] | str | None:
    """The chips a cost or build-out is priced for (a list), a reply asking for what is missing (a string),
    or None when the calls are already made: a power draw or bill of chips with no catalog price
    ("power draw of 1,024 b200s" needs the all-in kW, not a price)."""
    if not chip_names and not p.unknown_chips:
        chip_names, reply = default_chip(tool, p, args, plan)
        if reply:
            return reply
    if not chip_names or "capex_per_accelerator" in args:
        return chip_names
    # a fleet capex (and a power bill, which tco gives only beside a price) needs a purchase price; an hourly
    # cost can also come from a sourced $/hour
    purchase = tool == "buildout" or "capex" in plan.focus or power_only(plan.focus)
    priced_by = "buildout" if purchase else "tco"
    unpriced = [c for c in chip_names if not costable(priced_by, c)]
    if unpriced and tool == "tco" and power_only(plan.focus):
        powered = [c for c in unpriced if power_calls(c, p, args, plan)]
        unpriced = [c for c in unpriced if c not in powered]
        chip_names = [c for c in chip_names if c not in powered]
        if not chip_names:
            return None if powered and not unpriced else unpriced_reply(unpriced, priced_by)
    if unpriced:
        chip_names = [c for c in chip_names if c not in unpriced]
        # short aliases: a reply with no tool result must hold no figure, and "141GB" in a name reads as one
        missing = unpriced_reply(unpriced, priced_by)
        if not chip_names:
            return missing
        plan.notes.insert(0, "Left out: " + missing)
    return chip_names


def per_mw_size(args: dict[str, Any], plan: Plan) -> None:
    """ "Capex per MW" with no size: a build-out of :data:`PER_MW_GW` (1 MW), said."""
    args["gw"] = PER_MW_GW
    plan.notes.insert(
        0,
        "No size given: priced as a 1 MW build-out (gw=0.001), so the figures are per MW of utility power "
        "(grid power into the site, before PUE); give a size in MW or GW for a whole site.",
    )


def tco_call(args: dict[str, Any], model_names: list[str], chip_names: list[str], plan: Plan) -> Call:
    """One cost call over every chip compared; a $/Mtok with no model or tokens/s is an illustration (:func:`illustrate`)."""
    names: dict[str, Any] = {"chip": [chip_arg(c) for c in chip_names]} if chip_names else {}
    if model_names:
        names["model"] = model_names[0]
    elif "per_mtok" in plan.focus and "tokens_per_s" not in args:
        illustrate(names, args, plan)
    return Call("tco", {**names, **args})


def default_chip(tool: str, p: Parsed, args: dict[str, Any], plan: Plan) -> tuple[list[str], str | None]:
    """A cost or build-out question naming no chip: none when it gives its own price and kW; a reply when a unit
    cost is asked with neither chip nor price (:func:`agent.offline.own_costs.missing_price_and_chip`); else
    :data:`DEFAULT_CHIP`, said in the answer."""
    if tool == "tco" and (reply := missing_price_and_chip(p.text, args)):
        return [], reply
    if priced_and_powered(args):
        return [], None
    plan.notes.insert(
        0,
        f"No chip named: assumed {DEFAULT_CHIP} (the catalog's priced NVIDIA chip with a sourced all-in kW); "
        "name one to change it.",
    )
    return [DEFAULT_CHIP], None


def unpriced_reply(unpriced: list[str], priced_by: str = "tco") -> str:
    """Ask for a price (no figure: short aliases, since "141GB" in a name reads as one); the chips listed are
    those ``priced_by`` (tco: a price or a sourced $/hour; buildout: a purchase price) can cost."""
    priced = ", ".join(short_chip(r.name) for r in accelerators() if costable(priced_by, r.name))
    return (
        f"The catalog has no price for {', '.join(short_chip(c) for c in unpriced)}, and I won't guess one. Ask again with a price, "
        f"e.g. '{chip_arg(unpriced[0])} at $<N>k per GPU' (catalog chips with a public price estimate: {priced})."
    )


def power_only(focus: list[str]) -> bool:
    """The question asks only for a power draw or a power bill (no price needed)."""
    return bool(set(focus) & {"power_draw", "power_year"}) and not set(focus) - {"power_draw", "power_year", "per_year"}


#: "running at TDP", "at their tdp": the chip's rated power is the basis, not the all-in kW with its share of the server.
_AT_TDP = re.compile(r"\b(?:at|running at|@)\s+(?:their |its |the |full )?tdp\b")


def power_calls(chip: str, p: Parsed, args: dict[str, Any], plan: Plan) -> bool:
    """A fleet's power draw (MW) or bill ($/yr) from the chip's sourced all-in kW, by ``calculate``,
    for a chip with no catalog price; PUE and electricity are the question's or the cost calculator's
    defaults (tools/tco.py TCOInput), said in the answer. False when the catalog has no sourced kW."""
    from tools.defaults import all_in_power_kw
    from tools.errors import InputError

    try:
        chip_row = find_accelerator(chip)
    except InputError:
        return False  # not a catalog chip: no sourced kW (the reply asks for a price or power)
    if args.get("power_kw") is not None:  # "at their 1000W TDP": the analyst's power, not the catalog's
        kw, source, each = float(args["power_kw"]), "the kW you stated", "kW each"
    elif _AT_TDP.search(p.text) and chip_row.tdp_w:  # "running at TDP": the datasheet's TDP, not the all-in kW
        kw, source, each = chip_row.tdp_w / 1000, "the catalog's TDP, as asked", "kW TDP each"
    else:
        kw, source = all_in_power_kw(chip_row)
        each = "kW all-in each"
    if kw is None:
        return False
    count = int(args.get("count") or 1)
    pue = args.get("pue", tool_default("tco", "pue"))
    electricity = args.get("electricity", tool_default("tco", "electricity"))
    name = short_chip(chip)
    if "power_draw" in plan.focus:
        expr = f"{kw!r} * {pue!r} * {count} / 1000"
        plan.calls.append(Call("calculate", {"expression": expr}))
        plan.labels[expr] = (f"{count:,} x {name} draw", "MW at the facility", f"{kw:g} {each} x PUE {pue:g}")
    if "power_year" in plan.focus:
        expr = f"{kw!r} * {pue!r} * 8760 * {electricity!r} * {count}"
        plan.calls.append(Call("calculate", {"expression": expr}))
        plan.labels[expr] = (
            f"Power bill for {count:,} x {name}",
            "$ per year",
            f"{kw:g} {each} x PUE {pue:g} x 8,760 h at ${electricity:g}/kWh",
        )
    used = [("PUE", "pue")] + ([("electricity price", "electricity")] if "power_year" in plan.focus else [])
    said = [k for k, v in used if v not in args]
    plan.notes.append(
        f"Power only, computed directly from {each.removesuffix(' each')} per {name} ({_clip_source(source)})"
        + (
            f"; the {' and '.join(said)} "
            + ("are the cost calculator's defaults" if len(said) > 1 else "is the cost calculator's default")
            if said
            else ""
        )
        + "."
    )
    return True


def _clip_source(source: str) -> str:
    """The first clause of a source note: 'from SemiAnalysis InferenceX GPU_SPECS ...' without version details."""
    m = re.search(r"from ([^(,;]+)", source)
    return m.group(1).strip() if m else source.split(";")[0]


def illustrate(names: dict[str, Any], args: dict[str, Any], plan: Plan) -> None:
    """$/Mtok asked with no model or tokens/s: :data:`ILLUSTRATION_MODEL` on the cost tool's serving defaults, said."""
    names["model"] = ILLUSTRATION_MODEL
    args.setdefault("gpus", tool_default("tco", "gpus"))
    args.setdefault("batch", tool_default("tco", "batch"))
    plan.notes.append(
        f"Illustration: no model or tokens/s given, so the $ per million tokens is for {ILLUSTRATION_MODEL} "
        f"served on {args['gpus']} x the chip at batch {args['batch']} (the cost calculator's serving defaults); "
        "name a model or a tokens/s to change it."
    )


def priced_and_powered(args: dict[str, Any]) -> bool:
    """A cost or build-out question that gives its own price and all-in kW needs no catalog chip."""
    return "capex_per_accelerator" in args and "power_kw" in args
