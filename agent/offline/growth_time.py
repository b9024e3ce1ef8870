"""Growth arithmetic on the analyst's own numbers, by ``calculate``: the years a rate takes to reach a multiple
or a target, and the annual rate of a doubling period.

"At 30% a year how many years to 10x?", "if spend grows 30% a year from $400B, how many years till $1T?":

    years = ln(multiple) / ln(1 + r)          multiple = target / start when two values are given

"Something doubling every 18 months is what annual growth rate?" ("tripling every 2 years" likewise):

    annual rate = (factor^(12 / months) - 1) x 100     (a period in years is 12 x years months)

Nothing is computed unless the question asks for it and states exactly the numbers the formula takes.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_HOW_LONG = re.compile(r"\bhow (?:many|much) (?:years?|yrs?|time)\b|\bhow long\b|\bwhen (?:does|will|would)\b")
_FACTORS = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0}
_PERIOD = re.compile(r"\b(?P<verb>doubl|tripl|quadrupl)\w*\s+(?:every|each|in)\s+", re.I)
_ANNUAL = re.compile(r"\b(?:annual|yearly|per year|a year|annuali[sz]ed|cagr|yoy)\b", re.I)


def years_to_reach_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The call, label and note for the years a yearly rate takes to reach a multiple or a target (module
    docstring); None unless the question asks how long and states one yearly rate and a multiple or two values."""
    text = question.lower()
    rates = [q for q in quantities if q.unit == "fraction/year"]
    rest = [q for q in quantities if q.unit != "fraction/year"]
    if not _HOW_LONG.search(text) or len(rates) != 1 or rates[0].value <= 0:
        return None
    r = rates[0]
    if len(rest) == 1 and rest[0].unit == "x" and rest[0].value > 1:
        multiple, what, ratio = f"{rest[0].value!r}", rest[0].text, f"{rest[0].value:g}"
    elif len(rest) == 2 and rest[0].unit == rest[1].unit and 0 < rest[0].value < rest[1].value:
        multiple, what = f"({rest[1].value!r} / {rest[0].value!r})", f"{rest[0].text} to {rest[1].text}"
        ratio = f"{rest[1].text} / {rest[0].text}"
    else:
        return None
    expr = f"log({multiple}) / log(1 + {r.value!r})"
    label = ("Years to grow " + what, "years", f"ln({ratio}) / ln(1 + {r.value:g}), compounded once a year")
    note = f"Read as {what} at {r.text}, compounded once a year; a fraction of a year means during the next year."
    return [make("calculate", {"expression": expr})], {expr: label}, note


def period_rate_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The call, label and note for the annual rate of a doubling (tripling, quadrupling) period (module
    docstring); None unless the question names one such period and asks for an annual rate."""
    m = _PERIOD.search(question)
    if m is None or not _ANNUAL.search(question) or len(quantities) != 1:
        return None
    period = quantities[0]
    after = question[m.end() :].lstrip()
    if not after.startswith(period.text) or period.unit not in ("months", "years") or period.value <= 0:
        return None
    months = period.value if period.unit == "months" else 12 * period.value
    factor = _FACTORS[m.group("verb").lower()]
    expr = f"({factor:g} ** (12 / {months!r}) - 1) * 100"
    label = ("Annual growth rate", "%", f"{factor:g}^(12 / {months:g} months) - 1")
    note = f"Read as x{factor:g} every {period.text}, compounded: the same growth spread evenly over each year."
    return [make("calculate", {"expression": expr})], {expr: label}, note
