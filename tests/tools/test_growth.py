"""growth: stepped series, target year, CAGR and multipliers; bad input names the field."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.cli.main import cli
from tools.errors import InputError
from tools.growth import first_reaching, stepped_values
from tools.registry import get


def run(**args):
    return get("growth").run(args)


def test_stepped_rates_last_repeats() -> None:
    # 100 x 1.5 = 150, x 1.1 = 165, x 1.1 = 181.5 (the last rate repeats)
    r = run(base="2024=100", rate=[0.5, 0.1], through=2027)
    assert [p.value for p in r.series] == pytest.approx([100, 150, 165, 181.5])
    assert [p.year for p in r.series] == [2024, 2025, 2026, 2027]
    assert r.cumulative == pytest.approx(596.5) and r.multiple == pytest.approx(1.815)


def test_cagr_projected_forward() -> None:
    # CAGR 2.4^(1/3) - 1; 2027 = 120 x 2.4 = 288 (three more years at the same rate)
    r = run(**{"from": "2021=50", "to": "2024=120", "through": 2027})
    assert r.final_value == pytest.approx(288.0) and r.final_year == 2027
    assert r.series[0].value == 120


def test_from_underscore_name_is_accepted_too() -> None:
    assert run(from_="2021=50", to="2024=120").cagr == pytest.approx(0.338866, abs=1e-6)


def test_multiplier_per_generation() -> None:
    r = run(multiplier=10, steps=3)  # 1, 10, 100, 1000
    assert [p.value for p in r.series] == [1, 10, 100, 1000] and r.cumulative == 1111
    assert all(p.year is None for p in r.series)
    labelled = run(base="2024=2", multiplier=3, steps=2)
    assert [(p.year, p.value) for p in labelled.series] == [(2024, 2), (2025, 6), (2026, 18)]


def test_falling_series_reaches_a_lower_target() -> None:
    # 100 x 0.5^k <= 10 first at k = 4 (6.25)
    r = run(base="2024=100", rate=[-0.5], until=10)
    assert r.until_year == 2028 and r.until_value == pytest.approx(6.25)


def test_never_reaching_is_said_not_invented() -> None:
    r = run(base="2024=100", rate=[0.0], until=200, through=2026)
    assert r.until_year is None and r.until_value is None and "never reaches 200" in r.until_note
    assert r.final_year == 2026


def test_percent_looking_rate_is_flagged() -> None:
    r = run(base="2024=1", rate=[30], through=2025)
    assert r.final_value == 31 and any("write 0.3 for 30 %" in a for a in r.assumptions)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"base": "2024=0", "rate": [0.2], "through": 2030}, "base"),
        ({"base": "2024=-5", "rate": [0.2], "through": 2030}, "base"),
        ({"base": "2024=100", "rate": [0.2], "through": 2020}, "through"),
        ({"base": "2024=100", "rate": [-1.5], "through": 2030}, "rate"),
        ({"base": "2024=100", "through": 2030}, "rate"),
        ({"base": "2024=100", "rate": [0.2]}, "through"),
        ({"base": "abc", "rate": [0.2], "through": 2030}, "base"),
        ({"from": "2024=50", "to": "2021=120"}, "to"),
        ({"from": "2021=50"}, "to"),
        ({"from": "2021=0", "to": "2024=120"}, "from"),
        ({"from": "2021=50", "to": "2024=120", "through": 2023}, "through"),
        ({"from": "2021=50", "to": "2024=120", "rate": [0.1]}, "rate"),
        ({"multiplier": 10}, "steps"),
        ({"multiplier": 10, "steps": 0}, "steps"),
        ({"steps": 3}, "multiplier"),
        ({"multiplier": 0, "steps": 2}, "multiplier"),
        ({"base": "2024=100", "rate": [0.2], "until": -1}, "until"),
        ({}, "base"),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("growth").run(args)
    assert err.value.field == field, str(err.value)


def test_cli_bad_input_is_one_line_exit_2() -> None:
    r = CliRunner().invoke(cli, ["growth", "--base", "2024=100", "--rate", "0.2", "--through", "2020"])
    assert r.exit_code == 2
    assert r.output.strip().count("\n") == 0 and r.output.startswith("error: through:")


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(0.01, 1e6),
    rates=st.lists(st.floats(-0.9, 3.0), min_size=1, max_size=4),
    steps=st.integers(0, 30),
)
def test_series_is_positive_and_cumulative_adds_up(start: float, rates: list[float], steps: int) -> None:
    values = stepped_values(start, rates, steps)
    assert len(values) == steps + 1 and all(v > 0 for v in values)


@settings(max_examples=60, deadline=None)
@given(start=st.floats(1, 1e4), rate=st.floats(0.01, 2.0), factor=st.floats(1.0, 100.0))
def test_first_reaching_is_the_first(start: float, rate: float, factor: float) -> None:
    target = start * factor
    k = first_reaching(start, [rate], target)
    values = stepped_values(start, [rate], k)
    assert values[-1] >= target and all(v < target for v in values[:-1])


def test_capex_scenario_from_one_year_uses_the_same_stepping() -> None:
    # 2025 = 200 at 30 % a year: the growth series and the capex scenario agree year by year (1,254.97 in 2032)
    capex = get("capex").run({"history": "2025=200", "method": "scenario", "growth": [0.3], "through": 2032})
    series = run(base="2025=200", rate=[0.3], through=2032).series[1:]
    assert [p.capex_usd_b for p in capex.forecast] == [round(p.value, 3) for p in series]
    assert capex.forecast[-1].capex_usd_b == 1254.97


def test_capex_fitted_methods_still_need_two_years() -> None:
    with pytest.raises(InputError) as err:
        get("capex").run({"history": "2025=200", "method": "cagr"})
    assert err.value.field == "history" and "one is enough for the scenario method" in str(err.value)


def test_a_base_without_a_year_compounds_for_a_number_of_years() -> None:
    # $200B growing 25 % a year for 4 years: 200 x 1.25^4 = 488.28125 (steps 0..4, no calendar years)
    r = run(base="200", rate=[0.25], years=4)
    assert r.mode == "series" and r.final_year is None and len(r.series) == 5
    assert r.final_value == pytest.approx(488.28125)
    # with a base year, years counts from it: 2025=100 for 4 years ends in 2029
    assert run(base="2025=100", rate=[0.25], years=4).final_year == 2029


def test_a_base_without_a_year_still_needs_years_or_a_year() -> None:
    with pytest.raises(InputError) as err:
        run(base="200", rate=[0.25], through=2030)
    assert err.value.field == "base"
