"""A rental bill: N accelerators at an hourly rate for a stated time, by ``calculate``.

"renting sixty-four h100s at $2.10/hr each for a full year (8760h): total bill?", "64 a100s 24/7 at the a100 rate in
your price list, what's a month (730 hrs)?", "tpu v6e on-demand is $2.70/chip-hr; the commit is 55% off: a 256-chip
pod committed for one year costs?" (USD, hours):

    rate   = the stated $/hour per accelerator, or the catalog's rental list price (:mod:`agent.offline.catalog_rate`),
             x (1 - discount) when a share off is stated
    bill   = N x rate x hours      (hours: stated; else days x 24; else a year 8,760, a month 730, a day 24, said)

Nothing is computed unless the question rents (rent, rental, on-demand, list price, commit) and asks a bill, with
one rate, one count and one length of time, and every stated number is one of these (a commitment's term in years
beside a discount is read as the discount's term, said).
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_RENTING = re.compile(r"\brent|rental|on-?demand|list price|price ?list|\bcommit|\brate\b", re.I)
_ASKED = re.compile(
    r"\bbill\b|\btotal\b|\bcosts?\??\s*$|how much|\bspend\b|what'?s (?:a|one|the) (?:month|year|day)|\?\s*$", re.I
)
_HOURS_AFTER = re.compile(r"\s*(?:h|hrs?|hours?)\b", re.I)
_DAYS_AFTER = re.compile(r"\s*-?\s*days?\b", re.I)
_ROUND_CLOCK = re.compile(r"\s*/\s*7\b")
_OFF = re.compile(r"\boff\b|discount|cheaper|less than", re.I)
_PERIODS = (
    (re.compile(r"\b(?:full|one|a|per|1|each) (?:year|yr)\b|\bannual|\byearly\b", re.I), "year", 8760.0),
    (re.compile(r"\b(?:full|one|a|per|1|each) month\b|\bmonthly\b", re.I), "month", 730.0),
    (re.compile(r"\b(?:full|one|a|per|1|each) day\b|\bdaily\b", re.I), "day", 24.0),
)
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_SPELLED = re.compile(rf"\b(?P<tens>{'|'.join(_TENS)})(?:[- ](?P<unit>{'|'.join(_UNITS)}))?\s+(?=[a-z0-9]+s\b)", re.I)


def _spelled_count(question: str) -> int | None:
    """ "sixty-four h100s": a count written in words (tens, with an optional unit), before a plural."""
    m = _SPELLED.search(question)
    if not m:
        return None
    return _TENS[m.group("tens").lower()] + (_UNITS[m.group("unit").lower()] if m.group("unit") else 0)


def _sort(question: str, quantities: list[Quantity]) -> dict[str, list[Quantity]] | None:
    from agent.offline.slots import clause_around

    roles: dict[str, list[Quantity]] = {k: [] for k in ("rate", "hours", "days", "count", "off", "term")}
    for q in quantities:
        if q.unit == "usd/hour":
            roles["rate"].append(q)
        elif q.unit == "hours" or (q.unit == "" and _HOURS_AFTER.match(question, q.end)):
            roles["hours"].append(q)
        elif q.unit == "" and _DAYS_AFTER.match(question, q.end):
            roles["days"].append(q)
        elif q.unit == "" and q.value == 24 and _ROUND_CLOCK.match(question, q.end):
            continue  # "24/7": every hour, not a count
        elif q.unit == "" and q.value >= 1 and float(q.value).is_integer():
            roles["count"].append(q)
        elif q.unit == "fraction" and 0 < q.value < 1 and _OFF.search(clause_around(question, q)):
            roles["off"].append(q)
        elif q.unit == "years":
            roles["term"].append(q)
        else:
            return None
    ok = all(len(v) <= 1 for v in roles.values()) and (not roles["term"] or roles["off"])
    return roles if ok else None


def rental_bill_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that bill."""
    from agent.offline.catalog_rate import catalog_rate
    from agent.offline.parse import parse

    if not (_RENTING.search(question) and _ASKED.search(question)):
        return None
    roles = _sort(question, quantities)
    if roles is None:
        return None
    listed = catalog_rate(question) if not roles["rate"] else None
    rate = roles["rate"][0] if roles["rate"] else listed[0] if listed else None
    count = int(roles["count"][0].value) if roles["count"] else (parse(question).count or _spelled_count(question))
    if rate is None or not count:
        return None
    said: list[str] = []
    if roles["hours"]:
        hours, hours_how = roles["hours"][0].value, roles["hours"][0].text
    elif roles["days"]:
        hours, hours_how = roles["days"][0].value * 24, f"{roles['days'][0].text} x 24 h"
    else:
        found = [(name, h) for pattern, name, h in _PERIODS if pattern.search(question)]
        if len(found) != 1:
            return None
        name, hours = found[0]
        hours_how = f"a {name} of {hours:,.0f} h"
        if name == "month":
            said.append("a month is 730 h (8,760 h / 12)")
    labels: Labels = {}
    r = expr_number(rate.value)
    if roles["off"]:
        off = roles["off"][0]
        r = f"{r} * (1 - {expr_number(off.value)})"
        labels[r] = ("Rate after the discount", "$ per hour", f"{rate.text} less {off.text}")
        if roles["term"]:
            said.append(f"the {off.text} discount read as the {roles['term'][0].text} commitment's, as stated")
    rate_how = rate.text + (f" less {roles['off'][0].text}" if roles["off"] else "")
    labels[f"{count} * {r}"] = (f"Hourly for {count:,} accelerators", "$ per hour", f"{count:,} x {rate_how}")
    labels[f"{count} * {r} * {expr_number(hours)}"] = ("Rental bill", "USD", f"{count:,} x {rate_how} x {hours_how}")
    note = (
        "Rental arithmetic on the rate and time given"
        + (f". Rate: {listed[1]}" if listed else "")
        + ("; " + "; ".join(said) if said else "")
        + "."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
