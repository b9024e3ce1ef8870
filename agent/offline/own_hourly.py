"""Arithmetic on the analyst's own cost per GPU-hour, by ``calculate``: per used hour, break-even utilization,
margin against a rental price, $ per million tokens.

"own cost is $1.32 per installed GPU-hour; if I rent them out at $2.10/hr, what utilization do I need to break
even?" states the cost the tco calculator would compute, so the answer is arithmetic on it (USD per GPU-hour):

    cost per used hour        = own cost per installed hour / utilization
    break-even utilization    = own cost per installed hour / rental price x 100          (%)
    margin per used hour      = rental price - cost per used hour
    $ per million tokens      = cost per used hour / (tokens/s x 3,600 / 10^6)

A price is the analyst's own cost when cost words stand near it ("costs me", "own", "installed", "all-in") and a
rental price when rental words do ("rent", "rental", "charge"). Nothing is computed unless every stated quantity
is one of these; a single price with a tokens/s and no rental price is the serving-cost calculator's.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_RENT = re.compile(r"\brent|rental|\bcharg|\bsell|lease (?:it |them )?out")
_OWN = re.compile(r"\bcosts?\b|\bown|install|all[- ]in|\bmy\b|\btco\b")
_UTIL = re.compile(r"\butil|busy|loaded|\bused\b")
_ASKS = {
    "used": re.compile(r"per used|per utili[sz]ed|used hour|utili[sz]ed hour"),
    "break_even": re.compile(r"break[- ]?even"),
    "margin": re.compile(r"\bmargin"),
    "per_mtok": re.compile(r"per (?:1\s?m|million|m)\b|/\s*m\s?tok|\$/m\b|per mtok"),
}


#: "$1.32 per installed GPU-hour": an hourly price the lexer reads as a plain amount.
_PER_HOUR = re.compile(
    r"\s*(?:per|/|an?)\s*(?:installed |used |owned )?(?:gpu[- ]?|accelerator[- ])?(?:hour|hr|h)\b", re.I
)


def _hourly(question: str, q: Quantity) -> bool:
    """``q`` is a price per GPU-hour: read so by the lexer, or an amount followed by 'per installed GPU-hour'."""
    return q.unit == "usd/hour" or (q.unit == "usd" and not q.per and bool(_PER_HOUR.match(question, q.end)))


def _prices(question: str, quantities: list[Quantity]) -> tuple[Quantity | None, Quantity | None] | None:
    """(own cost, rental price) among the stated $/hour; None when one cannot be told apart."""
    from agent.offline.slots import clause_around

    own = rent = None
    for q in (q for q in quantities if _hourly(question, q)):
        clause = clause_around(question, q)
        if _RENT.search(clause) and rent is None:
            rent = q
        elif _OWN.search(clause) and own is None:
            own = q
        else:
            return None
    return own, rent


def own_hourly_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The ``calculate`` calls, labels and note for the figures asked of an own cost per GPU-hour (module
    docstring); None when the question is not that arithmetic. ``make(name, args)`` builds a call."""
    from agent.offline.slots import clause_around

    text = question.lower()
    prices = _prices(question, quantities)
    if prices is None or prices[0] is None:
        return None
    own, rent = prices
    utils = [q for q in quantities if q.unit == "fraction" and _UTIL.search(clause_around(question, q))]
    rates = [q for q in quantities if q.unit == "tokens/s" and q.per in (None, "accelerator")]
    taken = {id(own)} | ({id(rent)} if rent else set()) | {id(q) for q in utils[:1] + rates[:1]}
    if len(utils) > 1 or len(rates) > 1 or any(id(q) not in taken for q in quantities):
        return None
    if rent is None and (rates or not utils):
        return None  # a price with a tokens/s is the serving cost's; a price alone asks nothing here
    asks = {k for k, pattern in _ASKS.items() if pattern.search(text)}
    c = f"{own.value!r}"
    used = f"{c} / {utils[0].value!r}" if utils else c
    util_how = f"at {utils[0].value:.0%} utilization" if utils else "every installed hour used"
    labels: dict[str, tuple[str, str, str]] = {}
    if utils and ("used" in asks or not rent):
        labels[used] = ("Cost per used hour", "$ per hour", f"{own.text} / {utils[0].value:.0%} utilization")
    if rent is not None and ("break_even" in asks or not (utils or rates)):
        labels[f"{c} / {rent.value!r} * 100"] = ("Break-even utilization", "%", f"{own.text} / {rent.text} rental")
    if rent is not None and utils and "margin" in asks:
        labels[f"{rent.value!r} - {used}"] = ("Margin per used hour", "$ per hour", f"{rent.text} - cost {util_how}")
    if rates:
        tps = rates[0]
        labels[f"({used}) / ({tps.value!r} * 3600 / 1e6)"] = (
            "Cost per million tokens",
            "$ per million tokens",
            f"cost per used hour / millions of tokens an hour at {tps.text}",
        )
    if not labels:
        return None
    note = (
        f"Arithmetic on your own cost of {own.text} (read as per installed GPU-hour)"
        + (f" against the rental price of {rent.text}" if rent else "")
        + "; nothing from the cost calculator is added."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
