"""Figures a bandwidth-bound decode question asks for beside the speed (:mod:`agent.offline.decode_bound`):

    bytes read per step (GB) = (weight bytes + batch x KV bytes per sequence + stated KV per step) / 10^9
    $ per million tokens     = $ per hour for the replica / (aggregate tokens/s x 3,600) x 10^6

The stated price is per accelerator ("each gpu costs $2.10/hr", "$2/GPU-hr") and multiplied by the
accelerators, unless it is said to be for the whole node, server, box, instance or cluster ("node rents for
$42/hr"), or stated as a total.
"""

from __future__ import annotations

import re

from agent.offline.plan_types import expr_number
from tools.quantities import Quantity

#: The question asks for the bytes a step reads ("bytes read per decode step", "GB per step").
_BYTES_ASKED = re.compile(
    r"bytes?\b[^.?;]{0,30}(?:read|per (?:decode )?step|/step)|\bGB (?:read|per (?:decode )?step)", re.I
)
#: A figure just before "bytes"/"GB": the bytes are stated ("141 GB read per token", "16e9 bytes per step").
_STATED = re.compile(r"\d\s*(?:[kmgt]?i?b?\s*)?$", re.I)
_PER_MTOK = re.compile(r"\$\s*/\s*m\s*tok|per (?:million|mil|m)\b\s*tok|/\s*mtok|\bmtok\b|per 1m tok", re.I)
_WHOLE = re.compile(r"\b(?:node|server|box|instance|cluster|whole|total|all)\b", re.I)


def bytes_per_step(question: str, reads: str) -> tuple[str, tuple[str, str, str]] | None:
    """The expression (GB) and label of the bytes one step reads, when the question asks for them; ``reads`` is
    the bytes-per-step expression."""
    asked = [m for m in _BYTES_ASKED.finditer(question) if not _STATED.search(question[: m.start()])]
    if not asked:
        return None  # "141 GB read per token" states the bytes, it does not ask for them
    return f"({reads}) / 1e9", ("Bytes read per decode step", "GB", "weights + batch x KV per sequence")


def cost_per_mtok(
    question: str, qs: list[Quantity], gpus: int, aggregate: str
) -> tuple[str, tuple[str, str, str]] | None:
    """The $/Mtok expression and label at the ceiling ``aggregate`` (tokens/s) for the stated hourly price,
    when the question asks for $/Mtok and states one price per hour (module docstring)."""
    prices = [q for q in qs if q.unit == "usd/hour"]
    if len(prices) != 1 or not _PER_MTOK.search(question):
        return None
    price = prices[0]
    whole = _WHOLE.search(question[max(0, price.start - 30) : price.end + 20])
    hourly = expr_number(price.value) if whole or gpus == 1 else f"{gpus} * {expr_number(price.value)}"
    basis = f"{'' if whole or gpus == 1 else f'{gpus} x '}{price.text} / (tokens/s x 3,600 s) x 1e6, at the ceiling"
    return f"{hourly} / (({aggregate}) * 3600) * 1e6", ("Cost at the ceiling", "$/M tokens", basis)
