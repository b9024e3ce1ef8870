"""Roofline throughput against the datasheet hand derivation (docs/peers.md case 5), plus invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.errors import InputError
from tools.registry import get
from tools.throughput import ThroughputInput, throughput


def tp(**kw):
    return throughput(ThroughputInput(**kw))


# docs/peers.md case 5: Llama-2-7B fp16, 512 in + 512 out, step at KV length 1024, 100% of datasheet
# bandwidth (A100-80GB 2.039 TB/s, H100 SXM 3.35 TB/s).
@pytest.mark.parametrize(
    ("chip", "batch", "expected", "expected_avg"),
    [("a100", 1, 148.3, None), ("h100", 1, 243.6, None), ("a100", 64, 2743, 3347), ("h100", 64, 4507, 5500)],
)
def test_datasheet_roofline(chip: str, batch: int, expected: float, expected_avg: float | None) -> None:
    r = tp(
        model="llama-2-7b",
        chip=chip,
        weights_dtype="fp16",
        batch=batch,
        prompt=512,
        output=512,
        mem_eff=1,
        compute_eff=1,
    )
    assert r.decode_tokens_per_s == pytest.approx(expected, rel=2e-3)
    assert r.bound == "memory"
    if expected_avg:
        assert r.decode_tokens_per_s_avg_length == pytest.approx(expected_avg, rel=2e-3)


def test_prefill_matches_hand() -> None:
    """docs/peers.md case 5 prefill, 512 tokens at batch 1: 21.9 ms on A100, 6.9 ms on H100."""
    a = tp(model="llama-2-7b", chip="a100", weights_dtype="fp16", prompt=512, output=512, mem_eff=1, compute_eff=1)
    h = tp(model="llama-2-7b", chip="h100", weights_dtype="fp16", prompt=512, output=512, mem_eff=1, compute_eff=1)
    assert a.ttft_s * 1000 == pytest.approx(21.9, rel=0.01)
    assert h.ttft_s * 1000 == pytest.approx(6.9, rel=0.01)


def test_large_batch_turns_compute_bound() -> None:
    r = tp(model="llama-3.1-8b", chip="h100", batch=2048, prompt=100, output=100)
    assert r.bound == "compute"


def test_efficiency_scales_memory_bound_speed() -> None:
    """On one GPU with no overhead the step is the memory time alone: half the bandwidth, half the speed.
    On 8 GPUs the memory time still doubles, while overhead and communication do not scale with it."""
    full = tp(model="llama-2-7b", chip="h100", mem_eff=1.0, step_overhead_ms=0)
    part = tp(model="llama-2-7b", chip="h100", mem_eff=0.5, step_overhead_ms=0)
    assert part.decode_tokens_per_s == pytest.approx(full.decode_tokens_per_s * 0.5)
    full8 = tp(model="llama-3.1-70b", chip="h100", gpus=8, mem_eff=1.0)
    part8 = tp(model="llama-3.1-70b", chip="h100", gpus=8, mem_eff=0.5)
    assert part8.memory_time_s == pytest.approx(2 * full8.memory_time_s)
    assert part8.communication_s == pytest.approx(full8.communication_s)
    assert full8.communication_s > 0
    assert full8.decode_tokens_per_s * 0.5 < part8.decode_tokens_per_s < full8.decode_tokens_per_s


def test_sweep_per_user_falls_as_batch_grows() -> None:
    r = tp(model="llama-3.1-70b", chip="h100", gpus=8)
    per_user = [p.tokens_per_s_per_user for p in r.sweep]
    per_acc = [p.tokens_per_s_per_accelerator for p in r.sweep]
    assert per_user == sorted(per_user, reverse=True)
    assert per_acc == sorted(per_acc)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"model": "llama-2-7b", "chip": "h100", "mem_eff": 0}, "mem_eff"),
        ({"model": "llama-2-7b", "chip": "h100", "compute_eff": 1.5}, "compute_eff"),
        ({"model": "llama-2-7b", "chip": "h100", "batch": 0}, "batch"),
        ({"model": "llama-2-7b", "chip": "groq"}, "chip"),  # no published dense FLOPS
    ],
)
def test_bad_input(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("throughput").run(args)
    assert err.value.field == field


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["llama-3.1-8b", "llama-3.1-70b", "mixtral", "deepseek-v3"]),
    st.sampled_from(["h100", "h200", "b200", "mi300x"]),
    st.integers(1, 512),
    st.integers(1, 32_000),
)
def test_properties(model: str, chip: str, batch: int, output: int) -> None:
    r = tp(model=model, chip=chip, gpus=8, batch=batch, output=output)
    assert r.decode_tokens_per_s > 0 and r.ttft_s > 0
    assert r.tokens_per_s_per_user == pytest.approx(r.decode_tokens_per_s / batch)
    longer = tp(model=model, chip=chip, gpus=8, batch=batch, output=output + 4000)
    assert longer.decode_tokens_per_s <= r.decode_tokens_per_s


def test_cost_per_million_tokens_at_two_dollars() -> None:
    """docs/peers.md case 5: $/Mtok = $/GPU-h x n / (tok/s x 3600) x 1e6; H100 b=64: 0.123 and 0.101."""
    r = tp(
        model="llama-2-7b",
        chip="h100",
        weights_dtype="fp16",
        batch=64,
        prompt=512,
        output=512,
        mem_eff=1,
        compute_eff=1,
        usd_per_gpu_hour=2,
    )
    assert r.cost_per_million_tokens == pytest.approx(0.1233, rel=1e-3)
    assert r.cost_per_million_tokens_avg_length == pytest.approx(0.1010, rel=1e-3)
    assert r.prefill_batch_s == pytest.approx(0.442282, rel=1e-4)
    assert tp(model="llama-2-7b", chip="h100").cost_per_million_tokens is None


@settings(max_examples=120, deadline=None)
@given(
    st.sampled_from(["llama-3.1-70b", "deepseek-v3", "mixtral", "gpt-oss-120b", "mistral-7b", "gemma-2-27b"]),
    st.sampled_from(["h100", "a100", "b200", "tpu v5e", "mi300x"]),
    st.sampled_from([1, 2, 4, 8, 16, 32]),
    st.integers(1, 256),
    st.integers(1, 200_000),
    st.sampled_from([("bf16", None), ("fp8", None), ("int4", "fp8"), ("fp4", "fp8")]),
    st.floats(0.5, 10),
)
def test_finite_cost_and_tp_properties(model, chip, gpus, batch, prompt, dtypes, price) -> None:
    """Every figure finite; cost follows its formula; prefill of the batch never beats one prompt;
    doubling the tensor-parallel group never makes a decode step's memory time longer."""
    wd, kv = dtypes
    r = tp(
        model=model,
        chip=chip,
        gpus=gpus,
        batch=batch,
        prompt=prompt,
        output=100,
        weights_dtype=wd,
        kv_dtype=kv,
        usd_per_gpu_hour=price,
    )
    for v in (
        r.decode_tokens_per_s,
        r.decode_tokens_per_s_avg_length,
        r.ttft_s,
        r.prefill_batch_s,
        r.cost_per_million_tokens,
    ):
        assert v is not None and v > 0 and v == v and v != float("inf")
    assert r.cost_per_million_tokens == pytest.approx(price * gpus / (r.decode_tokens_per_s * 3600) * 1e6)
    assert r.prefill_batch_s >= r.ttft_s * (1 - 1e-12)
    wider = tp(
        model=model, chip=chip, gpus=gpus * 2, batch=batch, prompt=prompt, output=100, weights_dtype=wd, kv_dtype=kv
    )
    assert wider.memory_time_s <= r.memory_time_s


def test_textbook_ceiling_is_bandwidth_over_weights_per_token() -> None:
    from tools.throughput import ThroughputInput, throughput

    # hand: 3.35e12 B/s / (8.03e9 params x 2 B) = 208.59 tokens/s; MoE: 8 x 7.7e12 / (37e9 active x 1 B fp8) = 1,664.9
    dense = throughput(ThroughputInput(model="llama-3.1-8b", chip="h100"))
    assert abs(dense.weights_ceiling_tokens_per_s - 3.35e12 / (8.03e9 * 2)) < 0.01
    moe = throughput(ThroughputInput(model="deepseek-v3", chip="b200", gpus=8))
    assert abs(moe.weights_ceiling_tokens_per_s - 8 * 7.7e12 / 37e9) < 0.01
    assert moe.weights_ceiling_tokens_per_s > moe.tokens_per_s_per_user  # the estimate counts KV and efficiency
