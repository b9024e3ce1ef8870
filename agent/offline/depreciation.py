"""Capital cost of a stated purchase per year and per accelerator-hour (straight-line or a level annuity at a stated
cost of capital), with the power of a stated draw and a utilization when given, by ``calculate``.

"depreciation on a $3.2M gb200 nvl72 rack, 6 yr straight line no salvage: per year and per gpu-hour?", "b200 at
$41k, 4 yrs, 9% wacc (annuity), capital cost per gpu-hour?", "$30k all-in, 4 yrs SL, 1 kW, PUE 1.3, 8c/kWh, 70%
busy: cost per utilized gpu-hour?" (USD, years, kW, fraction):

    per year (straight line)  = price x (1 - salvage share) / years
    per year (annuity, rate r)= price x r / (1 - (1 + r)^-years)      (capital recovery factor; r the cost of capital)
    per accelerator-hour      = per year / 8,760 h / accelerators     (accelerators: stated, the system's name,
                                                                       :mod:`agent.offline.server_size`, else one
                                                                       when a price per GPU-hour is asked of a chip,
                                                                       or the price is a chip plus its server share)
    power per hour            = kW x PUE x $/kWh                      (PUE 1 unless stated)
    per utilized hour         = (capital per hour + power per hour) / utilization

A price stated with its parts ("$15k chip + $10k server share = $25k") is the total; the parts must sum to it.
Nothing is computed unless the question asks for depreciation or a capital cost (or states a straight-line life)
and states one price and one life, with at most a salvage share, a count, a cost of capital, a power draw with
its electricity price and PUE, and a utilization, and nothing else; a stated power is taken as one accelerator's,
so a server's or fleet's price with its power is left to :mod:`agent.offline.server_parts` and the cost planners, and
a chip's price and power with neither a utilization nor a price in parts to the cost calculator (its follow-ups
rerun it).
"""

from __future__ import annotations

import math
import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(r"depreciat|capital cost|\bsl\b|straight[- ]line|annuit|cost per \W*utili[sz]ed", re.I)
_SALVAGE = re.compile(r"salvage|residual|resale", re.I)
_RATE = re.compile(r"cost of capital|\bwacc\b|interest|annuit|discount|financ", re.I)
_SHARE = re.compile(r"\bshare of (?:the |a )?(?:server|box|node)|(?:server|box|node) share", re.I)
_UTIL = re.compile(r"utili[sz]|\bbusy\b|\bloaded\b", re.I)
_PUE = re.compile(r"\bpue\b", re.I)
_HOURLY = re.compile(r"per \W*(?:utili[sz]ed\W*)?(?:gpu|chip|accelerator|card)[- ]?h(?:ou)?r|/\s*gpu[- ]?h", re.I)


def _price(prices: list[Quantity]) -> tuple[Quantity, list[Quantity]] | None:
    """(the price, its stated parts): the one price, or the one the others sum to."""
    if len(prices) == 1:
        return prices[0], []
    for p in prices:
        rest = [q for q in prices if q is not p]
        if math.isclose(sum(q.value for q in rest), p.value, rel_tol=1e-6):
            return p, rest
    return None


def _roles(question: str, quantities: list[Quantity]) -> dict[str, list[Quantity]] | None:
    """The stated numbers by role; None when one is none of them or a role is stated twice."""
    from agent.offline.slots import clause_around

    roles: dict[str, list[Quantity]] = {k: [] for k in ("price", "years", "salvage", "rate", "util", "count")}
    roles.update({"watts": [], "kwh": [], "pue": []})
    for q in quantities:
        clause = clause_around(question, q)
        role = {"usd": "price", "years": "years", "W": "watts", "usd/kwh": "kwh"}.get(q.unit)
        if q.unit == "fraction":
            role = next(
                (r for r, rx in (("salvage", _SALVAGE), ("rate", _RATE), ("util", _UTIL)) if rx.search(clause)), None
            )
        elif q.unit == "" and _PUE.search(clause) and 1 <= q.value <= 3:
            role = "pue"
        elif q.unit == "" and q.value >= 1 and float(q.value).is_integer():
            role = "count"
        if role is None or (role == "price" and q.per not in (None, "server", "accelerator")):
            return None
        roles[role].append(q)
    if any(len(v) > 1 for k, v in roles.items() if k != "price") or len(roles["years"]) != 1:
        return None
    if len(roles["watts"]) != len(roles["kwh"]) or (roles["pue"] and not roles["watts"]):
        return None
    return roles


def _per_year(price: Quantity, life: Quantity, roles: dict[str, list[Quantity]]) -> tuple[str, str, str]:
    """(expression, label, basis) of the capital cost per year."""
    kept = f" * (1 - {expr_number(roles['salvage'][0].value)})" if roles["salvage"] else ""
    if roles["rate"]:
        r, n = expr_number(roles["rate"][0].value), expr_number(life.value)
        expr = f"{expr_number(price.value)}{kept} * {r} / (1 - (1 + {r}) ** -{n})"
        how = f"{price.text} x capital recovery factor ({roles['rate'][0].text}, {life.text})"
        return expr, "Capital cost per year (level annuity)", how
    return (
        f"{expr_number(price.value)}{kept} / {expr_number(life.value)}",
        "Depreciation per year",
        f"{price.text} / {life.text}",
    )


def depreciation_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    from agent.offline.intents import detect
    from agent.offline.parse import parse
    from agent.offline.server_size import named_server_size

    if not _ASKED.search(question) or "search" in detect(question.lower()):
        return None  # a price someone said: the quote with its computation (agent.offline.quote_compute)
    roles = _roles(question, quantities)
    found = _price(roles["price"]) if roles else None
    if roles is None or found is None:
        return None
    price, parts = found
    life = roles["years"][0]
    per_year, what, how = _per_year(price, life, roles)
    labels: Labels = {per_year: (what, "$ per year", how)}
    n = int(roles["count"][0].value) if roles["count"] else (named_server_size(question) or parse(question).count)
    if parts or _SHARE.search(question):
        n = 1  # "$15k chip + $10k share of the server": a price per accelerator, whatever server is named
    if roles["watts"] and (roles["count"] or (n or 1) > 1 or not (roles["util"] or parts)):
        return None  # a server's or a fleet's draw beside its price: the server-parts and cost planners'

    hourly = _HOURLY.search(question)
    if (roles["watts"] or roles["util"]) and not hourly:
        return None
    if hourly:
        n = n or 1
        per_hour = f"{per_year} / 8760 / {n}"
        labels[per_hour] = ("Capital cost per accelerator-hour", "$ per hour", f"per year / 8,760 h / {n}")
        if roles["watts"]:
            pue = roles["pue"][0].value if roles["pue"] else 1.0
            power = f"{expr_number(roles['watts'][0].value / 1000)} * {expr_number(pue)} * {expr_number(roles['kwh'][0].value)}"
            labels[power] = ("Power per accelerator-hour", "$ per hour", f"kW x PUE {pue:g} x $/kWh")
            per_hour = f"({per_hour}) + {power}"
            labels[per_hour] = ("Capital plus power per accelerator-hour", "$ per hour", "capital + power")
        if roles["util"]:
            u = roles["util"][0]
            labels[f"({per_hour}) / {expr_number(u.value)}"] = (
                "Cost per utilized accelerator-hour",
                "$ per hour",
                f"per hour / {u.text} utilization",
            )
    note = (
        (
            "Level annuity at the cost of capital given"
            if roles["rate"]
            else "Straight-line depreciation of the price given"
        )
        + (f" ({' + '.join(q.text for q in parts)} = {price.text})" if parts else "")
        + (f", less {roles['salvage'][0].text} salvage." if roles["salvage"] else ", no salvage value.")
        + ("" if roles["watts"] or not hourly else " No power or other running cost is counted.")
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
