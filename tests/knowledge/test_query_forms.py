"""The question's frame left out of the dense query and the BM25 terms; best-sentence term coverage."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.query_forms import dense_forms, without_frame, without_frame_words
from knowledge.search import search
from knowledge.term_coverage import SentenceTerms, query_terms


@pytest.mark.parametrize(
    ("question", "bare"),
    [
        ("Why does the guest think Nvidia stays ahead?", "Why Nvidia stays ahead"),
        ("According to Bill, is capex too low?", "is capex too low"),
        ("what does a host say on Trainium pricing", "Trainium pricing"),
        ("So what did Dylan Patel mention regarding liquid cooling?", "liquid cooling"),
        ("How long did he say the GPU shortage would last?", "How long the GPU shortage would last"),
    ],
)
def test_the_frame_is_left_out(question, bare):
    assert without_frame(question) == bare
    assert dense_forms(question) == [question, bare]


@pytest.mark.parametrize(
    "question",
    [
        "which year does capex peak",  # no frame: "does" is not followed by a speaker and a verb
        "what did he say",  # nothing would be left
        "how many GPUs does xAI think it needs",  # a company is not a speaker of the episode
    ],
)
def test_a_question_without_a_frame_is_one_form(question):
    assert without_frame(question) == question
    assert dense_forms(question) == [question]


def test_frame_words_are_left_out_of_the_bm25_query():
    assert without_frame_words("why does he think Broadcom's orders grow") == "why does he Broadcom's orders grow"
    assert without_frame_words("what did the guest's answer mention") == "what did the answer"
    assert without_frame_words("say") == "say"  # nothing else to search for: kept as typed


def test_the_query_vector_of_a_framed_question_blends_both_forms(fake_store):
    question = "what did he say about rack power density"
    one, two = (np.asarray(v, dtype=np.float32) for v in fake_store.embedder([question, "rack power density"]))
    expected = (one + two) / np.linalg.norm(one + two)
    got = fake_store.query_vector(question)
    assert np.allclose(got, expected, atol=1e-5)
    assert not np.allclose(got, one / np.linalg.norm(one), atol=1e-3)
    plain = fake_store.query_vector("rack power density")
    assert np.allclose(plain, two / np.linalg.norm(two), atol=1e-5)


def test_one_sentence_holding_both_terms_beats_terms_spread_over_two():
    table = SentenceTerms.build(
        [
            ("together", ["Power density doubles per rack.", "Nothing else here."]),
            ("apart", ["Power is short.", "Every rack is full.", "Density is a word."]),
            ("filler", ["Power matters.", "So does cooling."]),
            ("none", []),
        ]
    )
    terms = query_terms("what did he say about rack density")
    assert terms == ["rack", "densiti"]
    cover = table.coverage(terms, ["together", "apart", "none", "unknown"])
    assert cover["together"] == pytest.approx(1.0)
    assert 0 < cover["apart"] < 1
    assert set(cover) == {"together", "apart"}  # no sentences, no coverage
    assert table.coverage([], ["together"]) == {}


def test_a_rare_term_counts_more_than_a_common_one():
    table = SentenceTerms.build(
        [
            ("a", ["Power for racks."]),
            ("b", ["Power and cooling."]),
            ("c", ["Power again."]),
            ("d", ["Liquid cooling."]),
        ]
    )
    cover = table.coverage(["power", "liquid"], ["a", "d"])
    assert cover["d"] > 0.5 > cover["a"] > 0  # "liquid" is in one chunk, "power" in three


class _Recorder:
    def __init__(self, inner):
        self.inner, self.seen = inner, {}

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def lexical(self, query, n, kind=None):
        self.seen["lexical"] = query
        return self.inner.lexical(query, n, kind)

    def sentence_coverage(self, terms, chunk_ids):
        self.seen["coverage"] = (terms, list(chunk_ids))
        return self.inner.sentence_coverage(terms, chunk_ids)


def test_search_ranks_with_the_frame_left_out(fake_store):
    rec = _Recorder(fake_store)
    passages = search("why does he think HBM margins are poor", store=rec)
    assert passages
    assert rec.seen["lexical"] == "why does he HBM margins are poor"
    search("why does Dylan think HBM margins are poor", store=rec)  # a speaker asked: "think" stays for BM25
    assert rec.seen["lexical"] == "why does he think HBM margins are poor"
    terms, candidates = rec.seen["coverage"]
    assert terms == ["whi", "hbm", "margin", "poor"] and 2 <= len(candidates) <= 20
