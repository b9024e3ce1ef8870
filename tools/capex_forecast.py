"""Capex forecasting (pure): growth fits, bands and forecast points (methods and bands: ``tools.capex``).

All values are US$ billions; forecast values are rounded to ``ROUND`` decimals (0.001 = US$ 1 million).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from tools.capex_history import GuidancePoint
from tools.finance import annualised_growth, cagr
from tools.growth import stepped_values

ROUND = 3


class ForecastPoint(BaseModel):
    year: int
    capex_usd_b: float
    low_usd_b: float
    high_usd_b: float
    basis: str = Field(description="'forecast', 'guidance', or 'actual+forecast' (a sum mixing both).")
    accelerators: float | None = Field(None, description="Implied accelerators bought that year (needs ai_share).")
    gw: float | None = Field(None, description="Implied facility GW added that year (needs ai_share).")


@dataclass(frozen=True)
class Fit:
    """A fitted growth model: base rate, band rates, the points used and a note."""

    rate: float
    low_rate: float
    high_rate: float
    used: list[tuple[int, float]]
    note: str
    steps: tuple[float, ...] = ()  # given per-year rates (the last repeats), replacing ``rate`` for the base line


def fit_growth(points: list[tuple[int, float]], window: int) -> Fit:
    """CAGR over the points within ``window`` years of the last (at least the last two points)."""
    last_year = points[-1][0]
    used = [p for p in points if p[0] >= last_year - window]
    note = ""
    if len(used) < 2:
        used = points[-2:]
        note = f"window of {window} year(s) holds under two points; fitted on {used[0][0]}-{used[1][0]}."
    elif used[0][0] > last_year - window:
        note = f"history holds {used[-1][0] - used[0][0]} year(s) of growth, fewer than the {window}-year window."
    rate = cagr(used[0][1], used[-1][1], used[-1][0] - used[0][0])
    rates = annualised_growth(used)
    return Fit(rate=rate, low_rate=min(rates), high_rate=max(rates), used=used, note=note)


def _linear(points: list[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares (intercept, slope) of value on year."""
    n = len(points)
    mx = sum(y for y, _ in points) / n
    my = sum(v for _, v in points) / n
    sxx = sum((y - mx) ** 2 for y, _ in points)
    slope = sum((y - mx) * (v - my) for y, v in points) / sxx if sxx else 0.0
    return my - slope * mx, slope


def ordered_band(base: float, low: float, high: float) -> tuple[float, float, float]:
    """(base, low, high) rounded to ``ROUND`` and ordered so that low <= base <= high."""
    return round(base, ROUND), round(min(low, base), ROUND), round(max(high, base), ROUND)


def forecast_series(
    points: list[tuple[int, float]],
    years: list[int],
    method: str,
    *,
    window: int,
    growth: Sequence[float] = (),
    low: float | None = None,
    high: float | None = None,
    guidance: dict[int, GuidancePoint] | None = None,
) -> tuple[list[ForecastPoint], Fit | None, list[str]]:
    """Forecast ``years`` (all after the last point) from sorted ``points``; returns points, fit, notes."""
    if method == "scenario":
        banded = low is not None or high is not None
        notes = [] if banded else ["scenario without low/high rates: the band is the base line."]
        return _scenario_points(points[-1][1], years, growth, low, high), None, notes
    fit = fit_growth(points, window)
    notes = [fit.note] if fit.note else []
    if method == "guidance" and not guidance:
        notes.append(
            "no usable guidance for this series; forecast uses the "
            + ("given growth from the last reported year." if growth else "cagr fit.")
        )
    if method == "guidance" and growth:
        fit = _given_rates(fit, growth, low, high)
        notes.append(_given_note(growth))
    return _fitted_points(points, years, method, fit, guidance or {}), fit, notes


def _given_rates(fit: Fit, growth: Sequence[float], low: float | None, high: float | None) -> Fit:
    """The guidance method at the caller's rate(s): the fit's rates replaced by the given ones (band: low/high,
    else the base line); the rate of each year after the anchor is the given one for it, the last repeating."""
    base = growth[0]
    return Fit(
        rate=base,
        low_rate=low if low is not None else base,
        high_rate=high if high is not None else base,
        used=fit.used,
        note=fit.note,
        steps=tuple(growth),
    )


def _given_note(growth: Sequence[float]) -> str:
    rates = ", ".join(f"{g:.4g}" for g in growth)
    return f"after the last guided year the forecast grows at the given rate ({rates} a year), not the cagr fit."


def _band_point(year: int, base: float, low: float, high: float) -> ForecastPoint:
    b_, l_, h_ = ordered_band(base, low, high)
    return ForecastPoint(year=year, capex_usd_b=b_, low_usd_b=l_, high_usd_b=h_, basis="forecast")


def _scenario_points(
    anchor: float, years: list[int], growth: Sequence[float], low: float | None, high: float | None
) -> list[ForecastPoint]:
    """Scenario: base, low and high each compounded year by year from ``anchor`` (low/high default to the base rate)."""
    path = stepped_values(anchor, growth, len(years))
    run_low = run_high = anchor
    out: list[ForecastPoint] = []
    for i, year in enumerate(years):
        rate = growth[min(i, len(growth) - 1)]
        base = path[i + 1]
        run_low = min(run_low * (1 + (low if low is not None else rate)), base)
        run_high = max(run_high * (1 + (high if high is not None else rate)), base)
        out.append(_band_point(year, base, run_low, run_high))
    return out


def _fitted_points(
    points: list[tuple[int, float]], years: list[int], method: str, fit: Fit, guidance: dict[int, GuidancePoint]
) -> list[ForecastPoint]:
    """cagr / linear / guidance: bands compound the fit's lowest and highest rates from the anchor.

    For ``guidance`` a guided year is taken as given and becomes the new anchor.
    """
    anchor_year, anchor = points[-1]
    a, b = _linear(fit.used) if method == "linear" else (0.0, 0.0)
    out: list[ForecastPoint] = []
    for year in years:
        if method == "guidance" and year in guidance:
            value = guidance[year].capex_usd_b
            anchor_year, anchor = year, value
            out.append(ForecastPoint(year=year, capex_usd_b=value, low_usd_b=value, high_usd_b=value, basis="guidance"))
            continue
        h = year - anchor_year
        if method == "linear":
            base = max(0.0, a + b * year)
        else:
            base = stepped_values(anchor, fit.steps, h)[h] if fit.steps else anchor * (1 + fit.rate) ** h
        out.append(_band_point(year, base, anchor * (1 + fit.low_rate) ** h, anchor * (1 + fit.high_rate) ** h))
    return out
