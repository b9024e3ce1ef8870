"""The capex tool's call: which companies a group word stood for, which year 'next year' is, and the chip that
prices the accelerators a capex implies."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.names import catalog_price, short_chip
from agent.offline.parse import Parsed
from agent.offline.plan_types import DEFAULT_CHIP, Plan
from tools.catalog import find_accelerator


def capex_reply(p: Parsed, args: dict[str, Any], chip_names: list[str], plan: Plan) -> str | None:
    """Readings for a capex call (:func:`capex_notes`, the chip of its implied accelerators), or a reply when
    the question names no company or the chip has no price."""
    if not args.get("company") and not re.search(r"hyperscal|big tech|\ball\b", p.text):
        return (
            "I can't tell which company's capex you mean. The capex table covers Microsoft, Alphabet, Amazon, "
            "Meta and Oracle; ask e.g. 'Meta capex history' or 'Microsoft capex forecast at <R>%/yr'."
        )
    from agent.offline.capex_guided import missing_guidance

    if reply := missing_guidance(p.text, args):
        return reply
    capex_notes(p, args, plan)
    if "ai_share" in args and "capex_per_accelerator" not in args:
        return _implied_accelerators(args, chip_names, plan)
    return None


def _implied_accelerators(args: dict[str, Any], chip_names: list[str], plan: Plan) -> str | None:
    """ "40% of capex on GPUs": the accelerators it buys, at the named chip's (else :data:`DEFAULT_CHIP`'s)
    catalog price and all-in kW; a reply when that chip has no price."""
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
    return None


def capex_notes(p: Parsed, args: dict[str, Any], plan: Plan) -> None:
    """Say which company set a group word stood for, and which year 'next year' is."""
    from agent.offline.entities import UNNUMBERED_GROUPS
    from tools.capex_history import COMPANY_ALIASES

    companies = args.get("company") or []
    named_one = any(w in COMPANY_ALIASES for w in re.findall(r"[a-z]+", p.text))
    group = re.search(r"\bbig\s*-?\s*(?:\d|three|four|five)\b", p.text)
    unnumbered = re.search(UNNUMBERED_GROUPS, p.text)
    if not named_one and unnumbered and not group:
        plan.notes.append(
            f"'{unnumbered.group(0)}' read as every company in the capex table: "
            + ", ".join(companies or ["all five"])
            + " (say 'big 4' for Microsoft, Alphabet, Amazon and Meta)."
        )
    elif not named_one and group:
        plan.notes.append(f"'{group.group(0)}' read as " + ", ".join(companies) + ".")
    if p.year is not None and p.year_words:
        import datetime

        plan.notes.append(f"'{p.year_words}' read as {p.year} (today is {datetime.date.today().isoformat()}).")
