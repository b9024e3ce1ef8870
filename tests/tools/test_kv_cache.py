"""KV-cache sizes against published values, plus invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.errors import InputError
from tools.kv_cache import KVCacheInput, kv_cache
from tools.registry import get


def per_token(model: str, dtype: str) -> int:
    return kv_cache(KVCacheInput(model=model, kv_dtype=dtype, context=1)).bytes_per_token


@pytest.mark.parametrize(
    ("model", "dtype", "expected", "source"),
    [
        ("opt-13b", "fp16", 819_200, "Kwon et al. 2023 (vLLM paper): 'about 800 KB' per token for OPT-13B"),
        ("llama-2-7b", "fp16", 524_288, "2 x 32 layers x 32 heads x 128 dim x 2 B (Llama-2 config)"),
        ("llama-3.1-70b", "bf16", 327_680, "2 x 80 x 8 KV heads x 128 x 2 B (Llama-3.1 config)"),
        ("llama-3.1-405b", "bf16", 516_096, "2 x 126 x 8 x 128 x 2 B (Llama-3.1 config)"),
        ("deepseek-v3", "bf16", 70_272, "DeepSeek-V3 report: 512 latent + 64 RoPE = 576 values x 61 layers x 2 B"),
    ],
)
def test_published_bytes_per_token(model: str, dtype: str, expected: int, source: str) -> None:
    assert per_token(model, dtype) == expected, source


def test_mla_has_no_factor_two_and_fp8_halves() -> None:
    assert per_token("deepseek-v3", "fp8") == 61 * 576


def test_sliding_window_caps_windowed_layers() -> None:
    # Gemma-2-27B: 23 of 46 layers keep 4,096 tokens (Gemma 2 report); the rest keep everything.
    r = kv_cache(KVCacheInput(model="gemma-2-27b", kv_dtype="bf16", context=8192))
    per_layer_token = 2 * 16 * 128 * 2
    assert r.bytes_per_sequence == per_layer_token * (23 * 8192 + 23 * 4096)


def test_tp_replicates_kv_heads_beyond_their_count() -> None:
    # 8 KV heads over 16 GPUs: each GPU still holds one head (vLLM: max(1, kv_heads // tp)).
    full = per_token("llama-3.1-70b", "bf16")
    tp8 = kv_cache(KVCacheInput(model="llama-3.1-70b", context=1, tp=8)).bytes_per_token
    tp16 = kv_cache(KVCacheInput(model="llama-3.1-70b", context=1, tp=16)).bytes_per_token
    assert tp8 * 8 == full
    assert tp16 == tp8


def test_block_rounding() -> None:
    r = kv_cache(KVCacheInput(model="llama-2-7b", kv_dtype="fp16", context=17, block_size=16))
    assert r.bytes_per_sequence == 32 * 524_288


def test_explicit_shape_matches_catalog() -> None:
    explicit = kv_cache(KVCacheInput(layers=80, kv_heads=8, head_dim=128, context=10))
    assert explicit.bytes_per_token == per_token("llama-3.1-70b", "bf16")
    mla = kv_cache(KVCacheInput(layers=61, attention="mla", kv_lora_rank=512, rope_dim=64, context=1))
    assert mla.bytes_per_token == 70_272


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"model": "llama-9000", "context": 10}, "model"),
        ({"model": "llama-2-7b", "context": 0}, "context"),
        ({"model": "llama-2-7b", "context": 10, "batch": -1}, "batch"),
        ({"model": "llama-2-7b", "output": 100}, "prompt"),
        ({"model": "llama-2-7b", "context": 10, "kv_dtype": "fp9"}, "kv_dtype"),
        ({"context": 10}, "model"),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("kv_cache").run(args)
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}:")


def test_unknown_model_suggests_closest() -> None:
    with pytest.raises(InputError) as err:
        get("kv_cache").run({"model": "llama-3.1-450b", "context": 10})
    assert "Llama-3.1-405B" in err.value.suggestions


shapes = st.builds(
    dict,
    layers=st.integers(1, 200),
    kv_heads=st.integers(1, 128),
    head_dim=st.sampled_from([64, 96, 128, 192, 256]),
    context=st.integers(1, 200_000),
    batch=st.integers(1, 512),
    kv_dtype=st.sampled_from(["fp32", "fp16", "bf16", "fp8", "int8", "int4", "fp4"]),
)


@settings(max_examples=200, deadline=None)
@given(shapes, st.integers(1, 10_000), st.integers(1, 64))
def test_properties(shape: dict, extra: int, more_batch: int) -> None:
    base = kv_cache(KVCacheInput(**shape))
    for value in (base.bytes_per_token, base.bytes_per_sequence, base.total_bytes):
        assert value > 0 and math.isfinite(value)
    longer = kv_cache(KVCacheInput(**{**shape, "context": shape["context"] + extra}))
    bigger = kv_cache(KVCacheInput(**{**shape, "batch": shape["batch"] + more_batch}))
    assert longer.total_bytes > base.total_bytes
    assert bigger.total_bytes > base.total_bytes
    mha = kv_cache(KVCacheInput(**{**shape, "kv_heads": 128}))
    assert base.total_bytes <= mha.total_bytes  # GQA never exceeds MHA of the same shape


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([1, 2, 4, 8]), st.integers(1, 50_000))
def test_tp_shares_sum_to_whole(tp: int, context: int) -> None:
    whole = kv_cache(KVCacheInput(model="llama-3.1-405b", context=context)).total_bytes
    share = kv_cache(KVCacheInput(model="llama-3.1-405b", context=context, tp=tp)).total_bytes
    assert share * tp == whole


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        ["llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "gemma-2-27b", "gpt-oss-120b", "deepseek-v3", "opt-13b"]
    ),
    st.integers(1, 64),
    st.integers(1, 300_000),
    st.sampled_from(["bf16", "fp8", "int4"]),
)
def test_tp_share_and_window_properties(model: str, tp: int, context: int, dtype: str) -> None:
    """Any TP degree: the busiest GPU's share times tp never undercounts the whole cache; windows
    only ever shrink a sequence below bytes_per_token x tokens; a longer context never holds less."""
    whole = kv_cache(KVCacheInput(model=model, context=context, kv_dtype=dtype))
    share = kv_cache(KVCacheInput(model=model, context=context, kv_dtype=dtype, tp=tp))
    assert share.total_bytes * tp >= whole.total_bytes
    assert whole.bytes_per_sequence <= whole.bytes_per_token * context
    assert (
        kv_cache(KVCacheInput(model=model, context=context + 1, kv_dtype=dtype)).bytes_per_sequence
        >= whole.bytes_per_sequence
    )
