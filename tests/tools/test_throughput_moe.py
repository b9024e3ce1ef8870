"""MoE decode bytes, step parts (overhead, communication), layouts (EP, DP-attention, MTP, disaggregated
prefill), warnings, figure kinds and bad input of the throughput calculator, against hand derivations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.catalog import MoELayout, find_model, models
from tools.decode_step import attention_flops_per_key
from tools.errors import InputError
from tools.moe import distinct_experts, moe_layer_count, params_read_per_gpu, weight_split
from tools.registry import get
from tools.throughput import ThroughputInput, throughput


def tp(**kw):
    return throughput(ThroughputInput(**kw))


# Hand: E x (1 - (1 - k/E)^n) with E = 256, k = 8: (31/32)^8 = 0.775702, (31/32)^16 = 0.601714, (31/32)^256 = 0.000295.
@pytest.mark.parametrize(("tokens", "expected"), [(1, 8.0), (8, 57.4208), (16, 101.9622), (256, 255.9244), (0, 0.0)])
def test_distinct_experts_uniform_routing(tokens: int, expected: float) -> None:
    assert distinct_experts(256, 8, tokens) == pytest.approx(expected, abs=1e-3)


def test_deepseek_weight_split_by_hand() -> None:
    """58 MoE layers (61 - first 3 dense) x 256 experts x 3 x 7168 x 2048 = 653,908,770,816 routed params;
    shared 58 x 44,040,192; dense FFN 3 x 3 x 7168 x 18432; the rest (attention, norms, router) 11.49 B."""
    split = weight_split(find_model("deepseek-r1"))
    assert split.moe_layers == 58 and split.routed_expert == 44_040_192
    assert split.routed == 653_908_770_816
    assert split.shared == 58 * 44_040_192
    assert split.dense_ffn == 3 * 3 * 7168 * 18432
    assert split.attention == pytest.approx(11.494e9, rel=1e-3)


def test_batch_16_reads_half_of_the_old_approximation() -> None:
    """Non-expert weights once (16.16 B less nothing) + 58 x 101.96 experts x 44.04 M = 276.6 B params, against
    the old min(all, active x 16) = 577.2 B: about 2.1x fewer bytes, as measured serving implies."""
    spec = find_model("deepseek-r1")
    new = params_read_per_gpu(spec, 16, 1)
    assert new == pytest.approx(16_164_550_144 + 58 * 101.96216 * 44_040_192, rel=1e-6)
    old = min(671e9 - 926_679_040, (37e9 - 926_679_040) * 16)
    assert old / new == pytest.approx(2.087, abs=0.01)
    # batch 1 reads about the active parameters less the input embedding
    assert params_read_per_gpu(spec, 1, 1) == pytest.approx(36.6e9, rel=0.01)


def test_every_catalog_moe_model_has_a_consistent_layout() -> None:
    """Every MoE row of models.csv joins a model_moe.csv row whose experts fit inside the total, and reads
    about its active parameters at one token (model cards differ on counting the input embedding as active:
    GPT-OSS-20B's 3.6 B leaves it out, DeepSeek's 37 B keeps it)."""
    for spec in models():
        if not spec.is_moe:
            assert spec.moe is None and weight_split(spec) is not None
            continue
        split = weight_split(spec)
        assert split is not None, spec.name
        one_token = params_read_per_gpu(spec, 1, 1)
        active = spec.active_params_b * 1e9
        # upper bound 1.10: GLM-4.5's card says 32 B active, but its config's attention alone (92 layers of 96 x 128
        # query heads on hidden 5120, ~12.5 B) plus 8 routed + 1 shared experts per MoE layer reads ~35 B at one token
        assert 0.9 * (active - spec.vocab * spec.hidden_size) <= one_token <= 1.10 * active, spec.name
        assert params_read_per_gpu(spec, 1e6, 1) == pytest.approx(split.total - split.input_embedding, rel=1e-3)


def test_interleaved_moe_layers_and_rows_for_models_not_in_the_catalog() -> None:
    """Llama-4 Maverick: MoE every 2nd layer of 48 -> 24; Qwen3-style all-MoE: every layer."""
    base = find_model("mixtral")
    maverick = base.model_copy(update={"n_layers": 48, "moe": MoELayout(
        n_routed_experts=128, experts_per_token=1, n_shared_experts=1, moe_intermediate_size=8192, dense_ffn_size=16384,
        first_dense_layers=0, moe_layer_step=2, source="test")})  # fmt: skip
    assert moe_layer_count(maverick) == 24
    assert moe_layer_count(base) == 32


def test_dense_models_unchanged_and_batch_independent() -> None:
    spec = find_model("llama-2-7b")
    assert params_read_per_gpu(spec, 1, 1) == params_read_per_gpu(spec, 512, 1) == 6_738_415_616 - 32000 * 4096


def test_mla_attention_flops_absorbed_form() -> None:
    """DeepSeek MLA decode: 128 heads x (2 x (512 + 64) + 2 x 512) = 278,528 FLOPs per key;
    GQA: 4 x heads x head_dim."""
    assert attention_flops_per_key(find_model("deepseek-r1")) == 278_528
    assert attention_flops_per_key(find_model("llama-3.1-70b")) == 4 * 64 * 128


def test_step_is_max_plus_overhead_plus_communication() -> None:
    """DeepSeek-R1 fp8 on 8 x H100, batch 1: overhead 61 x (35 + 20 x 3) us = 5.795 ms; communication 122
    all-reduces x (5 us + 2 x 7/8 x 7168 x 2 B / 450 GB/s) = 0.6168 ms."""
    r = tp(model="deepseek-r1", chip="h100", gpus=8, weights_dtype="fp8", batch=1)
    assert r.overhead_s == pytest.approx(5.795e-3, rel=1e-9)
    assert r.communication_s == pytest.approx(122 * (5e-6 + 2 * 7 / 8 * 7168 * 2 / 450e9), rel=1e-9)
    assert r.step_time_s == pytest.approx(max(r.memory_time_s, r.compute_time_s) + r.overhead_s + r.communication_s)
    assert r.tokens_per_s_per_user == pytest.approx(1 / r.step_time_s)
    assert r.figure_kind == "default estimate"
    assert any("122 collectives" in a for a in r.assumptions)


def test_known_b200_batch_one_point_no_longer_twelve_times_too_fast() -> None:
    """InferenceX: DeepSeek-R1 fp8, SGLang, 8 x B200, TP8, concurrency 1, 1k/1k: 139.2 tok/s per user measured.
    The roofline stays above it; the default estimate lands within 10 %."""
    shape = dict(model="deepseek-r1", chip="b200", gpus=8, weights_dtype="fp8", batch=1, prompt=1024, output=1024)
    bound = tp(**shape, mem_eff=1, compute_eff=1, step_overhead_ms=0)
    default = tp(**shape)
    assert bound.figure_kind == "roofline bound"
    assert bound.tokens_per_s_per_user_avg_length > 139.2 * 3
    assert default.tokens_per_s_per_user_avg_length == pytest.approx(139.2, rel=0.1)


def test_dp_attention_keeps_one_copy_of_the_mla_cache() -> None:
    """TP8: every GPU holds the whole MLA latent of every sequence (256 x 61 layers x 576 B x 9,216 tokens = 82.9 GB
    beside 83.9 GB of fp8 weights: over one H200); DP-attention: 1/8 of the sequences, and it fits."""
    shape = dict(model="deepseek-r1", chip="h200", gpus=8, weights_dtype="fp8", batch=256, prompt=8192, output=1024)
    tp8 = tp(**shape)
    dp8 = tp(**shape, dp_attention=True, ep=8)
    assert tp8.kv_bytes_per_gpu == pytest.approx(8 * dp8.kv_bytes_per_gpu)
    assert tp8.kv_bytes_per_gpu == pytest.approx(256 * 61 * 576 * 9216, rel=1e-9)  # fp8 latent, 1 B per value
    assert any("WARNING" in a and "replication included" in a for a in tp8.assumptions)
    assert not any("WARNING" in a for a in dp8.assumptions)
    assert any("MLA latent cache replicated" in a for a in tp8.assumptions)
    assert any("all-to-all" in a for a in dp8.assumptions)


def test_dp_attention_reads_attention_weights_in_full() -> None:
    spec = find_model("deepseek-r1")
    split = weight_split(spec)
    assert params_read_per_gpu(spec, 8, 8, dp_attention=True) - params_read_per_gpu(spec, 8, 8) == pytest.approx(
        split.attention * 7 / 8
    )


def test_mtp_accept_raises_tokens_per_user_sublinearly() -> None:
    shape = dict(model="deepseek-r1", chip="b200", gpus=8, weights_dtype="fp8", batch=32)
    one = tp(**shape)
    two = tp(**shape, mtp_accept=2)
    assert one.tokens_per_s_per_user < two.tokens_per_s_per_user < 2 * one.tokens_per_s_per_user
    assert two.request_latency_s == pytest.approx(two.ttft_s + 1000 * two.step_time_s / 2)


def test_prefill_gpus_price_prefill_separately() -> None:
    shape = dict(model="llama-3.1-70b", chip="h100", gpus=8, batch=64, prompt=8000, usd_per_gpu_hour=2)
    colocated = tp(**shape)
    disagg = tp(**shape, prefill_gpus=16)
    assert disagg.decode_tokens_per_s == pytest.approx(colocated.decode_tokens_per_s)
    assert disagg.ttft_s < colocated.ttft_s
    assert disagg.cost_per_million_tokens == pytest.approx(2 * 24 / (disagg.decode_tokens_per_s * 3600) * 1e6)


@pytest.mark.parametrize(
    ("kw", "kind"),
    [
        ({}, "default estimate"),
        ({"mem_eff": 1, "compute_eff": 1}, "roofline bound"),
        ({"mem_eff": 1, "compute_eff": 1, "step_overhead_ms": 0}, "roofline bound"),
        ({"mem_eff": 1, "compute_eff": 1, "step_overhead_ms": 2}, "custom estimate"),
        ({"mem_eff": 0.8}, "custom estimate"),
    ],
)
def test_figure_kind(kw: dict, kind: str) -> None:
    assert tp(model="llama-3.1-8b", chip="h100", **kw).figure_kind == kind


def test_overhead_only_lowers_speed() -> None:
    base = tp(model="llama-3.1-8b", chip="h100", step_overhead_ms=0)
    slow = tp(model="llama-3.1-8b", chip="h100", step_overhead_ms=5)
    assert slow.step_time_s == pytest.approx(base.step_time_s + 0.005)
    assert math.isclose(slow.ttft_s, base.ttft_s + 0.005)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"gpus": 8, "ep": 3}, "ep"),
        ({"gpus": 2, "ep": 4}, "ep"),
        ({"mtp_accept": 0.5}, "mtp_accept"),
        ({"step_overhead_ms": -1}, "step_overhead_ms"),
        ({"prefill_gpus": -1}, "prefill_gpus"),
        ({"dp_attention": True}, "dp_attention"),
        ({"profile": "../etc"}, "profile"),
        ({"profile": "none-saved", "profile_dir": "/nonexistent"}, "profile"),
        ({"profile": "x", "mem_eff": 0.5}, "profile"),
    ],
)
def test_bad_layout_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("throughput").run({"model": "deepseek-r1", "chip": "h100", **args})
    assert err.value.field == field


# Architectures of MoE rows that model_moe.csv holds before models.csv does (HF config.json values:
# total and active parameters from the model cards; layers, hidden size and vocab from the configs).
PENDING = [
    ("Kimi-K2", 1026.5, 32, 61, 7168, 163840),
    ("GLM-4.5", 355, 32, 92, 5120, 151552),
    ("GLM-4.5-Air", 106, 12, 46, 4096, 151552),
    ("Qwen3-235B-A22B", 235, 22, 94, 4096, 151936),
    ("Llama-4-Scout-17B-16E", 109, 17, 48, 5120, 202048),
    ("Llama-4-Maverick-17B-128E", 400, 17, 48, 5120, 202048),
    ("DeepSeek-V3.2", 671, 37, 61, 7168, 129280),
]


@pytest.mark.parametrize(("name", "total_b", "active_b", "layers", "hidden", "vocab"), PENDING)
def test_pending_moe_rows_are_consistent(name, total_b, active_b, layers, hidden, vocab) -> None:
    """Each MoE row leaves a positive non-expert remainder and reads about the active parameters at one token."""
    from tools.catalog import _moe_rows, _normalise

    layout = _moe_rows()[_normalise(name)]
    spec = find_model("mixtral").model_copy(update={
        "name": name, "aliases": (), "params_b": total_b, "active_params_b": active_b, "n_layers": layers,
        "hidden_size": hidden, "vocab": vocab, "intermediate_size": None, "moe": layout})  # fmt: skip
    split = weight_split(spec)
    assert split is not None and split.attention > 0, name
    one_token = params_read_per_gpu(spec, 1, 1)
    assert 0.85 * (active_b * 1e9 - vocab * hidden) <= one_token <= 1.1 * active_b * 1e9, (name, one_token / 1e9)


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(["deepseek-r1", "mixtral", "gpt-oss-120b", "llama-3.1-70b", "gemma-2-27b"]),
    st.sampled_from(["h100", "h200", "b200", "mi300x", "tpu v5e"]),
    st.sampled_from([(1, 1), (2, 1), (2, 2), (4, 4), (8, 1), (8, 8), (16, 16)]),
    st.integers(1, 1024),
    st.booleans(),
    st.floats(1, 4),
    st.floats(0, 1),
)
def test_roofline_bounds_every_estimate(model, chip, layout, batch, dp, accept, eff) -> None:
    """Whatever the layout, the roofline bound (efficiencies 1, no overhead) is at least as fast as any estimate
    with lower efficiencies or added overhead, every figure is finite and the step is the sum of its parts."""
    gpus, ep = layout
    dp = dp and gpus > 1
    dtype = "bf16" if chip == "tpu v5e" else "fp8"
    shape = dict(model=model, chip=chip, gpus=gpus, ep=ep, dp_attention=dp, batch=batch, mtp_accept=accept)
    shape["weights_dtype"] = dtype
    bound = tp(**shape, mem_eff=1, compute_eff=1, step_overhead_ms=0)
    est = tp(**shape, mem_eff=max(eff, 0.05), compute_eff=max(eff, 0.05))
    assert bound.figure_kind == "roofline bound"
    assert est.tokens_per_s_per_user <= bound.tokens_per_s_per_user * (1 + 1e-9)
    assert est.ttft_s >= bound.ttft_s * (1 - 1e-9)
    for r in (bound, est):
        assert math.isfinite(r.decode_tokens_per_s) and r.decode_tokens_per_s > 0
        parts = max(r.memory_time_s, r.compute_time_s) + r.overhead_s + r.communication_s
        assert r.step_time_s == pytest.approx(parts)
        assert r.tokens_per_s_per_user == pytest.approx(accept / r.step_time_s)
