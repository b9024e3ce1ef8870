"""A fleet's payback from its rental revenue, on the analyst's own numbers, by ``calculate``.

"fleet of 1,024 GPUs, $28M capex all in, rent at $2.40/hr, 70% of hours sold, $1.2M/yr other opex, ignore
power: annual revenue and payback in years?" is arithmetic over what the analyst wrote; the tco calculator
would read the fleet's capex as a price per accelerator and add catalog costs. Money in USD:

    revenue per year  = rental price per GPU-hour x 8,760 h x share of hours sold x GPUs
    net per year      = revenue - other opex per year
    payback (years)   = capex / net                (capex = the fleet's, or the stated per-GPU capex x GPUs)

Only what the question states is counted: no power, maintenance or facility cost is added (the answer says
so); a question that states a power or an electricity price is left to the cost calculator, and one whose
capex, rental price or fleet size is missing is not computed here (:func:`missing_payback_inputs` says what is
needed when nothing is given at all).
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.slots import assign
from tools.quantities import Quantity

PAYBACK = re.compile(r"pay\s?-?back|pays? (?:itself|for itself|it) (?:off|back)|years? to (?:pay|recoup|break even)")
#: A fleet's yearly revenue asked for.
REVENUE = re.compile(r"\brevenue\b|\bearn(?:s|ings)?\b|\bgross\b|\bincome\b")
#: Words that say a capex is per accelerator, right after the amount ("$35k per GPU", "$35k each").
_PER_GPU = re.compile(r"\s*(?:per|/|a|each|for each)\s*(?:gpu|accelerator|chip|card)\b|\s*each\b", re.I)
#: Fields of the cost calculator a payback takes (read by :func:`agent.offline.slots.assign`).
_TAKES = {"count", "rental_price", "sold_fraction", "utilization", "other_opex_per_year", "electricity"}


def _capex(quantities: list[Quantity], text: str, count: int) -> tuple[str, Quantity, str] | None:
    """The fleet's capex (an expression in USD), the quantity it comes from, and how it was read; None unless
    exactly one amount is stated."""
    amounts = [q for q in quantities if q.unit == "usd"]
    if len(amounts) != 1:
        return None
    q = amounts[0]
    if q.per == "accelerator" or _PER_GPU.match(text, q.end):
        return f"{q.value!r} * {count}", q, f"{q.text} x {count:,} GPUs"
    return f"{q.value!r}", q, f"{q.text} for the fleet"


def payback_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], dict[str, Any], str] | None:
    """``calculate`` calls for the revenue, the net and the payback (the revenue alone when only it is asked),
    their labels and the note; None when the question is not a payback or a revenue on its own rental price
    (module docstring). ``make(name, args)`` builds a call."""
    text = question.lower()
    payback_asked = bool(PAYBACK.search(text))
    if not (payback_asked or REVENUE.search(text)) or any(q.unit in ("W", "usd/kwh") for q in quantities):
        return None
    args, source = assign("tco", question, quantities)
    count, price = args.get("count"), args.get("rental_price")
    if not count or price is None or args.get("electricity", 0.0) != 0.0:
        return None
    capex = _capex(quantities, question, int(count)) if payback_asked else None
    if payback_asked and capex is None:
        return None
    used = {id(source[f]) for f in _TAKES if f in source} | ({id(capex[1])} if capex else set())
    if any(id(q) not in used for q in quantities):
        return None  # a number this arithmetic does not take: the other planners say so
    sold = args.get("sold_fraction", args.get("utilization"))
    share = 1.0 if sold is None else float(sold)
    opex = float(args.get("other_opex_per_year", 0.0))
    revenue = f"{price!r} * 8760 * {share!r} * {int(count)}"
    net = f"{revenue} - {opex!r}" if opex else revenue
    sold_how = f"{share:.0%} of hours sold" if sold is not None else "every hour sold (no share of hours sold given)"
    labels = {revenue: ("Revenue", "$ per year", f"${price:g}/GPU-hour x 8,760 h x {sold_how} x {int(count):,} GPUs")}
    if opex:
        labels[net] = ("Net of other opex", "$ per year", f"revenue - ${opex:,.0f} other opex per year")
    if capex:  # the payback asked for leads
        payback = f"({capex[0]}) / ({net})"
        labels = {
            payback: ("Payback", "years", f"capex {capex[2]} / {'net' if opex else 'revenue'} per year"),
            **labels,
        }
    calls = [make("calculate", {"expression": e}) for e in labels]
    what = "Payback" if capex else "Revenue"
    note = (
        f"{what} on the numbers given only: revenue from the rental price and the hours sold"
        + (", less the stated other opex" if opex else "")
        + "; no power, maintenance, facility or financing cost is counted"
        + (" (none was given)" if not re.search(r"ignor|\bno\b|exclud|without", text) else "")
        + "."
    )
    return calls, labels, note


def missing_payback_inputs(question: str, quantities: list[Quantity]) -> str | None:
    """A payback asked with no numbers at all: the reply naming what is needed (no figure), else None."""
    if not PAYBACK.search(question.lower()) or quantities:
        return None
    return (
        "I can't give a payback period without your numbers, and I won't assume them: a payback needs what the "
        "GPUs cost and what they earn. Give the capex (per GPU or for the fleet) and the number of GPUs, the rental "
        "price per GPU-hour (or the revenue per year) and the share of hours sold, and the yearly opex (power, "
        "maintenance, other), e.g. '<N> GPUs, $<capex> all in, rented at $<price>/hr, <share>% of hours sold, "
        "$<opex>/yr other opex: payback?'."
    )


_RENT = re.compile(r"\brent|\blease|cloud", re.I)
_OWN = re.compile(r"\bown|power|electric|running|opex|operat|upkeep|colo", re.I)
_BUY = re.compile(r"\bbuy|\bown|purchas", re.I)
_FULL_TIME = re.compile(r"\s*/\s*7\b")
_PAYS_BACK = re.compile(r"\bpays? (?:back|off)", re.I)


def rent_or_buy_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, Any], str] | None:
    """The years for buying an accelerator to pay back against renting one (USD, hours):

        saving per hour   = rental price per hour - owning cost per hour   (owning cost: power etc., stated; else 0)
        payback (years)   = purchase price / (saving per hour x 8,760 h x share of hours used)

    The share of hours is 1 for "24/7" or when none is given (said), else the stated utilization. None unless a
    payback of buying against renting is asked with one purchase price, one rent per hour, at most one owning cost
    per hour and one share of hours, and nothing else."""
    from agent.offline.slots import clause_around

    text = question.lower()
    if not ((PAYBACK.search(text) or _PAYS_BACK.search(text)) and _RENT.search(text) and _BUY.search(text)):
        return None
    prices = [q for q in quantities if q.unit == "usd" and q.per in (None, "accelerator")]
    hourly = [q for q in quantities if q.unit == "usd/hour"]
    rents = [q for q in hourly if _RENT.search(clause_around(question, q))]
    owning = [q for q in hourly if q not in rents and _OWN.search(clause_around(question, q))]
    shares = [q for q in quantities if q.unit == "fraction" and 0 < q.value <= 1]
    full = [q for q in quantities if q.unit == "" and q.value == 24 and _FULL_TIME.match(question, q.end)]
    if len(prices) != 1 or len(rents) != 1 or len(owning) > 1 or len(shares) + len(full) > 1:
        return None
    if len(prices) + len(rents) + len(owning) + len(shares) + len(full) != len(quantities):
        return None
    price, rent = prices[0], rents[0]
    if price.value < 100 * rent.value:
        return None  # not a purchase beside an hourly rent ("own cost $1.32 per GPU-hour")
    saving = f"{rent.value!r} - {owning[0].value!r}" if owning else f"{rent.value!r}"
    share = shares[0].value if shares else 1.0
    expr = f"{price.value!r} / (({saving}) * 8760 * {share!r})"
    how = f"{price.text} / (({rent.text}" + (f" - {owning[0].text}" if owning else "") + f") x 8,760 h x {share:.0%})"
    labels = {
        expr: ("Payback of buying against renting", "years", how),
        f"{saving}": ("Saving per hour of owning", "$ per hour", "rent" + (" - owning cost" if owning else "")),
    }
    note = (
        "Buying against renting on the numbers given: the rent saved per hour"
        + (" net of the owning cost given" if owning else " (no owning cost was given, so none is counted)")
        + ("; used 24/7" if full else "" if shares else "; every hour used (no share of hours given)")
        + "; no financing cost or resale value is counted."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
