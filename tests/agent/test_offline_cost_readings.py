"""How cost, serving-cost, growth and capex questions are read (agent/offline/slots.py, agent/offline/entities.py,
agent/offline/capex_compare.py): which number fills which input, and which rows a capex sum adds."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.input_accounting import stated_quantities
from agent.offline.entities import find_companies
from agent.offline.margin_price import margin_price_calls
from agent.offline.plan import make_plan
from agent.offline.slots import fill
from tools.registry import get


def _fill(tool: str, question: str) -> dict:  # type: ignore[type-arg]
    return fill(tool, question, stated_quantities(question))


def _only_call(question: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    calls = make_plan(question).calls
    assert len(calls) == 1, calls
    return calls[0].name, calls[0].args


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # the replica's count is not its accelerators: 3 GPUs x $2.00 = $6/h over 1,500 tok/s
        ("one replica on 3 gpus at $2.00/hr each, 1,500 tok/s in total: $ per M tokens?",
         {"accelerators_per_replica": 3, "price_per_accelerator_hour": 2.0, "tokens_per_s_per_replica": 1500.0}),
        # a count written with a chip's name
        ("6x H200 at $2.75/hr each doing 4,000 tok/s aggregate: $/Mtok?",
         {"accelerators_per_replica": 6, "tokens_per_s_per_replica": 4000.0}),
        # no streams anywhere: the rate is the replica's; the word after each token count says which it is
        ("a 2-GPU replica... make that 2 GPUs at $1.20/hr running 900 tok/s, 300 output + 1,200 prompt tokens per "
         "request: cost per request?",
         {"accelerators_per_replica": 2, "tokens_per_s_per_replica": 900.0, "output_tokens_per_query": 300.0,
          "prompt_tokens_per_query": 1200.0}),
    ],
)  # fmt: skip
def test_serving_inputs(question: str, expected: dict) -> None:  # type: ignore[type-arg]
    name, args = _only_call(question)
    assert name == "serving_cost" and expected.items() <= args.items()


def test_side_by_side_streams_are_the_tools_compare() -> None:
    question = "$3.20/gpu-hr, 4 gpus, 20 tok/s per stream: 200 concurrent streams versus just 50. $/Mtok each?"
    name, args = _only_call(question)
    assert name == "serving_cost" and args["concurrent_streams"] == 200 and args["compare"] == "concurrent_streams=50"
    answer = ask(question, model="offline")
    # 12.8 $/h / (200 x 20 x 3600) x 1e6 = 0.889; at 50 streams 3.556; ratio 4x
    assert "$0.889 per million tokens" in answer.answer and "(4x the first per million tokens)" in answer.answer


def test_one_accelerator_when_the_question_speaks_of_one() -> None:
    name, args = _only_call("one h100 at $2.40/hr pushes 3,600 tok/s at 50% util. $/M tokens?")
    assert name == "serving_cost" and args["accelerators_per_replica"] == 1 and args["utilization"] == 0.5
    assert get(name).run(args).model_dump()["cost_per_million_tokens"] == pytest.approx(2.4 / (3600 * 3600 * 0.5) * 1e6)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("$30k per GPU, 1.1 kW, PUE 1.25, 9c/kWh, 3y @ 11%, nothing else: $/GPU-hr?",
         {"years": 3, "cost_of_capital": 0.11, "capex_per_accelerator": 30000.0}),
        ("gaudi 3 at $16k each, 0.9 kW, PUE 1.2, 7c, 5 years straight line: hourly cost?", {"electricity": 0.07}),
        ("$35k/GPU, 1.2 kW, colo $180/kW-month, 6c/kWh, PUE 1.3, 5 yrs: $/hr?", {"colo": 180.0}),
        ("$28k per GPU, 1.3 kW, facility $9M per MW recovered over 25 yrs, gpus over 4 yrs, both at 6%, PUE 1.25, "
         "7c/kWh: $/hr?",
         {"facility_capex_per_mw": 9e6, "facility_life_years": 25.0, "years": 4.0, "cost_of_capital": 0.06}),
        ("$18k all-in per GPU incl. server share, 1.2 kW, PUE 1.3, 8c/kWh, 4 yr: $/hr?",
         {"capex_per_accelerator": 18000.0}),
        ("B200 box at $380k for 8 GPUs, 13 kW, PUE 1.2, 6c/kWh, 5 yr: $/gpu-hr?",
         {"server_price": 380000.0, "server_kw": 13.0, "gpus_per_server": 8}),
    ],
)  # fmt: skip
def test_cost_model_inputs(question: str, expected: dict) -> None:  # type: ignore[type-arg]
    assert expected.items() <= _fill("tco", question).items()


def test_a_busy_share_is_not_a_cost_of_capital() -> None:
    args = _fill("tco", "$25k per GPU, 1.2 kW, PUE 1.3, 8c/kWh, 4 years, 80% busy: $/used hour?")
    assert "cost_of_capital" not in args


def test_a_servers_gpu_count_written_with_the_chip() -> None:
    calls = make_plan(
        "$260k 8x H100 server, 5-yr straight line, 10 kW per server, PUE 1.2, 5c/kWh: per GPU-hour?"
    ).calls
    assert {c.name for c in calls} == {"tco"}  # own costs only, then with the default adders beside
    assert all(c.args["gpus_per_server"] == 8 and "count" not in c.args for c in calls)


def test_multiplier_per_year_over_years() -> None:
    name, args = _only_call("if tokens per dollar rise 4x every year, what's the multiple after 3 years?")
    assert (name, args) == ("growth", {"multiplier": 4.0, "steps": 3})
    assert get(name).run(args).model_dump()["multiple"] == pytest.approx(64.0)


@pytest.mark.parametrize(
    ("question", "expected"),
    [("what hourly price gives a 40% gross margin on an all-in cost of $1.50/GPU-hr?", 2.5),
     ("at a cost of $0.30 per M tokens, what price per M tokens is a 25% margin?", 0.4)],
)  # fmt: skip
def test_price_for_a_gross_margin(question: str, expected: float) -> None:
    got = margin_price_calls(question, stated_quantities(question), lambda name, args: (name, args))
    assert got is not None
    assert [get(n).run(a).model_dump()["value"] for n, a in got[0]] == pytest.approx([expected])


def test_a_markup_is_not_a_gross_margin() -> None:
    question = "cost $2/hr, what price with a 25% markup on cost gives margin?"
    assert margin_price_calls(question, stated_quantities(question), lambda n, a: (n, a)) is None


def test_numbered_group_keeps_its_companies_beside_a_named_one() -> None:
    assert find_companies("big 4 capex for 2023 (msft fiscal year)") == ["Microsoft", "Alphabet", "Amazon", "Meta"]
    assert find_companies("big 3 plus oracle capex") == ["Microsoft", "Alphabet", "Amazon", "Oracle"]
    assert find_companies("meta vs the hyperscalers") == ["Meta"]


def test_capex_sum_of_guidance_and_its_fiscal_years() -> None:
    answer = ask("add up the 2026 capex guidance for Amazon and Oracle", model="offline")
    # capex.csv guidance rows: Amazon 2026 200, Oracle FY2026 50 (Oracle's reported FY2026 is 55.663)
    assert "**Sum: $250.00 billion**" in answer.answer
    assert "Oracle 2026 is its fiscal year ended 2026-05-31" in answer.answer


def test_lease_inclusive_capex_against_the_cash_series() -> None:
    answer = ask("meta 2024 capex with finance leases vs cash purchases - what's the difference?", model="offline")
    assert [c.name for c in answer.tool_calls] == ["capex", "capex", "calculate", "calculate"]
    # capex.csv Meta 2024: 39.225 incl. principal payments on finance leases - 37.256 cash purchases = 1.969 $B,
    # 39.225 / 37.256 - 1 = 5.29% of the cash line
    assert answer.answer.startswith(
        "**Meta 2024: capex including finance leases is $1.97 billion more than cash purchases of P&E, "
        "+5.29% of the cash line**"
    )


def test_one_series_asks_no_gap() -> None:
    assert not make_plan("microsoft capex incl. finance leases for FY25").lease_gap
