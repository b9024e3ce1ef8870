"""Lexical retrieval: BM25 (bm25s) over the synonym-normalised chunk text.

Dense retrieval misses exact names and numbers ("CXMT", "NVL72", "$5,000", "400,000"); BM25
ranks them. Tokens: lower case, thousands separators dropped ("5,000" -> "5000"), decimals
kept ("4.8"), English stop words removed, words reduced to their Snowball (Porter 2) stem
("margins" -> "margin", "profitable" -> "profit").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import numpy as np

from knowledge.aliases import canonicalize
from knowledge.typo_terms import NearTerms

_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_STOP = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their then there these "
    "they this to was will with i you he she we me my your our what which who how did do does so just like "
    "right yeah know s t about from have has had can could would should been being were its it's also very".split()
)


def tokenize(text: str, *, canonical: bool = False) -> list[str]:
    """BM25 tokens of ``text``: 'HBM margins were $5,000' -> ['hbm', 'margin', '5000'].

    ``canonical=True``: ``text`` already went through the synonym layer (skips it; it is idempotent)."""
    text = _THOUSANDS.sub("", (text if canonical else canonicalize(text)).lower())
    return _stemmer().stemWords([t for t in _TOKEN.findall(text) if t not in _STOP])


@cache
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


class LexicalIndex:
    """BM25 over a fixed list of texts; :meth:`scores` returns one score per text."""

    def __init__(self, texts: Sequence[str], *, canonical: bool = False) -> None:
        """``canonical=True``: the texts already went through the synonym layer (see :func:`tokenize`)."""
        import bm25s

        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        self.near: NearTerms | None = None
        if texts:
            self._bm25.index([tokenize(t, canonical=canonical) or ["\x00empty"] for t in texts], show_progress=False)
            self.near = NearTerms(self._bm25.vocab_dict)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for ``query`` (zeros when no query token is in the vocabulary)."""
        tokens = tokenize(query)
        if not tokens or not self.size:
            return np.zeros(self.size, dtype=np.float32)
        vocab = self._bm25.vocab_dict
        known = [t for t in tokens if t in vocab]
        if self.near is not None:
            words = [w for w in _TOKEN.findall(canonicalize(query).lower()) if w not in _STOP]
            known += self.near.corrections(zip(words, _stemmer().stemWords(words)), vocab)
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)
