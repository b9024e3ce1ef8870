"""Rooflines of catalog models and chips (prefill compute bound, decode with every sequence's KV read, a $/Mtok
chained to the ceiling) and ratios of two chips' specs or two models' KV per token; hand-derived figures."""

from __future__ import annotations

import pytest

from agent.input_accounting import stated_quantities
from agent.offline.catalog_roofline import prefill_bound_calls
from agent.offline.decode_bound import decode_bound_calls
from agent.offline.plan import make_plan
from agent.offline.plan_types import Call
from agent.offline.spec_compare import chip_ratio_calls
from tools.registry import get


def _run(found: tuple[list[Call], dict[str, tuple[str, str, str]], str] | None) -> dict[str, float]:
    assert found is not None
    calls, labels, _note = found
    return {labels[c.args["expression"]][0]: get(c.name).run(c.args).value for c in calls if c.name == "calculate"}


def _decode(question: str) -> dict[str, float]:
    return _run(decode_bound_calls(question, stated_quantities(question), Call))


def test_prefill_compute_bound_from_catalog_flops_and_params() -> None:
    # 2 x 1,979e12 (H200 fp8 dense) / (2 x 8.03e9 Llama-3.1-8B) = 246,450.8 tokens/s
    q = "max prefill throughput of llama 3.1 8b in fp8 across 2x h200, flops bound, 2 FLOPs per param per token"
    found = prefill_bound_calls(q, stated_quantities(q), Call)
    assert list(_run(found).values()) == [pytest.approx(246450.8, rel=1e-5)]
    assert found is not None and "as stated" in found[2]  # the stated convention, not the default


def test_prefill_default_convention_and_stated_efficiency() -> None:
    # MoE: active 12.9e9 params; 0.45 x 2,614.9e12 (MI300X fp8 dense) / (2 x 12.9e9) = 45,608.7 tokens/s
    q = "mixtral 8x7b fp8 on a single mi300x: prefill tokens per second at 45% of peak"
    found = prefill_bound_calls(q, stated_quantities(q), Call)
    assert list(_run(found).values()) == [pytest.approx(45608.7, rel=1e-5)]
    assert found is not None and "a multiply and an add per weight" in found[2] and "attention FLOPs" in found[2]


def test_prefill_not_read_without_a_bound_or_efficiency() -> None:
    q = "how fast is prefill for qwen3-32b on an h200?"
    assert prefill_bound_calls(q, stated_quantities(q), Call) is None


def test_decode_bound_reads_every_sequence_kv_at_full_context() -> None:
    # weights 32.8e9 x 2 = 65.6e9 B; KV 8 x 8,192 x 262,144 B (Qwen3-32B bf16) = 17,179,869,184 B
    # step 82,779,869,184 B; 4.8e12 / step = 57.985 tokens/s per sequence, x 8 = 463.88 aggregate; 82.78 GB read
    values = _decode(
        "qwen3-32b in bf16 on one h200, 8 concurrent requests each holding 8192 tokens of context, kv reads included: "
        "bytes read per step and the aggregate tok/s upper bound"
    )
    assert sorted(values.values()) == [
        pytest.approx(57.9852, rel=1e-4),
        pytest.approx(82.7799, rel=1e-4),
        pytest.approx(463.882, rel=1e-4),
    ]


def test_decode_ceiling_chains_to_cost_per_million_tokens() -> None:
    # 4 x 7.7e12 / (8.03e9 x 2) = 1,917.81 tokens/s; 4 x $3.50 = $14/h; 14 / (1,917.81 x 3,600) x 1e6 = 2.0278 $/Mtok
    per_gpu = _decode(
        "llama 3.1 8b bf16, 4x b200, bs 1, ignore the kv cache: decode ceiling and $/Mtok at $3.50 per gpu-hour"
    )
    assert sorted(per_gpu.values()) == [pytest.approx(2.02778, rel=1e-4), pytest.approx(1917.81, rel=1e-4)]
    # a node price is the whole replica's: 20 / (1,917.81 x 3,600) x 1e6 = 2.8968 $/Mtok
    node = _decode(
        "llama 3.1 8b bf16, 4x b200, bs 1, ignore kv: decode ceiling, and cost per million tokens if the node is $20/hr"
    )
    assert sorted(node.values()) == [pytest.approx(2.89683, rel=1e-4), pytest.approx(1917.81, rel=1e-4)]


def test_batch_one_weights_only_ceiling_stays_with_the_throughput_calculator() -> None:
    q = "decode ceiling for llama 3.1 70b bf16 on 4x mi325x, batch 1, ignore kv"
    assert decode_bound_calls(q, stated_quantities(q), Call) is None
    assert [c.name for c in make_plan(q).calls] == ["throughput"]


def test_active_parameters_with_the_count_before_or_after() -> None:
    # 4 x 6e12 / (22e9 x 1 B) = 1,090.9; 7.7e12 / (5.1e9 x 0.5 B) = 3,019.6 (stated bytes per parameter)
    assert list(_decode("qwen3 235b fp8 on 4x mi325x, bs1, with active 22B: decode ceiling").values()) == [
        pytest.approx(1090.91, rel=1e-4)
    ]
    assert list(_decode("one b200, 5.1e9 active params at 0.5 bytes per param, batch 1 decode ceiling?").values()) == [
        pytest.approx(3019.61, rel=1e-4)
    ]


def test_chip_spec_ratios_in_the_order_written() -> None:
    # H200 / MI325X: bf16 989 / 1,307.4 = 0.75646; memory 141 / 256 = 0.55078; TDP 700 / 1,000 = 0.7
    values = _run(chip_ratio_calls("h200 compared to mi325x: bf16 tflops, memory and tdp ratios", Call))
    assert list(values.values()) == [
        pytest.approx(0.756463, rel=1e-5),
        pytest.approx(0.550781, rel=1e-5),
        pytest.approx(0.7),
    ]


def test_chip_ratio_needs_two_chips_and_a_value_for_each() -> None:
    assert chip_ratio_calls("what is the memory bandwidth of the b200?", Call) is None
    assert chip_ratio_calls("a100 vs h100 fp8 ratio", Call) is None  # the A100 row has no fp8 figure


def test_kv_per_token_ratio_of_two_models() -> None:
    # Llama-3.1-70B 327,680 B / Qwen3-32B 262,144 B per token (bf16) = 1.25
    plan = make_plan("how many times bigger is the per-token kv cache of llama 3.1 70b than qwen3-32b, bf16?")
    ratio = [c for c in plan.calls if c.name == "calculate"]
    assert [get("calculate").run(c.args).value for c in ratio] == [pytest.approx(1.25)]
    assert [c.name for c in plan.calls].count("kv_cache") == 2


def test_batch_one_ceiling_with_a_price_reads_the_weights_only() -> None:
    # 2 x 5.3e12 / (32.8e9 x 2) = 161.585 tokens/s; 2 x $1.80 / (161.585 x 3,600) x 1e6 = 6.1886 $/Mtok
    values = _decode("bs=1 decode ceiling of qwen3-32b bf16 on 2x mi300x, what's that in $/Mtok at $1.80/gpu-hour?")
    assert sorted(values.values()) == [pytest.approx(6.18862, rel=1e-4), pytest.approx(161.585, rel=1e-4)]


def test_bytes_asked_after_a_sentence_that_states_the_kv_format() -> None:
    # 32.8e9 x 1 + 4 x 16,384 x 262,144 = 49.98 GB; 7.7e12 / that = 154.06 per request, 616.25 aggregate
    values = _decode(
        "qwen3-32b fp8 on one b200, batch 4, each request 16384 tokens of bf16 kv. bytes read per step, "
        "and the upper bound on aggregate tok/s"
    )
    assert sorted(values.values()) == [
        pytest.approx(49.9799, rel=1e-4),
        pytest.approx(154.062, rel=1e-4),
        pytest.approx(616.248, rel=1e-4),
    ]


def test_prefill_time_of_a_stated_prompt() -> None:
    # 4 x 2,614.9e12 (MI325X fp8 dense) / (2 x 27.2e9 Gemma-2-27B) = 192,272 tokens/s; 100,000 / that = 0.52010 s
    q = "how long does a 100000-token prompt take to prefill on 4x mi325x, gemma 2 27b fp8, compute bound"
    values = _run(prefill_bound_calls(q, stated_quantities(q), Call))
    assert sorted(values.values()) == [pytest.approx(0.520096, rel=1e-4), pytest.approx(192272.1, rel=1e-4)]


def test_two_chips_batch_one_weights_over_bandwidth_each_and_ratio() -> None:
    # Qwen3-32B bf16: 32.8e9 x 2 = 65.6e9 B; H200 4.8e12 / 65.6e9 = 73.1707, B200 7.7e12 / 65.6e9 = 117.378
    q = "bs=1 decode upper bound, qwen3-32b bf16, h200 vs b200 (bandwidth over weight bytes): tokens/s on each, ratio?"
    got = list(_decode(q.replace("over", "/")).values())
    assert got == [
        pytest.approx(73.1707, rel=1e-4),
        pytest.approx(117.378, rel=1e-4),
        pytest.approx(0.623377, rel=1e-4),
    ]


def test_stated_step_time_formula_reads_aggregate_datasheet_bandwidth() -> None:
    # 32.8e9 B (fp8); 4 x 4.8e12 / 32.8e9 = 585.366 steps/s; x batch 16 = 9,365.85 tokens/s
    q = "4x h200 serving qwen3-32b fp8 at batch 16; say step time = weight bytes / aggregate datasheet bandwidth, no kv. total tok/s?"
    assert _decode(q)["Bandwidth-bound decode, H200 (4.8 TB/s datasheet): aggregate"] == pytest.approx(
        9365.85, rel=1e-5
    )


def test_batch_one_at_a_stated_share_of_datasheet_bandwidth() -> None:
    # Llama-3.1-8B bf16: 8.03e9 x 2 = 16.06e9 B; 7.7e12 x 0.7 / 16.06e9 = 335.616 tokens/s
    q = "llama 3.1 8b bf16 on one b200, batch size 1, we only get 70% of datasheet memory bw. tokens per sec?"
    assert list(_decode(q).values()) == [pytest.approx(335.616, rel=1e-5)]


def test_moe_ceiling_from_stated_active_params_not_the_held_weights() -> None:
    # 8 x 4.8e12 / (22e9 x 2 bytes, bf16) = 872.727 tokens/s; the 470 GB of weights is what memory holds
    q = "qwen3 235b, 470GB of bf16 weights, 22B active, on 8x h200: batch-1 decode ceiling from the active params at datasheet bw?"
    found = decode_bound_calls(q, stated_quantities(q), Call)
    assert list(_run(found).values()) == [pytest.approx(872.727, rel=1e-5)]
    assert found is not None and "470GB of weights is what memory holds" in found[2]


def test_batch_one_at_a_share_of_peak_hbm_bandwidth_on_several_chips() -> None:
    # Llama-3.1-70B bf16: 70.6e9 x 2 = 141.2e9 B; 4 x 3.35e12 x 0.85 / 141.2e9 = 80.666 tokens/s
    q = "llama-3.1-70b bf16 on 4x h100, batch 1, assuming 85% of peak HBM bandwidth: tokens/s?"
    assert list(_decode(q).values()) == [pytest.approx(80.666, rel=1e-4)]
