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

When the question asks for a figure (:func:`knowledge.figures.asked_kinds`: "what share ...", "how many
users ...", "what does that server cost"), a sentence holding a figure of an asked kind scores
``FIGURE_BONUS`` more, plus the score of the sentence just before it: in full when that is another
speaker's question ("Dylan, what percentage of AI workloads ...?" - "So I would say ... over 98%."), also in
full when the same speaker goes on in a short sentence ("... one server for LLAMA 405B, right?" - "Like, you
know, $300,000 server or so."), by half in a longer one. The answer then
also takes the next sentence of the same passage that gives another figure (within three) ("But then when you
bring Google into the mix, it's actually more like 70"), and the best sentence holding an asked kind
the first lacks ("how many users ..., and what does that server cost?").

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
from knowledge.figures import KINDS as KINDS_ALL
from knowledge.transcript import sentence_spans
from knowledge.verdict import NOTHING_CLOSE, judge
from knowledge.verdict import content_terms as _content_terms

__all__ = ["NOTHING_CLOSE", "Sentence", "answer_line", "extract", "nothing_close", "query_terms"]

MIN_WORDS = 6
SECOND_RATIO = 0.6
FIGURE_BONUS = 1.5
SHORT_WORDS = 12


@dataclass(frozen=True)
class Sentence:
    """One sentence copied from the passage cited as ``[ref]``, with its speaker label when known."""

    text: str
    ref: int
    speaker: str | None
    score: float
    at: tuple[int, int] = (0, 0)  # (passage rank, sentence number): where it sits among those given


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
    passages: list[dict[str, Any]],
    terms: list[str],
    wanted: tuple[str, str | None] | None,
    refs: list[int],
    kinds: tuple[str, ...] = (),
) -> list[Sentence]:
    from knowledge.figures import holds
    from knowledge.speakers import speaker_of

    out = []
    for rank, (ref, p) in enumerate(zip(refs, passages), start=1):
        text = str(p.get("text", ""))
        previous: tuple[str, Any] = ("", None)
        for n, (a, b) in enumerate(sentence_spans(text)):
            sentence = " ".join(text[a:b].lstrip("- ").split())
            turn = speaker_of(str(p.get("chunk_id", "")), text, a)
            (asked_before, asker), previous = previous, (sentence, turn)
            if len(sentence.split()) < MIN_WORDS:
                continue
            score = _score(tokenize(sentence), terms) - 0.1 * (rank - 1)
            if kinds and holds(sentence, kinds):
                score += FIGURE_BONUS + _context(asked_before, asker, turn, terms, len(sentence.split()))
            if score <= 0 and not kinds:  # a figure question keeps them: one may give the alternative figure
                continue
            if sentence == " ".join(str(p.get("best_sentence") or "").lstrip("- ").split()):
                score += 1.0
            if wanted and turn:
                same = turn.role == wanted[0] and (wanted[1] is None or turn.name in (wanted[1], None))
                score += 0.5 if same else -1.0
            tag = kinds and sentence.endswith(", right?")  # a figure stated with a tag question is a statement
            if sentence.endswith("?") and not tag and not (wanted and wanted[0] == "host"):
                score -= 0.5
            out.append(Sentence(sentence, ref, turn.label() if turn else p.get("speaker"), score, (rank, n)))
    return out


def _who(turn: Any) -> tuple[str, str | None] | None:
    return (turn.role, turn.name) if turn is not None else None


def _context(before: str, asker: Any, turn: Any, terms: list[str], words: int) -> float:
    """The score a figure sentence of ``words`` words takes from the sentence before it: in full when that is
    another speaker's question the figure answers, or when the same speaker goes on in a short sentence
    (``SHORT_WORDS`` or fewer: "Like, you know, $300,000 server or so."); by half when the same speaker goes on
    at length; else none."""
    if before.endswith("?") and _who(asker) != _who(turn):
        return _score(tokenize(before), terms)
    if _who(asker) != _who(turn):
        return 0.0
    return (1.0 if words <= SHORT_WORDS else 0.5) * _score(tokenize(before), terms)


def extract(
    query: str,
    passages: list[dict[str, Any]],
    wanted: tuple[str, str | None] | None = None,
    names: tuple[str, ...] = (),
    refs: list[int] | None = None,
    kinds: tuple[str, ...] = (),
) -> list[Sentence]:
    """The one or two sentences of ``passages`` (dicts with ``text`` and ``chunk_id``) that best answer
    ``query``; [] when no sentence holds a query term. ``wanted`` = (role, name) of the speaker asked about;
    ``refs`` = the citation number of each passage (default 1, 2, 3 ...); ``kinds`` = the kinds of figure
    the question asks for (:func:`knowledge.figures.asked_kinds`), which may add sentences (module docstring)."""
    terms = query_terms(query, names)
    if not terms:
        return []
    refs = refs or list(range(1, len(passages) + 1))
    candidates = _candidates(passages, terms, wanted, refs, kinds)
    ranked = sorted((c for c in candidates if c.score > 0), key=lambda s: -s.score)
    if not ranked or ranked[0].score < 1:
        return []
    best = ranked[0]
    if kinds:
        return _with_figures(best, ranked, candidates, kinds)
    first_terms = set(tokenize(best.text))
    for other in ranked[1:]:
        if other.score >= SECOND_RATIO * best.score and set(tokenize(other.text)) - first_terms & set(terms):
            return [best, other]
    return [best]


def _with_figures(
    best: Sentence, ranked: list[Sentence], candidates: list[Sentence], kinds: tuple[str, ...]
) -> list[Sentence]:
    """A figure question's answer: the best sentence, the next one of its passage when it gives another figure
    (an alternative: "with Google, more like 70"), and the best sentence holding an asked kind still missing."""
    from knowledge.figures import figures

    out = [best]
    given = {f.kind for f in figures(best.text)}
    if given & set(kinds):
        following = [c for c in candidates if c.at[0] == best.at[0] and best.at[1] < c.at[1] <= best.at[1] + 3]
        after = next((c for c in following if figures(c.text)), None)
        kinds_after = {f.kind for f in figures(after.text)} if after is not None else set()
        alternative = "count" in kinds_after and after is not None and after.speaker == best.speaker
        if after is not None and (kinds_after & set(kinds) or (alternative and not given & {"$", "count"})):
            out.append(after)
            given |= kinds_after
    for kind in kinds if len(kinds) < len(KINDS_ALL) else ():
        if kind in given:
            continue
        other = next((s for s in ranked if s not in out and kind in {f.kind for f in figures(s.text)}), None)
        if other is not None and other.score >= SECOND_RATIO * best.score:
            out.append(other)
            given |= {f.kind for f in figures(other.text)}
    return sorted(out, key=lambda s: s.at)


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
