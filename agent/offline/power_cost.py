"""A power-cost question with the analyst's own power and no price: the power bill by ``calculate``.

"12 kW per 8-GPU server, $0.10/kWh, PUE 1.2: electricity cost per GPU-hour and per year?" asks for
the power cost alone. The tco calculator would add a catalog chip's capital cost, so instead the
plan computes, per accelerator:

    power cost per hour = kW x PUE x electricity            (USD per accelerator-hour)
    power cost per year = kW x PUE x 8760 h x electricity   (USD per accelerator-year)
    for a fleet of N:  facility power = kW x PUE x N / 1000 (MW); power bill = the year's cost x N (USD/yr)

with kW = the stated kW per accelerator, or the server's kW / accelerators per server. PUE and
electricity are the question's or the tco calculator's defaults (tools/tco_inputs.py TCOInput), said.
"""

from __future__ import annotations

import re
from typing import Any

#: What a power-only question may ask for besides the power cost itself.
_POWER_FOCUS = {"power_year", "per_hour", "per_year"}
_PRICED = ("capex_per_accelerator", "server_price", "rental_price", "tokens_per_s", "model")


def _kw_expr(args: dict[str, Any]) -> tuple[str, str] | None:
    """(expression for kW per accelerator, its basis), from the stated power; None when none is stated."""
    if "power_kw" in args:
        return f"{args['power_kw']!r}", f"{args['power_kw']:g} kW each"
    if "server_kw" in args and args.get("gpus_per_server"):
        n = int(args["gpus_per_server"])
        return f"{args['server_kw']!r} / {n}", f"{args['server_kw']:g} kW per {n}-accelerator server"
    return None


def power_only(call: Any, focus: list[str]) -> bool:
    """A tco call that asks only for the power cost, with a stated power and no price."""
    return (
        call.name == "tco"
        and "power_year" in focus
        and set(focus) <= _POWER_FOCUS
        and not any(k in call.args for k in _PRICED)
        and _kw_expr(call.args) is not None
    )


def power_cost_calls(
    args: dict[str, Any], default: Any, make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str]:
    """``calculate`` calls for the power cost per accelerator-hour and -year, their labels and the note.

    ``default(field)``: the tco calculator's default for a field; ``make(name, args)`` builds a call."""
    kw, basis = _kw_expr(args) or ("", "")
    pue = args.get("pue", default("pue"))
    electricity = args.get("electricity", default("electricity"))
    per_hour = f"{kw} * {pue!r} * {electricity!r}"
    per_year = f"{kw} * {pue!r} * 8760 * {electricity!r}"
    how = f"{basis} x PUE {pue:g} at ${electricity:g}/kWh"
    labels = {
        per_hour: ("Power cost per accelerator-hour", "$ per hour", how),
        per_year: ("Power cost per accelerator-year", "$ per year", how + " x 8,760 h"),
    }
    calls = [make("calculate", {"expression": per_hour}), make("calculate", {"expression": per_year})]
    n_server = int(args.get("gpus_per_server") or 0)
    if "server_kw" in args and n_server and int(args.get("count") or 1) != n_server:  # the server's or rack's bill
        server_year = f"{args['server_kw']!r} * {pue!r} * 8760 * {electricity!r}"
        labels[server_year] = (
            "Power bill per server",
            "$ per year",
            f"{args['server_kw']:g} kW x PUE {pue:g} x 8,760 h",
        )
        calls.append(make("calculate", {"expression": server_year}))
    count = int(args.get("count") or 1)
    if count > 1:  # a fleet: its draw at the facility and its bill
        draw, bill = f"{kw} * {pue!r} * {count} / 1000", f"{kw} * {pue!r} * 8760 * {electricity!r} * {count}"
        labels[draw] = (f"Facility power for {count:,} accelerators", "MW", f"{basis} x PUE {pue:g}")
        labels[bill] = (f"Power bill for {count:,} accelerators", "$ per year", how + " x 8,760 h")
        calls += [make("calculate", {"expression": draw}), make("calculate", {"expression": bill})]
    said = [k for k in ("pue", "electricity") if k not in args]
    note = (
        "Power cost only (no price was given, so no capital cost is counted)"
        + (
            f"; the {' and '.join(said)} {'are' if len(said) > 1 else 'is'} the cost calculator's default"
            if said
            else ""
        )
        + "."
    )
    return calls, labels, note


#: A power bill asked for: the cost of power, electricity or energy.
_BILL = re.compile(
    r"(?:power|electricity|energy|electric)\s+(?:cost|bill|spend)|cost of (?:the )?(?:power|electricity)"
)
#: The period a bill is asked for, and its hours (a month is 8,760 / 12 = 730 h unless the question says).
_PERIODS = (
    (r"\bmonthly\b|(?:per|a|each|/)\s*mo(?:nth)?\b", "month", 730.0),
    (r"\bannual(?:ly)?\b|\byearly\b|(?:per|a|each|/)\s*(?:year|yr)\b", "year", 8760.0),
    (r"\bdaily\b|(?:per|a|each|/)\s*day\b", "day", 24.0),
)
#: Words that ask for a share per accelerator, which the cost tools' per-accelerator power reading answers.
_PER_CHIP = re.compile(r"per[- ](?:gpu|accelerator|chip|card)|/\s*gpu")
#: Draws above this (W) are a site's, and words that name a site: the build-out's power bill, not this one.
_RACKS = 1e6
_SITE = re.compile(r"\bcampus|\bfacility|\bsite\b|data ?cent(?:er|re)|\bgw\b|gigawatt")
#: Words that make a plain count the number of powered units ("4 racks", "one rack").
_UNITS = r"racks?|servers?|nodes?|systems?|boxes|pods?|clusters?"


def _period(text: str) -> tuple[str, float] | None:
    found = [(name, hours) for pattern, name, hours in _PERIODS if re.search(pattern, text)]
    return found[0] if len(found) == 1 else None


def stated_power_bill(
    question: str, quantities: list[Any], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The power bill of a stated draw over a stated period, by ``calculate``; None unless the question asks a
    power cost for one period with one draw and one electricity price and nothing else to price.

        bill = kW x PUE x hours in the period x $/kWh x units

    hours: the question's own hours per period ("use 730 hrs/month"), else 730 a month, 8,760 a year, 24 a day
    (said); PUE: the question's, else the cost calculator's default (said); units: a count written with racks or
    servers, else 1. ``make(name, args)`` builds a call."""
    from agent.offline.plan_types import tool_default
    from agent.offline.slots import clause_around

    text = question.lower()
    period = _period(text)
    watts = [q for q in quantities if q.unit == "W"]
    prices = [q for q in quantities if q.unit == "usd/kwh"]
    if not (_BILL.search(text) and period and len(watts) == 1 and len(prices) == 1) or _PER_CHIP.search(text):
        return None
    if watts[0].value > _RACKS or _SITE.search(text):
        return None  # a site's power is utility power (PUE already in it): the build-out prices it
    name, hours = period
    pues = [q for q in quantities if q.unit == "" and re.search(r"\bpue\b", clause_around(question, q))]
    units = [
        q
        for q in quantities
        if q.unit == "" and q not in pues and re.match(rf"\s*(?:x\s*)?(?:{_UNITS})\b", text[q.end :])
    ]
    stated_hours = [q for q in quantities if q.unit == "hours" and q.per == name]
    if len(pues) > 1 or len(units) > 1 or len(stated_hours) > 1:
        return None
    if len(watts) + len(prices) + len(pues) + len(units) + len(stated_hours) != len(quantities):
        return None  # a price, a rate or a count this bill does not take: the other planners say so
    kw = watts[0].value / 1000
    pue = pues[0].value if pues else float(tool_default("tco", "pue"))
    price = prices[0].value
    count = int(units[0].value) if units else 1
    h = stated_hours[0].value if stated_hours else hours
    expr = f"{kw!r} * {pue!r} * {h!r} * {price!r}" + (f" * {count}" if count > 1 else "")
    what = f"Power bill for {count:,} x {watts[0].text}" if count > 1 else f"Power bill for {watts[0].text}"
    basis = f"{kw:g} kW x PUE {pue:g} x {h:,.0f} h at ${price:g}/kWh" + (f" x {count:,}" if count > 1 else "")
    said = [] if pues else [f"PUE {pue:g} is the cost calculator's default (none given)"]
    if not stated_hours and name != "year":
        said.append(f"a {name} is {hours:,.0f} h" + (" (8,760 h / 12)" if name == "month" else ""))
    note = (
        "Power cost only, on the draw given (no capital cost is counted)"
        + ("; " + "; ".join(said) if said else "")
        + "."
    )
    return [make("calculate", {"expression": expr})], {expr: (what, f"$ per {name}", basis)}, note
