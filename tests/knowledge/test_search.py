"""search(): argument checks, source filter, fusion and passages (hashing embedder: no semantics)."""

from __future__ import annotations

import pytest

from knowledge.search import fuse, search
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
    fused = fuse([["a", "b", "c"], ["b", "x"]])
    assert fused[0] == ("b", pytest.approx(1 / 62 + 1 / 61))
    assert fused[1] == ("a", pytest.approx(1 / 61))  # ties broken by id: a before x
    assert [i for i, _ in fused] == ["b", "a", "x", "c"]
