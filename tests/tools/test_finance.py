"""Financial formulas against published worked examples and invariants."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tools.finance as finance
from tools.finance import annuity_payment, cagr, capital_recovery_factor, compound, mape, pmt


def test_pmt_matches_numpy_financial_documented_example() -> None:
    # numpy-financial's `pmt` docstring: $200,000 over 15 years at 7.5 %/yr, monthly -> -1854.0247200054619
    assert pmt(0.075 / 12, 12 * 15, 200000) == pytest.approx(-1854.0247200054619, rel=1e-12)


def test_crf_matches_interest_table() -> None:
    # Engineering-economics compound interest tables: (A/P, 10 %, 5) = 0.26380, (A/P, 8 %, 10) = 0.14903
    assert capital_recovery_factor(0.10, 5) == pytest.approx(0.26380, abs=5e-6)
    assert capital_recovery_factor(0.08, 10) == pytest.approx(0.14903, abs=5e-6)


def test_zero_rate_is_straight_line() -> None:
    assert capital_recovery_factor(0.0, 5) == 0.2
    assert pmt(0.0, 10, 1000) == -100.0


def test_annuity_agrees_with_pmt_sign_convention() -> None:
    assert annuity_payment(30000, 0.08, 5) == pytest.approx(-pmt(0.08, 5, 30000), rel=1e-12)


def test_pmt_payments_at_beginning_are_smaller() -> None:
    assert abs(pmt(0.05, 10, 1000, when="begin")) == pytest.approx(abs(pmt(0.05, 10, 1000)) / 1.05, rel=1e-12)


def test_crf_rejects_non_positive_life() -> None:
    with pytest.raises(ValueError):
        capital_recovery_factor(0.05, 0)


def test_module_doctests_pass() -> None:
    failures, tried = doctest.testmod(finance)
    assert tried >= 5 and failures == 0


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 0.3, allow_subnormal=False), st.floats(1, 30, allow_subnormal=False))
def test_crf_rises_with_rate_and_falls_with_life(rate: float, years: float) -> None:
    base = capital_recovery_factor(rate, years)
    assert base > 1 / years  # interest makes it dearer than straight line
    assert capital_recovery_factor(rate * 1.1, years) > base
    assert capital_recovery_factor(rate, years + 1) < base


@settings(max_examples=60, deadline=None)
@given(st.floats(1, 1e4, allow_subnormal=False), st.floats(-0.5, 2, allow_subnormal=False), st.integers(1, 20))
def test_cagr_inverts_compound(value: float, rate: float, years: int) -> None:
    assert cagr(value, compound(value, rate, years), years) == pytest.approx(rate, abs=1e-9)


def test_mape_known_value_and_errors() -> None:
    assert mape([100, 200, 400], [110, 180, 400]) == pytest.approx(0.2 / 3)
    with pytest.raises(ValueError):
        mape([], [])
