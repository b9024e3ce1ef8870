"""Retrieval quality: recall@k and MRR of hybrid, dense-only and BM25-only search, side by side.

Cases come from ``evals/suites/retrieval.yaml``. A case is a hit at rank r when its gold quote
(or an alternate) is a substring of the r-th passage (whitespace-normalised).

    recall@k = hits within the top k / cases
    MRR      = mean over cases of 1 / (rank of the first hit), 0 when no hit in the top k
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from knowledge.search import MODES, search


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    gold: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class ModeResult:
    """One retrieval mode's figures and the cases it missed (id -> chunk ids it returned)."""

    mode: str
    recall: float
    mrr: float
    misses: dict[str, list[str]] = field(default_factory=dict)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def load_cases(path: str | None = None) -> tuple[int, list[Case]]:
    """(k, cases) of the retrieval suite (the bundled ``evals/suites/retrieval.yaml`` by default)."""
    raw = (
        open(path, encoding="utf-8").read()
        if path
        else (resources.files("evals") / "suites" / "retrieval.yaml").read_text(encoding="utf-8")
    )
    suite = yaml.safe_load(raw)
    cases = [
        Case(c["id"], c["question"], (c["gold"], *c.get("alternates", [])), tuple(c.get("tags", [])))
        for c in suite["cases"]
    ]
    return int(suite.get("k", 5)), cases


def rank_of_gold(passages: list[Any], gold: tuple[str, ...]) -> int | None:
    """1-based rank of the first passage containing any gold quote, or None."""
    wanted = [_norm(g) for g in gold]
    for rank, p in enumerate(passages, start=1):
        text = _norm(p.text)
        if any(g in text for g in wanted):
            return rank
    return None


def evaluate(mode: str, cases: list[Case], k: int, store: Any = None) -> ModeResult:
    """recall@k and MRR of one mode over ``cases``."""
    hits, rr = 0, 0.0
    misses: dict[str, list[str]] = {}
    for case in cases:
        passages = search(case.question, k=k, mode=mode, store=store)
        rank = rank_of_gold(passages, case.gold)
        if rank is None:
            misses[case.id] = [p.chunk_id for p in passages]
        else:
            hits += 1
            rr += 1.0 / rank
    n = len(cases) or 1
    return ModeResult(mode, hits / n, rr / n, misses)


def compare(store: Any = None, path: str | None = None) -> tuple[int, int, list[ModeResult]]:
    """(k, number of cases, results for hybrid, dense and bm25)."""
    k, cases = load_cases(path)
    return k, len(cases), [evaluate(mode, cases, k, store) for mode in MODES]
