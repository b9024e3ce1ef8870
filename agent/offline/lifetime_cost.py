"""A fleet's total cost over a stated life, capex plus energy, on the analyst's own numbers, by ``calculate``.

"5-yr total cost of 1024 h100s: $33.6k each all-in, 1.0 kW all-in per gpu, pue 1.3, 12c/kWh. capex + energy?"
states every input of the sum (USD, kW, hours):

    capex  = N x price each
    energy = N x kW each x PUE x 8,760 h x years x $/kWh
    total  = capex + energy

No financing, maintenance or facility cost is added (the question's sum is capex + energy; the cost calculator's
adders are its own model, not the analyst's). Nothing is computed unless the question asks for a total (or capex
and energy) and states the count, one price each, one power each, one electricity price and the years, with at
most a PUE (else the cost calculator's default, said), and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(
    r"\d+[- ]?(?:yr|year)s?\s+total|total (?:cost )?(?:over|for)\b|capex\s*(?:\+|and|plus)\s*(?:energy|power|electricity)|"
    r"lifetime cost",
    re.I,
)
#: A yearly or hourly cost asked: the cost calculator's, not a total over the life.
_PER_PERIOD = re.compile(r"annual|per year|a year|yearly|per (?:gpu|chip|accelerator)[- ]?h", re.I)
_PUE = re.compile(r"\bpue\b", re.I)


def lifetime_cost_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that sum."""
    from agent.offline.parse import parse
    from agent.offline.plan_types import tool_default
    from agent.offline.slots import clause_around

    if not _ASKED.search(question) or _PER_PERIOD.search(question):
        return None
    by: dict[str, list[Quantity]] = {"usd": [], "W": [], "usd/kwh": [], "years": [], "pue": [], "count": []}
    for q in quantities:
        if q.unit == "" and _PUE.search(clause_around(question, q)):
            by["pue"].append(q)
        elif q.unit == "" and q.value >= 1 and float(q.value).is_integer():
            by["count"].append(q)
        elif q.unit in by and not (q.unit == "usd" and q.per not in (None, "accelerator", "server")):
            by[q.unit].append(q)
        else:
            return None
    if any(len(v) != 1 for k, v in by.items() if k not in ("pue", "count")) or len(by["pue"]) > 1:
        return None
    count = int(by["count"][0].value) if len(by["count"]) == 1 else parse(question).count
    if not count or len(by["count"]) > 1:
        return None
    price, kw, rate, years = by["usd"][0], by["W"][0], by["usd/kwh"][0], by["years"][0]
    pue = by["pue"][0].value if by["pue"] else float(tool_default("tco", "pue"))
    capex = f"{count} * {expr_number(price.value)}"
    energy = f"{count} * {expr_number(kw.value / 1000)} * {expr_number(pue)} * 8760 * {expr_number(years.value)} * {expr_number(rate.value)}"
    labels: Labels = {
        capex: ("Capex", "USD", f"{count:,} x {price.text}"),
        energy: (
            "Energy",
            "USD",
            f"{count:,} x {kw.text} x PUE {pue:g} x 8,760 h x {years.value:g} years at {rate.text}",
        ),
        f"{capex} + {energy}": (f"Total over {years.value:g} years", "USD", "capex + energy"),
    }
    note = (
        "Capex plus energy on your numbers only: no financing, maintenance or facility cost is added"
        + ("" if by["pue"] else f"; PUE {pue:g} is the cost calculator's default (none given)")
        + "."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
