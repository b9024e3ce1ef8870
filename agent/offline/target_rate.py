"""The throughput an accelerator-hour must produce to reach a target cost per million tokens, by ``calculate``.

"what aggregate tok/s does a $2/hr GPU need to get to $0.50 per M tokens?": the hour's price over the target
price per token is the tokens the hour must produce (tokens/s):

    tokens/s needed = price per hour / utilization / target $ per million tokens x 10^6 / 3,600

(utilization 1 unless stated). Nothing is computed unless the question asks for a rate and states exactly one
price per hour and one target per million tokens (and at most a utilization), and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_ASKED = re.compile(
    r"(?:tok(?:en)?s?\s*/\s*s|tokens? per second|throughput|\btps\b).{0,60}\b(?:need|required|to (?:get|hit|reach))"
)


def target_rate_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The ``calculate`` call, label and note for the tokens/s a target $/Mtok needs (module docstring); None
    otherwise. ``make(name, args)`` builds a call."""
    if not _ASKED.search(question.lower()):
        return None
    prices = [q for q in quantities if q.unit == "usd/hour"]
    targets = [q for q in quantities if q.unit == "usd/mtok"]
    utils = [q for q in quantities if q.unit == "fraction" and 0 < q.value <= 1]
    if len(prices) != 1 or len(targets) != 1 or len(utils) > 1 or len(quantities) != 2 + len(utils):
        return None
    price, target = prices[0], targets[0]
    util = f" / {utils[0].value!r}" if utils else ""
    expr = f"{price.value!r}{util} / {target.value!r} * 1e6 / 3600"
    basis = (
        f"{price.text}"
        + (f" / {utils[0].text} utilization" if utils else "")
        + f" / {target.text}, in tokens per second"
    )
    note = (
        "Tokens per second the paid hour must produce to cost the target per million tokens"
        + ("" if utils else " (every paid hour serving: no utilization given)")
        + "."
    )
    return [make("calculate", {"expression": expr})], {expr: ("Throughput needed", "tokens/s", basis)}, note
