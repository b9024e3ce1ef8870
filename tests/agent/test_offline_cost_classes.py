"""Cost arithmetic on the analyst's own assumptions, one class per planner module (new wording, chips and numbers,
not the blind suites'): $/Mtok and $/query from $/hr and tok/s, a build at $/W, a fleet's power on a TDP +
overhead rule, capex + energy over a life, a query's priced token parts, a rental bill, straight-line
depreciation, a server priced in parts; and the declines: $/Mtok with no throughput, power of a chip the
catalog does not hold, a life stated against a reference cost that has its own."""

from __future__ import annotations

import math

import pytest

from agent.offline.plan import make_plan
from tests.agent.plan_sums import calculated as _values
from tests.agent.plan_sums import near as _has
from tools.errors import InputError
from tools.registry import get


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a node's price and its aggregate rate: 19.5 / (9,000 x 3,600) x 1e6 = 0.60185; x 2,400 / 1e6 per query
        ("our 8x mi300x node runs $19.50/hr and pushes 9k tok/s aggregate. $/Mtok, and per request of 2,400 tokens?",
         [19.5 / (9000 * 3600) * 1e6, 19.5 / (9000 * 3600) * 2400]),
        # a box's price and its rate: 7.2 / (5,000 x 3,600) x 1e6 = 0.4
        ("a 4x l40s box rents for $7.20/hr total, 5,000 tok/s aggregate: cost per million tokens", [0.4]),
        # a utilization and a charge: 1.1 / (700 x 3,600 x 0.7) x 1e6 = 0.62358; margin (1.5 - that) / 1.5
        ("h200 rented at $1.10/h, 700 tok/s per gpu, 70% utilized, we bill $1.50/Mtok: per mil tok cost and margin?",
         [1.1 / (700 * 3600 * 0.7) * 1e6, (1.5 - 1.1 / (700 * 3600 * 0.7) * 1e6) / 1.5 * 100]),
        # the catalog's TPU v6e list price ($2.70 per chip-hour, prices.csv): 2.7 / (1,000 x 3,600) x 1e6 = 0.75
        ("tpu v6e at the catalog on-demand rate, 1,000 tok/s per chip: $/Mtok?", [0.75]),
    ],
)  # fmt: skip
def test_cost_per_token_from_an_hourly_price_and_a_rate(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values


def test_a_replica_the_serving_calculator_reads_stays_with_it() -> None:
    """ "4 l40s at $2.40 per gpu-hour, 5,000 tok/s for the box": accelerators per replica and a price each."""
    (call,) = make_plan("4 l40s at $2.40 per gpu-hour, 5,000 tok/s total for the box: cost per million tokens").calls
    assert call.name == "serving_cost" and call.args["accelerators_per_replica"] == 4


def test_tokens_per_user_stay_with_the_serving_calculator() -> None:
    """ "24 users at 30 tok/s each" is a per-stream rate: not the plain ratio."""
    plan = make_plan("gpu at $2.20/hr, 24 concurrent users each at 30 tok/s, 600-token answers: $/Mtok and per answer?")
    assert [c.name for c in plan.calls] == ["serving_cost"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("800 MW campus at $9.5/W: capex?", [800e6 * 9.5]),
        ("what's 2.5 gigawatts at $13 per watt all-in", [2.5e9 * 13]),
        ("someone says $40B per GW. per watt, and 55% of it?", [40.0, 40e9 * 0.55]),
    ],
)
def test_a_build_at_a_price_per_watt(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 50,000 x 0.7 kW (H100 datasheet TDP, catalog) x 1.35 = 47,250 kW; x PUE 1.25 = 59.06 MW
        ("50k h100s at datasheet tdp plus 35% for cpus and networking, pue 1.25: facility mw?", [47.25, 47.25 * 1.25]),
        # (4 x 1.4 kW MI355X TDP + 1.2 kW host) x 1.3 x 720 h x $0.09 = 572.83
        ("monthly electricity cost of a 4x mi355x server: gpus at their tdp plus 1.2 kW host, pue 1.3, 9c/kWh, "
         "a month = 720 h", [(4 * 1.4 + 1.2) * 1.3 * 720 * 0.09]),
        # 800 MW facility / 1.4 / (1.0 kW x 1.25) = 457,142 chips
        ("800 MW facility at pue 1.4, chips at 1000W TDP plus 25% overhead. how many gpus?",
         [800e6 / 1.4 / 1e6, math.floor(800e6 / 1.4 / 1000 / 1.25)]),
    ],
)  # fmt: skip
def test_a_fleet_power_on_the_analysts_rule(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values


def test_a_plain_all_in_site_count_stays_with_the_buildout() -> None:
    """No overhead and no TDP: the build-out calculator, whose follow-ups rerun it."""
    assert [c.name for c in make_plan("how many accelerators fit in 600 MW at 1.2 kW all-in each?").calls] == [
        "buildout"
    ]


def test_capex_plus_energy_over_a_life() -> None:
    # capex 2,048 x 28,000; energy 2,048 x 0.9 kW x 1.2 x 8,760 x 3 x $0.10
    values = _values(
        "3-year total cost for 2048 mi300x: $28k each, 0.9 kW per gpu, pue 1.2, 10c/kWh. capex and energy?"
    )
    capex, energy = 2048 * 28000, 2048 * 0.9 * 1.2 * 8760 * 3 * 0.10
    assert _has(values, capex) and _has(values, energy) and _has(values, capex + energy), values


def test_an_annual_cost_question_is_not_a_life_total() -> None:
    plan = make_plan("512 gpus at $30k each, 3-year straight line, 1 kW per gpu, pue 1.3, $0.08/kWh: annual total?")
    assert all(c.name != "calculate" for c in plan.calls)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # (6,000 + 500) x $8 per M = 0.052; plain 500 x 8 / 1e6 = 0.004; ratio 13
        ("a reasoning answer is 500 answer tokens plus 6k thinking tokens at $8/mil output: cost per answer vs a "
         "plain 500-token answer?", [0.052, 0.004, 13.0]),
        # 2,000 x 0.5 / 1e6 + 400 x 2 / 1e6 = 0.0018 per request
        ("each request: 2,000 input toks and 400 output toks; input $0.50/Mtok, output $2/Mtok. cost per request?",
         [0.0018]),
        # (900 + 300) x 0.2 / 1e6 = 0.00024; x 2M = 480
        ("a query = 900 in + 300 out tokens at a blended $0.20 per mil tok: per query and per 2M queries", [0.00024, 480.0]),
    ],
)  # fmt: skip
def test_a_query_priced_part_by_part(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("renting thirty-two h200s at $3.05/hr each for a full year, total bill?", [32 * 3.05 * 8760]),
        # A100 rental list price $1.844 per accelerator-hour (prices.csv) x 16 x 14 days x 24 h
        ("16 a100s at the list price in your catalog for 14 days, what's the rental bill?", [16 * 1.844 * 14 * 24]),
        ("on-demand is $2.00/chip-hr; a 1-yr commit is 30% off. 64 chips rented for a year costs?",
         [1.4, 64 * 1.4 * 8760]),
    ],
)  # fmt: skip
def test_a_rental_bill(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values


def test_straight_line_depreciation_per_gpu_hour() -> None:
    # $260k / 4 = 65,000 a year; / 8,760 / 8 (HGX: 8 GPUs) = 0.92751
    values = _values("depreciation of an HGX H200 box at $260k over 4 yrs, straight line: per year and per gpu-hour?")
    assert _has(values, 65000.0) and _has(values, 65000 / 8760 / 8), values


def test_a_server_priced_in_parts() -> None:
    # ($90k accelerators + $30k host) / (4 x 8,760) + (8 x 0.75 + 1.0) kW x 1.25 x $0.10, / 8
    values = _values(
        "server: $90k for the 8 accelerators plus $30k host, 4 yrs, 8x750W + 1 kW host, pue 1.25, 10c/kWh. "
        "cost per chip-hour?"
    )
    assert _has(values, (120000 / (4 * 8760) + 7.0 * 1.25 * 0.10) / 8), values


@pytest.mark.parametrize(
    "question",
    ["cost per million tokens on mi300x?", "what's it cost per mil tokens to serve on a b200"],
)
def test_a_cost_per_token_with_no_throughput_is_declined(question: str) -> None:
    plan = make_plan(question)
    assert plan.calls == [] and plan.reply and "tokens/s" in plan.reply


def test_bytes_per_token_is_not_a_money_question() -> None:
    assert make_plan("custom model: 40 layers, 8 kv heads, head dim 128, fp16. bytes per token?").reply is None


@pytest.mark.parametrize(
    "question", ["how much power does a 50k ascend 910b cluster draw", "power draw of 2,000 wse-3s"]
)
def test_power_of_a_chip_the_catalog_does_not_hold_is_declined(question: str) -> None:
    plan = make_plan(question)
    assert plan.calls == [] and plan.reply and "not a catalog chip" in plan.reply


def test_a_life_stated_against_a_reference_cost_is_an_error() -> None:
    """The GB200's cost is a sourced 4-year $/hour: a 6-year life cannot change it (the field is named); its own
    4 years can be stated."""
    with pytest.raises(InputError) as err:
        get("tco").run({"chip": ["gb200"], "years": 6.0})
    assert err.value.field == "years"
    get("tco").run({"chip": ["gb200"], "years": 4.0})
    with pytest.raises(InputError):
        get("tco").run({"chip": ["gb200"], "years": 5.0})  # the calculator's default, but not the reference's life


def test_a_system_name_gives_the_gpus_per_server() -> None:
    (call, *_) = make_plan("DGX B200 at $500k, 5 yr straight line, 14 kW, pue 1.2, 8c/kWh: per gpu-hour?").calls
    assert call.args["gpus_per_server"] == 8


def test_a_per_gpu_restatement_of_the_server_power_is_one_power() -> None:
    (call, *_) = make_plan(
        "8x h200 server $320k, 4 yrs straight line, the box draws 11.2 kW (about 1.4 kW per gpu), pue 1.25, 9c/kWh. $/gpu-hr?"
    ).calls
    assert call.args["server_kw"] == 11.2 and "power_kw" not in call.args


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # 150 MW / 120 kW = 1,250 racks; x 72 = 90,000 GPUs
        ("150 MW of IT load with gb300 nvl72 racks at 120 kW each: how many racks and gpus?", [1250, 90000]),
        # 20 MW / 10 kW = 2,000 servers; / 2 per rack = 1,000 racks; x 8 = 16,000 GPUs
        ("20 MW room, 8-gpu h200 servers at 10 kW each, 2 servers per rack. racks and gpus?", [2000, 1000, 16000]),
        # 50,000 / 8 = 6,250 servers; / 4 = 1,563 racks (rounded up); x 12 kW = 75 MW
        ("50,000 h100 fleet, 8 per server, servers draw 12 kW, 4 servers/rack. racks and IT MW?", [6250, 1563, 75]),
    ],
)
def test_racks_on_the_analysts_rack_rule(question: str, expected: list[float]) -> None:
    values = _values(question)
    assert all(_has(values, e) for e in expected), values
