"""Memory fits with the analyst's own overrides: a restated prompt + output split, the whole card kept, a
weights-only count and the memory left over (hand-derived figures)."""

from __future__ import annotations

import pytest

from agent.offline.parse import parse


@pytest.mark.parametrize(
    ("question", "prompt", "output"),
    [
        ("how many 4k in / 2k out requests (4096+2048) fit on 2x h100 for llama 3.1 70b?", 4096, 2048),
        ("llama 3.1 8b on one l40s, 2k+1k (2000+1000) requests: how many at once?", 2000, 1000),
    ],
)
def test_a_bracketed_split_restates_the_request_and_is_not_a_sum(question: str, prompt: int, output: int) -> None:
    p = parse(question)
    assert (p.prompt, p.output, p.expression) == (prompt, output, None)


def test_the_whole_card_with_a_free_share_and_a_restated_split() -> None:
    from agent.offline.plan import make_plan

    # usable 192e9 x (1 - 0.2) = 153.6e9; the card's whole capacity, less the share kept free
    plan = make_plan(
        "Llama-3.1-70B (70.6e9 params) bf16 + bf16 kv on one MI300X treated as 192e9 bytes, use the whole card but keep "
        "20% free: how many 2k in / 2k out requests (2048+2048) fit at peak?"
    )
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert fit.args["gpu_mem_util"] == 1.0 and fit.args["reserve_frac"] == pytest.approx(0.2)
    assert (fit.args["prompt"], fit.args["output"]) == (2048, 2048)


def test_weights_only_leads_with_the_count_and_the_memory_left_over() -> None:
    from agent.ask import ask

    # 405.9e9 x 1 B (fp8) on 141e9-byte cards: ceil(2.88) = 3; on 8 of them 1,128e9 - 405.9e9 = 722.1e9 left over
    answer = ask(
        "weights only: how many H200 (141e9 bytes each, all usable) to hold Llama-3.1-405B in fp8 (405.9e9 params)?",
        model="offline",
    )
    assert "accelerators needed just to hold the weights: **3**" in answer.answer
    assert "free after the weights **722.10 GB**" in answer.answer
    # 116.8e9 x 0.5 B (int4) = 58.4e9 on one 64e9-byte card, all of it: 5.6 GB left over
    answer = ask(
        "gpt-oss-120b (116.8e9 params) at 4-bit on one card of 64e9 bytes, all of it: do the weights fit, GB left over?",
        model="offline",
    )
    assert "5.60 GB" in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "total"),
    [
        ("qwen3 32b on 2x h100: how many 16k requests (16,384 tokens) at once?", 16384),
        ("how many 64k sessions (65,536 tok incl. the answer) fit for llama 3.1 8b on one h200?", 65536),
    ],
)
def test_a_length_in_k_restated_in_exact_tokens_is_the_request_length(question: str, total: int) -> None:
    from agent.offline.plan import make_plan

    fit = next(c for c in make_plan(question).calls if c.name == "memory_fit")
    assert fit.args["prompt"] + fit.args["output"] == total


@pytest.mark.parametrize(
    ("question", "prompt", "output"),
    [
        ("llama 3.1 8b on one h100, 8k prompt + 2k output (10,240 tokens total): how many at once?", 8192, 2048),
        ("qwen3 32b on 2x h200, 30k in + 2k out (32,768 tokens in all), how many concurrent?", 30720, 2048),
    ],
)
def test_a_stated_total_in_binary_k_sets_the_split(question: str, prompt: int, output: int) -> None:
    p = parse(question)
    assert (p.prompt, p.output) == (prompt, output)


def test_just_holding_the_weights_on_cards_of_a_stated_size_needs_no_catalog_chip() -> None:
    from agent.offline.plan import make_plan

    # 70.6e9 x 2 B = 141.2e9 on 48e9-byte cards keeping 20% free: 38.4e9 usable each -> ceil(3.68) = 4
    plan = make_plan(
        "fewest 48e9-byte cards just to hold llama 3.1 70b in bf16 (70.6e9 params), keep 20% free, ignore kv"
    )
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert fit.args["weights_only"] is True and fit.args["capacity_gb"] == 48.0 and "chip" not in fit.args
    from tools.registry import get

    assert get("memory_fit").run(fit.args).min_accelerators_weights_only == 4


def test_a_capacity_written_as_a_power_of_two_is_one_capacity() -> None:
    from agent.input_accounting import unused_inputs
    from agent.offline.plan import make_plan

    question = (
        "treat each H200 as 141 GiB (141 x 2^30 bytes), no reserve, 4 GPUs, Llama-3.1-70B fp8 (70.6e9 params) with "
        "fp8 KV, 2,000 in + 500 out tokens: how many concurrent requests?"
    )
    plan = make_plan(question)
    fit = next(c for c in plan.calls if c.name == "memory_fit")
    assert fit.args["capacity_gb"] == pytest.approx(141 * 2**30 / 1e9)
    assert unused_inputs(question, plan.calls, "") == []
