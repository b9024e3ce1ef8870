"""A build-out's capex from a stated size and a stated price per watt, by ``calculate``; a price per GW or MW as $/W.

"1.2GW build at $11/W: capex?", "500 MW IT campus at $45/W all-in: total $?" state both factors (USD, watts):

    capex (USD) = power (W) x price (USD per W)

The watts are those the price is quoted on, as stated (IT or facility: the product is the same arithmetic; the
answer says it used the stated power as written). "$50B per GW: what's that per watt, and 60% of it?" restates a
price per GW or MW (USD per W = USD per GW / 10^9, per MW / 10^6), and a share of it is that price x the share.

Nothing is computed unless the question states exactly one power and one price per watt (or one amount per GW /
MW) and at most one share, and nothing else: a PUE, a chip count or a per-chip power is the build-out calculator's.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_PER_SIZE = re.compile(r"\s*(?:/|per|a|an)\s*(?P<u>gw|gigawatts?|mw|megawatts?|kw|kilowatts?)\b", re.I)
_SCALE = {"g": 1e9, "m": 1e6, "k": 1e3}


def _per_size(question: str, q: Quantity) -> float | None:
    """Watts of the size an amount is quoted per ("$50B per GW" -> 1e9); None for a plain amount."""
    m = _PER_SIZE.match(question, q.end)
    return _SCALE[m.group("u")[0].lower()] if q.unit == "usd" and not q.per and m else None


def per_watt_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    per_w = [q for q in quantities if q.unit == "usd/mw"]
    per_size = [(q, w) for q in quantities if (w := _per_size(question, q))]
    watts = [q for q in quantities if q.unit == "W"]
    shares = [q for q in quantities if q.unit == "fraction" and 0 < q.value <= 1]
    if len(per_w) + len(per_size) != 1 or len(shares) > 1:
        return None
    labels: Labels = {}
    if per_w:
        if len(watts) != 1 or len(quantities) != 2 + len(shares):
            return None
        price = per_w[0]
        dollars_per_w = expr_number(price.value / 1e6)
        total = f"{expr_number(watts[0].value)} * {dollars_per_w}"
        labels[total] = ("Capex", "USD", f"{watts[0].text} x {price.text}")
        basis = f"{watts[0].text} x {price.text}"
    else:
        if watts or len(quantities) != 1 + len(shares):
            return None
        q, w = per_size[0]
        total = f"{expr_number(q.value)} / {expr_number(w)}"
        labels[total] = ("Price per watt (USD per W)", "USD", f"{q.text} / {w:.0e} W")
        basis = f"{q.text} / {w:.0e} W"
    if shares:
        s = shares[0]
        share_of = (
            f"{expr_number(q.value)} * {expr_number(s.value)}" if per_size else f"({total}) * {expr_number(s.value)}"
        )
        what = f"{s.text} of {q.text}" if per_size else f"{s.text} of the capex"
        labels[share_of] = (f"Share: {what}", "USD", f"x {s.value:g}")
    note = f"Arithmetic on the figures you gave ({basis}); no catalog chip or facility default is used."
    return [make("calculate", {"expression": e}) for e in labels], labels, note


_CHIPS_AFTER = re.compile(r"\s*(?:x\s*)?(?:gpus?|chips?|accelerators?|cards?)\b", re.I)
_EACH_AFTER = re.compile(r"\s*(?:each|apiece|per (?:gpu|chip|accelerator|card)|/\s*(?:gpu|chip))\b", re.I)
_PUE = re.compile(r"\bpue\b", re.I)


def _site_roles(question: str, quantities: list[Quantity]) -> dict[str, list[Quantity]] | None:
    """A site's stated numbers by role (site W, $/MW, PUE, W per accelerator, accelerators, $ per accelerator);
    None when one is none of them or a role is stated twice."""
    from agent.offline.slots import clause_around

    roles: dict[str, list[Quantity]] = {k: [] for k in ("site", "per_mw", "pue", "each_w", "count", "price")}
    for q in quantities:
        if q.unit == "W":
            role = "each_w" if q.per == "accelerator" else "site" if q.per is None and q.value >= 1e6 else None
        elif q.unit == "usd/mw":
            role = "per_mw"
        elif q.unit == "usd":
            role = "price" if q.per == "accelerator" or _EACH_AFTER.match(question, q.end) else None
        elif q.unit == "" and _PUE.search(clause_around(question, q)) and 1 <= q.value <= 3:
            role = "pue"
        else:
            role = "count" if q.unit == "" and _CHIPS_AFTER.match(question, q.end) else None
        if role is None:
            return None
        roles[role].append(q)
    if any(len(v) > 1 for v in roles.values()) or len(roles["site"]) != 1:
        return None
    return roles


def site_build_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """A site's build-out on the analyst's own numbers, no chip named (USD, W):

        facility capex     = site MW x $ per MW                          (on the power as written, IT or facility)
        accelerators       = site W / PUE / W per accelerator            (a stated count instead, when given)
        accelerator capex  = accelerators x $ per accelerator
        total capex        = facility capex + accelerator capex          (when both are stated)
        implied $ per accelerator = facility capex / accelerators        (an all-in $/MW with no accelerator price)

    None unless a chip is not named, one site power is stated with a $/MW or a $ per accelerator, and every
    other stated number is one of the above."""
    from agent.offline.parse import parse

    roles = _site_roles(question, quantities)
    if roles is None or parse(question).chips or not (roles["per_mw"] or roles["price"]):
        return None
    if (roles["count"] and (roles["each_w"] or roles["pue"])) or (roles["pue"] and not roles["each_w"]):
        return None
    if roles["price"] and not (roles["count"] or roles["each_w"]):
        return None
    if roles["per_mw"] and roles["each_w"] and roles["price"]:
        return None  # a facility $/MW, a kW and a price per accelerator: the build-out calculator reads it whole
    site = roles["site"][0]
    labels: Labels = {}
    facility = n = None
    if roles["per_mw"]:
        per_mw = roles["per_mw"][0]
        facility = f"{expr_number(site.value / 1e6)} * {expr_number(per_mw.value)}"
        labels[facility] = ("Capex at the $ per MW", "USD", f"{site.text} x {per_mw.text}")
    if roles["each_w"]:
        pue = roles["pue"][0].value if roles["pue"] else 1.0
        n = f"{expr_number(site.value)} / {expr_number(pue)} / {expr_number(roles['each_w'][0].value)}"
        how = f"{site.text}" + (f" / PUE {pue:g}" if roles["pue"] else "") + f" / {roles['each_w'][0].text}"
        labels[n] = ("Accelerators", "accelerators", how)
    elif roles["count"]:
        n = expr_number(roles["count"][0].value)
    if roles["price"] and n:
        chips = f"({n}) * {expr_number(roles['price'][0].value)}"
        labels[chips] = ("Accelerator capex", "USD", f"accelerators x {roles['price'][0].text}")
        if facility:
            labels[f"{facility} + {chips}"] = ("Total capex", "USD", "capex at the $ per MW + accelerator capex")
    elif facility and n:
        labels[f"({facility}) / ({n})"] = ("Implied all-in $ per accelerator", "USD", "capex / accelerators")
    note = "Arithmetic on the figures you gave; no catalog chip, price or facility default is used" + (
        "" if roles["pue"] or not roles["each_w"] else "; no PUE given: the site's power read as the chips' power"
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note + "."
