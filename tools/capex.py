"""Hyperscaler capital expenditure: sourced history, forecasts with bands, backtests, implied GW.

History comes from ``knowledge/data/capex.csv`` (US$ billions, fiscal years as each company
defines them). Cash purchases of property and equipment and figures including finance leases
are different series: by default only the cash series is used; ``include_leases`` takes the
lease-inclusive figure for the years that have one and says, in the result, which years come
from which series. Guidance rows are kept apart from actuals and used only by ``guidance``.

Methods, from the last actual point ``(y0, v0)`` to year ``t`` (``h = t - y0``):

    cagr      g = (v_last / v_first)^(1 / span) - 1 over the last ``window`` years;  v0 (1 + g)^h
    linear    least-squares line through the last ``window`` years;               a + b t (>= 0)
    scenario  explicit rate per year (one rate, or a list whose last rate repeats); v0 prod(1 + g_i)
    guidance  company guidance for the years that have it, then the cagr rate from the last guided year

Bands: for fitted methods, the lowest and highest annual growth rates inside the fit window
compounded from the same anchor; for scenarios, the explicit ``low`` / ``high`` rates. Every
band is ordered ``low <= base <= high``. Forecast values are rounded to 0.001 (US$ millions).
Check: history 100, 110, 121 for 2020-2022, cagr -> 133.1 in 2023 and 146.41 in 2024.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from tools import capex_guidance as G
from tools import defaults as D
from tools.capex_forecast import ROUND, Fit, ForecastPoint, forecast_series, ordered_band
from tools.capex_history import (
    GuidancePoint,
    HistoryPoint,
    Series,
    capex_rows,
    company_series,
    history_points,
    parse_history,
    resolve_companies,
    year_ranges,
)
from tools.capex_quarterly import QuarterPoint, quarters
from tools.errors import InputError
from tools.finance import mape
from tools.results import Worked

Method = Literal["cagr", "linear", "scenario", "guidance"]
FITTED_METHODS: tuple[str, ...] = ("cagr", "linear")
#: Product choices, not sourced figures: fit on the last 3 years of history (the AI-era build-out),
#: forecast 3 years past the last reported year (rounding: ``tools.capex_forecast.ROUND``).
DEFAULT_WINDOW = 3
DEFAULT_HORIZON = 3


class CapexInput(BaseModel):
    """Hyperscaler capex history and forecast (US$ billions)."""

    company: list[str] = Field(
        default_factory=list,
        description="microsoft, alphabet/google, amazon/aws, meta, oracle, big4, big5; repeat --company for several.",
    )
    method: Method = Field("cagr", description="cagr | linear | scenario | guidance.")
    through: int | None = Field(None, description="Last forecast year (default: last history year + 3).")
    window: int = Field(DEFAULT_WINDOW, ge=1, description="Years of history the cagr/linear fit uses.")
    growth: list[float] = Field(
        default_factory=list, description="Scenario growth rate(s) per year, e.g. 0.2; the last repeats."
    )
    low: float | None = Field(None, gt=-1, description="Scenario low-band growth rate per year.")
    high: float | None = Field(None, gt=-1, description="Scenario high-band growth rate per year.")
    history: str | None = Field(None, description="Custom history 'YEAR=USD_B,...', e.g. '2020=100,2021=110'.")
    backtest_from: int | None = Field(
        None, description="Fit on years before this one, forecast it and later years, report errors."
    )
    include_leases: bool = Field(False, description="Use figures including finance leases where published.")
    ai_share: float | None = Field(
        None, gt=0, le=1, description="Share of capex spent on AI accelerators (implied GW)."
    )
    capex_per_accelerator: float | None = Field(
        None, gt=0, description="All-in USD per accelerator (implied accelerators)."
    )
    power_kw: float | None = Field(None, gt=0, description="All-in IT kW per accelerator (implied GW).")
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness for implied GW.")

    @field_validator("growth")
    @classmethod
    def _rates_above_minus_one(cls, rates: list[float]) -> list[float]:
        for r in rates:
            if r <= -1:
                raise InputError("growth", f"every rate must be > -1 (got {r}).")
        return rates


class BacktestError(BaseModel):
    year: int
    actual_usd_b: float
    predicted_usd_b: float
    error_fraction: float = Field(description="predicted / actual - 1.")


class BacktestMethod(BaseModel):
    method: str
    errors: list[BacktestError]
    mape: float = Field(description="Mean absolute percentage error, as a fraction.")


class Backtest(BaseModel):
    from_year: int
    fitted_years: list[int]
    methods: list[BacktestMethod]
    best_method: str | None
    note: str


class CompanyForecast(BaseModel):
    company: str
    history: list[HistoryPoint]
    guidance: list[GuidancePoint]
    forecast: list[ForecastPoint]
    cumulative_usd_b: float
    growth_rate: float | None
    series_notes: list[str]


class CapexResult(Worked):
    series: str
    method: str
    last_history_year: int
    through: int
    growth_rate: float | None = Field(None, description="Base growth rate of the fit (single series).")
    low_rate: float | None = None
    high_rate: float | None = None
    history: list[HistoryPoint]
    guidance: list[GuidancePoint]
    forecast: list[ForecastPoint]
    cumulative_usd_b: float = Field(description="Sum of base forecasts over the forecast years.")
    cumulative_low_usd_b: float
    cumulative_high_usd_b: float
    cumulative_accelerators: float | None = None
    cumulative_gw: float | None = None
    companies: list[CompanyForecast] = Field(default_factory=list, description="Each company, when several.")
    backtest: Backtest | None = None
    quarters: list[QuarterPoint] = Field(
        default_factory=list, description="Filed quarters (one company), with TTM sums."
    )
    ttm_usd_b: float | None = Field(
        None, description="Trailing-twelve-month capex at the latest quarter with four in a row."
    )
    ttm_period_end: str | None = None


# --- data ---------------------------------------------------------------------------------


def _company_forecast(
    series: Series, inp: CapexInput, through: int
) -> tuple[list[ForecastPoint], Fit | None, list[str]]:
    years = list(range(series.last_year + 1, through + 1))
    explicit = inp.method if "method" in inp.model_fields_set or series.name == "custom" else None
    method, why = G.default_method(series.name, explicit, series.guidance, series.last_year)
    points, fit, notes = forecast_series(
        series.sorted_points,
        years,
        method,
        window=inp.window,
        growth=inp.growth,
        low=inp.low,
        high=inp.high,
        guidance={y: g for y, g in series.guidance.items() if y > series.last_year},
    )
    notes = ([why] if why else []) + notes + G.below_guidance(series.name, points, series.guidance)
    return points, fit, notes


def run_backtest(points: list[tuple[int, float]], from_year: int, inp: CapexInput) -> Backtest:
    """Fit on points before ``from_year``, forecast the later actual years, per method."""
    fitted = [p for p in points if p[0] < from_year]
    actual = [p for p in points if p[0] >= from_year]
    if len(fitted) < 2:
        return Backtest(
            from_year=from_year,
            fitted_years=[y for y, _ in fitted],
            methods=[],
            best_method=None,
            note=f"history too short: {len(fitted)} year(s) before {from_year}; a fit needs at least two.",
        )
    methods = list(FITTED_METHODS) + (["scenario"] if inp.growth else [])
    out = []
    for method in methods:
        years = list(range(fitted[-1][0] + 1, actual[-1][0] + 1))
        preds, _, _ = forecast_series(
            fitted, years, method, window=inp.window, growth=inp.growth, low=inp.low, high=inp.high
        )
        by_year = {p.year: p.capex_usd_b for p in preds}
        errors = [
            BacktestError(year=y, actual_usd_b=v, predicted_usd_b=by_year[y], error_fraction=by_year[y] / v - 1)
            for y, v in actual
        ]
        out.append(
            BacktestMethod(
                method=method,
                errors=errors,
                mape=mape([e.actual_usd_b for e in errors], [e.predicted_usd_b for e in errors]),
            )
        )
    best = min(out, key=lambda m: m.mape)
    note = f"fitted on {year_ranges([y for y, _ in fitted])}; scored on {year_ranges([y for y, _ in actual])}."
    if len(fitted) < 3:
        note += " Only two fitted points: the band and the fit are fragile."
    note += " guidance is not backtested (no historical guidance in the data)."
    return Backtest(
        from_year=from_year, fitted_years=[y for y, _ in fitted], methods=out, best_method=best.method, note=note
    )


# --- the calculator ----------------------------------------------------------------------------


def _sum_series(parts: list[Series]) -> Series:
    common = set.intersection(*(set(s.points) for s in parts))
    if len(common) < 2:
        raise InputError(
            "company", "these companies share fewer than two years of history; forecast them one at a time."
        )
    points = {y: (round(sum(s.points[y][0] for s in parts), ROUND), "sum") for y in common}
    name = " + ".join(s.name for s in parts)
    return Series(name=name, points=points, notes=[f"Sum over the years all have: {year_ranges(sorted(common))}."])


def _implied(points: list[ForecastPoint], inp: CapexInput) -> tuple[float | None, float | None, str | None]:
    if inp.ai_share is None:
        return None, None, None
    if inp.capex_per_accelerator is None:
        raise InputError("capex_per_accelerator", "is required with ai_share (USD per accelerator, all-in).")
    if inp.power_kw is None:
        raise InputError("power_kw", "is required with ai_share (all-in kW per accelerator).")
    accelerators: list[float] = []
    gws: list[float] = []
    for p in points:
        acc = p.capex_usd_b * 1e9 * inp.ai_share / inp.capex_per_accelerator
        gw = acc * inp.power_kw * inp.pue / 1e6
        p.accelerators, p.gw = acc, gw
        accelerators.append(acc)
        gws.append(gw)
    note = (
        f"Implied: accelerators = capex x {inp.ai_share:g} (AI share) / {inp.capex_per_accelerator:,.0f} USD; "
        f"GW = accelerators x {inp.power_kw:g} kW x PUE {inp.pue:g} / 10^6 (no retirements)."
    )
    return sum(accelerators), sum(gws), note


def _input_series(inp: CapexInput) -> list[Series]:
    """The series to forecast: the user's history, or each named company; ``InputError`` on a bad combination."""
    if inp.history and inp.company:
        raise InputError("history", "give either company or history, not both.")
    if not inp.history and not inp.company:
        raise InputError(
            "company", "give a company (microsoft, alphabet, amazon, meta, oracle, big4, big5) or a history."
        )
    if inp.method == "scenario" and not inp.growth:
        raise InputError("growth", "the scenario method needs at least one growth rate, e.g. --growth 0.2.")
    if inp.history:
        return [parse_history(inp.history, 1 if inp.method == "scenario" else 2)]
    return [company_series(c, inp.include_leases) for c in resolve_companies(inp.company)]


def _company_forecasts(
    parts: list[Series], inp: CapexInput, through: int
) -> tuple[dict[str, dict[int, ForecastPoint]], list[CompanyForecast], list[str]]:
    """Each company forecast on its own: points by company and year, per-company results, prefixed notes."""
    per: dict[str, dict[int, ForecastPoint]] = {}
    companies: list[CompanyForecast] = []
    notes: list[str] = []
    for s in parts:
        pts, f, n = _company_forecast(s, inp, through)
        per[s.name] = {p.year: p for p in pts}
        notes += [f"{s.name}: {x}" for x in n]
        companies.append(
            CompanyForecast(
                company=s.name,
                history=history_points(s),
                guidance=sorted(s.guidance.values(), key=lambda g: g.year),
                forecast=pts,
                cumulative_usd_b=round(sum(p.capex_usd_b for p in pts), ROUND),
                growth_rate=f.rate if f else None,
                series_notes=s.notes,
            )
        )
    return per, companies, notes


def _summed_forecast(
    parts: list[Series], inp: CapexInput, last: int, through: int
) -> tuple[list[ForecastPoint], list[CompanyForecast], list[str]]:
    """Several companies: year by year, the sum of each one's actual (where reported) or forecast, bands likewise."""
    per, companies, notes = _company_forecasts(parts, inp, through)
    forecast = []
    for year in range(last + 1, through + 1):
        base = lo = hi = 0.0
        mixed = False
        for s in parts:
            if year in s.points:
                v = s.points[year][0]
                base, lo, hi, mixed = base + v, lo + v, hi + v, True
            else:
                p = per[s.name][year]
                base, lo, hi = base + p.capex_usd_b, lo + p.low_usd_b, hi + p.high_usd_b
        b_, l_, h_ = ordered_band(base, lo, hi)
        forecast.append(
            ForecastPoint(
                year=year, capex_usd_b=b_, low_usd_b=l_, high_usd_b=h_, basis="actual+forecast" if mixed else "forecast"
            )
        )
    notes.append(
        "Sum: each company forecast on its own; a year where some companies already report actuals adds those "
        "actuals (basis 'actual+forecast')."
    )
    return forecast, companies, notes


def _backtest(inp: CapexInput, top: Series) -> Backtest | None:
    """The backtest asked for by ``backtest_from`` (None when not asked); ``InputError`` outside the history."""
    if inp.backtest_from is None:
        return None
    first, last = top.sorted_points[0][0], top.last_year
    if not first < inp.backtest_from <= last:
        raise InputError(
            "backtest_from",
            f"must be after {first} and no later than {last}, the history's span (got {inp.backtest_from}).",
        )
    return run_backtest(top.sorted_points, inp.backtest_from, inp)


def _assumptions(
    inp: CapexInput, parts: list[Series], top: Series, notes: list[str], implied_note: str | None
) -> list[str]:
    """Series notes, forecast notes and the stated assumptions, in the order the result shows them."""
    assumptions = [*(n for s in parts for n in s.notes), *([top.notes[0]] if len(parts) > 1 else []), *notes]
    if inp.history is None:
        assumptions.append(
            "Fiscal years as each company reports them (Microsoft ends 30 June, Oracle 31 May); US$ billions, nominal."
        )
    if inp.method in FITTED_METHODS or inp.method == "guidance":
        assumptions.append(f"Fit window: last {inp.window} year(s); band = lowest and highest annual growth inside it.")
    if implied_note:
        assumptions.append(implied_note)
    if "pue" not in inp.model_fields_set and inp.ai_share is not None:
        assumptions.append(D.PUE.describe("pue"))
    return assumptions


def capex(inp: CapexInput) -> CapexResult:
    """History, forecast with bands, cumulative total and optional backtest (module docstring)."""
    parts = _input_series(inp)
    top = parts[0] if len(parts) == 1 else _sum_series(parts)
    last = top.last_year
    through = inp.through if inp.through is not None else last + DEFAULT_HORIZON
    if through < last:
        raise InputError("through", f"must be >= {last}, the last history year (got {through}).")

    companies: list[CompanyForecast] = []
    fit: Fit | None = None
    if len(parts) == 1:
        forecast, fit, notes = _company_forecast(top, inp, through)
    else:
        forecast, companies, notes = _summed_forecast(parts, inp, last, through)

    cum_acc, cum_gw, implied_note = _implied(forecast, inp)
    backtest = _backtest(inp, top)
    assumptions = _assumptions(inp, parts, top, notes, implied_note)
    filed = _filed_context(inp, parts, top, assumptions)
    with_ttm = [q for q in filed if q.ttm_usd_b is not None]
    method = _method_label(inp, parts)
    sources = sorted({r.source for r in capex_rows() if r.company in {s.name for s in parts}})
    sources += sorted({q.source for q in filed})
    return CapexResult(
        formula={
            "cagr": "v(t) = v_last x (1 + g)^(t - t_last), g = (v_last / v_first)^(1/span) - 1 over the window",
            "linear": "v(t) = a + b t, least squares over the window",
            "scenario": "v(t) = v(t-1) x (1 + g_t), g_t the given rate for that year (last repeats)",
            "guidance": "v(t) = company guidance where given, else v(anchor) x (1 + g)^(t - anchor) with the cagr g "
            "(or the given growth rate)",
            "default": "guidance where the company published it (then v(anchor) x (1 + g)^(t - anchor) with the cagr g), "
            "else v(t) = v_last x (1 + g)^(t - t_last)",
        }[method if method in FORMULA_KEYS else "default"]
        + "; bands from the lowest/highest annual growth in the window (scenario: low/high rates)",
        inputs={**inp.model_dump(), "company": [s.name for s in parts], "through": through},
        assumptions=assumptions,
        sources=sources if inp.history is None else ["user-supplied history"],
        series=top.name,
        method=method,
        last_history_year=last,
        through=through,
        growth_rate=fit.rate if fit else None,
        low_rate=fit.low_rate if fit else inp.low,
        high_rate=fit.high_rate if fit else inp.high,
        history=history_points(top),
        guidance=sorted(top.guidance.values(), key=lambda g: g.year),
        forecast=forecast,
        cumulative_usd_b=round(sum(p.capex_usd_b for p in forecast), ROUND),
        cumulative_low_usd_b=round(sum(p.low_usd_b for p in forecast), ROUND),
        cumulative_high_usd_b=round(sum(p.high_usd_b for p in forecast), ROUND),
        cumulative_accelerators=cum_acc,
        cumulative_gw=cum_gw,
        companies=companies,
        backtest=backtest,
        quarters=filed,
        ttm_usd_b=with_ttm[-1].ttm_usd_b if with_ttm else None,
        ttm_period_end=with_ttm[-1].period_end if with_ttm else None,
    )


FORMULA_KEYS = ("cagr", "linear", "scenario", "guidance")


def _method_label(inp: CapexInput, parts: list[Series]) -> str:
    """The method used: the one asked for, or (by default) guidance / cagr per company."""
    if "method" in inp.model_fields_set or inp.history:
        return inp.method
    used = {G.default_method(s.name, None, s.guidance, s.last_year)[0] for s in parts}
    return used.pop() if len(used) == 1 else "guidance where published, else cagr"


def _filed_context(inp: CapexInput, parts: list[Series], top: Series, assumptions: list[str]) -> list[QuarterPoint]:
    """Append the finance-lease gap and the latest filed quarter to ``assumptions``; return the quarters (one company)."""
    if inp.history is None and not inp.include_leases:
        assumptions += [G.lease_gap(s.name, capex_rows()) for s in parts]
    filed = quarters(top.name) if len(parts) == 1 else []
    if filed:
        assumptions.append(_quarters_note(top.name, filed))
    return filed


def _quarters_note(company: str, filed: list[QuarterPoint]) -> str:
    last = filed[-1]
    ttm = next((q for q in reversed(filed) if q.ttm_usd_b is not None), None)
    text = f"{company}: latest filed quarter in the catalog is FY{last.fiscal_year} Q{last.quarter} ({last.capex_usd_b:g} US$ B)"
    if ttm:
        text += f"; trailing twelve months to {ttm.period_end}: {ttm.ttm_usd_b:g} US$ B"
    return text + " (quarterly cash purchases of P&E; see quarters)."
