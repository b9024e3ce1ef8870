"""One filed quarter of a company's capex, and its change on a year or a quarter earlier.

"googl q1 2026 capex yoy growth?", "MSFT capex in 2Q FY26 vs a quarter earlier": the capex tool's ``quarters``
(``knowledge/data/capex_quarterly.csv``, fiscal quarters as filed, cash purchases of property and equipment)
hold the rows; ``calculate`` takes the change (rows in USD billion):

    change % = (capex(quarter asked) / capex(quarter compared) - 1) x 100

The quarter compared is the same quarter a year earlier, or the quarter before when the question says
"qoq", "sequential" or "prior/previous/last quarter". Quarters are the company's fiscal quarters (Microsoft's
fiscal year ends 30 June), so each row is shown with its period end. When either row is missing, the answer
says which and nothing is computed.
"""

from __future__ import annotations

import re
from typing import Any

_N = r"(?P<q>[1-4])"
_Y = r"(?:fy|cy)?\s*'?(?P<y>20\d\d|\d\d)"
_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
_FORMS = (
    re.compile(rf"\bq{_N}\s*(?:of\s+|[-/' ]\s*)?{_Y}\b", re.I),  # q1 2026, q1-26, q1 fy26, Q1'26
    re.compile(rf"\b{_N}q\s*[-/' ]?\s*{_Y}\b", re.I),  # 1q26, 1Q 2026
    re.compile(rf"\b{_Y}\s*[-/ ]?\s*q{_N}\b", re.I),  # 2026 q1, fy26 q1, 2026-Q1
    re.compile(rf"\b(?P<w>first|second|third|fourth)\s+(?:fiscal\s+)?quarter\s+(?:of\s+)?{_Y}\b", re.I),
)
_SEQUENTIAL = re.compile(r"\bq/?o/?q\b|sequential|(?:prior|previous|preceding|last) quarter|quarter earlier", re.I)


def _quarters_named(text: str) -> list[tuple[int, tuple[int, int]]]:
    """(position, (fiscal year, quarter)) of each quarter ``text`` names, in order."""
    found: dict[int, tuple[int, int]] = {}
    for form in _FORMS:
        for m in form.finditer(text):
            year = int(m.group("y"))
            quarter = _WORDS[m.group("w").lower()] if "w" in form.groupindex else int(m.group("q"))
            if not any(a <= m.start() < a + 12 for a in found):
                found[m.start()] = (year + 2000 if year < 100 else year), quarter
    return sorted(found.items())


def asked_quarter(text: str) -> tuple[int, int] | None:
    """(fiscal year, quarter) a question names first ("q1 2026", "1Q26", "fy26 q2", "first quarter of 2026"),
    else None."""
    named = _quarters_named(text)
    return named[0][1] if named else None


def compared_quarter(text: str, asked: tuple[int, int]) -> tuple[int, int]:
    """The quarter the asked one is compared with: a year earlier, or the one before for a sequential change."""
    year, q = asked
    if _SEQUENTIAL.search(text):
        return (year, q - 1) if q > 1 else (year - 1, 4)
    return year - 1, q


def _row(data: dict[str, Any], at: tuple[int, int]) -> dict[str, Any] | None:
    return next(
        (r for r in data.get("quarters") or [] if (r.get("fiscal_year"), r.get("quarter")) == at),
        None,
    )


def quarter_rows(
    quarters: tuple[tuple[int, int], tuple[int, int]], data: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(row asked, row compared) for ``quarters`` (asked, compared) from one capex result; either is None when
    the table has no such row."""
    return _row(data, quarters[0]), _row(data, quarters[1])


def asked_quarters(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """(quarter asked, quarter compared) for a question naming a quarter, else None; a second quarter named
    ("q1 2026 vs q4 2025") is the one compared."""
    named = [q for _, q in _quarters_named(text)]
    if not named:
        return None
    second = next((q for q in named[1:] if q != named[0]), None)
    return named[0], second or compared_quarter(text, named[0])


def change_expression(a: dict[str, Any], b: dict[str, Any]) -> str:
    """``calculate`` expression for the change from row ``b`` to row ``a`` in percent (module docstring)."""
    return f"({a['capex_usd_b']!r} / {b['capex_usd_b']!r} - 1) * 100"


def label(at: tuple[int, int]) -> str:
    """'Q1 FY2026' (the company's fiscal quarter)."""
    return f"Q{at[1]} FY{at[0]}"


_COUNT = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}
_SUM = re.compile(r"\bsum|\btotal|combined|add(?:ed)? up|altogether|cumulative|year[- ]to[- ]date|\bytd\b", re.I)
_FIRST_N = re.compile(rf"\bfirst\s+(?P<n>two|three|four|[234])\s+(?:fiscal\s+)?quarters\s+(?:of\s+|in\s+)?{_Y}\b", re.I)
_RANGE = re.compile(rf"\bq(?P<a>[1-4])\s*(?:-|–|to|through|thru)\s*q(?P<b>[1-4])\s*(?:of\s+)?{_Y}\b", re.I)


def summed_quarters(text: str) -> list[tuple[int, int]]:
    """The fiscal quarters a question adds up ("first 3 quarters of FY26 summed", "total Q1-Q3 2026 capex"),
    in order; [] when it asks no sum of quarters."""
    if not _SUM.search(text):
        return []
    if m := _FIRST_N.search(text):
        first, last = 1, _COUNT[m.group("n").lower()]
    elif m := _RANGE.search(text):
        first, last = int(m.group("a")), int(m.group("b"))
    else:
        return []
    year = int(m.group("y"))
    year += 2000 if year < 100 else 0
    return [(year, q) for q in range(first, last + 1)] if last > first else []


def quarter_sum_rows(quarters: list[tuple[int, int]], data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The rows of ``quarters`` from one capex result; None when the table lacks any of them."""
    rows = [_row(data, at) for at in quarters]
    return None if any(r is None for r in rows) else rows  # type: ignore[return-value]


def sum_expression(rows: list[dict[str, Any]]) -> str:
    """``calculate`` expression adding the quarters' capex (USD billion)."""
    return " + ".join(repr(r["capex_usd_b"]) for r in rows)


def quarter_sum_lead(quarters: list[tuple[int, int]], data: dict[str, Any], values: dict[str, Any]) -> str:
    """The sum of the quarters with each row, from ``calculate``; or which quarters the table lacks."""
    from agent.render.figures import usd

    series = str(data.get("series", ""))
    rows = quarter_sum_rows(quarters, data)
    if rows is None:
        missing = [label(at) for at in quarters if _row(data, at) is None]
        return f"**The quarterly capex table has no {series} row for {', '.join(missing)}**, so no sum is given."
    total = values.get(sum_expression(rows))
    parts = ", ".join(f"{label(at)} {usd(r['capex_usd_b'] * 1e9)}" for at, r in zip(quarters, rows, strict=True))
    if not isinstance(total, (int, float)):
        return f"{series} capex: {parts}."
    return (
        f"**{series} capex, {label(quarters[0])} to {label(quarters[-1])}: {usd(total * 1e9)}** ({parts}; fiscal "
        f"quarters as filed, last ended {rows[-1]['period_end']}; cash purchases of P&E excluding finance leases)"
    )
