"""KV sizes compared: two catalog models, or a catalog model against a KV formula the analyst writes, each with
the ratio; vLLM's fp8_ds_mla layout named as the KV format (hand-derived figures)."""

from __future__ import annotations

import pytest

from agent.offline.parse import parse


def _answer(question: str) -> str:
    from agent.ask import ask

    return ask(question, model="offline").answer


def test_two_models_each_and_the_ratio() -> None:
    # Llama-3.1-70B bf16: 2 x 80 x 8 x 128 x 2 = 327,680 B; Llama-3.1-8B: 2 x 32 x 8 x 128 x 2 = 131,072 B; 2.5x
    text = _answer("kv bytes per token in bf16 for llama 3.1 70b and llama 3.1 8b, and the ratio between them?")
    assert "327,680 bytes" in text and "131,072 bytes" in text
    assert "Llama-3.1-70B / Llama-3.1-8B: 2.50 x" in text


def test_a_written_kv_formula_beside_a_catalog_model() -> None:
    # Llama-3.1-8B bf16 131,072 B; the stated MHA-style formula 32 heads x 128 dims x 32 layers x 2 (K,V) x 2 B
    # = 524,288 B; 4x
    text = _answer(
        "llama 3.1 8b kv per token bf16 vs full multi-head caching (32 heads x 128 dims x 32 layers x 2 x 2 B): "
        "both and the ratio"
    )
    assert "131,072 bytes" in text and "524,288 B" in text and "the stated formula / Llama-3.1-8B: 4 x" in text


@pytest.mark.parametrize(
    "question",
    ["deepseek v3 kv per token with vllm fp8_ds_mla, 32k context", "DeepSeek-R1 at fp8_ds_mla kv, 8k tokens"],
)
def test_fp8_ds_mla_is_read_as_the_kv_format(question: str) -> None:
    p = parse(question)
    assert p.kv_dtype == "fp8_ds_mla" and p.weights_dtype is None


def test_fp8_ds_mla_sizes_the_latent_at_656_bytes_per_layer() -> None:
    # DeepSeek-V3: 61 layers x 656 B = 40,016 B per token
    assert "40,016 bytes" in _answer("deepseek v3 kv per token with vllm's fp8_ds_mla layout?")
