"""Bandwidth-bound decode ceilings from the analyst's own bytes and bandwidth (hand-derived figures)."""

from __future__ import annotations

import pytest

from agent.input_accounting import stated_quantities, unused_inputs
from agent.offline.decode_bound import decode_bound_calls
from tools.registry import get


def _values(question: str) -> dict[str, float]:
    found = decode_bound_calls(question, stated_quantities(question), lambda name, args: (name, args))
    assert found is not None
    calls, labels, note = found
    assert "Bandwidth-bound" in note
    assert unused_inputs(question, [args for _, args in calls], "") == []  # every stated number is in an expression
    return {labels[a["expression"]][0]: get(n).run(a).value for n, a in calls}


def test_weights_over_one_accelerator() -> None:
    # 4.8e12 B/s / 70e9 B per step = 68.571 tokens/s
    values = _values("bandwidth-bound decode ceiling: 70 GB of fp8 weights on one H200 at 4.8 TB/s, batch 1. tok/s?")
    assert list(values.values()) == [pytest.approx(68.5714, rel=1e-4)]


def test_batch_with_kv_and_per_user() -> None:
    # 4 x 3.35e12 B/s over 35e9 + 16 x 1.25e9 = 55e9 B per step: 4.104 ms, 3,898.18 tokens/s, 243.64 per stream
    values = _values(
        "4x H100, TP4, 35 GB of int4 weights, batch 16, 1.25 GB KV per seq, 100% of 3.35 TB/s per gpu. tok/s total and per stream"
    )
    assert sorted(values.values()) == [pytest.approx(243.636, rel=1e-4), pytest.approx(3898.18, rel=1e-4)]


def test_efficiency_active_params_and_datasheet_bandwidth() -> None:
    # 8 x 3.35e12 x 0.6 / 141.2e9 = 113.88; 7.7e12 / (37e9 x 1 B fp8) = 208.11; H200 datasheet 4.8e12 / 141e9 = 34.04
    assert list(
        _values(
            "70b bf16 = 141.2 GB weights on 8xH100 (3.35 TB/s each) at 60% achieved bandwidth, batch 1: tok/s?"
        ).values()
    ) == [pytest.approx(113.881, rel=1e-4)]
    assert list(
        _values("deepseek v3 has 37B active params. fp8, one B200 (7.7 TB/s), batch 1, upper bound tok/s?").values()
    ) == [pytest.approx(208.108, rel=1e-4)]
    assert list(_values("h200 at full datasheet bandwidth, 141 GB read per token, batch 1 -> tok/s").values()) == [
        pytest.approx(34.0426, rel=1e-4)
    ]


def test_two_chips_compared() -> None:
    values = _values("406 GB of weights across 8 GPUs: decode ceiling on Rubin (22 TB/s each) vs B200 (7.7 TB/s each)")
    assert sorted(values.values()) == [pytest.approx(151.724, rel=1e-4), pytest.approx(433.498, rel=1e-4)]
    ratio = _values("for a purely bandwidth-bound decode, how much faster is a B200 than an H100 on the same model?")
    assert list(ratio.values()) == [pytest.approx(7.7 / 3.35)]


def test_no_stated_bytes_is_no_ceiling() -> None:
    assert decode_bound_calls("tokens/s for llama 3.1 70b on 8 h100", [], lambda n, a: (n, a)) is None


def test_a_stated_compute_roofline_takes_the_slower_of_the_two() -> None:
    # memory 140e9 / 3.35e12 = 41.79 ms; compute 2 x 70e9 x 256 / 989e12 = 36.24 ms -> memory bound: 6,125.7 tokens/s
    values = _values(
        "70B dense bf16 (140 GB) on one H100 at batch 256: compute or memory bound? use 989 dense TFLOPS, 3.35 TB/s, "
        "2 FLOPs/param/token, ignore KV. tok/s at the bound?"
    )
    assert max(values.values()) == pytest.approx(6125.71, rel=1e-4)


def test_kv_per_token_times_tokens_per_sequence_times_batch() -> None:
    # 2 x 4.8e12 B/s over 26e9 + 32 x 2,048 x 65,536 = 30.295e9 B per step: 316.89 per sequence, 10,140.6 in all
    values = _values(
        "2x H200 (4.8 TB/s each), 26e9 bytes of weights, batch 32, each sequence holding 2,048 tokens of KV at "
        "65,536 B/token, 100% of bandwidth. per-sequence and aggregate tok/s?"
    )
    assert sorted(values.values()) == [pytest.approx(316.886, rel=1e-4), pytest.approx(10140.3, rel=1e-4)]


def test_a_kv_total_per_step_is_not_multiplied_by_the_batch() -> None:
    # 4 x 8e12 B/s / (90e9 + 30e9) = 266.67 per user; x 48 = 12,800 aggregate
    values = _values(
        "4x B300 at 8 TB/s each reading 90 GB of weights + 30 GB of KV per decode step, batch 48, 100% bw: "
        "aggregate tok/s and per user?"
    )
    assert sorted(values.values()) == [pytest.approx(266.667, rel=1e-4), pytest.approx(12800.0, rel=1e-4)]


def test_an_achievable_share_and_a_stated_aggregate_bandwidth() -> None:
    # 3.35e12 x 0.75 / 20e9 = 125.625; "4 x 5.3 TB/s aggregate" is 21.2e12 in all, not times the count again
    assert list(
        _values("h100 3.35 TB/s, assume 75% achievable, the model streams 20 GB per step, batch 1: tok/s?").values()
    ) == [pytest.approx(125.625, rel=1e-4)]
    values = _values(
        "on 4x MI300X, 100e9 bytes of weights, ignore KV, batch 1, 100% of the 4 x 5.3 TB/s aggregate: tok/s?"
    )
    assert list(values.values()) == [pytest.approx(212.0, rel=1e-4)]


def test_the_smallest_batch_for_a_target_aggregate_speed_is_solved_and_rounded_up() -> None:
    # 0.9 x 8e12 / 120e9 = 60 steps/s; 5,000 / 60 = 83.3 -> 84
    values = _values(
        "at 90% of a B200's 8 TB/s with 120 GB of weights and negligible KV, smallest batch reaching 5,000 tok/s aggregate?"
    )
    assert list(values.values()) == [84]
    # with KV per sequence: B = ceil(T x W / (BW - T x KV)) = ceil(1,000 x 60e9 / (4e12 - 1,000 x 1e9)) = 20
    values = _values(
        "4 TB/s at 100% bandwidth, 60 GB of weights, 1 GB of KV per sequence: minimum batch for 1,000 tok/s aggregate?"
    )
    assert list(values.values()) == [20]


def test_a_kv_size_neither_per_sequence_nor_per_step_is_not_guessed() -> None:
    question = "one H100 at 3.35 TB/s, 30 GB of weights and 10 GB of KV, batch 8, 100% bw: tok/s?"
    assert decode_bound_calls(question, stated_quantities(question), lambda n, a: (n, a)) is None
