"""The chip power of a stated number of chips at the catalog TDP, beside a podcast quote's own sums.

"400k Trainium chips at Dylan's $5k per chip: total $? and at catalog TDP how many MW of chip power?" asks
for the product of the stated price (:mod:`agent.offline.quote_arithmetic`) and for the chips' nameplate
power, which the question says comes from the catalog (``accelerators.csv`` ``tdp_w``, sourced per row):

    chip power (MW) = N x TDP (W) / 10^6

Only the chips' own TDP: no host, network or cooling share and no PUE (the question asks for chip power).
Asked only when the question says "TDP" (or "chip power") and names one catalog chip and a count of chips.
"""

from __future__ import annotations

import re

from agent.offline.quote_arithmetic import Sum

_ASKS_TDP = re.compile(r"\btdp\b|\bchip power\b|\bnameplate\b", re.I)


def tdp_sums(text: str) -> list[Sum]:
    """The chip-power sum of ``text`` (module docstring), or [] when it asks none or the chip has no TDP."""
    from agent.offline.names import short_chip
    from agent.offline.parse import parse
    from agent.offline.quote_arithmetic import counts
    from tools.catalog import find_accelerator

    if not _ASKS_TDP.search(text):
        return []
    chips = [m.name for m in parse(text).chips if m.name]
    found = counts(text)
    if len(set(chips)) != 1 or not found:
        return []
    tdp = find_accelerator(chips[0]).tdp_w
    if not tdp:
        return []
    n = max(found, key=lambda q: q.value)
    return [
        Sum(
            f"{n.value:g} * {tdp:g} / 1000000",
            f"chip power of {n.text} {short_chip(chips[0])} at the catalog TDP of {tdp:g} W each",
            "MW",
        )
    ]
