"""A build-out's capex from a stated size and a stated price per watt, by ``calculate``; a price per GW or MW as $/W.

"1.2GW build at $11/W: capex?", "500 MW IT campus at $45/W all-in: total $?" state both factors (USD, watts):

    capex (USD) = power (W) x price (USD per W)

The watts are those the price is quoted on, as stated (IT or facility: the product is the same arithmetic; the
answer says it used the stated power as written). "$50B per GW: what's that per watt, and 60% of it?" restates a
price per GW or MW (USD per W = USD per GW / 10^9, per MW / 10^6), and a share of it is that price x the share.

Nothing is computed unless the question states exactly one power and one price per watt (or one amount per GW /
MW) and at most one share, and nothing else: a PUE, a chip count or a per-chip power is the build-out calculator's.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

Labels = dict[str, tuple[str, str, str]]
_PER_SIZE = re.compile(r"\s*(?:/|per|a|an)\s*(?P<u>gw|gigawatts?|mw|megawatts?|kw|kilowatts?)\b", re.I)
_SCALE = {"g": 1e9, "m": 1e6, "k": 1e3}


def _g(value: float) -> str:
    return f"{value:.10g}"


def _per_size(question: str, q: Quantity) -> float | None:
    """Watts of the size an amount is quoted per ("$50B per GW" -> 1e9); None for a plain amount."""
    m = _PER_SIZE.match(question, q.end)
    return _SCALE[m.group("u")[0].lower()] if q.unit == "usd" and not q.per and m else None


def per_watt_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    per_w = [q for q in quantities if q.unit == "usd/mw"]
    per_size = [(q, w) for q in quantities if (w := _per_size(question, q))]
    watts = [q for q in quantities if q.unit == "W"]
    shares = [q for q in quantities if q.unit == "fraction" and 0 < q.value <= 1]
    if len(per_w) + len(per_size) != 1 or len(shares) > 1:
        return None
    labels: Labels = {}
    if per_w:
        if len(watts) != 1 or len(quantities) != 2 + len(shares):
            return None
        price = per_w[0]
        dollars_per_w = _g(price.value / 1e6)
        total = f"{_g(watts[0].value)} * {dollars_per_w}"
        labels[total] = ("Capex", "USD", f"{watts[0].text} x {price.text}")
        basis = f"{watts[0].text} x {price.text}"
    else:
        if watts or len(quantities) != 1 + len(shares):
            return None
        q, w = per_size[0]
        total = f"{_g(q.value)} / {_g(w)}"
        labels[total] = ("Price per watt (USD per W)", "USD", f"{q.text} / {w:.0e} W")
        basis = f"{q.text} / {w:.0e} W"
    if shares:
        s = shares[0]
        share_of = f"{_g(q.value)} * {_g(s.value)}" if per_size else f"({total}) * {_g(s.value)}"
        what = f"{s.text} of {q.text}" if per_size else f"{s.text} of the capex"
        labels[share_of] = (f"Share: {what}", "USD", f"x {s.value:g}")
    note = f"Arithmetic on the figures you gave ({basis}); no catalog chip or facility default is used."
    return [make("calculate", {"expression": e}) for e in labels], labels, note
