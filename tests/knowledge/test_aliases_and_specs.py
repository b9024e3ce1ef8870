"""The synonym layer and the spec documents."""

from __future__ import annotations

from knowledge.aliases import canonicalize
from knowledge.bm25 import tokenize
from knowledge.catalog_names import asks_for_specs, named_docs
from knowledge.specs import spec_docs
from tools.catalog import accelerators, models


def test_transcription_slips_map_to_catalog_names():
    assert canonicalize("Amazon Tranium, the Tranium 2") == "Amazon Trainium, the Trainium2"
    assert canonicalize("I can run Lama70B, LLAMA 405B") == "I can run Llama 70B, Llama 405B"
    assert canonicalize("this KB cache") == "this KV cache"
    assert canonicalize("Cerebrus, and Grok") == "Cerebras, and Groq"
    assert canonicalize("margins on the HPM at Hynex") == "margins on the HBM at Hynix"
    assert canonicalize("high bandwidth memory") == "HBM"


def test_tickers_map_to_company_names():
    assert canonicalize("nvda vs avgo, msft and goog capex") == "NVIDIA vs Broadcom, Microsoft and Google capex"
    assert canonicalize("trn2 topology") == "Trainium2 topology"


def test_catalog_names_in_a_query():
    assert named_docs("H200 vs MI300X bandwidth") == ["spec:nvidia-h200-sxm-141gb", "spec:amd-instinct-mi300x"]
    assert named_docs("Lama 405B layer count") == ["model:llama-3-1-405b"]
    assert named_docs("gb200 nvl72 power") == ["spec:nvidia-gb200--per-blackwell-gpu--nvl72"]
    assert named_docs("when did Google ship TPU v3") == []  # 'v3' (DeepSeek's short alias) is not used
    assert asks_for_specs("what's the H200's bandwidth?") and asks_for_specs("Lama 405B kv heads")
    assert not asks_for_specs("why does he call Trainium2 an Amazon Basics TPU?")


def test_canonicalize_leaves_ordinary_words_alone():
    text = "The grokking of trains and lamas; a 4.0 GPA."
    assert canonicalize(text) == text


def test_bm25_tokens_join_numbers_and_stem():
    assert tokenize("$5,000 per chip") == ["5000", "per", "chip"]
    assert tokenize("HBM margins") == tokenize("hbm margin")
    assert "4.8" in tokenize("4.8 TB/s")


def test_one_document_per_catalog_row_with_units_and_sources():
    docs = spec_docs()
    assert len(docs) == len(accelerators()) + len(models())
    h200 = next(d for d in docs if "H200" in d.title)
    assert "memory bandwidth 4.8 TB/s" in h200.text and "141 GB" in h200.text
    assert any(u.startswith("https://") for u in h200.source_urls)
    assert all(d.source_urls for d in docs)
    assert len({d.chunk_id for d in docs}) == len(docs)
