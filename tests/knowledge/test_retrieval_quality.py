"""Retrieval quality with the real offline embedder, on the suite in evals/suites/retrieval.yaml."""

from __future__ import annotations

from importlib import resources

import pytest

from knowledge import transcript as T
from knowledge.retrieval_eval import compare, load_cases

#: Issue 4's quality bar for hybrid search.
BAR_RECALL, BAR_MRR = 0.95, 0.80
#: What hybrid search measured when this test was written (README, `siliconomics search-eval`);
#: a drop below these is a regression.
FLOOR_RECALL, FLOOR_MRR = 0.93, 0.76
#: The same for the held-out suite (written after tuning; measured 0.667 / 0.491 for hybrid).
HOLDOUT_FLOOR_RECALL, HOLDOUT_FLOOR_MRR = 0.6, 0.45


@pytest.fixture(scope="module")
def results(knowledge_store):
    k, n, res = compare(store=knowledge_store)
    return k, n, {r.mode: r for r in res}


def test_suite_is_well_formed():
    k, cases = load_cases()
    assert k == 5 and len(cases) >= 30
    assert len({c.id for c in cases}) == len(cases)
    text = (resources.files("knowledge") / "data" / "bg2-dylan-patel-ai-semiconductor-landscape.txt").read_text(encoding="utf-8")
    tr = T.parse(text, anchors=T.BG2_ANCHORS)
    for c in cases:
        assert all(g in tr.body for g in c.gold), c.id
        assert c.question.strip() and not any(g.lower() in c.question.lower() for g in c.gold), c.id
    covered = {t.removeprefix("chapter:") for c in cases for t in c.tags if t.startswith("chapter:")}
    assert covered == {ch.title for ch in tr.chapters}
    assert sum("numeric" in c.tags for c in cases) >= 15


def test_hybrid_beats_either_ranking_alone(results):
    _, _, r = results
    assert r["hybrid"].recall >= max(r["dense"].recall, r["bm25"].recall)
    assert r["hybrid"].mrr >= max(r["dense"].mrr, r["bm25"].mrr)


def test_hybrid_quality_has_not_regressed(results):
    _, _, r = results
    assert r["hybrid"].recall >= FLOOR_RECALL, r["hybrid"].misses
    assert r["hybrid"].mrr >= FLOOR_MRR


@pytest.mark.xfail(strict=True, reason="issue 4 bar (recall@5 >= 0.95, MRR >= 0.8) not reached yet; see README figures")
def test_hybrid_meets_the_issue_bar(results):
    _, _, r = results
    assert r["hybrid"].recall >= BAR_RECALL and r["hybrid"].mrr >= BAR_MRR


def test_held_out_questions_have_not_regressed(knowledge_store):
    path = resources.files("knowledge") / "data" / "retrieval_holdout.yaml"
    _, n, res = compare(store=knowledge_store, path=str(path))
    hybrid = next(r for r in res if r.mode == "hybrid")
    assert n >= 15
    assert hybrid.recall >= HOLDOUT_FLOOR_RECALL and hybrid.mrr >= HOLDOUT_FLOOR_MRR, hybrid.misses
