"""'At that price' after a quote: the price the previous answer showed, only when it showed exactly one.

Also "how many Trainium2s for the price of one $40k GPU?" after a quote of Trainium2's price: the ratio of the
question's price to the one other price the quoted passages show (:func:`price_ratio`).

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
from agent.offline.plan_types import Call

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


#: "how many Trainium2s for the price of one $40k GPU?": a ratio of two prices, one of them the quote's.
_PRICE_OF = re.compile(
    r"\bhow many\s+(?P<what>[^?,;]{1,40}?)\s+for the (?:price|cost) of (?:one|a|an|1|a single)\b", re.I
)


def price_ratio(
    question: str, earlier: list[Earlier]
) -> tuple[list[Call], dict[str, tuple[str, str, str]], str | None]:
    """'how many X for the price of one $Y ...' after a quote: ``calculate`` Y / X's price, where X's price is
    the one price the quoted passages show besides Y; (calls, labels, None), or ([], {}, a reply asking for
    X's price). ([], {}, None) when the question is not of this form or the last turn computed."""
    from agent.input_accounting import stated_quantities
    from agent.offline.plan_types import CALCULATORS

    m = _PRICE_OF.search(question)
    last = earlier[-1] if earlier else None
    if m is None or last is None or any(c.name in CALCULATORS for c in last.calls) or not last.reply:
        return [], {}, None
    own = [q for q in stated_quantities(question[m.end() :]) if q.unit == "usd"]
    if len(own) != 1:
        return [], {}, None
    price = own[0]
    others = [p for p in quoted_prices(last.reply) if p[1] == "usd" and p[0] != price.value]
    what = m.group("what").strip()
    if len(others) != 1:
        shown = "no other price" if not others else f"several prices ({', '.join(t for _, _, t in others)})"
        return (
            [],
            {},
            (
                f"The previous answer shows {shown}, so I can't tell what one of '{what}' costs, and I won't use a "
                f"catalog price in its place. Ask again with its price, e.g. 'how many {what} at $N each for the "
                f"price of one {price.text}?'."
            ),
        )
    value, _, text = others[0]
    expression = f"{price.value:g} / {value:g}"
    label = (
        f"{what} for the price of one {price.text}",
        "x",
        f"{price.text} / {text}, the price the previous answer quoted",
    )
    return [Call("calculate", {"expression": expression})], {expression: label}, None
