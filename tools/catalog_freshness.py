"""Freshness of the catalogs: which chips, models and prices have a source date older than N months
(``siliconomics catalog --stale MONTHS``)."""

from __future__ import annotations

import datetime
from typing import Any

from tools.catalog import accelerators, models, price_rows


def months_between(earlier: datetime.date, later: datetime.date) -> float:
    """Calendar months from ``earlier`` to ``later`` (days / 30.44)."""
    return (later - earlier).days / 30.4375


def parse_date(text: str) -> datetime.date | None:
    """'2025-12-02' or '2025-12' -> a date; None when blank or unreadable."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def stale_rows(months: float, today: datetime.date | None = None) -> list[dict[str, Any]]:
    """Chips, models and prices whose source date is more than ``months`` old (or missing)."""
    today = today or datetime.date.today()
    items: list[tuple[str, str, str, str]] = [("chip", a.name, a.source_date, a.origin) for a in accelerators()]
    items += [("model", m.name, m.source_date, m.origin) for m in models()]
    items += [("price", f"{p.chip} ({p.basis})", p.price_date, p.origin) for p in price_rows()]
    out = []
    for kind, name, date_text, origin in items:
        date = parse_date(date_text)
        age = months_between(date, today) if date else None
        if age is None or age > months:
            out.append(
                {
                    "kind": kind,
                    "name": name,
                    "source_date": date_text or None,
                    "age_months": round(age, 1) if age is not None else None,
                    "origin": origin,
                }
            )
    return out
