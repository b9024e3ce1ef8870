"""``search(query, k=5, source=None) -> list[Passage]``: hybrid retrieval with citations.

Hybrid = score fusion of the dense ranking (MiniLM cosine, see
:meth:`knowledge.index.KnowledgeStore.dense`) and the BM25 ranking, each cut at
``CANDIDATES`` chunks. Each ranking's scores are standardised over its own candidates and the
two are added (distribution-based score fusion):

    z_r(d)   = (s_r(d) - mean_r) / std_r        over ranking r's candidates
    score(d) = z_dense(d) + z_bm25(d)           a chunk missing from a ranking gets its lowest z

Unlike reciprocal rank fusion this keeps *how far* a chunk stands above the rest: a passage
that dense search puts far ahead is not overtaken by one that is merely second in both.
Measured against RRF (k = 60) on the three retrieval suites (README): MRR up on all three.

Catalog names (:mod:`knowledge.catalog_names`): when the query names chips or models, the
sheets of rows it does not name lose ``OTHER_ROW_PENALTY`` (so "MI300X" is not answered with
the MI325X sheet), and when it also asks for a spec ("H200 bandwidth") or ``source="specs"``,
the named rows come first.

Speakers in a question frame (:func:`unattribute`): the transcript does not say who speaks a
turn, so "what did Bill say about ..." or "why does Dylan think ..." only matches chunks where
someone *addresses* that person. The name in such a frame is replaced by "he" before both
rankings; a name elsewhere ("how do the hosts introduce Dylan Patel") is kept.

The thesaurus (:mod:`knowledge.thesaurus`) expands the query for the BM25 ranking only; the
dense ranking embeds the question as typed (the appended words shifted its vector: measured,
hybrid MRR up on the tuning and fresh suites, unchanged on the others; dense-only recall down
on the tuning suite, whose questions the thesaurus was written for: README). The question's frame
("what did he say about") is left out of the BM25 query and added to the dense query vector a
second time without it (:mod:`knowledge.query_forms`).

Best-sentence re-scoring (:func:`rescore_by_sentence`): a 160-word chunk's vector blurs one
sentence that answers the question, so the top ``SENTENCE_CANDIDATES`` of the hybrid ranking
gain ``SENTENCE_WEIGHT`` x the z-score (over those candidates) of cos(query, the chunk's best
single sentence). Measured on the four suites (README): recall@5 / MRR up on the fresh, tuning
and blind suites, one held-out question down one rank (MRR 0.552 -> 0.549). It runs before the
catalog rule, so a spec question still gets the rows it names first (same figures either way).
The same candidates then gain ``COVERAGE_WEIGHT`` x the z-score of the idf-weighted share of the
query's terms in their best sentence (:mod:`knowledge.term_coverage`; seventh round, README).

:func:`search_checked` adds the verdict (:mod:`knowledge.verdict`): the passages when they are close
to the question, else none and the statement to make; what answer writers and the search tool use.

``mode="dense"`` or ``"bm25"`` returns one ranking alone (its own score: cosine similarity or
BM25), for the side-by-side evaluation.
"""

from __future__ import annotations

import re
from typing import Any

from knowledge.passage import Passage, SpokenPart
from knowledge.query_forms import without_frame_words
from knowledge.term_coverage import query_terms
from knowledge.thesaurus import expand
from knowledge.verdict import Verdict, judge
from tools.errors import InputError

# Tuning constants below were chosen by measurement, not derived: each value was kept only when
# hybrid recall@5 and MRR did not fall on any of the four retrieval sets (evals/suites/retrieval*.yaml,
# evals/suites/retrieval_holdout.yaml, evals/suites/retrieval_fresh.yaml); the runs and the
# alternatives tried are recorded in .readme/knowledge.md.
#: Chunks taken from each ranking before fusion.
CANDIDATES = 40
#: Top hybrid candidates re-scored by their best sentence, and the weight of its z-score.
SENTENCE_CANDIDATES = 20
SENTENCE_WEIGHT = 0.3
#: Weight of the z-score (over the same candidates) of the share of the query's terms in a chunk's best sentence.
COVERAGE_WEIGHT = 0.15
#: Fused score (in standard deviations) added x the share of a transcript chunk's words spoken by the
#: speaker a question asks about ("what did Dylan say" -> the guest's turns; "what did Brad ask" -> the hosts').
SPEAKER_WEIGHT = 2.0
#: Fused score (in standard deviations) taken from a catalog row the query does not name,
#: when it names another row.
OTHER_ROW_PENALTY = 1.0
MAX_K = 50
SOURCES = ("transcript", "specs", "all")
MODES = ("hybrid", "dense", "bm25")
#: "did/does/do/according to/per" + a speaker of the episode (BG2: Bill Gurley, Brad Gerstner, Dylan Patel).
_SPEAKER_FRAME = re.compile(
    r"\b(did|does|do|according to|per)\s+(?:bill|brad|dylan)(?:\s+(?:gurley|gerstner|patel))?\b", re.IGNORECASE
)


def unattribute(query: str) -> str:
    """``query`` with a speaker's name in a question frame replaced by "he" (see the module docstring).

    >>> unattribute("what did Bill say about Cisco")
    'what did he say about Cisco'
    >>> unattribute("how do the hosts introduce Dylan Patel")
    'how do the hosts introduce Dylan Patel'
    """
    return _SPEAKER_FRAME.sub(r"\1 he", query)


def _validate(query: Any, k: Any, source: Any, mode: str) -> tuple[str, int, str | None]:
    if not isinstance(query, str) or not query.strip():
        raise InputError("query", f"empty query {query!r}; ask about something, e.g. 'HBM gross margins'.")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise InputError("k", f"got {k!r}; allowed: a whole number from 1 to {MAX_K}.")
    if source not in (None, *SOURCES):
        raise InputError("source", f"got {source!r}; allowed: {', '.join(SOURCES)}.")
    if mode not in MODES:
        raise InputError("mode", f"got {mode!r}; allowed: {', '.join(MODES)}.")
    return query.strip(), k, None if source in (None, "all") else source


def standardise(ranking: list[tuple[str, float]], size: int = 0) -> tuple[dict[str, float], float]:
    """z-scores of one ranking's candidates, and the z-score of a chunk it did not return.

    Mean and standard deviation are taken over ``size`` scores: the ranking's, padded with 0
    (no evidence: BM25 of a chunk sharing no query word) when it returned fewer, so a word
    that only one chunk contains still lifts that chunk. All 0 when the scores are equal.

    >>> standardise([("a", 3.0), ("b", 1.0)])
    ({'a': 1.0, 'b': -1.0}, -1.0)
    """
    if not ranking:
        return {}, 0.0
    values = [s for _, s in ranking] + [0.0] * max(0, size - len(ranking))
    mean = sum(values) / len(values)
    std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    if std == 0:
        return {i: 0.0 for i, _ in ranking}, 0.0
    z = {i: (s - mean) / std for i, s in ranking}
    missing = (0.0 - mean) / std if len(ranking) < size else min(z.values())
    return z, missing


def fuse(rankings: list[list[tuple[str, float]]], size: int = CANDIDATES) -> list[tuple[str, float]]:
    """Sum of standardised scores over ``rankings`` of (id, score), best first (ties by id).

    A candidate missing from a ranking counts that ranking's z-score for a missing chunk (see
    :func:`standardise`).

    >>> fuse([[("a", 0.9), ("b", 0.5), ("c", 0.1)], [("b", 7.0), ("c", 1.0)]], size=3)[0][0]
    'b'
    """
    zs = [standardise(r, size) for r in rankings if r]
    ids = dict.fromkeys(i for r in rankings for i, _ in r)
    scores = {i: sum(z.get(i, missing) for z, missing in zs) for i in ids}
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def apply_catalog_names(fused: list[tuple[str, float]], query: str, kind: str | None) -> list[tuple[str, float]]:
    """Re-rank ``fused`` for the catalog rows ``query`` names (see the module docstring)."""
    from knowledge.catalog_names import asks_for_specs, named_docs

    named = named_docs(query) if kind != "transcript" else []
    if not named:
        return fused
    scores = {i: s - OTHER_ROW_PENALTY if i.startswith(("spec:", "model:")) and i not in named else s for i, s in fused}
    if kind == "specs" or asks_for_specs(query):
        top = max(scores.values(), default=0.0)
        named_order = sorted(named, key=lambda i: -scores.get(i, float("-inf")))
        for rank, i in enumerate(named_order):
            scores[i] = top + len(named_order) - rank
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def rescore_by_sentence(
    ranked: list[tuple[str, float]],
    best: dict[str, float],
    n: int = SENTENCE_CANDIDATES,
    weight: float = SENTENCE_WEIGHT,
) -> list[tuple[str, float]]:
    """``ranked`` with its first ``n`` re-ordered by ``score + weight * z(best sentence)``.

    ``best[i]`` is the cosine of the query and candidate i's best single sentence; its z-score
    is taken over the top-``n`` candidates that have one (a candidate without sentences, such as
    a spec sheet, gains 0). Candidates below the top ``n`` keep their place after them.
    Unchanged when fewer than two candidates have a best sentence.

    >>> [i for i, _ in rescore_by_sentence([("a", 2.0), ("b", 1.9), ("c", 0.5)], {"a": 0.2, "b": 0.6}, n=2)]
    ['b', 'a', 'c']
    """
    top, rest = ranked[:n], ranked[n:]
    values = [best[i] for i, _ in top if i in best]
    if len(values) < 2:
        return ranked
    mean = sum(values) / len(values)
    std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5 or 1.0
    rescored = [(i, s + weight * (best[i] - mean) / std if i in best else s) for i, s in top]
    return sorted(rescored, key=lambda kv: -kv[1]) + rest


def wanted_speaker(query: str, speaker: str | None = None) -> tuple[str, str | None] | None:
    """(role, name) to prefer: ``speaker`` ('guest', 'host' or a name) when given, else the one ``query``
    asks about ("what did Dylan say ..."), else None. An unknown ``speaker`` raises :class:`InputError`."""
    from knowledge import speakers

    cast = speakers.bundled_cast()
    if speaker:
        found = speakers.resolve(speaker, cast)
        if found is None:
            names = ", ".join(["guest", "host", *(n for n in (cast.guest, *cast.hosts) if n)])
            raise InputError("speaker", f"got {speaker!r}; allowed: {names}.")
        return found
    return speakers.query_speaker(query, cast)


def prefer_speaker(
    ranked: list[tuple[str, float]], store: Any, wanted: tuple[str, str | None] | None, weight: float = SPEAKER_WEIGHT
) -> list[tuple[str, float]]:
    """``ranked`` with each bundled transcript chunk raised by ``weight`` x the share of its words spoken by
    the ``wanted`` (role, name) speaker (:func:`wanted_speaker`); unchanged when None."""
    from knowledge import speakers

    if wanted is None or weight == 0:
        return ranked
    role, name = wanted
    out = []
    for i, sc in ranked:
        share = speakers.role_share(i, store.doc(i).text, role, name) if store.has(i) else None
        out.append((i, sc + weight * share if share is not None else sc))
    return sorted(out, key=lambda kv: (-kv[1], kv[0]))


def search(
    query: str,
    k: int = 5,
    source: str | None = None,
    *,
    mode: str = "hybrid",
    store: Any = None,
    speaker: str | None = None,
) -> list[Passage]:
    """The ``k`` best passages for ``query`` from ``source`` ('transcript', 'specs', or None/'all').

    ``speaker`` ('guest', 'host' or a name) prefers that speaker's turns; by default the speaker the
    question asks about ("what did Dylan say", "what did Brad ask") is preferred.
    Raises :class:`InputError` for an empty query, ``k`` outside 1..50, an unknown source or speaker.
    ``store`` defaults to the process-wide index (:func:`knowledge.index.get_store`), built on
    first use.
    """
    query, k, kind = _validate(query, k, source, mode)
    wanted = wanted_speaker(query, speaker)
    query = unattribute(query)
    expanded = expand(query)
    # frame words stay in BM25 when the question asks about a speaker ("what did Brad ask" vs "what did Dylan say")
    lexical_query = expanded if wanted else without_frame_words(expanded)
    if store is None:
        from knowledge.index import get_store

        store = get_store()
    if mode == "dense":
        ranked = store.dense(query, k, kind)
    elif mode == "bm25":
        ranked = store.lexical(lexical_query, k, kind)
    else:
        fused = fuse([store.dense(query, CANDIDATES, kind), store.lexical(lexical_query, CANDIDATES, kind)])
        top = [i for i, _ in fused[:SENTENCE_CANDIDATES]]
        fused = rescore_by_sentence(fused, store.best_sentence(query, top))
        if hasattr(store, "sentence_coverage"):
            covered = store.sentence_coverage(query_terms(expanded), top)
            fused = rescore_by_sentence(fused, covered, weight=COVERAGE_WEIGHT)
        fused = prefer_speaker(fused, store, wanted)
        ranked = [(i, sc) for i, sc in apply_catalog_names(fused, expanded, kind) if store.has(i)]
    return [_passage(store.doc(i), score, _best_sentence(store, query, store.doc(i))) for i, score in ranked[:k]]


def search_checked(
    query: str, k: int = 5, source: str | None = None, *, store: Any = None, speaker: str | None = None
) -> tuple[list[Passage], Verdict]:
    """:func:`search` and its verdict (:mod:`knowledge.verdict`): the passages when they are close to the
    question, else none, and the statement to make instead. What answer writers should use."""
    from knowledge.speakers import bundled_cast, spoken_parts

    extra = {name: v for name, v in (("store", store), ("speaker", speaker)) if v is not None}
    passages = search(query, k=k, source=source, **extra)
    wanted = wanted_speaker(query, speaker)
    cast = bundled_cast()
    spoken = None
    if wanted is not None:
        role, name = wanted
        spoken = [
            text
            for p in passages
            for text, s in spoken_parts(p)
            if s.role == role and (name is None or s.name in (name, None))
        ]
    verdict = judge(query, [p.text for p in passages], [n for n in (cast.guest, *cast.hosts) if n], spoken)
    return (passages if verdict.close else []), verdict


def _best_sentence(store: Any, query: str, doc: Any) -> tuple[int, int] | None:
    """Character span in ``doc.text`` of its sentence closest to ``query`` (stored sentence vectors)."""
    from knowledge.transcript import sentence_spans

    index = store.best_sentence_index(query, doc.chunk_id) if hasattr(store, "best_sentence_index") else None
    spans = sentence_spans(doc.text)
    if index is None or index >= len(spans):
        return None
    return spans[index]


def _passage(doc: Any, score: float, best: tuple[int, int] | None = None) -> Passage:
    from knowledge.speakers import main_speaker, opening, turn_spans

    spoken = turn_spans(doc.chunk_id, doc.text) if doc.origin == "bundled" and doc.kind == "transcript" else []
    turn = main_speaker(doc.chunk_id, doc.text) if spoken else None
    parts = [
        SpokenPart(opening=opening(doc.text[a:b]), speaker=t.label(), role=t.role, name=t.name, rule=t.rule)
        for a, b, t in spoken
    ]
    # the sentence's speaker: the part holding its first word ("- " turn marks are outside the parts)
    at = best[0] + len(doc.text[best[0] : best[1]]) - len(doc.text[best[0] : best[1]].lstrip("- ")) if best else -1
    return Passage(
        speaker=turn.label() if turn else None,
        speaker_rule=turn.rule if turn else None,
        speakers=parts,
        best_sentence_speaker=next((t.label() for a, b, t in spoken if a <= at < b), None),
        best_sentence=" ".join(doc.text[best[0] : best[1]].split()) if best else None,
        text=doc.text,
        source=doc.source,
        chapter=doc.chapter,
        timestamp=doc.timestamp,
        score=round(score, 6),
        chunk_id=doc.chunk_id,
        source_urls=list(doc.source_urls),
        source_kind=source_kind(doc),
    )


def source_kind(doc: Any) -> str:
    """Where a chunk came from, from its origin (set by code at indexing), never from its text."""
    from knowledge.documents import BUNDLED

    if doc.origin != BUNDLED:
        return "user file"
    return "bundled spec" if doc.kind == "specs" else "bundled transcript"
