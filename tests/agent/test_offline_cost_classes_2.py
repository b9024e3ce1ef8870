"""Cost arithmetic on the analyst's own assumptions, second round (new wording, chips and numbers, not the blind
suites'): the power bill per hour beside another period, capital cost per GPU-hour as a level annuity, own cost
per utilized GPU-hour (straight line + power at PUE / utilization, a price stated in parts), buying against
renting, a query's answer + reasoning tokens, $/Mtok in cases of users x tok/s, a site's servers at a kW per
N-GPU server, and a site's capex on its own $/MW, kW per GPU and GPU price."""

from __future__ import annotations

import pytest

from agent.offline.plan import make_plan
from tests.agent.plan_sums import calculated as _values
from tests.agent.plan_sums import near as _has
from tools.registry import get


def _crf(rate: float, years: float) -> float:
    return rate / (1 - (1 + rate) ** -years)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 2.2 kW x 1.15 x $0.08 = 0.2024 per hour; x 730 = 147.75 per month
        (
            "electricity cost per hour and per month for a 2.2 kW accelerator tray, pue 1.15, 8 cents/kWh?",
            [2.2 * 1.15 * 0.08, 2.2 * 1.15 * 0.08 * 730],
        ),
        # annuity: 41,000 x CRF(9%, 4) / 8,760
        (
            "b200 bought for $41k, 4 yr life, 9% wacc as an annuity: capital cost per gpu-hour?",
            [41000 * _crf(0.09, 4) / 8760],
        ),
        # parts 20k + 12k = 32k, 4 yrs straight line, 1.2 kW at PUE 1.25 and $0.06/kWh, 75% utilized
        (
            "b200 $20k card + $12k server share = $32k, 4 yrs straight line, 1.2 kW, PUE 1.25, 6c/kWh, 75% utilized:"
            " cost per utilized gpu-hour?",
            [(32000 / 4 / 8760 + 1.2 * 1.25 * 0.06) / 0.75],
        ),
        # rent $3.40/hr vs buy $38k with $0.12/hr to run it, used 80%: 38,000 / ((3.40 - 0.12) x 8,760 x 0.8)
        (
            "B200s rent for $3.40/hour; buying one is $38,000 with $0.12/hr of power to own it. used 80% of the time,"
            " when does buying pay back vs renting (years)?",
            [38000 / ((3.4 - 0.12) * 8760 * 0.8)],
        ),
        # 4 GPUs x $2.10 / (2,400 tok/s x 3,600) per token; a request = 600 + 2,400 tokens
        (
            "a 4-gpu box at $2.10/hr per gpu pushes 2,400 tok/s total; each request is 600 answer + 2,400 thinking"
            " tokens. what's the cost per request?",
            [4 * 2.1 / (2400 * 3600) * 3000],
        ),
        # $30/hr at 128 x 40 and 32 x 25 tok/s; the multiple 5,120 / 800 = 6.4
        (
            "node rents for $30/hr. case A 128 streams at 40 tok/s, case B 32 streams at 25 tok/s: cost per million"
            " tokens in each, and the multiple?",
            [30 / (128 * 40 * 3600) * 1e6, 30 / (32 * 25 * 3600) * 1e6, 6.4],
        ),
        # 250 MW / 1.25 = 200 MW IT / 14.3 kW = 13,986 servers x 4 GPUs
        (
            "a 250 MW campus at pue 1.25 with 14.3kW per 4-gpu server: how many servers and how many gpus?",
            [13986, 13986 * 4],
        ),
        # 150 MW x $9M/MW + 80k x $30k
        (
            "150 MW IT building: facility at $9M/MW plus 80k gpus at $30k each. total capex?",
            [150 * 9e6 + 80000 * 30000],
        ),
        # 600 MW / 1.4 / 1.8 kW GPUs at $45k; 600 MW at $40M/MW and the implied $ per GPU
        (
            "600MW campus, PUE 1.4, 1.8 kW per gpu all-in, $45k per gpu: gpus and gpu capex?",
            [600e6 / 1.4 / 1800, 600e6 / 1.4 / 1800 * 45000],
        ),
        (
            "600 MW at $40M/MW all in: total? gpus at PUE 1.4 and 1.8 kW/gpu? implied $ per gpu?",
            [600 * 40e6, 600e6 / 1.4 / 1800, 600 * 40e6 / (600e6 / 1.4 / 1800)],
        ),
    ],
)
def test_own_assumption_cost_classes(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), (values, expected)


def test_token_counts_that_are_not_one_sum_are_not_added() -> None:
    """Two token counts with no "+" between them (a prompt and an answer priced apart) are not one query's sum."""
    plan = make_plan("a node at $20/hr does 5,000 tok/s; prompts are 2k tokens, answers 500 tokens: $ per query?")
    values = [float(get("calculate").run(c.args).model_dump()["value"]) for c in plan.calls if c.name == "calculate"]
    assert not _has(values, 20 / (5000 * 3600) * 2500)


def test_a_named_chip_build_stays_with_the_buildout() -> None:
    """A site whose chip is named (catalog power and price) is the build-out calculator's, not this arithmetic."""
    plan = make_plan("1 GW of GB200 at $45k per gpu, PUE 1.2, 1.8 kW per gpu: how many gpus?")
    assert not any(c.name == "calculate" and "45000" in c.args.get("expression", "") for c in plan.calls)
