"""Straight-line depreciation of a stated purchase, per year and per accelerator-hour, by ``calculate``.

"depreciation on a $3.2M gb200 nvl72 rack, 6 yr straight line no salvage: per year and per gpu-hour?" (USD, years):

    per year                  = price x (1 - salvage share) / years
    per accelerator-hour      = per year / 8,760 h / accelerators     (accelerators: stated, or the system's name,
                                                                       :mod:`agent.offline.server_size`)

Nothing is computed unless the question asks for depreciation and states one price and one life, with at most a
salvage share and a count of accelerators, and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

Labels = dict[str, tuple[str, str, str]]
_ASKED = re.compile(r"depreciat", re.I)
_SALVAGE = re.compile(r"salvage|residual|resale", re.I)
_HOURLY = re.compile(r"per (?:gpu|chip|accelerator|card)[- ]?h(?:ou)?r|/\s*gpu[- ]?h", re.I)


def _g(value: float) -> str:
    return f"{value:.10g}"


def depreciation_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    from agent.offline.intents import detect
    from agent.offline.parse import parse
    from agent.offline.server_size import named_server_size
    from agent.offline.slots import clause_around

    if not _ASKED.search(question) or "search" in detect(question.lower()):
        return None  # a price someone said: the quote with its computation (agent.offline.quote_compute)
    prices = [q for q in quantities if q.unit == "usd" and q.per in (None, "server", "accelerator")]
    years = [q for q in quantities if q.unit == "years"]
    salvage = [q for q in quantities if q.unit == "fraction" and _SALVAGE.search(clause_around(question, q))]
    counts = [q for q in quantities if q.unit == "" and q.value >= 1 and float(q.value).is_integer()]
    if len(prices) != 1 or len(years) != 1 or len(salvage) > 1 or len(counts) > 1:
        return None
    if len(prices) + len(years) + len(salvage) + len(counts) != len(quantities):
        return None
    price, life = prices[0], years[0]
    kept = f" * (1 - {_g(salvage[0].value)})" if salvage else ""
    per_year = f"{_g(price.value)}{kept} / {_g(life.value)}"
    labels: Labels = {per_year: ("Depreciation per year", "$ per year", f"{price.text} / {life.text}")}
    n = int(counts[0].value) if counts else (named_server_size(question) or parse(question).count)
    if _HOURLY.search(question):
        if not n:
            return None
        labels[f"{per_year} / 8760 / {n}"] = (
            "Depreciation per accelerator-hour",
            "$ per hour",
            f"per year / 8,760 h / {n} accelerators",
        )
    note = "Straight-line depreciation of the price given" + (
        f", less {salvage[0].text} salvage." if salvage else ", no salvage value."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note
