"""How much of a question's wording one sentence of a passage holds (the lexical half of the
sentence re-scoring in :mod:`knowledge.search`).

BM25 scores a 160-word chunk as a bag of words: a chunk that says "test" in one sentence and
"spending" in another ties with one whose single sentence says both. The answer to a question
usually sits in one sentence, so each top candidate also gets its best sentence's share of the
question's terms, weighted by how rare each term is:

    idf(t)         = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))     N = chunks with sentences,
                                                                    df(t) = those containing t
    coverage(s)    = sum of idf(t) for the query terms t in sentence s / sum of idf(t) over all query terms
    coverage(c)    = max over the sentences s of chunk c of coverage(s)            (0..1)

Terms are the BM25 tokens (stemmed, through the synonym layer) of the thesaurus-expanded question,
without the frame words (:data:`knowledge.verdict.FRAME_WORDS`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from knowledge.aliases import canonicalize
from knowledge.bm25 import tokenize
from knowledge.documents import Doc
from knowledge.transcript import sentence_spans
from knowledge.verdict import FRAME_WORDS


@dataclass(frozen=True)
class SentenceTerms:
    """Each chunk's sentences as sets of BM25 tokens, and the idf of every token over those chunks."""

    sentences: dict[str, list[frozenset[str]]]
    idf: dict[str, float]

    @classmethod
    def build(cls, chunks: Iterable[tuple[str, Sequence[str]]]) -> SentenceTerms:
        """From (chunk id, its sentence texts through the synonym layer) pairs; chunks without sentences
        are left out."""
        sentences = {cid: [frozenset(tokenize(s, canonical=True)) for s in texts] for cid, texts in chunks if texts}
        df: dict[str, int] = {}
        for sets in sentences.values():
            for token in frozenset().union(*sets):
                df[token] = df.get(token, 0) + 1
        n = len(sentences)
        return cls(sentences, {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()})

    def weight(self, term: str) -> float:
        """idf of ``term``; a term no chunk holds gets the idf of df = 0."""
        return self.idf.get(term, math.log(1 + (len(self.sentences) + 0.5) / 0.5))

    def coverage(self, terms: Sequence[str], chunk_ids: Iterable[str]) -> dict[str, float]:
        """coverage(c) for each of ``chunk_ids`` that has sentences (module docstring); {} without terms."""
        if not terms:
            return {}
        total = sum(self.weight(t) for t in terms)
        out = {}
        for cid in chunk_ids:
            sets = self.sentences.get(cid)
            if sets:
                out[cid] = max(sum(self.weight(t) for t in terms if t in s) for s in sets) / total
        return out


def sentence_texts(doc: Doc, index_text: str | None = None) -> list[str]:
    """``doc``'s sentences through the synonym layer; none for a spec sheet.

    ``index_text``: the chunk's :meth:`Doc.index_text` when already computed (its chapter head is cut
    off, so the synonym layer, the slow part, is not run again).
    """
    if doc.kind != "transcript":
        return []
    head = canonicalize(f"{doc.chapter}: ") if doc.chapter else ""
    text = index_text[len(head) :] if index_text is not None and head and index_text.startswith(head) else None
    text = text if text is not None else canonicalize(doc.text)
    return [text[a:b] for a, b in sentence_spans(text) or [(0, len(text))]]


def query_terms(expanded_query: str) -> list[str]:
    """Distinct BM25 tokens of the (thesaurus-expanded) query without frame words, in order.

    >>> query_terms("what did he say about HBM margins")
    ['hbm', 'margin']
    """
    return [t for t in dict.fromkeys(tokenize(expanded_query)) if t not in FRAME_WORDS]
