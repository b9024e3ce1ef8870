"""An extractive answer: the one or two sentences of the retrieved passages that answer a question.

Nothing is written: each sentence is copied from a passage (whitespace collapsed) with the
number of the passage it comes from and, for the bundled transcript, who said it
(:mod:`knowledge.speakers`). A sentence's score:

    score = distinct query terms it contains (BM25 tokens: stemmed, stop words and speaker names removed)
          + 1 for each pair of consecutive query terms found next to each other
          + 1 when it is the passage's sentence closest in meaning to the query (``best_sentence``)
          + 0.5 when its speaker is the one the question asks about ("what did Dylan say"),
            - 1 when the question asks about a speaker and another one says it
          - 0.5 when it is a question and the question does not ask what a host asked
          - 0.1 x (rank of its passage among those given - 1)

Sentences under ``MIN_WORDS`` words ("Right.", "Correct.") are skipped. The best sentence is the
answer; a second one is added when it scores at least ``SECOND_RATIO`` of the best and holds a
query term the first lacks (another part of the answer), or when the first is short and the
sentence after it continues the same turn.

:func:`nothing_close` says when no passage is close to the question (:mod:`knowledge.verdict`, the
verdict the search tool returns too): the caller then says so instead of showing unrelated passages.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from knowledge.bm25 import tokenize
from knowledge.transcript import sentence_spans
from knowledge.verdict import NOTHING_CLOSE, judge
from knowledge.verdict import content_terms as _content_terms

__all__ = ["NOTHING_CLOSE", "Sentence", "answer_line", "extract", "nothing_close", "query_terms"]

MIN_WORDS = 6
SECOND_RATIO = 0.6


@dataclass(frozen=True)
class Sentence:
    """One sentence copied from the passage cited as ``[ref]``, with its speaker label when known."""

    text: str
    ref: int
    speaker: str | None
    score: float


def query_terms(query: str, names: tuple[str, ...] = ()) -> list[str]:
    """The question's content terms (BM25 tokens), without frame words and speaker names, in order."""
    return _content_terms(query, names, expanded=False)


def _score(tokens: list[str], terms: list[str]) -> float:
    have = set(tokens)
    score = float(len(set(terms) & have))
    pairs = set(itertools.pairwise(tokens))
    score += sum(1 for a, b in itertools.pairwise(terms) if (a, b) in pairs)
    return score


def _candidates(
    passages: list[dict[str, Any]], terms: list[str], wanted: tuple[str, str | None] | None, refs: list[int]
) -> list[Sentence]:
    from knowledge.speakers import speaker_of

    out = []
    for rank, (ref, p) in enumerate(zip(refs, passages), start=1):
        text = str(p.get("text", ""))
        for a, b in sentence_spans(text):
            sentence = " ".join(text[a:b].lstrip("- ").split())
            if len(sentence.split()) < MIN_WORDS:
                continue
            turn = speaker_of(str(p.get("chunk_id", "")), text, a)
            score = _score(tokenize(sentence), terms) - 0.1 * (rank - 1)
            if score <= 0:
                continue
            if sentence == " ".join(str(p.get("best_sentence") or "").lstrip("- ").split()):
                score += 1.0
            if wanted and turn:
                same = turn.role == wanted[0] and (wanted[1] is None or turn.name in (wanted[1], None))
                score += 0.5 if same else -1.0
            if sentence.endswith("?") and not (wanted and wanted[0] == "host"):
                score -= 0.5
            out.append(Sentence(sentence, ref, turn.label() if turn else p.get("speaker"), score))
    return out


def extract(
    query: str,
    passages: list[dict[str, Any]],
    wanted: tuple[str, str | None] | None = None,
    names: tuple[str, ...] = (),
    refs: list[int] | None = None,
) -> list[Sentence]:
    """The one or two sentences of ``passages`` (dicts with ``text`` and ``chunk_id``) that best answer
    ``query``; [] when no sentence holds a query term. ``wanted`` = (role, name) of the speaker asked about;
    ``refs`` = the citation number of each passage (default 1, 2, 3 ...)."""
    terms = query_terms(query, names)
    if not terms:
        return []
    refs = refs or list(range(1, len(passages) + 1))
    ranked = sorted(_candidates(passages, terms, wanted, refs), key=lambda s: -s.score)
    if not ranked or ranked[0].score < 1:
        return []
    best = ranked[0]
    first_terms = set(tokenize(best.text))
    for other in ranked[1:]:
        if other.score >= SECOND_RATIO * best.score and set(tokenize(other.text)) - first_terms & set(terms):
            return [best, other]
    return [best]


def nothing_close(query: str, passages: list[dict[str, Any]], names: tuple[str, ...] = ()) -> bool:
    """True when no passage is close to the question: the verdict of :func:`knowledge.verdict.judge`, the
    same one the search tool returns (so the writer and the tool never disagree)."""
    return not judge(query, [str(p.get("text", "")) for p in passages], names).close


def answer_line(sentences: list[Sentence]) -> str:
    """'Dylan Patel (guest): "...". [2]' for each sentence, joined; '' for none."""
    parts = []
    for s in sentences:
        who = f"{s.speaker[0].upper()}{s.speaker[1:]}: " if s.speaker else ""
        parts.append(f'{who}"{s.text}" [{s.ref}]')
    return " ".join(parts)
