"""A bill for tokens at a stated price per million tokens, by ``calculate``: tokens x price / 10^6.

"each query is 1,200 tokens total (200 prompt + 1,000 output) and we charge only on output at $4 per M tokens:
revenue per query?", "1,000 output tokens vs 11,000 at $10 per million output tokens: cost per answer?" and
"3M input tokens at $0.50/Mtok plus 1M output tokens at $1.50/Mtok: total and blended $/Mtok?" price token
counts the analyst states; no calculator takes a price per token, so the plan computes

    cost (USD)          = tokens x price per million tokens / 10^6      (each count, at its price)
    total (USD)         = the sum, when each count has its own price
    blended (USD/Mtok)  = total / all tokens x 10^6
    per month (USD)     = a daily bill x the days of the month, when the question says both

A count is priced at the price written after it, else at the one price the question gives. "only on output"
prices the output part of a total split into prompt + output.
"""

from __future__ import annotations

import re
from typing import Any

from agent.input_accounting import stated_quantities
from agent.offline.plan_types import Labels, expr_number
from agent.offline.slots import clause_around
from tools.quantities import Quantity

_ONLY_OUTPUT = re.compile(r"only (?:on |for )?(?:the )?output", re.I)
_PER_DAY = re.compile(r"(?:/|per |a )day\b", re.I)
_MONTH_DAYS = re.compile(r"(\d+)[- ]day month", re.I)
_OUTPUT_PART = re.compile(r"([\d.,]+\s?k?)\s*(?:output|answer)", re.I)


def _counts(question: str, qs: list[Quantity]) -> list[Quantity]:
    """Token counts: quantities in tokens, and plain counts in a clause about tokens that are not a bracketed part."""
    out = []
    for q in qs:
        bracketed = question[: q.start].rstrip().endswith("(")
        if q.unit == "tokens" or (
            q.unit == "" and q.value >= 100 and not bracketed and "token" in clause_around(question, q)
        ):
            out.append(q)
    return out


def _priced(question: str, q: Quantity) -> float:
    """The tokens of ``q`` to charge: its output part when only output is charged."""
    if q.parts and _ONLY_OUTPUT.search(question) and (m := _OUTPUT_PART.search(q.text)):
        return next((p for p in q.parts if expr_number(p) in m.group(1).replace(",", "").replace("k", "000")), q.value)
    return q.value


def token_bill_calls(question: str, make: Any) -> tuple[list[Any], Labels, str] | None:
    """``calculate`` calls for the bill (module docstring), their labels and the note; None when the question
    states no price per million tokens or no token count."""
    qs = stated_quantities(question)
    prices = [q for q in qs if q.unit == "usd/mtok"]
    counts = _counts(question, qs)
    if not prices or not counts:
        return None
    pairs = []
    for q in counts:
        after = next((p for p in prices if p.start > q.end and clause_around(question, p).find("token") >= 0), None)
        price = after if len(prices) > 1 and after is not None else prices[0] if len(prices) == 1 else None
        if price is not None and (len(prices) == 1 or after is not None):
            pairs.append((q, price))
    if not pairs or (len(prices) > 1 and len({id(p) for _, p in pairs}) < len(prices)):
        return None
    calls: list[Any] = []
    labels: Labels = {}
    costs = []
    for q, price in pairs:
        expr = f"{expr_number(_priced(question, q))} * {expr_number(price.value)} / 1e6"
        costs.append(expr)
        labels[expr] = (f"Cost of {q.text} at {price.text}", "USD", "tokens x price per million / 10^6")
        calls.append(make("calculate", {"expression": expr}))
    if len(prices) > 1:
        total = " + ".join(costs)
        tokens = " + ".join(expr_number(q.value) for q, _ in pairs)
        labels[total] = ("Total cost", "USD", "the sum")
        labels[f"({total}) / ({tokens}) * 1e6"] = ("Blended price", "USD per million tokens", "total / all tokens")
        calls += [
            make("calculate", {"expression": total}),
            make("calculate", {"expression": f"({total}) / ({tokens}) * 1e6"}),
        ]
    month = _MONTH_DAYS.search(question)
    if month and _PER_DAY.search(question) and len(costs) == 1:
        expr = f"{costs[0]} * {month.group(1)}"
        labels[expr] = (f"Bill for a {month.group(1)}-day month", "USD", "the daily bill x days")
        calls.append(make("calculate", {"expression": expr}))
    note = "Priced as stated: " + "; ".join(f"{q.text} at {p.text}" for q, p in pairs) + " (tokens x price / 10^6)."
    if _ONLY_OUTPUT.search(question):
        note += " Only the output tokens are charged, as asked."
    rest = [q.text for q in qs if q.unit in ("tokens", "") and q.value >= 100 and all(q is not c for c, _ in pairs)]
    if rest:
        note += " Stated and not priced on their own: " + "; ".join(rest) + "."
    return calls, labels, note
