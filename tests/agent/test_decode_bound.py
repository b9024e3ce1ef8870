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
