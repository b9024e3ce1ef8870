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
    # Company names analysts type for the ones the speakers say (parent, cloud, product, chief executive).
    "alphabet": "Google",
    "deepmind": "Google",
    "azure": "Microsoft",
    "nadella": "Microsoft Satya",
    "aws": "Amazon",
    "facebook": "Meta",
    "zuck": "Meta",
    "zuckerberg": "Meta",
    "jensen": "NVIDIA",
    "altman": "OpenAI Sam",
    "sutskever": "Ilya",
    "iphone maker": "Apple",
    "gpu vendor": "NVIDIA",
    "mlnx": "Mellanox",
    # Memory and chips.
    "custom silicon": "custom ASIC",
    "in-house silicon": "custom ASIC internal",
    "in-house chip": "custom ASIC internal",
    "in-house chips": "custom ASIC internal",
    "scale-up": "NVLink NVSwitch",
    "interconnect": "networking NVLink",
    "rival": "competitor",
    "rivals": "competitors",
    "alternative": "competitor",
    "weights": "parameters",
    # Finance.
    "useful life": "depreciation years",
    "depreciation": "useful life",
    "cost to make": "cost of goods sold",
    "unit cost": "cost of goods sold",
    "fcf": "free cash flow",
    # Pace and training.
    "frequency": "cadence every year",
    "release pace": "cadence every year",
    "self-generated": "synthetic",
    "generated data": "synthetic data",
    "candidate answers": "rollouts trajectories",
    "grading": "judge verified",
    "footage": "video",
    "bottleneck": "constrained",
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
