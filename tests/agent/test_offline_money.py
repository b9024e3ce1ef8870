"""Money arithmetic on the analyst's own numbers (agent/offline/planners/money.py and the modules it plans from):
a fleet's payback and revenue, a stated draw's power bill over a period, an own cost per GPU-hour, the cost per
concurrent user-hour, a CAGR over a span; and a payback asked with no numbers, declined."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.input_accounting import stated_quantities
from agent.offline.own_hourly import own_hourly_calls
from agent.offline.payback import payback_calls
from agent.offline.per_user import per_user_hour_calls
from agent.offline.plain_cagr import plain_cagr_calls
from agent.offline.plan import make_plan
from agent.offline.power_cost import stated_power_bill
from agent.offline.target_rate import target_rate_calls
from tools.registry import get


def _values(planner, question: str) -> list[float] | None:  # type: ignore[no-untyped-def]
    got = planner(question, stated_quantities(question), lambda name, args: (name, args))
    return None if got is None else [get(name).run(args).model_dump()["value"] for name, args in got[0]]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 3.10 x 8,760 x 0.85 x 2,048 = 47,273,164.8; - 2.5M = 44,773,164.8; 60M / that = 1.3401 years
        ("2,048 GPUs, $60M capex all in, rented at $3.10/hr with 85% of the hours sold, $2.5M/yr other opex, "
         "ignore power. payback in years?", [60e6 / 44773164.8, 47273164.8, 44773164.8]),
        # per-GPU capex: 128 x $30k = 3.84M; revenue 2 x 8,760 x 0.6 x 128 = 1,345,536; 3.84M / that = 2.8539
        ("payback for 128 GPUs bought at $30k per GPU, rented at $2/hr, 60% of hours sold, no power or maintenance?",
         [3.84e6 / 1345536.0, 1345536.0]),
        # revenue alone: 1.75 x 8,760 x 0.5 x 300 = 2,299,500
        ("yearly revenue of 300 GPUs rented at $1.75/hr if half... 50% of hours sold?", [2299500.0]),
    ],
)  # fmt: skip
def test_payback_and_revenue_of_a_rented_fleet(question: str, expected: list[float]) -> None:
    """The payback asked for first, then the revenue and the net it rests on."""
    assert _values(payback_calls, question) == pytest.approx(expected)


def test_payback_with_a_power_price_is_left_to_the_cost_calculator() -> None:
    question = "payback for 64 GPUs, $2M capex, rented at $2/hr, 70% sold, 1.2 kW each at 8c/kWh?"
    assert _values(payback_calls, question) is None


def test_fleet_payback_is_not_read_as_a_price_per_accelerator() -> None:
    answer = ask(
        "300 GPUs, $9M capex all-in, rent $2.20/hr, 75% of hours sold, no power cost: payback?", model="offline"
    )
    assert [c.name for c in answer.tool_calls] == ["calculate", "calculate"]
    # 2.2 x 8,760 x 0.75 x 300 = 4,336,200 per year; 9M / that = 2.0756 years
    assert "**Payback: 2.08 years**" in answer.answer and answer.unused_inputs == []


@pytest.mark.parametrize(
    "question", ["what's the payback period on our gpus", "how long until the H100s pay for themselves? payback?"]
)
def test_payback_with_no_numbers_is_declined_naming_the_inputs(question: str) -> None:
    plan = make_plan(question)
    assert plan.calls == [] and plan.reply is not None
    assert "rental price" in plan.reply and "capex" in plan.reply and not any(ch.isdigit() for ch in plan.reply)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 40 kW x 1.2 x 730 h x $0.09 = 3,153.6 per month (a month is 8,760 / 12 = 730 h)
        ("monthly electricity cost for a 40 kW rack, PUE 1.2, $0.09/kWh", [3153.6]),
        # 3 racks x 120 kW x 1.1 x 8,760 h x $0.05 = 173,448 per year
        ("annual power bill for 3 racks drawing 120 kW each, PUE 1.1, 5c/kWh", [173448.0]),
        # a stated month: 10 kW x 1.3 x 720 x 0.1 = 936
        ("power cost per month of one 10 kW server at PUE 1.3 and $0.10/kWh, assume 720 hrs/month", [936.0]),
    ],
)
def test_power_bill_of_a_stated_draw_over_a_period(question: str, expected: list[float]) -> None:
    assert _values(stated_power_bill, question) == pytest.approx(expected)


def test_power_bill_per_gpu_is_not_a_whole_draw_bill() -> None:
    assert _values(stated_power_bill, "12 kW per 8-GPU server, $0.10/kWh: electricity cost per GPU per year?") is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("it costs me $0.95 per installed GPU-hour to own; I rent at $1.90/hr. break-even utilization?", [50.0]),
        ("my all-in cost is $1.60/hr per gpu, 50% utilized: what is that per used hour?", [3.2]),
        # used 1.25 / 0.5 = 2.5; margin 3 - 2.5 = 0.5
        ("own cost $1.25/GPU-hr installed, 50% utilization, rental at $3/hr: margin per used hour?", [2.5, 0.5]),
    ],
)
def test_arithmetic_on_an_own_cost_per_gpu_hour(question: str, expected: list[float]) -> None:
    assert _values(own_hourly_calls, question) == pytest.approx(expected)


def test_a_price_with_a_rate_and_no_rental_is_the_serving_cost() -> None:
    question = "my gpu costs $1.10/hr and does 1,800 tok/s at 90% utilization: $/Mtok?"
    assert _values(own_hourly_calls, question) is None
    calls = make_plan(question).calls
    assert [c.name for c in calls] == ["serving_cost"]
    assert calls[0].args["accelerators_per_replica"] == 1 and calls[0].args["utilization"] == 0.9


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("cost per concurrent user per hour: $3/hr per gpu, 4 gpus, 32 concurrent users", [0.375]),
        ("what's the per-stream hourly cost - er, cost per stream per hour - with 16 H100s at $2.50/hr, 200 streams",
         [0.2]),
    ],
)  # fmt: skip
def test_cost_per_concurrent_user_hour(question: str, expected: list[float]) -> None:
    assert _values(per_user_hour_calls, question) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what CAGR takes revenue from $10B to $90B over 4 years?", [(9 ** 0.25 - 1) * 100]),
        ("compound annual growth rate from 500 MW to 8 GW in 6 years", [(16 ** (1 / 6) - 1) * 100]),
    ],
)  # fmt: skip
def test_cagr_over_a_stated_span(question: str, expected: list[float]) -> None:
    assert _values(plain_cagr_calls, question) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what throughput in tok/s does a $3/hr accelerator need to reach $0.25 per M tokens?", [3 / 0.25 * 1e6 / 3600]),
        ("at 50% utilization, how many tokens per second would a $1.50/hr GPU need to get to $1 per M tokens?",
         [1.5 / 0.5 / 1.0 * 1e6 / 3600]),
    ],
)  # fmt: skip
def test_throughput_needed_for_a_target_cost(question: str, expected: list[float]) -> None:
    assert _values(target_rate_calls, question) == pytest.approx(expected)


def test_one_named_chip_serves_alone() -> None:
    calls = make_plan("mi300x rented at $1.90/hr serves a 70b at 1,900 tok/s aggregate: $ per M output tokens?").calls
    assert [c.name for c in calls] == ["serving_cost"] and calls[0].args["accelerators_per_replica"] == 1
