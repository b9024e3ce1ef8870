"""Hyperscaler capex history: the sourced rows of ``knowledge/data/capex.csv``, company names and custom histories.

Values are US$ billions, fiscal years as each company defines them. Cash purchases of property and
equipment and figures including finance leases are different series: ``company_series`` takes the cash
series unless ``include_leases`` is set, and records in its notes which years come from which series.
Guidance rows are kept apart from actuals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pydantic import BaseModel

from tools.data_csv import knowledge_csv
from tools.errors import InputError

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


class HistoryPoint(BaseModel):
    year: int
    capex_usd_b: float
    metric: str


class GuidancePoint(BaseModel):
    year: int
    capex_usd_b: float
    includes_finance_leases: bool
    source: str


@dataclass(frozen=True)
class CapexRow:
    company: str
    year: int
    metric: str
    value: float
    includes_leases: bool
    is_guidance: bool
    source: str
    period_end: str = ""  # YYYY-MM-DD, the last day of the fiscal year


@cache
def capex_rows() -> tuple[CapexRow, ...]:
    """Every row of ``knowledge/data/capex.csv``; rows without a source are rejected."""
    rows = knowledge_csv("capex.csv")
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
                period_end=r.get("period_end", "").strip(),
            )
        )
    return tuple(out)


def fiscal_year_end(company: str, year: int) -> str | None:
    """The last day (YYYY-MM-DD) of ``company``'s fiscal ``year`` when it is not December 31 (Microsoft's
    fiscal 2024 ended 2024-06-30), from capex.csv; None for a calendar fiscal year or a year not in the table."""
    ends = {r.period_end for r in capex_rows() if r.company == company and r.year == year and r.period_end}
    end = min(ends) if ends else None
    return end if end and not end.endswith("-12-31") else None


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


def year_ranges(years: list[int]) -> str:
    """[2015, 2020, 2021, 2022] -> '2015, 2020-2022'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{run[0]}" if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)


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
        series.notes.insert(0, f"{company}: {metric} for {year_ranges(years)}.")
    if include_leases and len(by_metric) > 1:
        series.notes.append(
            f"{company}: the series mixes definitions (see the years above); growth across the switch is not like for like."
        )
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
            raise InputError(
                "history", f"cannot read {part!r}; write YEAR=USD_BILLIONS pairs, e.g. '2020=100,2021=110'."
            )
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


def history_points(series: Series) -> list[HistoryPoint]:
    """A series' actual points as result rows, oldest first."""
    return [HistoryPoint(year=y, capex_usd_b=v, metric=m) for y, (v, m) in sorted(series.points.items())]
