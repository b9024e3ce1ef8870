"""Quarterly hyperscaler capex (``knowledge/data/capex_quarterly.csv``) and trailing-twelve-month sums.

Quarters are the companies' fiscal quarters as filed (10-Q; a fourth quarter is the 10-K year less the
first three). The same cash line as the annual series (purchases of property and equipment), so it
excludes finance leases.

    TTM(q) = capex(q) + capex(q-1) + capex(q-2) + capex(q-3)     (four consecutive quarters, else none)

Check: Alphabet 2025 Q1-Q4 17.20 + 22.45 + 23.95 + 27.85 = 91.45 = the FY2025 annual row.
"""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel, Field

from tools.data_csv import knowledge_csv

ROUND = 3


class QuarterPoint(BaseModel):
    """One filed quarter, with the trailing-twelve-month sum ending there when four quarters in a row are known."""

    fiscal_year: int
    quarter: int = Field(ge=1, le=4)
    period_end: str
    capex_usd_b: float
    ttm_usd_b: float | None = Field(
        None, description="Sum of this and the three previous quarters (None if one is missing)."
    )
    source: str


@cache
def quarterly_rows() -> tuple[dict[str, str], ...]:
    """Every row of ``capex_quarterly.csv``; rows without a source are rejected."""
    rows = tuple(knowledge_csv("capex_quarterly.csv"))
    for r in rows:
        if not r["source"].strip():
            raise ValueError(f"capex_quarterly.csv: {r['company']} {r['fiscal_year']} Q{r['quarter']} has no source")
    return rows


def _index(year: int, quarter: int) -> int:
    return year * 4 + quarter - 1


def quarters(company: str) -> list[QuarterPoint]:
    """A company's filed quarters in order, each with its TTM sum when computable."""
    rows = sorted(
        (r for r in quarterly_rows() if r["company"] == company),
        key=lambda r: _index(int(r["fiscal_year"]), int(r["quarter"])),
    )
    values = {_index(int(r["fiscal_year"]), int(r["quarter"])): float(r["capex_usd_b"]) for r in rows}
    out = []
    for r in rows:
        i = _index(int(r["fiscal_year"]), int(r["quarter"]))
        window = [values[i - k] for k in range(4) if i - k in values]
        ttm = round(sum(window), ROUND) if len(window) == 4 else None
        out.append(
            QuarterPoint(
                fiscal_year=int(r["fiscal_year"]),
                quarter=int(r["quarter"]),
                period_end=r["period_end"],
                capex_usd_b=float(r["capex_usd_b"]),
                ttm_usd_b=ttm,
                source=r["source"],
            )
        )
    return out
