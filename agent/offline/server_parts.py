"""An own cost per accelerator-hour for a server priced and powered in parts, by ``calculate``.

"gaudi 3: $125k for the 8-card kit plus $40k for the host, 5 yrs, 8x900W + 1.5 kW host, PUE 1.4, 11c/kWh: per
accelerator-hour?" prices one server as a sum of parts (USD, kW, hours):

    server capex      C = the sum of the stated amounts                     (kit + host + ...)
    server kW         P = the sum of the stated powers, "8x900W" = 8 x 0.9 kW
    per accel-hour      = (C / (years x 8,760 h) + P x PUE x $/kWh) / accelerators per server  [/ utilization]

Straight-line over the stated years, no financing, networking, maintenance or facility cost (the question's own
cost model, said). Nothing is computed unless the question asks for a cost per accelerator-hour, states its parts
(two amounts or more, or a power written in parts), the years, the electricity price and the accelerators per
server (a count, or the system's name), and every stated number is one of these (PUE: stated, else the cost
calculator's default, said).
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(
    r"per (?:gpu|card|chip|accelerator)[- ]?h(?:ou)?r|/\s*(?:gpu|card|chip)[- ]?h(?:ou)?r|per (?:gpu|card|chip) hour",
    re.I,
)
#: "8x900W", "8 x 1.2 kW": a power written as count x power each.
_TIMES_POWER = re.compile(r"\b(\d{1,3})\s*[x×*]\s*(\d+(?:\.\d+)?)\s*(kw|w)\b", re.I)
_PUE = re.compile(r"\bpue\b", re.I)
_EACH = re.compile(r"^\s*(?:per (?:gpu|chip|card|accelerator)|each|/\s*gpu)", re.I)
_UTIL = re.compile(r"\butili[sz]|\bbusy\b", re.I)


def server_parts_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` call, label and note (module docstring); None when the question is not that cost."""
    from agent.offline.plan_types import tool_default
    from agent.offline.server_size import named_server_size
    from agent.offline.slots import clause_around

    if not _ASKED.search(question):
        return None
    times = [
        (int(m.group(1)), float(m.group(2)) * (1.0 if m.group(3).lower() == "kw" else 1e-3), m)
        for m in _TIMES_POWER.finditer(question)
    ]
    by: dict[str, list[Quantity]] = {k: [] for k in ("usd", "W", "years", "usd/kwh", "pue", "count", "util")}
    for q in quantities:
        if q.unit == "" and _PUE.search(clause_around(question, q)):
            by["pue"].append(q)
        elif q.unit == "" and q.value >= 1 and float(q.value).is_integer():
            by["count"].append(q)
        elif q.unit == "fraction" and _UTIL.search(clause_around(question, q)):
            by["util"].append(q)
        elif q.unit in by and (q.unit != "usd" or q.per is None):
            by[q.unit].append(q)
        else:
            return None
    if len(by["usd"]) < 2 and not times and len(by["W"]) < 2:
        return None  # one price and one power: the cost calculator takes them
    if any(q.per == "accelerator" or _EACH.search(question[q.end : q.end + 14]) for q in by["W"]):
        return None  # "11.2 kW (about 1.4 kW per gpu)": a power per accelerator is no part of the server's
    counts = {int(q.value) for q in by["count"]} | {n for n, _, _ in times}
    n = counts.pop() if len(counts) == 1 else None if counts else named_server_size(question)
    if not n or not by["usd"] or len(by["years"]) != 1 or len(by["usd/kwh"]) != 1 or len(by["pue"]) > 1:
        return None
    if len(by["util"]) > 1 or not (by["W"] or times):
        return None
    capex = " + ".join(expr_number(q.value) for q in by["usd"])
    kw_terms = [f"{c} * {expr_number(kw)}" for c, kw, _ in times] + [expr_number(q.value / 1000) for q in by["W"]]
    pue = by["pue"][0].value if by["pue"] else float(tool_default("tco", "pue"))
    years, rate = by["years"][0], by["usd/kwh"][0]
    util = f" / {expr_number(by['util'][0].value)}" if by["util"] else ""
    hourly_capex = f"({capex}) / ({expr_number(years.value)} * 8760)"
    power = f"({' + '.join(kw_terms)}) * {expr_number(pue)} * {expr_number(rate.value)}"
    expr = f"({hourly_capex} + {power}) / {n}{util}"
    parts = " + ".join(q.text for q in by["usd"])
    powers = " + ".join([m.group(0) for _, _, m in times] + [q.text for q in by["W"]])
    how = f"({parts}) over {years.text} + ({powers}) x PUE {pue:g} at {rate.text}, / {n} accelerators"
    if by["util"]:
        how += f" / {by['util'][0].text} utilization"
    label = ("Cost per accelerator-hour", "$ per hour", how)
    note = (
        "Your own cost model: the server's parts summed, straight-line over the years, plus power; no financing, "
        "networking, maintenance or facility cost is added"
        + ("" if by["pue"] else f"; PUE {pue:g} is the cost calculator's default (none given)")
        + "."
    )
    return [make("calculate", {"expression": expr})], {expr: label}, note
