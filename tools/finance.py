"""Pure financial formulas used by the economics calculators (no I/O, no defaults).

Rates are fractions per period (0.08 = 8 % a year), never percents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "HOURS_PER_YEAR",
    "annualised_growth",
    "annuity_payment",
    "cagr",
    "capital_recovery_factor",
    "compound",
    "mape",
    "pmt",
]

#: Hours in a (non-leap) year: 365 x 24.
HOURS_PER_YEAR = 8760
#: Rates smaller than this are treated as zero (straight line): the annuity differs from 1/n by
#: under 1e-11 there, while subnormal floats would make (1 + r)^n - 1 meaningless.
_NEGLIGIBLE_RATE = 1e-12


def capital_recovery_factor(rate: float, periods: float) -> float:
    """Fraction of a principal paid each period to recover it with interest over ``periods``.

    Notes
    -----
    ``CRF = r (1 + r)^n / ((1 + r)^n - 1)``; when ``r = 0`` (below 1e-12) it is straight-line ``1 / n``.

    >>> round(capital_recovery_factor(0.10, 5), 5)    # textbook (A/P, 10 %, 5) = 0.26380
    0.2638
    >>> capital_recovery_factor(0.0, 4)
    0.25
    """
    if periods <= 0:
        raise ValueError("periods must be > 0")
    if abs(rate) < _NEGLIGIBLE_RATE:
        return 1.0 / periods
    # expm1/log1p keep (1 + r)^n - 1 accurate for tiny rates, where it would round to 0.
    return rate * (1.0 + rate) ** periods / math.expm1(periods * math.log1p(rate))


def annuity_payment(principal: float, rate: float, periods: float) -> float:
    """Level payment per period that repays ``principal`` at ``rate`` over ``periods`` (positive)."""
    return principal * capital_recovery_factor(rate, periods)


def pmt(rate: float, nper: float, pv: float, fv: float = 0.0, when: str = "end") -> float:
    """Payment per period, numpy-financial's sign convention (cash paid out is negative).

    Notes
    -----
    ``fv + pv (1 + r)^n + pmt (1 + r w) ((1 + r)^n - 1) / r = 0`` with ``w = 1`` for payments at
    the beginning of each period, ``0`` at the end; when ``r = 0``: ``-(fv + pv) / n``.

    numpy-financial's documented example: a $200,000 loan over 15 years at 7.5 % a year, paid
    monthly.

    >>> round(pmt(0.075 / 12, 12 * 15, 200000), 2)
    -1854.02
    """
    w = 1.0 if when in ("begin", 1) else 0.0
    if abs(rate) < _NEGLIGIBLE_RATE:
        return -(fv + pv) / nper
    growth = (1.0 + rate) ** nper
    return -(fv + pv * growth) * rate / ((1.0 + rate * w) * math.expm1(nper * math.log1p(rate)))


def compound(value: float, rate: float, years: float) -> float:
    """``value x (1 + rate)^years``.

    >>> round(compound(121, 0.10, 2), 6)
    146.41
    """
    return value * (1.0 + rate) ** years


def cagr(first: float, last: float, years: float) -> float:
    """Compound annual growth rate from ``first`` to ``last`` over ``years``: ``(last/first)^(1/years) - 1``.

    >>> round(cagr(100, 121, 2), 12)
    0.1
    """
    if first <= 0 or last <= 0 or years <= 0:
        raise ValueError("cagr needs positive values and years")
    return (last / first) ** (1.0 / years) - 1.0


def annualised_growth(points: Sequence[tuple[int, float]]) -> list[float]:
    """Growth rate per year between consecutive ``(year, value)`` points, annualised over gaps."""
    return [cagr(v0, v1, y1 - y0) for (y0, v0), (y1, v1) in zip(points, points[1:])]


def mape(actual: Sequence[float], predicted: Sequence[float]) -> float:
    """Mean absolute percentage error, as a fraction: ``mean(|p - a| / |a|)``.

    >>> mape([100, 200], [110, 180])
    0.1
    """
    if not actual or len(actual) != len(predicted):
        raise ValueError("mape needs equal, non-empty sequences")
    return math.fsum(abs(p - a) / abs(a) for a, p in zip(actual, predicted)) / len(actual)
