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

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from tools import capex_guidance as G
from tools import defaults as D
from tools.capex_quarterly import QuarterPoint, quarters
from tools.errors import InputError
from tools.finance import annualised_growth, cagr, mape
from tools.growth import stepped_values
from tools.results import Worked

Method = Literal["cagr", "linear", "scenario", "guidance"]
FITTED_METHODS: tuple[str, ...] = ("cagr", "linear")
#: Product choices, not sourced figures: fit on the last 3 years of history (the AI-era build-out),
#: forecast 3 years past the last reported year, report US$ billions to 3 decimals (the filings' precision).
DEFAULT_WINDOW = 3
DEFAULT_HORIZON = 3
ROUND = 3

#: Accepted names (after lower-casing and dropping spaces/punctuation) -> company in capex.csv.
COMPANY_ALIASES: dict[str, str] = {
    "microsoft": "Microsoft",
    "msft": "Microsoft",
    "azure": "Microsoft",
    "alphabet": "Alphabet",
    "google": "Alphabet",
    "goog": "Alphabet",
    "googl": "Alphabet",
    "amazon": "Amazon",
    "aws": "Amazon",
    "amzn": "Amazon",
    "meta": "Meta",
    "facebook": "Meta",
    "fb": "Meta",
    "oracle": "Oracle",
    "orcl": "Oracle",
}
GROUPS: dict[str, tuple[str, ...]] = {
    "big4": ("Microsoft", "Alphabet", "Amazon", "Meta"),
    "big5": ("Microsoft", "Alphabet", "Amazon", "Meta", "Oracle"),
}


class CapexInput(BaseModel):
    """Hyperscaler capex history and forecast (US$ billions)."""

    company: list[str] = Field(
        default_factory=list,
        description="microsoft, alphabet/google, amazon/aws, meta, oracle, big4, big5; repeat --company for several.",
    )
    method: Method = Field("cagr", description="cagr | linear | scenario | guidance.")
    through: int | None = Field(None, description="Last forecast year (default: last history year + 3).")
    window: int = Field(DEFAULT_WINDOW, ge=1, description="Years of history the cagr/linear fit uses.")
    growth: list[float] = Field(default_factory=list, description="Scenario growth rate(s) per year, e.g. 0.2; the last repeats.")
    low: float | None = Field(None, gt=-1, description="Scenario low-band growth rate per year.")
    high: float | None = Field(None, gt=-1, description="Scenario high-band growth rate per year.")
    history: str | None = Field(None, description="Custom history 'YEAR=USD_B,...', e.g. '2020=100,2021=110'.")
    backtest_from: int | None = Field(None, description="Fit on years before this one, forecast it and later years, report errors.")
    include_leases: bool = Field(False, description="Use figures including finance leases where published.")
    ai_share: float | None = Field(None, gt=0, le=1, description="Share of capex spent on AI accelerators (implied GW).")
    capex_per_accelerator: float | None = Field(None, gt=0, description="All-in USD per accelerator (implied accelerators).")
    power_kw: float | None = Field(None, gt=0, description="All-in IT kW per accelerator (implied GW).")
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness for implied GW.")

    @field_validator("growth")
    @classmethod
    def _rates_above_minus_one(cls, rates: list[float]) -> list[float]:
        for r in rates:
            if r <= -1:
                raise InputError("growth", f"every rate must be > -1 (got {r}).")
        return rates


class HistoryPoint(BaseModel):
    year: int
    capex_usd_b: float
    metric: str


class GuidancePoint(BaseModel):
    year: int
    capex_usd_b: float
    includes_finance_leases: bool
    source: str


class ForecastPoint(BaseModel):
    year: int
    capex_usd_b: float
    low_usd_b: float
    high_usd_b: float
    basis: str = Field(description="'forecast', 'guidance', or 'actual+forecast' (a sum mixing both).")
    accelerators: float | None = Field(None, description="Implied accelerators bought that year (needs ai_share).")
    gw: float | None = Field(None, description="Implied facility GW added that year (needs ai_share).")


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
    quarters: list[QuarterPoint] = Field(default_factory=list, description="Filed quarters (one company), with TTM sums.")
    ttm_usd_b: float | None = Field(None, description="Trailing-twelve-month capex at the latest quarter with four in a row.")
    ttm_period_end: str | None = None


# --- data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapexRow:
    company: str
    year: int
    metric: str
    value: float
    includes_leases: bool
    is_guidance: bool
    source: str


@cache
def capex_rows() -> tuple[CapexRow, ...]:
    """Every row of ``knowledge/data/capex.csv``; rows without a source are rejected."""
    path = resources.files("knowledge") / "data" / "capex.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        if not r["source"].strip():
            raise ValueError(f"capex.csv: {r['company']} {r['fiscal_year']} has no source")
        out.append(
            CapexRow(
                company=r["company"],
                year=int(r["fiscal_year"]),
                metric=r["metric"],
                value=float(r["capex_usd_b"]),
                includes_leases=r["includes_finance_leases"].strip() == "y",
                is_guidance=r["is_guidance"].strip() == "y",
                source=r["source"],
            )
        )
    return tuple(out)


@dataclass
class Series:
    """One history: actual points by year, guidance by year, and notes on what was chosen."""

    name: str
    points: dict[int, tuple[float, str]]
    guidance: dict[int, GuidancePoint] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def sorted_points(self) -> list[tuple[int, float]]:
        return [(y, self.points[y][0]) for y in sorted(self.points)]

    @property
    def last_year(self) -> int:
        return max(self.points)


def _year_ranges(years: list[int]) -> str:
    """[2015, 2020, 2021, 2022] -> '2015, 2020-2022'."""
    parts, start, prev = [], None, None
    for y in sorted(years):
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = y
    if start is not None:
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
    return ", ".join(parts)


def company_series(company: str, include_leases: bool) -> Series:
    """A company's actuals (cash series, or lease-inclusive where published) and its guidance."""
    rows = [r for r in capex_rows() if r.company == company]
    series = Series(name=company, points={})
    by_metric: dict[str, list[int]] = {}
    for year in sorted({r.year for r in rows if not r.is_guidance}):
        candidates = [r for r in rows if r.year == year and not r.is_guidance]
        leased = [r for r in candidates if r.includes_leases]
        cash = [r for r in candidates if not r.includes_leases]
        chosen = (leased or cash) if include_leases else cash
        if not chosen:
            series.notes.append(
                f"{company} {year}: only a figure including finance leases is published; left out "
                "(use include_leases to take it)."
            )
            continue
        row = chosen[0]
        series.points[year] = (row.value, row.metric)
        by_metric.setdefault(row.metric, []).append(year)
    for metric, years in by_metric.items():
        series.notes.insert(0, f"{company}: {metric} for {_year_ranges(years)}.")
    if include_leases and len(by_metric) > 1:
        series.notes.append(f"{company}: the series mixes definitions (see the years above); growth across the switch is not like for like.")
    for r in rows:
        if not r.is_guidance:
            continue
        if r.includes_leases and not include_leases:
            series.notes.append(
                f"{company} {r.year} guidance {r.value:g} includes finance leases; the cash series excludes them, so "
                "a guided year is on the wider definition (the lease gap is stated below)."
            )
        series.guidance[r.year] = GuidancePoint(
            year=r.year, capex_usd_b=r.value, includes_finance_leases=r.includes_leases, source=r.source
        )
    return series


def parse_history(text: str, min_points: int = 2) -> Series:
    """'2020=100,2021=110' -> a custom series of at least ``min_points`` years; ``InputError`` on ``history`` otherwise."""
    points: dict[int, tuple[float, str]] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = re.fullmatch(r"(\d{4})\s*=\s*([0-9]*\.?[0-9]+)", part)
        if not m:
            raise InputError("history", f"cannot read {part!r}; write YEAR=USD_BILLIONS pairs, e.g. '2020=100,2021=110'.")
        year, value = int(m.group(1)), float(m.group(2))
        if value <= 0:
            raise InputError("history", f"capex for {year} must be > 0 (got {value:g}).")
        if year in points:
            raise InputError("history", f"year {year} is given twice.")
        points[year] = (value, "user history")
    if len(points) < min_points:
        need = "two years (one is enough for the scenario method)" if min_points == 2 else f"{min_points} year(s)"
        raise InputError("history", f"needs at least {need} (got {len(points)}).")
    return Series(name="custom", points=points, notes=["History given by the user (US$ billions)."])


def resolve_companies(names: list[str]) -> list[str]:
    """Company names and groups -> companies in capex.csv order, or ``InputError`` with closest matches."""
    out: list[str] = []
    for name in names:
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        if key in GROUPS:
            picked = list(GROUPS[key])
        elif key in COMPANY_ALIASES:
            picked = [COMPANY_ALIASES[key]]
        else:
            from rapidfuzz import fuzz, process

            choices = [*COMPANY_ALIASES, *GROUPS]
            near = [c for c, _s, _ in process.extract(key, choices, scorer=fuzz.WRatio, limit=3)]
            raise InputError(
                "company",
                f"unknown company {name!r}; allowed: microsoft, alphabet, amazon, meta, oracle, big4, big5.",
                suggestions=near,
            )
        out += [c for c in picked if c not in out]
    return out


# --- forecasting (pure) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """A fitted growth model: base rate, band rates, the points used and a note."""

    rate: float
    low_rate: float
    high_rate: float
    used: list[tuple[int, float]]
    note: str


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


def _ordered(base: float, low: float, high: float) -> tuple[float, float, float]:
    return round(base, ROUND), round(min(low, base), ROUND), round(max(high, base), ROUND)


def forecast_series(
    points: list[tuple[int, float]],
    years: list[int],
    method: str,
    *,
    window: int,
    growth: list[float] = (),
    low: float | None = None,
    high: float | None = None,
    guidance: dict[int, GuidancePoint] | None = None,
) -> tuple[list[ForecastPoint], Fit | None, list[str]]:
    """Forecast ``years`` (all after the last point) from sorted ``points``; returns points, fit, notes."""
    notes: list[str] = []
    anchor_year, anchor = points[-1]
    low_anchor = high_anchor = anchor
    fit = fit_growth(points, window) if method != "scenario" else None
    if fit and fit.note:
        notes.append(fit.note)
    if method == "guidance" and not guidance:
        notes.append("no usable guidance for this series; forecast uses the cagr fit.")
    out: list[ForecastPoint] = []
    if method == "linear":
        a, b = _linear(fit.used)
    run_base = run_low = run_high = anchor  # scenario: compounded year by year
    path = stepped_values(anchor, growth, len(years)) if method == "scenario" else []
    for i, year in enumerate(years):
        if method == "guidance" and guidance and year in guidance:
            value = guidance[year].capex_usd_b
            anchor_year, anchor, low_anchor, high_anchor = year, value, value, value
            out.append(ForecastPoint(year=year, capex_usd_b=value, low_usd_b=value, high_usd_b=value, basis="guidance"))
            continue
        h = year - anchor_year
        if method == "scenario":
            rate = growth[min(i, len(growth) - 1)]
            run_base = path[i + 1]
            run_low = min(run_low * (1 + (low if low is not None else rate)), run_base)
            run_high = max(run_high * (1 + (high if high is not None else rate)), run_base)
            base, lo, hi = run_base, run_low, run_high
        elif method == "linear":
            base = max(0.0, a + b * year)
            lo = anchor * (1 + fit.low_rate) ** h
            hi = anchor * (1 + fit.high_rate) ** h
        else:  # cagr, or guidance beyond the guided years
            base = anchor * (1 + fit.rate) ** h
            lo = low_anchor * (1 + fit.low_rate) ** h
            hi = high_anchor * (1 + fit.high_rate) ** h
        b_, l_, h_ = _ordered(base, lo, hi)
        out.append(ForecastPoint(year=year, capex_usd_b=b_, low_usd_b=l_, high_usd_b=h_, basis="forecast"))
    if method == "scenario" and low is None and high is None:
        notes.append("scenario without low/high rates: the band is the base line.")
    return out, fit, notes


def _company_forecast(series: Series, inp: CapexInput, through: int) -> tuple[list[ForecastPoint], Fit | None, list[str]]:
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
        preds, _, _ = forecast_series(fitted, years, method, window=inp.window, growth=inp.growth, low=inp.low, high=inp.high)
        by_year = {p.year: p.capex_usd_b for p in preds}
        errors = [
            BacktestError(year=y, actual_usd_b=v, predicted_usd_b=by_year[y], error_fraction=by_year[y] / v - 1) for y, v in actual
        ]
        out.append(
            BacktestMethod(method=method, errors=errors, mape=mape([e.actual_usd_b for e in errors], [e.predicted_usd_b for e in errors]))
        )
    best = min(out, key=lambda m: m.mape)
    note = f"fitted on {_year_ranges([y for y, _ in fitted])}; scored on {_year_ranges([y for y, _ in actual])}."
    if len(fitted) < 3:
        note += " Only two fitted points: the band and the fit are fragile."
    note += " guidance is not backtested (no historical guidance in the data)."
    return Backtest(from_year=from_year, fitted_years=[y for y, _ in fitted], methods=out, best_method=best.method, note=note)


# --- the calculator ----------------------------------------------------------------------------


def _history(series: Series) -> list[HistoryPoint]:
    return [HistoryPoint(year=y, capex_usd_b=v, metric=m) for y, (v, m) in sorted(series.points.items())]


def _sum_series(parts: list[Series]) -> Series:
    common = set.intersection(*(set(s.points) for s in parts))
    if len(common) < 2:
        raise InputError("company", "these companies share fewer than two years of history; forecast them one at a time.")
    points = {y: (round(sum(s.points[y][0] for s in parts), ROUND), "sum") for y in common}
    name = " + ".join(s.name for s in parts)
    return Series(name=name, points=points, notes=[f"Sum over the years all have: {_year_ranges(sorted(common))}."])


def _implied(points: list[ForecastPoint], inp: CapexInput) -> tuple[float | None, float | None, str | None]:
    if inp.ai_share is None:
        return None, None, None
    if inp.capex_per_accelerator is None:
        raise InputError("capex_per_accelerator", "is required with ai_share (USD per accelerator, all-in).")
    if inp.power_kw is None:
        raise InputError("power_kw", "is required with ai_share (all-in kW per accelerator).")
    for p in points:
        p.accelerators = p.capex_usd_b * 1e9 * inp.ai_share / inp.capex_per_accelerator
        p.gw = p.accelerators * inp.power_kw * inp.pue / 1e6
    note = (
        f"Implied: accelerators = capex x {inp.ai_share:g} (AI share) / {inp.capex_per_accelerator:,.0f} USD; "
        f"GW = accelerators x {inp.power_kw:g} kW x PUE {inp.pue:g} / 10^6 (no retirements)."
    )
    return sum(p.accelerators for p in points), sum(p.gw for p in points), note


def capex(inp: CapexInput) -> CapexResult:
    """History, forecast with bands, cumulative total and optional backtest (module docstring)."""
    if inp.history and inp.company:
        raise InputError("history", "give either company or history, not both.")
    if not inp.history and not inp.company:
        raise InputError("company", "give a company (microsoft, alphabet, amazon, meta, oracle, big4, big5) or a history.")
    if inp.method == "scenario" and not inp.growth:
        raise InputError("growth", "the scenario method needs at least one growth rate, e.g. --growth 0.2.")

    min_points = 1 if inp.method == "scenario" else 2
    parts = [parse_history(inp.history, min_points)] if inp.history else [company_series(c, inp.include_leases) for c in resolve_companies(inp.company)]
    top = parts[0] if len(parts) == 1 else _sum_series(parts)
    last = top.last_year
    through = inp.through if inp.through is not None else last + DEFAULT_HORIZON
    if through < last:
        raise InputError("through", f"must be >= {last}, the last history year (got {through}).")

    notes: list[str] = []
    companies: list[CompanyForecast] = []
    fit: Fit | None = None
    if len(parts) == 1:
        forecast, fit, notes = _company_forecast(top, inp, through)
    else:
        per: dict[str, dict[int, ForecastPoint]] = {}
        for s in parts:
            pts, f, n = _company_forecast(s, inp, through)
            per[s.name] = {p.year: p for p in pts}
            notes += [f"{s.name}: {x}" for x in n]
            companies.append(
                CompanyForecast(
                    company=s.name,
                    history=_history(s),
                    guidance=sorted(s.guidance.values(), key=lambda g: g.year),
                    forecast=pts,
                    cumulative_usd_b=round(sum(p.capex_usd_b for p in pts), ROUND),
                    growth_rate=f.rate if f else None,
                    series_notes=s.notes,
                )
            )
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
            b_, l_, h_ = _ordered(base, lo, hi)
            forecast.append(
                ForecastPoint(year=year, capex_usd_b=b_, low_usd_b=l_, high_usd_b=h_, basis="actual+forecast" if mixed else "forecast")
            )
        notes.append(
            "Sum: each company forecast on its own; a year where some companies already report actuals adds those "
            "actuals (basis 'actual+forecast')."
        )

    cum_acc, cum_gw, implied_note = _implied(forecast, inp)
    backtest = None
    if inp.backtest_from is not None:
        first = top.sorted_points[0][0]
        if not first < inp.backtest_from <= last:
            raise InputError("backtest_from", f"must be after {first} and no later than {last}, the history's span (got {inp.backtest_from}).")
        backtest = run_backtest(top.sorted_points, inp.backtest_from, inp)

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
            "guidance": "v(t) = company guidance where given, else v(anchor) x (1 + g)^(t - anchor) with the cagr g",
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
        history=_history(top),
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
