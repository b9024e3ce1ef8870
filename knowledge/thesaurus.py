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
    # Reasoning models (eighth round): analysts say "reasoning/thinking model", the speakers "O1-style".
    "reasoning model": "o1",
    "reasoning models": "o1",
    "reasoning query": "o1",
    "reasoning queries": "o1",
    "thinking model": "o1 reasoning",
    "thinking models": "o1 reasoning",
    # Chips to their maker and their generation (the speakers say the family or the company).
    "maia": "Microsoft",
    "mtia": "Meta",
    "b100": "Blackwell",
    "b200": "Blackwell",
    "gb200": "Blackwell",
    "gpu cloud": "neo cloud",
    "gpu clouds": "neo clouds",
    # Judgement and outcomes.
    "real test": "reckoning",
    "moment of truth": "reckoning",
    "hit a wall": "reckoning slowdown",
    "winners and losers": "good news bad news",
    "who wins": "good news bad news",
    "upside": "good news",
    "downside": "bad news",
    "flop": "failure failed",
    "flopped": "failure failed",
    "consolidation": "survive",
    "shakeout": "survive consolidation",
    # Spending too much or too little.
    "overbuild": "overbuilt overspend",
    "overbuilding": "overbuilt overspend",
    "too little": "underspend",
    "too many": "overbuilt",
    "overcapacity": "overbuilt",
    # Buying.
    "orders": "purchases buying",
    "pause": "slowdown",
    "pushing": "forcing",
    "largest": "biggest highest",
    "component cost": "cost of goods sold",
    "component expense": "cost of goods sold",
    "single out": "call out",
    "expensive": "cost",
    "pricier": "cost",
    "storage": "memory",
    "footprint": "memory",
    "stocks": "investing",
    "stock purchases": "investing",
    "report": "piece",
    "growing up": "child",
    "as a kid": "child",
    "childhood": "child",
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
