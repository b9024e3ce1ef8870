"""Retrieval quality with the real offline embedder on three suites.

* ``evals/suites/retrieval.yaml``: 63 questions, the suite the first pipeline was tuned on;
* ``evals/suites/retrieval_holdout.yaml``: 15 questions written after that tuning (hard
  paraphrases; its eval gate is a regression floor);
* ``evals/suites/retrieval_blind.yaml``: 69 analyst-style questions written before the second
  round of changes (score fusion, tickers, catalog names) and measured before and after them;
* ``evals/suites/retrieval_fresh.yaml``: 50 investor-style questions written from the
  transcript alone before the third round of changes (its eval gate is a regression floor);
* ``evals/suites/retrieval_set_a.yaml``: 70 questions written by someone who had not seen the
  code, measured before the speaker and answer work and frozen after it.
"""

from __future__ import annotations

from importlib import resources

import pytest

from knowledge import transcript as T
from knowledge.retrieval_eval import compare, load_cases

#: The quality bar for hybrid search.
BAR_RECALL, BAR_MRR = 0.95, 0.80
#: Floors a little under what hybrid search measures (README, `siliconomics search-eval`, with
#: best-sentence re-scoring): a drop below these is a regression. Held-out: measured 0.733 / 0.549;
#: blind: 0.986 / 0.838 (retrieval.yaml: 0.968 / 0.816, held to the issue bar above).
HOLDOUT_FLOOR_RECALL, HOLDOUT_FLOOR_MRR = 0.7, 0.52
BLIND_FLOOR_RECALL, BLIND_FLOOR_MRR = 0.95, 0.81
#: Fresh: measured 0.840 / 0.630 (README).
FRESH_FLOOR_RECALL, FRESH_FLOOR_MRR = 0.80, 0.60


@pytest.fixture(scope="module")
def results(knowledge_store):
    k, n, res = compare(store=knowledge_store)
    return k, n, {r.mode: r for r in res}


def test_suite_is_well_formed():
    k, cases = load_cases()
    assert k == 5 and len(cases) >= 30
    assert len({c.id for c in cases}) == len(cases)
    text = (resources.files("knowledge") / "data" / "bg2-dylan-patel-ai-semiconductor-landscape.txt").read_text(
        encoding="utf-8"
    )
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


def test_hybrid_meets_the_issue_bar(results):
    _, _, r = results
    assert r["hybrid"].recall >= BAR_RECALL, r["hybrid"].misses
    assert r["hybrid"].mrr >= BAR_MRR


def test_held_out_questions_have_not_regressed(knowledge_store):
    path = resources.files("evals") / "suites" / "retrieval_holdout.yaml"
    _, n, res = compare(store=knowledge_store, path=str(path))
    hybrid = next(r for r in res if r.mode == "hybrid")
    assert n >= 15
    assert hybrid.recall >= HOLDOUT_FLOOR_RECALL and hybrid.mrr >= HOLDOUT_FLOOR_MRR, hybrid.misses


def test_blind_questions_have_not_regressed(knowledge_store):
    path = resources.files("evals") / "suites" / "retrieval_blind.yaml"
    k, cases = load_cases(str(path))
    assert k == 5 and len(cases) >= 30 and len({c.id for c in cases}) == len(cases)
    _, _, res = compare(store=knowledge_store, path=str(path))
    r = {x.mode: x for x in res}
    assert r["hybrid"].recall >= BLIND_FLOOR_RECALL and r["hybrid"].mrr >= BLIND_FLOOR_MRR, r["hybrid"].misses
    assert r["hybrid"].mrr >= max(r["dense"].mrr, r["bm25"].mrr)


def test_blind_golds_are_in_the_corpus():
    from knowledge.specs import spec_docs

    text = (resources.files("knowledge") / "data" / "bg2-dylan-patel-ai-semiconductor-landscape.txt").read_text(
        encoding="utf-8"
    )
    body = T.parse(text, anchors=T.BG2_ANCHORS).body
    sheets = [d.text for d in spec_docs()]
    _, cases = load_cases(str(resources.files("evals") / "suites" / "retrieval_blind.yaml"))
    for c in cases:
        where = sheets if "specs" in c.tags else [body]
        assert all(any(g in w for w in where) for g in c.gold), c.id
        assert not any(g.lower() in c.question.lower() for g in c.gold), c.id


def test_fresh_questions_have_not_regressed(knowledge_store):
    path = resources.files("evals") / "suites" / "retrieval_fresh.yaml"
    k, cases = load_cases(str(path))
    assert k == 5 and len(cases) == 50 and len({c.id for c in cases}) == len(cases)
    text = (resources.files("knowledge") / "data" / "bg2-dylan-patel-ai-semiconductor-landscape.txt").read_text(
        encoding="utf-8"
    )
    body = T.parse(text, anchors=T.BG2_ANCHORS).body
    for c in cases:
        assert all(g in body for g in c.gold), c.id
        assert not any(g.lower() in c.question.lower() for g in c.gold), c.id
    _, _, res = compare(store=knowledge_store, path=str(path))
    r = {x.mode: x for x in res}
    assert r["hybrid"].recall >= FRESH_FLOOR_RECALL and r["hybrid"].mrr >= FRESH_FLOOR_MRR, r["hybrid"].misses
    assert r["hybrid"].mrr >= max(r["dense"].mrr, r["bm25"].mrr)


#: Blind set A: measured 0.771 / 0.608 on arrival, before the speaker and answer work (README).
SET_A_FLOOR_RECALL, SET_A_FLOOR_MRR = 0.75, 0.58


def test_blind_set_a_has_not_regressed(knowledge_store):
    path = resources.files("evals") / "suites" / "retrieval_set_a.yaml"
    k, cases = load_cases(str(path))
    assert k == 5 and len(cases) == 70 and len({c.id for c in cases}) == len(cases)
    body = T.bundled().body
    for c in cases:
        assert all(g in body for g in c.gold), c.id
    _, _, res = compare(store=knowledge_store, path=str(path))
    hybrid = next(r for r in res if r.mode == "hybrid")
    assert hybrid.recall >= SET_A_FLOOR_RECALL and hybrid.mrr >= SET_A_FLOOR_MRR, hybrid.misses
