"""Query expansion: analysts' words for things the speakers name differently.

Applied to queries only (never to the indexed text), for the lexical ranking: a query word
that matches a key adds the listed words, so "serving" also matches "inference" and "lock-in"
matches "moat". Each entry is a general equivalence of the domain, not a phrase of the episode.
"""

from __future__ import annotations

import re

#: query word or phrase (lower case) -> words added to the query
EXPANSIONS: dict[str, str] = {
    "serving": "inference",
    "serve": "inference",
    "served": "inference",
    "thinking": "reasoning",
    "reasoning": "thinking",
    "lock-in": "moat",
    "moat": "lock-in",
    "foundry": "TSMC",
    "capex": "capital spend spending",
    "capital expenditure": "capex spend",
    "p/e": "PE price to earnings multiple",
    "price to earnings": "PE multiple",
    "gpu maker": "NVIDIA",
    "accelerator": "chip GPU",
    "accelerators": "chips GPUs",
    "profitable": "margins",
    "profitability": "margins",
    "bill of materials": "cost of goods sold",
    "input cost": "cost of goods sold",
    "neocloud": "neo cloud",
    "neoclouds": "neo clouds",
    "rent": "rental pricing",
    "lease": "rent rental",
}

_PATTERN = re.compile(
    r"(?<![\w/-])(" + "|".join(re.escape(k) for k in sorted(EXPANSIONS, key=len, reverse=True)) + r")(?![\w/-])",
    re.IGNORECASE,
)


def expand(query: str) -> str:
    """``query`` followed by the expansions of the terms it contains.

    >>> expand("cost of serving on an accelerator")
    'cost of serving on an accelerator inference chip GPU'
    """
    extra = [EXPANSIONS[m.group(1).lower()] for m in _PATTERN.finditer(query)]
    return " ".join([query, *dict.fromkeys(extra)])
