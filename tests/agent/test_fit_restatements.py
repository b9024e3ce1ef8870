"""Memory-fit questions that restate catalog figures or fix a memory convention: the restated figure is checked
against the catalog (matches: said; off: the analyst's figure is used and said), and conventions the question
states reach the calculator (hand-derived figures)."""

from __future__ import annotations

import pytest

from agent.offline.parse import parse
from agent.offline.plan import make_plan


def _fit(question: str) -> dict[str, object]:
    plan = make_plan(question)
    assert plan.reply is None, plan.reply
    return next(c for c in plan.calls if c.name == "memory_fit").args


def test_a_restated_weights_size_that_matches_the_catalog_is_said_and_not_declined() -> None:
    # Qwen2.5-72B: 72.7e9 params x 2 B (bf16) = 145.4e9 B, as stated
    plan = make_plan("2x h200, qwen2.5-72b in bf16 (145.4 GB of weights), 16k ctx, bf16 kv, 90% usable. how many seqs?")
    assert plan.reply is None, plan.reply
    assert any(n.startswith("145.4 GB: matches the weights of Qwen2.5-72B in bf16") for n in plan.notes), plan.notes
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert "params" not in fit.args  # the catalog's count is the same figure


def test_a_restated_weights_size_off_the_catalog_is_the_analysts_and_said() -> None:
    # 160e9 B of bf16 weights = 80e9 parameters at 2 B each (the catalog gives 145.4e9 B)
    plan = make_plan("2x h200, qwen2.5-72b in bf16 (160 GB of weights), 16k ctx, bf16 kv, 90% usable. how many seqs?")
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert fit.args["params"] == pytest.approx(80e9)
    assert any("160 GB of weights is your figure" in n for n in plan.notes), plan.notes


def test_a_bare_parameter_count_after_the_name_restates_the_catalog() -> None:
    plan = make_plan("deepseek v3 (671B) kv bytes per token in bf16?")
    assert plan.reply is None, plan.reply
    assert any(n.startswith("671B: matches the catalog's 671 B parameters") for n in plan.notes), plan.notes


def test_a_chip_capacity_written_after_its_name_is_the_capacity() -> None:
    # one MI325X at 256e9 B x 0.85 = 217.6e9; Llama-3.1-8B bf16 16.06e9 B; fp8 KV 65,536 B/token x 8,000 = 524.3e6 B
    # (217.6e9 - 16.06e9) / 524.3e6 = 384.4 -> 384
    from agent.ask import ask

    answer = ask(
        "one mi325x 256GB: llama 3.1 8b bf16, fp8 kv (1 byte), 4k in + 4k out per user, 85% usable. users?",
        model="offline",
    )
    assert "**384 requests**" in answer.answer, answer.answer
    assert answer.unused_inputs == []


@pytest.mark.parametrize(
    "question",
    [
        "4x mi300x, llama-3.1-70b w/ bf16 weights (2 B/param), fp8 kv, 8k ctx, 90% usable. max concurrency?",
        "qwen2.5-72b at fp8 (1 B per param) on 2x h100, bf16 kv, 4k ctx: how many seqs?",
    ],
)
def test_bytes_per_parameter_are_not_a_parameter_count(question: str) -> None:
    fit = _fit(question)
    assert "params" not in fit


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("one h200, qwen2.5-72b fp8, 8k ctx, 90% usable, GB = 1e9. how many seqs fit?", "capacity_unit", "GB"),
        (
            "8x h200 - count the 141 as GiB. llama-3.1-70b fp8, bf16 kv, 64k ctx, 90% usable. how many seqs fit?",
            "capacity_unit",
            "GiB",
        ),
        (
            "4x mi300x, treat each 192 as decimal GB: llama 3.1 70b bf16, 8k ctx. how many seqs fit?",
            "capacity_unit",
            "GB",
        ),
        ("8x h200, llama-3.1-405b fp8, bf16 kv, 16k ctx, all the HBM usable. how many seqs?", "gpu_mem_util", 1.0),
    ],
)
def test_memory_conventions_the_question_states_reach_the_fit(question: str, field: str, value: object) -> None:
    fit = _fit(question)
    assert fit[field] == value
    assert "params" not in fit  # "1e9" defines the unit: it is no parameter count


def test_a_stated_total_of_prompt_and_reasoning_adds_no_answer_length() -> None:
    # 1k + 7k = 8k: the 7k thinking is all the request generates
    plan = make_plan("deepseek v3 on 16x h200, 1k prompt + 7k thinking = 8k tokens per user, bf16 mla cache. users?")
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert (fit.args["prompt"], fit.args["output"]) == (1000, 7000)


def test_an_exact_context_wins_over_the_rounded_length_of_the_counted_sequences() -> None:
    p = parse("8x h200, qwen3 32b bf16, 64k (65536) ctx, 90% usable. how many concurrent 64k seqs?")
    assert p.total == 65536


def test_a_sliding_window_the_catalog_holds_is_accounted_when_the_question_restates_it() -> None:
    plan = make_plan("gemma 2 27b kv per 8192-token sequence in bf16 with the 4096 sliding window on half the layers")
    assert plan.reply is None, plan.reply


def test_a_stated_sliding_window_caps_a_catalog_model_without_one() -> None:
    # Llama-3.1-8B: 32 layers x 2 x 8 heads x 128 x 2 B = 131,072 B/token; capped at 4,096 tokens: 536,870,912 B
    plan = make_plan(
        "llama 3.1 8b with a 4096-token sliding window on every layer: bf16 kv per 32k (32768) seq, bytes?"
    )
    kv = next(c for c in plan.calls if c.name == "kv_cache")
    assert kv.args["window"] == 4096
    from tools.registry import get

    assert get("kv_cache").run(kv.args).model_dump()["bytes_per_sequence"] == 536_870_912


def test_a_layer_count_beside_a_window_is_not_the_window() -> None:
    plan = make_plan(
        "gpt-oss-20b at 65536 ctx, bf16 kv: 12 full-attn layers + 12 layers w/ 128-tok sliding window. kv/seq?"
    )
    kv = next(c for c in plan.calls if c.name == "kv_cache")
    assert kv.args.get("window") == 128


def test_a_kv_token_budget_asked_leads_the_answer() -> None:
    # one MI300X: 192e9 x 0.9 = 172.8e9; Qwen2.5-72B fp8 72.7e9 B; (172.8e9 - 72.7e9) / 327,680 B/token = 305,480
    from agent.ask import ask

    answer = ask(
        "one mi300x, qwen2.5-72b fp8 weights, bf16 kv, 90% usable decimal GB: how many tokens of kv cache can it hold?",
        model="offline",
    )
    assert answer.answer.lstrip().startswith("**Room for 305,480 tokens of KV**"), answer.answer
