"""search(): argument checks, source filter, fusion and passages (hashing embedder: no semantics)."""

from __future__ import annotations

import pytest

from knowledge.search import apply_catalog_names, fuse, rescore_by_sentence, search, standardise, unattribute
from knowledge.transcript import sentence_spans
from tools.errors import InputError


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "hbm", "k": 0}, "k"),
        ({"query": "hbm", "k": -3}, "k"),
        ({"query": "hbm", "k": True}, "k"),
        ({"query": "hbm", "k": 51}, "k"),
        ({"query": "hbm", "source": "slides"}, "source"),
    ],
)
def test_bad_arguments_raise_input_error(fake_store, kwargs, field):
    with pytest.raises(InputError) as err:
        search(store=fake_store, **kwargs)
    assert err.value.field == field
    assert "\n" not in str(err.value)


def test_source_filter(fake_store):
    specs = search("memory bandwidth", k=10, source="specs", store=fake_store)
    assert len(specs) == 10 and all(p.source.startswith(("Spec sheet", "Model card")) for p in specs)
    talk = search("memory bandwidth", k=10, source="transcript", store=fake_store)
    assert len(talk) == 10 and all(p.chapter and p.timestamp for p in talk)
    both = {p.chunk_id for p in search("memory bandwidth", k=50, source="all", store=fake_store)}
    assert {p.chunk_id for p in specs} | {p.chunk_id for p in talk} <= both | {p.chunk_id for p in talk}


def test_spec_passage_carries_its_sources(fake_store):
    top = search("H200 bandwidth", k=3, source="specs", store=fake_store)[0]
    assert top.source == "Spec sheet: NVIDIA H200 SXM 141GB"
    assert "4.8 TB/s" in top.text
    assert any(u.startswith("https://") for u in top.source_urls)
    assert top.chapter is None and top.timestamp is None


def test_synonyms_find_transcription_slips(fake_store):
    """The transcript says 'Tranium' and 'KB cache'; queries use the real names."""
    trn = search("Trainium supercomputer Anthropic", k=3, source="transcript", mode="bm25", store=fake_store)
    assert any("400,000 Tranium supercomputer" in p.text for p in trn)
    kv = search("KV cache", k=3, source="transcript", mode="bm25", store=fake_store)
    assert any("KB cache" in p.text for p in kv)


def test_numbers_and_rare_names_are_found_lexically(fake_store):
    assert any("CXMT" in p.text for p in search("CXMT", k=3, store=fake_store))
    assert any("$5,000 per chip" in p.text for p in search("$5,000", k=3, source="transcript", store=fake_store))


def test_modes_return_k_ranked_passages(fake_store):
    for mode in ("hybrid", "dense", "bm25"):
        got = search("gross margins memory", k=4, mode=mode, store=fake_store)
        assert len(got) == 4
        assert [p.score for p in got] == sorted((p.score for p in got), reverse=True)
        assert len({p.chunk_id for p in got}) == 4


def test_fuse_rewards_agreement():
    dense = [("a", 0.60), ("b", 0.55), ("c", 0.50), ("d", 0.45)]
    lexical = [("b", 9.0), ("x", 8.0), ("c", 1.0)]
    fused = fuse([dense, lexical], size=4)
    assert fused[0][0] == "b"  # second in dense, first in BM25 -> first
    assert fused[0][1] == pytest.approx(standardise(dense, 4)[0]["b"] + standardise(lexical, 4)[0]["b"])


def test_fuse_keeps_a_clear_dense_winner_on_top():
    """Reciprocal rank fusion would put 'b' (2nd and 2nd) above 'a' (1st in dense, far ahead, absent from BM25)."""
    dense = [("a", 0.90)] + [(f"n{i}", 0.40 - i * 0.001) for i in range(39)]
    dense.insert(1, ("b", 0.41))
    lexical = [("x", 5.0), ("b", 4.9)] + [(f"n{i}", 4.8 - i * 0.1) for i in range(38)]
    assert fuse([dense, lexical])[0][0] == "a"


def test_a_word_only_one_chunk_has_still_counts():
    z, missing = standardise([("only", 7.5)], size=40)
    assert z["only"] > 5 and missing < 0  # padded with 0: the lone match stands far above the rest
    assert standardise([("a", 2.0), ("b", 2.0)]) == ({"a": 0.0, "b": 0.0}, 0.0)


def test_named_chip_sheet_comes_first_when_specs_are_asked_for():
    fused = [("spec:amd-instinct-mi325x", 3.0), ("bg2@1", 2.5), ("spec:amd-instinct-mi300x", 2.0)]
    ranked = [i for i, _ in apply_catalog_names(fused, "mi300x hbm capacity", None)]
    assert ranked[0] == "spec:amd-instinct-mi300x" and ranked.index("spec:amd-instinct-mi325x") > ranked.index("bg2@1")
    talk = [i for i, _ in apply_catalog_names(fused, "why did AMD make the mi300x", None)]
    assert talk[0] == "bg2@1"  # names the chip but asks about the conversation: no jump, other sheet demoted
    assert apply_catalog_names(fused, "mi300x hbm capacity", "transcript") == fused


def test_named_chip_in_a_real_search(fake_store):
    assert search("mi300x hbm capacity", k=1, store=fake_store)[0].chunk_id == "spec:amd-instinct-mi300x"
    assert search("Lama 405B layers", k=1, store=fake_store)[0].chunk_id == "model:llama-3-1-405b"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("what did bill say about cisco", "what did he say about cisco"),
        ("Why does Dylan Patel think AMD lags", "Why does he think AMD lags"),
        ("according to brad, is capex too low", "according to he, is capex too low"),
        ("how do the hosts introduce Dylan Patel", "how do the hosts introduce Dylan Patel"),
        ("Bill Gurley's question on Cisco", "Bill Gurley's question on Cisco"),
    ],
)
def test_a_speaker_in_a_question_frame_becomes_he(query, expected):
    assert unattribute(query) == expected


class _RecordingStore:
    """Records the query each ranking receives; returns one chunk of the real fake index."""

    def __init__(self, inner):
        self.inner, self.seen = inner, {}

    def dense(self, query, n, kind=None):
        self.seen["dense"] = query
        return self.inner.dense(query, n, kind)

    def lexical(self, query, n, kind=None):
        self.seen["lexical"] = query
        return self.inner.lexical(query, n, kind)

    def best_sentence(self, query, chunk_ids):
        self.seen["sentence"] = query
        return self.inner.best_sentence(query, chunk_ids)

    def has(self, i):
        return self.inner.has(i)

    def doc(self, i):
        return self.inner.doc(i)


def test_thesaurus_expands_the_lexical_query_only(fake_store):
    rec = _RecordingStore(fake_store)
    assert search("what did Bill say about the cost of serving", store=rec)
    assert rec.seen["dense"] == rec.seen["sentence"] == "what did he say about the cost of serving"
    assert rec.seen["lexical"] == "what did he say about the cost of serving inference"  # a speaker asked: frame kept


def test_a_candidate_with_the_answering_sentence_overtakes_a_better_fused_one():
    ranked = [("a", 3.0), ("b", 2.9), ("spec:x", 2.8), ("c", 1.0), ("d", 0.5)]
    best = {"a": 0.30, "b": 0.70, "c": 0.32, "d": 0.99}
    out = rescore_by_sentence(ranked, best, n=4, weight=0.3)
    assert [i for i, _ in out] == ["b", "spec:x", "a", "c", "d"]  # "d" is below the top n: not re-scored
    assert dict(out)["spec:x"] == 2.8  # no sentences: no gain, no loss
    assert rescore_by_sentence(ranked, {"a": 0.9}, n=4) == ranked  # one value has no z-score


def test_best_sentence_is_the_cosine_of_the_closest_stored_sentence(fake_store):
    doc = next(d for d in fake_store.docs if d.kind == "transcript" and len(d.sentences()) > 3)
    sentence = doc.text[slice(*sentence_spans(doc.text)[2])]
    other = next(d for d in fake_store.docs if d.kind == "transcript" and sentence not in d.text)
    sheet = next(d for d in fake_store.docs if d.kind == "specs")
    best = fake_store.best_sentence(sentence, [doc.chunk_id, other.chunk_id, sheet.chunk_id])
    assert best[doc.chunk_id] == pytest.approx(1.0, abs=1e-3)
    assert best[other.chunk_id] < best[doc.chunk_id]
    assert sheet.chunk_id not in best  # spec sheets have no sentence vectors


def test_every_transcript_sentence_is_stored_with_its_chunk(fake_store):
    got = fake_store.collection.get(where={"level": "sentence"}, include=["metadatas"])
    expected = {sid: d.chunk_id for d in fake_store.docs for sid, _ in d.sentences()}
    assert {i: m["parent"] for i, m in zip(got["ids"], got["metadatas"])} == expected
    assert len(expected) > len(fake_store.docs)
