"""The decode roofline an analyst spells out (agent/offline/decode_bound.py): bandwidth x efficiency / bytes per step."""

from __future__ import annotations

import pytest

from agent.input_accounting import stated_quantities
from agent.offline.decode_bound import decode_bound_calls
from tools.registry import get


def _values(question: str) -> list[float] | None:
    got = decode_bound_calls(question, stated_quantities(question), lambda name, args: (name, args))
    if got is None:
        return None
    return [get(name).run(args).model_dump()["value"] for name, args in got[0]]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # H100 SXM 3.35 TB/s (catalog) / (6.74e9 x 2 B)
        ("Llama-2-7B fp16 batch 1 on one H100 SXM at 100% bandwidth efficiency. Weights 6.74e9 params x 2 bytes, "
         "ignore KV reads. tok/s?", [3.35e12 / 13.48e9]),
        # 8 x H200 4.8 TB/s / 70.6e9 B
        ("Llama-3.1-70B fp8 (70.6e9 bytes of weights) on 8x H200, batch 1, 100% bandwidth, ignore KV. tok/s?",
         [8 * 4.8e12 / 70.6e9]),
        # stated bandwidth, weights only, a ceiling: 100% said
        ("tok/s bound: 2 TB/s memory bw, 14 GB weights, batch 1", [2e12 / 14e9]),
        # KV reads stated: bytes/step = weights + batch x tokens x KV per token; per sequence and aggregate
        ("Llama-3.1-8B on one H100 SXM: 16.06e9 weight bytes, batch 64, every sequence at 4,096 tokens of bf16 KV "
         "(131,072 B/token), 100% of 3.35 TB/s. tok/s?",
         [3.35e12 / (16.06e9 + 64 * 4096 * 131072), 64 * 3.35e12 / (16.06e9 + 64 * 4096 * 131072)]),
    ],
)  # fmt: skip
def test_a_spelled_out_roofline_is_computed_as_written(question: str, expected: list[float]) -> None:
    assert _values(question) == pytest.approx(expected, rel=1e-4)


def test_two_chips_give_each_speed_and_the_ratio() -> None:
    values = _values("Gaudi 3 vs H100 SXM, 16e9-byte model, batch 1, 100% bw, ignore KV: tok/s on each and the ratio?")
    assert values is not None and len(values) == 3
    assert values[2] == pytest.approx(values[0] / values[1])


@pytest.mark.parametrize(
    "question",
    [
        "tok/s for llama 3.1 70b fp8 on 8x h100 at batch 32?",  # no stated weights: the throughput calculator's
        "Llama-2-7B (13.48e9 bytes of weights) on one H100 at batch 1: tok/s?",  # KV reads neither set aside nor stated
        "Llama-2-7B (13.48e9 bytes of weights) on one H100, ignore KV, batch 1: tok/s?",  # no efficiency, no ceiling
    ],
)
def test_not_a_spelled_out_roofline(question: str) -> None:
    assert _values(question) is None


def test_the_efficiency_is_the_share_said_of_the_bandwidth() -> None:
    question = (
        "Llama-2-7B (13.48e9 bytes of weights) on one H100 SXM, ignore KV, 90% of bandwidth and 80% of compute: tok/s?"
    )
    assert _values(question) == pytest.approx([3.35e12 * 0.9 / 13.48e9], rel=1e-4)


def test_the_planner_answers_a_spelled_out_roofline_by_calculate() -> None:
    from agent.ask import ask

    answer = ask(
        "Llama-3.1-8B bf16 (16.06e9 bytes of weights), batch 1, on one MI325X at 100% bandwidth, ignore KV: tok/s?",
        model="offline",
    )
    assert [c.name for c in answer.tool_calls] == ["calculate"] and answer.unused_inputs == []
    assert "373.6 tokens/s" in answer.answer  # MI325X 6 TB/s / 16.06e9 B
    assert "no KV read" in answer.answer


def test_a_spelled_out_plan_that_leaves_a_number_unused_is_declined() -> None:
    from agent.offline.plan import make_plan

    plan = make_plan(
        "roofline tok/s for a 70e9-byte model at batch 1, 100% bw, ignore KV, on one H200; and how many H200s "
        "(141e9 bytes each) to hold 405.9e9 bytes of weights"
    )
    assert plan.calls == [] and plan.reply is not None and "405.9e9 bytes" in plan.reply
