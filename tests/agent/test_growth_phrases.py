"""Growth questions in shorthand (agent/offline/growth_phrases.py): a multiple per period, years to reach a
target, a sum over an inclusive range of years, a sequence of rates; and the readings it declines or passes to
the tool's error. Every expected figure is derived by hand in the comment beside it."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.input_accounting import stated_quantities
from agent.offline.growth_phrases import growth_phrase_reading
from agent.offline.plain_cagr import plain_cagr_calls
from tools.registry import get


def _run(question: str) -> list[dict]:  # type: ignore[type-arg]
    found = growth_phrase_reading(question, stated_quantities(question))
    assert found is not None and "calls" in found, found
    return [get(name).run(args).model_dump() for name, args in found["calls"]]


def _reply(question: str) -> str:
    found = growth_phrase_reading(question, stated_quantities(question))
    assert found is not None and "reply" in found, found
    return str(found["reply"])


@pytest.mark.parametrize(
    ("question", "final", "values"),
    [
        # 25 x 3^2 = 225; each year's value 25, 75, 225
        ("gpu cloud revenue $25M, tripling yearly for 2 years - where does it land?", 225e6, [25e6, 75e6, 225e6]),
        # 640 x 0.5^3 = 80 (every 2 years over 6 years: 3 halvings)
        ("cost per token of $640M halves every 2 years; what after 6 yrs", 80e6, [640e6, 320e6, 160e6, 80e6]),
        # 1.2 x 4^2 = 19.2 (quadrupling each year, year 2)
        ("$1.2B quadrupling per year, value in year 2?", 19.2e9, [1.2e9, 4.8e9, 19.2e9]),
    ],
)  # fmt: skip
def test_a_multiple_per_period_prints_each_step(question: str, final: float, values: list[float]) -> None:
    (result,) = _run(question)
    assert result["final_value"] == pytest.approx(final)
    assert [p["value"] for p in result["series"]] == pytest.approx(values)


def test_a_multiple_over_a_part_period() -> None:
    # 7 x 2^(4 / 2.5) = 7 x 3.0314 = 21.22: doubling every 30 months, after 4 years (1.6 doublings)
    (result,) = _run("spend of $7B doubling every 30 months: where is it after 4 years")
    assert result["value"] == pytest.approx(7e9 * 2**1.6)


@pytest.mark.parametrize(
    ("question", "rate"),
    [
        ("if compute doubles every 6 months what yoy growth rate is that", (2**2 - 1) * 100),  # 300 %
        ("tripling every 3 years is what cagr", (3 ** (1 / 3) - 1) * 100),  # 44.22 %
        ("8x over 6 years - implied annual growth rate?", (8 ** (1 / 6) - 1) * 100),  # 41.42 %
        ("quadrupling in 5 yrs, what cagr", (4 ** (1 / 5) - 1) * 100),  # 31.95 %
    ],
)  # fmt: skip
def test_a_multiple_per_period_as_an_annual_rate(question: str, rate: float) -> None:
    (result,) = _run(question)
    assert result["value"] == pytest.approx(rate)


@pytest.mark.parametrize(
    ("question", "years"),
    [
        ("at a 40% cagr, how long until $20B becomes $200B", 6.8432),  # ln(10) / ln(1.4) = 6.8432
        ("years to quadruple at 15% per year?", 9.9189),  # ln(4) / ln(1.15) = 9.9189
        ("tripling time at a 22% cagr?", 5.5249),  # ln(3) / ln(1.22) = 1.0986 / 0.19885 = 5.5249
        ("growing 35% a year, how long to 20x", 9.9822),  # ln(20) / ln(1.35) = 9.9822
        ("how many years before $3T falls to $1.5T if it shrinks 10% a year", 6.5788),  # ln(0.5) / ln(0.9)
    ],
)  # fmt: skip
def test_years_to_reach_a_target_by_the_log_formula(question: str, years: float) -> None:
    first = _run(question)[0]
    assert first["value"] == pytest.approx(years, rel=1e-4)


def test_years_to_reach_shows_the_whole_years_either_side() -> None:
    # ln(200 / 20) / ln(1.4) = 6.84: 20 x 1.4^6 = 150.59 < 200 <= 20 x 1.4^7 = 210.83
    _, below, above = _run("at a 40% cagr, how long until $20B becomes $200B")
    assert below["value"] == pytest.approx(20e9 * 1.4**6)
    assert above["value"] == pytest.approx(20e9 * 1.4**7)


def test_a_target_the_rate_never_reaches_is_declined() -> None:
    assert "never" in _reply("how many years for $50B to reach $10B at 12% growth a year")


@pytest.mark.parametrize(
    ("question", "total"),
    [
        # 40 + 52 + 67.6 = 159.6 (2027 = 40 is the base, counted)
        ("ai opex $40B in 2027 growing 30%/yr, cumulative 2027 through 2029?", 159.6e9),
        # base 2025 not in the range: 10 x (1.5 + 2.25 + 3.375) = 71.25
        ("hyperscaler spend 2025: $10B, +50% per year; total 2026-2028", 71.25e9),
    ],
)  # fmt: skip
def test_a_sum_over_an_inclusive_range_of_years(question: str, total: float) -> None:
    results = _run(question)
    last = results[-1]
    assert (last.get("value") if "value" in last else last["cumulative"]) == pytest.approx(total)


def test_a_year_count_that_disagrees_with_the_range_is_declined() -> None:
    reply = _reply("$40B in 2027 growing 30%/yr, cumulative 2027 to 2029 (5 years)")
    assert "3 years" in reply and "5 years" in reply


@pytest.mark.parametrize(
    ("question", "values"),
    [
        # 5 x 1.5 = 7.5; x 1.2 = 9; x 1.1 = 9.9
        ("anthropic-style rev of $5B: +50%, then +20%, then +10%. year 3?", [5e9, 7.5e9, 9e9, 9.9e9]),
        # 12 x 0.75 = 9; x 0.9 = 8.1 (both falling: the second rate keeps the first's direction)
        ("$12B declining 25% then 10%, what after two years", [12e9, 9e9, 8.1e9]),
        # 2 x 1.3 = 2.6; x 1.1 = 2.86; x 1.1 = 3.146 (the last rate repeats, as said)
        ("$2B grows 30% followed by 10% thereafter, year 3?", [2e9, 2.6e9, 2.86e9, 3.146e9]),
    ],
)  # fmt: skip
def test_a_sequence_of_rates_one_a_year(question: str, values: list[float]) -> None:
    (result,) = _run(question)
    assert [p["value"] for p in result["series"]] == pytest.approx(values)


def test_more_years_than_rates_is_declined() -> None:
    assert "2 rates" in _reply("$2B grows 30% then 10%; what in year 5?")


def test_a_cagr_with_the_dollar_sign_written_once() -> None:
    # (1.2T / 300B)^(1/4) - 1 = 41.42 %
    q = "ai capex from $300B to 1.2T over 4 years - implied cagr?"
    got = plain_cagr_calls(q, stated_quantities(q), lambda name, args: (name, args))
    assert got is not None
    assert get("calculate").run(got[0][0][1]).model_dump()["value"] == pytest.approx((4**0.25 - 1) * 100)


def test_a_negative_year_count_is_an_error_naming_the_field_with_no_derived_number() -> None:
    answer = ask("grow $80B at 15% a year for -2 years", model="offline")
    assert "years" in answer.answer and "must be" in answer.answer
    assert "0.15" not in answer.answer  # the rate read from "15%" is not printed beside a failed call


def test_the_answer_prints_each_years_value() -> None:
    answer = ask("rev $3B, doubling every yr for 4 yrs?", model="offline").answer
    assert "$48.00 billion" in answer  # 3 x 2^4
    for value in ("6,000,000,000", "12,000,000,000", "24,000,000,000"):
        assert value in answer
