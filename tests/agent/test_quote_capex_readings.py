"""Podcast-quote, growth and capex question classes answered by ``calculate`` on the analyst's own numbers, by
the capex table, or declined naming what the podcast lacks (set E/F classes, written in other words)."""

from __future__ import annotations

import pytest

from agent.input_accounting import stated_quantities
from agent.offline.absent_subject import absent_chips, mentioned
from agent.offline.capex_quarter import asked_quarters
from agent.offline.growth_time import period_rate_calls, years_to_reach_calls
from agent.offline.plain_cagr import plain_cagr_calls
from agent.offline.plan import make_plan
from agent.offline.plan_types import Call
from agent.offline.quote_arithmetic import stated_sums
from agent.offline.quote_tdp import tdp_sums
from agent.offline.unsaid_figure import asked_forecast, unsaid
from knowledge.figures import asked_kinds, hourly_glosses
from tools.arithmetic import evaluate
from tools.capex import CapexInput, capex


def _values(question: str) -> list[float]:
    return [evaluate(s.expression).value for s in stated_sums(question) + tdp_sums(question)]


def test_per_unit_and_how_many_times_another_price() -> None:
    values = _values("guest says a 4-gpu box runs ~$160k. per gpu what is that, and how many x his $8k/chip number?")
    assert values == [40_000, 5]


def test_count_times_price_and_chip_power_at_catalog_tdp() -> None:
    # H200 SXM catalog TDP 700 W (accelerators.csv): 20,000 x 700 W = 14 MW
    values = _values("20k h200s at his $30k apiece: total $? and the chip power at catalog TDP in MW")
    assert values == [600_000_000, 14]


def test_that_many_chips_at_a_second_price_and_the_ratio() -> None:
    question = "per the pod 50k chips at $3k/chip. total? and what would that many chips cost at the $24k figure"
    assert _values(question) == [150_000_000, 1_200_000_000, 8]


def test_a_spelled_hourly_rent_priced_per_million_tokens() -> None:
    values = _values("take his three bucks an hour rental and 1500 tok/s per gpu - cost per million tokens?")
    assert values == pytest.approx([3 / (1500 * 3600) * 1e6])


def test_a_multiple_range_combined_when_the_range_is_asked() -> None:
    assert _values("with 6x the tokens and 2-3x the cost per token, what's the range of the cost multiple") == [12, 18]


def test_a_sum_stated_in_words_is_computed_when_no_calculator_takes_the_question() -> None:
    plan = make_plan("by her numbers (8x the tokens, 3-4x cost per token) what's the range for the cost multiple")
    assert plan.reply is None and [c.name for c in plan.calls] == ["calculate", "calculate"]


def _growth(planner, question: str) -> list[float] | None:  # type: ignore[no-untyped-def]
    found = planner(question, stated_quantities(question), Call)
    return None if found is None else [evaluate(c.args["expression"]).value for c in found[0]]


def test_years_to_a_multiple_or_a_target_at_a_yearly_rate() -> None:
    assert _growth(years_to_reach_calls, "at 40% a year how long to 5x?") == pytest.approx([4.7833], rel=1e-3)
    two = _growth(years_to_reach_calls, "if revenue grows 20% a year from $50B, how many years until $200B?")
    assert two == pytest.approx([7.6035], rel=1e-3)
    assert _growth(years_to_reach_calls, "at 40% a year what is it in 5 years?") is None


def test_annual_rate_of_a_doubling_or_tripling_period() -> None:
    assert _growth(period_rate_calls, "compute doubling every 2 years: what annual growth rate?") == pytest.approx(
        [41.421], rel=1e-4
    )
    assert _growth(period_rate_calls, "a cost tripling every 30 months, annual rate?") == pytest.approx(
        [55.185], rel=1e-4
    )


def test_cagr_with_money_beside_a_bare_scaled_figure() -> None:
    assert _growth(plain_cagr_calls, "spend went from $80B to 0.2T in 4 yrs, cagr?") == pytest.approx([25.743], 1e-4)


def test_forecast_grown_at_a_given_rate_from_company_guidance() -> None:
    plan = make_plan("project amazon capex for 2029 growing 12% a year from its 2026 guidance")
    args = next(c.args for c in plan.calls if c.name == "capex")
    assert args["method"] == "guidance" and args["growth"] == [0.12]
    r = capex(CapexInput(**args))
    guided = next(g.capex_usd_b for g in r.guidance if g.year == 2026)
    assert r.forecast[-1].year == 2029 and r.forecast[-1].capex_usd_b == pytest.approx(guided * 1.12**3, abs=1e-3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("msft 3q fy25 capex qoq", ((2025, 3), (2025, 2))),
        ("meta capex first quarter of 2025 yoy", ((2025, 1), (2024, 1))),
        ("amzn capex 2025-Q2 vs Q1 2025", ((2025, 2), (2025, 1))),
        ("meta capex 2025", None),
    ],
)
def test_the_quarter_asked_and_the_one_compared(text: str, expected: object) -> None:
    assert asked_quarters(text) == expected


def test_quarterly_capex_change_is_computed(chat) -> None:  # type: ignore[no-untyped-def]
    # capex_quarterly.csv: Meta Q1 2025 12.94, Q1 2024 6.40 -> +102.19%
    answer = chat("meta capex 1Q25 y/y growth?").answer
    assert "12.94 billion" in answer and "+102.19%" in answer


def test_lease_inclusive_gap_in_percent(chat) -> None:  # type: ignore[no-untyped-def]
    # capex.csv Microsoft FY2025: 88.2 incl. finance leases vs 64.551 cash -> +36.64%
    answer = chat("msft fy2025 capex with finance leases vs the cash additions: difference in %?").answer
    assert "+36.64% of the cash line" in answer


def test_a_chip_the_podcast_never_names_is_declined() -> None:
    assert not mentioned("MI355X") and mentioned("Trainium2") and mentioned("GB200 NVL72")
    plan = make_plan("what did the guest say about gaudi 3 pricing?")
    assert plan.calls == [] and plan.reply is not None and "does not discuss" in plan.reply
    assert absent_chips([]) == []


def test_a_forecast_figure_the_passages_do_not_give_is_declined() -> None:
    asked = asked_forecast("what did he predict for AMD's 2027 revenue?")
    assert asked is not None and asked[:2] == ("$", "AMD")
    passages = [{"text": "AMD is doing fine on software. Microsoft made $10 billion of inference revenue this year."}]
    reply = unsaid("what did he predict for AMD's 2027 revenue?", passages)
    assert reply is not None and "no such dollar figure" in reply and not any(ch.isdigit() for ch in reply)
    given = [{"text": "I think AMD will do something like $12 billion of revenue next year, honestly."}]
    assert unsaid("what did he predict for AMD's 2027 revenue?", given) is None


def test_a_gpu_rental_figure_is_read_per_hour() -> None:
    question = "what did he say an H200 rents for on a long term deal?"
    assert "$" in asked_kinds(question)
    glossed = hourly_glosses("you can get it for like three bucks versus the $5 list", question)
    assert sorted(glossed) == ["$5 = $5/hour per GPU", "three bucks = $3/hour per GPU"]
    assert hourly_glosses("the server costs $300,000", "what does the server cost?") == []


def test_a_projection_from_guidance_the_table_lacks_is_declined() -> None:
    # capex.csv holds Meta guidance for 2026 only
    plan = make_plan("meta capex in 2030 growing 8% a year from the 2028 capex guidance")
    assert plan.calls == [] and plan.reply is not None
    assert "no Meta guidance for 2028" in plan.reply and "2026" in plan.reply
