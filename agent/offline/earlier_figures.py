"""'At that price' after a quote: the price the previous answer showed, only when it showed exactly one.

"What did Dylan say H100s rent for?" then "ok at that price, 8 GPUs doing 3,000 tok/s - $/Mtok?": the
price is a figure of the previous answer, not of this question. It is taken from the passages that answer
quoted (its ``>`` lines: a cited passage is a source a figure may come from), and used only when those
passages hold one price (the prices this question states itself set aside). No price there, or several,
and the reply says so and asks for the price instead of computing with a catalog default.

Only for a previous turn that computed nothing: after a calculation the rerun already keeps that turn's
price (:mod:`agent.offline.planners.rerun`).
"""

from __future__ import annotations

import re

from agent.offline.history import Earlier

#: "at that price", "at the same rate", "for that price", "that rental price": a price of the answer before.
THAT_PRICE = re.compile(
    r"\b(?:(?:at|for|with|using|on)\s+)?(?:that|this|the same|those|these|his|her|their|the quoted)\s+"
    r"(?:(?:rental|rent|hourly|chip|gpu|quoted)\s+)?(?:price|rate|cost|rent)s?\b",
    re.I,
)
#: Units a price can be written in (a purchase price, an hourly rent).
_PRICE_UNITS = ("usd", "usd/hour")


def quoted_prices(reply: str) -> list[tuple[float, str, str]]:
    """The distinct prices in the passages ``reply`` quotes: (value, unit, text as written), in order."""
    from agent.input_accounting import stated_quantities

    lines = [ln.lstrip("> ") for ln in reply.splitlines() if ln.startswith(">") and not ln.startswith("> —")]
    out: list[tuple[float, str, str]] = []
    for q in stated_quantities("\n".join(lines)):
        if q.unit in _PRICE_UNITS and not any(v == q.value and u == q.unit for v, u, _ in out):
            out.append((q.value, q.unit, q.text))
    return out


def that_price(question: str, earlier: list[Earlier]) -> tuple[str | None, str, str | None]:
    """(``question`` with 'that price' written as the one price the last answer quoted, that price as written,
    None), or (None, "", a reply saying what is missing); (None, "", None) when the question refers to no earlier
    price or the last turn computed."""
    from agent.input_accounting import stated_quantities
    from agent.offline.plan_types import CALCULATORS

    m = THAT_PRICE.search(question)
    last = earlier[-1] if earlier else None
    if m is None or last is None or any(c.name in CALCULATORS for c in last.calls):
        return None, "", None
    own = {(q.value, q.unit) for q in stated_quantities(question)}
    prices = [p for p in quoted_prices(last.reply) if (p[0], p[1]) not in own]
    said = f"'{m.group(0).strip()}'"
    if not prices:
        return (
            None,
            "",
            (
                f"The previous answer shows no price, so {said} has nothing to stand for, and I won't use a catalog "
                "price in its place. Ask again with the price, e.g. 'at $N per GPU-hour' or 'at $N per chip'."
            ),
        )
    if len(prices) > 1:
        listed = ", ".join(text for _, _, text in prices)
        return (
            None,
            "",
            (
                f"The previous answer quotes more than one price ({listed}), so I can't tell which one {said} means. "
                "Ask again with the one you mean written in, e.g. 'at $N per chip'."
            ),
        )
    return f"{question[: m.start()]}at {prices[0][2]}{question[m.end() :]}", prices[0][2], None
