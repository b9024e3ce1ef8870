"""The price that gives a stated gross margin on a stated cost, by ``calculate``.

"my cost is $0.90 per M tokens. what price gives a 60% gross margin (margin = (price - cost) / price)?": with
the margin on the price, price = cost / (1 - margin), in the cost's own unit (USD per hour, per million tokens).

Nothing is computed unless the question asks for a price with a margin and states exactly one cost (a price per
hour or per million tokens) and one margin share, and nothing else. A markup on cost ("cost plus 30%") is not
a gross margin and is not read here.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_ASKED = re.compile(r"(?:price|rate|charge)\b.{0,60}\bmargin|\bmargin\b.{0,60}\b(?:price|rate|charge)\b")
_MARKUP = re.compile(r"markup|mark-up|cost plus|cost-plus|on cost\b")
_UNITS = {"usd/hour": "$ per hour", "usd/mtok": "$ per million tokens"}


def margin_price_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The ``calculate`` call, label and note for the price at a gross margin (module docstring); None otherwise.
    ``make(name, args)`` builds a call."""
    text = question.lower()
    if not _ASKED.search(text) or _MARKUP.search(text) or len(quantities) != 2:
        return None
    costs = [q for q in quantities if q.unit in _UNITS]
    margins = [q for q in quantities if q.unit == "fraction" and 0 < q.value < 1]
    if len(costs) != 1 or len(margins) != 1:
        return None
    cost, margin = costs[0], margins[0]
    expr = f"{cost.value!r} / (1 - {margin.value!r})"
    label = (f"Price for a {margin.text} gross margin", _UNITS[cost.unit], f"{cost.text} / (1 - {margin.value:g})")
    note = "Gross margin read as a share of the price: margin = (price - cost) / price."
    return [make("calculate", {"expression": expr})], {expr: label}, note
