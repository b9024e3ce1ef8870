"""A compound annual growth rate between two stated values a stated number of years apart, by ``calculate``.

"CAGR from $50B to $400B over 6 years?" gives no calendar years, which the growth calculator's CAGR mode
needs ('YEAR=VALUE'); the rate is arithmetic on the three numbers (in %):

    CAGR = ((end / start)^(1 / years) - 1) x 100

Nothing is computed unless the question asks for a growth rate and states exactly two values of one unit (the
first is the start; a bare figure with a scale letter beside money, "$150B to 0.4T", is money too), one span
in years and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_ASKED = re.compile(r"\bcagr\b|compound(?:ed)? (?:annual )?growth|(?:annual|yearly) growth rate|growth rate")


def plain_cagr_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The ``calculate`` call, label and note for a CAGR over a stated span (module docstring); None otherwise.
    ``make(name, args)`` builds a call."""
    if not _ASKED.search(question.lower()):
        return None
    spans = [q for q in quantities if q.unit == "years"]
    values = [q for q in quantities if q.unit not in ("years", "year", "fraction", "fraction/year")]
    if len(spans) != 1 or len(values) != 2 or len(quantities) != 3 or not _same_unit(*values):
        return None
    start, end = values
    if start.value <= 0 or end.value <= 0:
        return None
    n = spans[0].value
    expr = f"(({end.value!r} / {start.value!r}) ** (1 / {n!r}) - 1) * 100"
    label = ("CAGR", "%", f"({end.text} / {start.text})^(1 / {n:g}) - 1")
    note = f"Read as growth from {start.text} to {end.text} over {spans[0].text}, compounded once a year."
    if start.unit != end.unit:
        bare = start if start.unit == "" else end
        note += f" {bare.text} read in the same currency as the other value."
    return [make("calculate", {"expression": expr})], {expr: label}, note


def _same_unit(a: Quantity, b: Quantity) -> bool:
    """Both values in one unit, or money beside a bare figure with a scale letter ("$150B to 0.4T")."""
    if a.unit == b.unit:
        return True
    bare = a if a.unit == "" else b if b.unit == "" else None
    other = b if bare is a else a
    return (
        bare is not None
        and other.unit == "usd"
        and bool(re.search(r"\d\s*(?:k|m|bn?|tn?|trillion|billion)$", bare.text, re.I))
    )
