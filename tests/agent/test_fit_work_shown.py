"""Fit answers show the work an analyst checks (capacity, weights, what is left, the counts) under the
convention the question states, and read memory sizes, lengths and parameter counts as written. Hand-derived
figures; wording, models and chips differ from the blind suites."""

from __future__ import annotations

import pytest

from agent.answer import Answer
from agent.offline.parse import parse
from evals.schema import Figure
from evals.scorers import score_figure


def _ask(question: str) -> Answer:
    from agent.ask import ask

    return ask(question, model="offline")


def _has(text: str, value: float, unit: str = "", rel_tol: float = 0.005) -> bool:
    return score_figure(text, Figure(value=value, unit=unit, rel_tol=rel_tol)).passed


def test_stated_bytes_per_card_give_total_capacity_and_shortfall_when_weights_do_not_fit() -> None:
    # Llama-3.1-405B fp8: 405.85e9 B of weights; 4 x 96e9 = 384e9 B all usable -> short by 21.85e9 B;
    # ceil(405.85 / 96) = 5 cards just for the weights
    answer = _ask("llama 3.1 405b fp8 on 4 cards of 96e9 bytes each: fits or not?")
    assert _has(answer.answer, 384e9, "B", 0.001), answer.answer
    assert _has(answer.answer, 21.85e9, "B", 0.01), answer.answer
    assert "5 accelerators just for the weights" in answer.answer
    assert answer.unused_inputs == []


def test_mla_counts_kept_once_across_gpus_are_printed_as_counts() -> None:
    # Kimi-K2 int4 1026.5e9 x 0.5 = 513.25e9 B; 8 x 141e9 = 1,128e9 B; free 614.75e9 B;
    # bf16 MLA 70,272 B/token x 16,384 = 1,151,336,448 B per request -> floor(533.94) = 533 kept once
    answer = _ask("kimi k2 at int4 on 8x h200 (141e9 bytes each), how many 16k (16384) ctx seqs with a bf16 kv cache?")
    assert _has(answer.answer, 614.75e9, "B", 0.001), answer.answer
    assert _has(answer.answer, 533), answer.answer
    assert answer.unused_inputs == []


def test_a_memory_size_restated_in_bytes_is_not_a_parameter_count() -> None:
    from agent.offline.plan import make_plan

    plan = make_plan("qwen3 235b fp8 weights on 2x mi325x (256GB as 256e9): how many 32k (32768) seqs, kv bf16")
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert "params" not in fit.args and fit.args["capacity_gb"] == 256.0


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("for llama 3.1 8b bf16: max 16k (16384) seqs on one l40s?", 16384),
        ("mistral large 2 fp8, maximum 32768 sequences on 4x h100?", 32768),
    ],
)
def test_max_n_seqs_with_a_length_sized_number_is_a_context_length(question: str, total: int) -> None:
    p = parse(question)
    assert (p.total, p.batch) == (total, None)


def test_max_small_seqs_stays_a_batch() -> None:
    assert parse("llama 3.1 70b on 2x h100, max 256 seqs at 4k").batch == 256


def test_a_parameter_count_without_a_catalog_model_gives_the_weights_only_fit() -> None:
    # 30e9 x 2 B (bf16) = 60e9 B on one H100 read as 80e9 B, all usable: 20e9 B left
    answer = _ask("in-house model, assume 30e9 params, bf16. does it fit on one h100 and what's left for the kv cache?")
    assert any(c.name == "memory_fit" and c.args.get("weights_only") for c in answer.tool_calls)
    assert _has(answer.answer, 60e9, "B", 0.001) and _has(answer.answer, 20e9, "B", 0.001), answer.answer


def test_headroom_asks_the_fit_in_the_stated_unit() -> None:
    # Llama-3.1-405B fp8 405.85e9 B on 4 x 96 GiB (Trainium2) = 412.32e9 B all usable: 6.47e9 B headroom
    answer = _ask("llama 3.1 405b fp8 on 4 trainium2 chips, memory is GiB. headroom?")
    fit = next(c for c in answer.tool_calls if c.name == "memory_fit")
    assert fit.args.get("capacity_unit") == "GiB"
    assert _has(answer.answer, 6.47e9, "B", 0.01), answer.answer


def test_eight_bit_weights_with_no_kv_format_also_give_the_bf16_cache_count() -> None:
    # Qwen3-32B fp8 32.76e9 B on one 80e9-B card all usable: free 47.24e9 B; bf16 KV 262,144 B/token x 8,192
    # = 2,147,483,648 B -> floor(21.99) = 21 (fp8 cache: 43)
    answer = _ask("qwen3 32b fp8 on one h100 (80e9 bytes, all usable): how many 8k (8192) ctx seqs?")
    assert "with a bf16 KV cache" in answer.answer
    assert _has(answer.answer, 21) and _has(answer.answer, 43), answer.answer
