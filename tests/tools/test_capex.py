"""Capex forecaster: the issue's check through the CLI, series choice, bands, backtests, errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.cli.main import cli
from tools.capex import CapexInput, capex, forecast_series, resolve_companies
from tools.errors import InputError


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_issue_check_ten_percent_cagr_via_cli() -> None:
    r = run("capex", "--history", "2020=100,2021=110,2022=121", "--method", "cagr", "--through", "2024", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [(p["year"], p["capex_usd_b"]) for p in data["forecast"]] == [(2023, 133.1), (2024, 146.41)]
    assert data["cumulative_usd_b"] == 279.51
    assert data["method"] == "cagr" and data["backtest"] is None
    assert [p["year"] for p in data["history"]] == [2020, 2021, 2022]
    assert {"low_usd_b", "high_usd_b"} <= data["forecast"][0].keys()


def test_synthetic_backtest_recovers_known_growth() -> None:
    history = ",".join(f"{y}={100 * 1.15 ** (y - 2010):.6f}" for y in range(2010, 2021))
    r = capex(CapexInput(history=history, backtest_from=2016, through=2022))
    assert r.growth_rate == pytest.approx(0.15, abs=1e-6)
    bt = r.backtest
    assert bt.fitted_years == list(range(2010, 2016))
    cagr_row = next(m for m in bt.methods if m.method == "cagr")
    assert [e.year for e in cagr_row.errors] == list(range(2016, 2021))
    assert cagr_row.mape < 1e-5
    assert bt.best_method == "cagr"
    linear = next(m for m in bt.methods if m.method == "linear")
    assert linear.mape > 0.05  # a straight line under-forecasts compound growth


def test_backtest_reports_short_history_honestly() -> None:
    r = capex(CapexInput(history="2020=100,2021=110,2022=121", backtest_from=2021))
    assert r.backtest.methods == [] and "too short" in r.backtest.note


def test_backtest_via_cli_prints_per_method_errors() -> None:
    r = run("capex", "--company", "big4", "--backtest-from", "2022")
    assert r.exit_code == 0, r.output
    assert "MAPE" in r.output and "cagr" in r.output and "linear" in r.output


def test_big4_sums_common_years() -> None:
    r = capex(CapexInput(company=["big4"], through=2027))
    assert r.series == "Microsoft + Alphabet + Amazon + Meta"
    by_year = {p.year: p.capex_usd_b for p in r.history}
    assert by_year[2024] == pytest.approx(44.477 + 52.535 + 82.999 + 37.256)
    # fiscal 2025 from the 10-Ks (capex.csv): Microsoft 64.551, Alphabet 91.45, Amazon 131.819, Meta 69.691
    assert by_year[2025] == pytest.approx(64.551 + 91.45 + 131.819 + 69.691)
    assert 2016 not in by_year  # Microsoft FY2016-2019 are missing, so the sum skips them
    assert [c.company for c in r.companies] == ["Microsoft", "Alphabet", "Amazon", "Meta"]
    assert r.forecast[0].year == 2026 and r.forecast[0].basis == "forecast"
    assert r.method == "guidance where published, else cagr"
    assert r.cumulative_usd_b == pytest.approx(sum(p.capex_usd_b for p in r.forecast), abs=1e-6)


@pytest.mark.parametrize(("company", "value"), [("alphabet", 91.45), ("amazon", 131.819), ("meta", 69.691)])
def test_fiscal_2025_from_a_filing(company: str, value: float) -> None:
    r = run("capex", "--company", company, "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    year = {h["year"]: h for h in data["history"]}[2025]
    assert year["capex_usd_b"] == value and year["metric"] == "purchases_of_property_and_equipment"
    assert any("10-K for fiscal 2025" in s for s in data["sources"])


def test_cash_and_lease_series_never_mixed_silently() -> None:
    cash = capex(CapexInput(company=["meta"], through=2027))
    assert cash.last_history_year == 2025
    assert all(p.metric == "purchases_of_property_and_equipment" for p in cash.history)
    # the result states what the cash series leaves out: Meta 2025 72.215 incl. leases vs 69.691 cash
    assert any("excludes finance leases" in a and "+2.524" in a and "+3.6%" in a for a in cash.assumptions)
    leases = capex(CapexInput(company=["meta"], include_leases=True, through=2027))
    years = {p.year: p for p in leases.history}
    assert years[2025].capex_usd_b == 72.215 and years[2024].capex_usd_b == 39.225
    assert years[2022].metric == "purchases_of_property_and_equipment"
    assert any("mixes definitions" in a for a in leases.assumptions)


def test_guidance_shown_as_guidance_not_actuals() -> None:
    r = capex(CapexInput(company=["google"], method="guidance", through=2028))
    assert max(p.year for p in r.history) == 2025
    assert [(g.year, g.capex_usd_b) for g in r.guidance] == [(2025, 92.0), (2026, 180.0)]
    f = {p.year: p for p in r.forecast}
    assert f[2026].basis == "guidance" and f[2026].capex_usd_b == 180.0
    assert f[2027].basis == "forecast" and f[2027].capex_usd_b == pytest.approx(180 * (1 + r.growth_rate), abs=1e-3)


def test_default_forecast_starts_from_guidance_and_says_so() -> None:
    r = capex(CapexInput(company=["amazon"], through=2028))
    assert r.method == "guidance"
    f = {p.year: p for p in r.forecast}
    assert f[2026].basis == "guidance" and f[2026].capex_usd_b == 200.0
    assert f[2027].capex_usd_b >= 200.0  # never below the company's own guidance for an earlier year
    assert any(a.startswith("Default forecast starts from Amazon's own guidance for 2026") for a in r.assumptions)
    assert not any(a.startswith("WARNING") for a in r.assumptions)


def test_trend_below_guidance_is_flagged() -> None:
    r = capex(CapexInput(company=["amazon"], method="cagr", through=2027))
    assert r.forecast[0].capex_usd_b < 200.0
    assert any(a.startswith("WARNING: Amazon forecast for 2026") and "guidance" in a for a in r.assumptions)


def test_quarters_and_trailing_twelve_months() -> None:
    r = capex(CapexInput(company=["alphabet"], through=2027))
    quarters = {(q.fiscal_year, q.quarter): q for q in r.quarters}
    # the four 2025 quarters sum to the fiscal-2025 annual row (capex_quarterly.csv vs capex.csv)
    assert quarters[(2025, 4)].ttm_usd_b == pytest.approx(91.45)
    assert quarters[(2024, 3)].ttm_usd_b is None  # 2023 Q4 is not in the catalog
    assert r.ttm_period_end == "2026-03-31" and r.ttm_usd_b == pytest.approx(22.45 + 23.95 + 27.85 + 35.67)


@pytest.mark.parametrize(
    ("company", "fiscal_year", "annual"),
    [("microsoft", 2024, 44.477), ("microsoft", 2025, 64.551), ("meta", 2024, 37.256), ("meta", 2025, 69.691)],
)
def test_quarters_sum_to_the_10k_year(company: str, fiscal_year: int, annual: float) -> None:
    """Each fiscal year's four quarters (capex_quarterly.csv) reproduce the 10-K cash figure in capex.csv."""
    r = capex(CapexInput(company=[company], through=2027))
    q4 = next(q for q in r.quarters if (q.fiscal_year, q.quarter) == (fiscal_year, 4))
    assert q4.ttm_usd_b == pytest.approx(annual, abs=0.01)
    assert r.history[[h.year for h in r.history].index(fiscal_year)].capex_usd_b == pytest.approx(annual)


def test_microsoft_quarters_use_fiscal_years_ending_june() -> None:
    r = capex(CapexInput(company=["microsoft"], through=2027))
    ends = {(q.fiscal_year, q.quarter): q.period_end for q in r.quarters}
    assert ends[(2026, 1)] == "2025-09-30" and ends[(2025, 4)] == "2025-06-30"
    assert r.ttm_period_end == "2026-03-31" and r.ttm_usd_b == pytest.approx(17.08 + 19.39 + 29.88 + 30.88)


def test_cagr_ignores_guidance() -> None:
    r = capex(CapexInput(company=["alphabet"], method="cagr", through=2026))
    assert all(p.basis == "forecast" for p in r.forecast)


def test_scenario_rates_list_last_repeats_and_explicit_band() -> None:
    r = capex(
        CapexInput(history="2023=100,2024=200", method="scenario", growth=[0.2, 0.1], low=0.0, high=0.3, through=2027)
    )
    assert [p.capex_usd_b for p in r.forecast] == [240.0, 264.0, 290.4]
    assert [p.low_usd_b for p in r.forecast] == [200.0, 200.0, 200.0]
    assert r.forecast[-1].high_usd_b == pytest.approx(200 * 1.3**3)


def test_implied_accelerators_and_gigawatts() -> None:
    r = capex(
        CapexInput(
            history="2023=100,2024=100", through=2025, ai_share=0.5, capex_per_accelerator=50000, power_kw=1.5, pue=1.2
        )
    )
    p = r.forecast[0]
    assert p.accelerators == pytest.approx(100e9 * 0.5 / 50000)
    assert p.gw == pytest.approx(1e6 * 1.5 * 1.2 / 1e6)
    assert r.cumulative_gw == pytest.approx(p.gw)


def test_company_aliases() -> None:
    assert resolve_companies(["Google", "AWS", "big 4"]) == ["Alphabet", "Amazon", "Microsoft", "Meta"]
    assert resolve_companies(["big5"])[-1] == "Oracle"
    with pytest.raises(InputError) as err:
        resolve_companies(["amazn"])
    assert err.value.field == "company" and "amazon" in err.value.suggestions


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--company", "nvidiaa"], "company"),
        (["--company", "big4", "--through", "2020"], "through"),
        (["--history", "2020=100,2021=oops"], "history"),
        (["--history", "2020=100"], "history"),
        (["--history", "2020=100,2020=120"], "history"),
        (["--company", "meta", "--history", "2020=1,2021=2"], "history"),
        ([], "company"),
        (["--company", "meta", "--method", "scenario"], "growth"),
        (["--company", "meta", "--method", "magic"], "method"),
        (["--company", "meta", "--backtest-from", "2030"], "backtest_from"),
        (["--company", "meta", "--ai-share", "1.5"], "ai_share"),
        (["--company", "meta", "--ai-share", "0.5", "--power-kw", "1"], "capex_per_accelerator"),
        (["--company", "meta", "--window", "0"], "window"),
    ],
)
def test_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    r = run("capex", *args)
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:"), r.output


histories = st.lists(st.floats(1, 1000, allow_subnormal=False), min_size=2, max_size=10)
rates = st.floats(-0.5, 1.0, allow_subnormal=False)


@settings(max_examples=80, deadline=None)
@given(
    values=histories,
    method=st.sampled_from(["cagr", "linear", "scenario"]),
    window=st.integers(1, 6),
    growth=st.lists(rates, min_size=1, max_size=3),
    low=st.none() | rates,
    high=st.none() | rates,
    horizon=st.integers(1, 6),
)
def test_bands_always_ordered(values, method, window, growth, low, high, horizon) -> None:
    points = [(2000 + i, v) for i, v in enumerate(values)]
    years = list(range(2000 + len(values), 2000 + len(values) + horizon))
    out, _, _ = forecast_series(points, years, method, window=window, growth=growth, low=low, high=high)
    assert [p.year for p in out] == years
    for p in out:
        assert p.low_usd_b <= p.capex_usd_b <= p.high_usd_b
        assert p.capex_usd_b >= 0
