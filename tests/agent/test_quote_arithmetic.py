"""Podcast questions with a sum: computed by ``calculate`` on the question's own numbers, or on the one figure
read from the best cited sentence (second round), never from a catalog default."""

from __future__ import annotations

import json

from agent.offline.passage_figure import passage_plan
from agent.offline.plan import make_plan
from agent.offline.plan_types import Call
from agent.offline.quote_arithmetic import stated_sums, waits_for_figure
from tools.arithmetic import evaluate


def _values(question: str) -> list[float]:
    return [evaluate(s.expression).value for s in stated_sums(question)]


def test_sums_stated_in_words() -> None:
    assert _values("she said one rack serves 300 sessions and long prompts cut that to 1/3-1/6: how many is that?") == [
        100,
        50,
    ]
    assert _values("he said 12,000 GPUs at $25k/gpu for the cluster - what's the hardware bill?") == [300_000_000]
    assert _values("a $180k box serving 90 users per the guest: capex per user?") == [2000]
    growth = _values("he put revenue at $4 billion; if it grows 25% a year, what is it 2 years later?")
    assert abs(growth[0] - 6.25e9) < 1
    assert _values("she says perf per dollar improves 3x a year; compounded over 4 years?") == [81]
    margins = _values("per the pod Oracle books $6B of GPU revenue at 20-40% gross margin: implied cost?")
    assert [round(v) for v in margins] == [3_600_000_000, 4_800_000_000]


def test_no_sum_without_all_its_parts() -> None:
    assert stated_sums("what did the guest say about HBM margins?") == []
    assert stated_sums("he said it grows 25% a year") == []  # no base, no years
    assert waits_for_figure("what revenue did he give for Oracle, and if it grew 25% a year, what after 2 years?")
    assert not waits_for_figure("what did she say about liquid cooling?")


def test_a_quote_with_a_stated_sum_calls_calculate_not_tco() -> None:
    plan = make_plan("he said a $240k server handles 120 users on 70B. server capex per user?")
    names = [c.name for c in plan.calls]
    assert names == ["search_knowledge", "calculate"] and "tco" not in names


def _search(text: str) -> tuple[Call, str]:
    passage = {"text": text, "chunk_id": "note@1", "source": "a note"}
    return Call("search_knowledge", {"query": "revenue figure for Oracle", "source": "transcript"}), json.dumps(
        [passage]
    )


def test_the_passage_figure_completes_the_sum() -> None:
    question = "what revenue figure did he give for Oracle, and if it grew 25% a year, what would it be 2 years on?"
    plan = make_plan(question)
    assert [c.name for c in plan.calls] == ["search_knowledge"] and plan.from_passage == question
    done = [_search("Oracle is doing, call it, $4 billion of revenue for Oracle on GPUs, which is good.")]
    read = passage_plan(plan, done)
    assert read is not None and [c.name for c in read.calls] == ["calculate"]
    expression = read.calls[0].args["expression"]
    assert expression.startswith("4000000000 * (1 + 0.25) ** 2")
    assert "Figure read from [1]: $4 billion" in read.notes[0]


def test_two_candidate_figures_decline_instead_of_guessing() -> None:
    question = "what revenue figure did he give for Oracle, and if it grew 25% a year, what would it be 2 years on?"
    plan = make_plan(question)
    done = [_search("Oracle revenue for GPUs is $4 billion this year and $7 billion next year for Oracle revenue.")]
    read = passage_plan(plan, done)
    assert read is not None and read.calls == []
    assert read.notes[0].startswith("I could not read one figure")
