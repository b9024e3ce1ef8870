"""Guidance-anchored capex defaults, checks against guidance, and the finance-lease gap.

* Default method (:func:`default_method`): when the caller names no method and a company has
  guidance for a year after its last reported year, the forecast starts from that guidance
  (method ``guidance``: guided years as given, then the cagr rate from the last guided year) and
  the result says so; otherwise the trend (``cagr``).
* Check (:func:`below_guidance`): any forecast year whose value is below the company's own
  guidance for that year or an earlier one is flagged with a WARNING line.
* Lease gap (:func:`lease_gap`): the cash series (purchases of property and equipment) excludes
  finance leases; for the latest year a company publishes both, the result states the figure
  including them and the difference, ``incl - cash`` and ``incl / cash - 1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def default_method(
    company: str, explicit: str | None, guidance: dict[int, Any], last_year: int
) -> tuple[str, str | None]:
    """(method to use, a sentence saying why when it was chosen by default)."""
    if explicit is not None:
        return explicit, None
    ahead = sorted(y for y in guidance if y > last_year)
    if not ahead:
        return "cagr", None
    first = guidance[ahead[0]]
    where = first.source.split(" (")[0].split(";")[0].strip()[:120]
    return "guidance", (
        f"Default forecast starts from {company}'s own guidance for {', '.join(str(y) for y in ahead)} "
        f"({first.capex_usd_b:g} US$ B for {ahead[0]}: {where}), then grows at the cagr rate; give method=cagr for "
        "the pure trend."
    )


def below_guidance(company: str, forecast: Iterable[Any], guidance: dict[int, Any]) -> list[str]:
    """WARNING lines for forecast years below the company's guidance for the same or an earlier year."""
    out = []
    for p in forecast:
        if p.basis == "guidance":
            continue
        earlier = [(y, g) for y, g in guidance.items() if y <= p.year and p.capex_usd_b < g.capex_usd_b]
        if earlier:
            year, g = max(earlier, key=lambda item: item[1].capex_usd_b)
            when = "the same year" if year == p.year else str(year)
            out.append(
                f"WARNING: {company} forecast for {p.year} ({p.capex_usd_b:g} US$ B) is below the company's own guidance "
                f"for {when} ({g.capex_usd_b:g} US$ B): the trend ignores what the company said it will spend."
            )
    return out


def lease_gap(company: str, rows: Iterable[Any]) -> str:
    """What the cash series leaves out: the latest year with both a cash and a lease-inclusive figure."""
    actual = [r for r in rows if r.company == company and not r.is_guidance]
    both = sorted(
        {r.year for r in actual if r.includes_leases} & {r.year for r in actual if not r.includes_leases}, reverse=True
    )
    if not both:
        return (
            f"{company}: the series is cash purchases of property and equipment and excludes finance leases; the "
            "catalog has no figure including them for this company."
        )
    year = both[0]
    cash = next(r.value for r in actual if r.year == year and not r.includes_leases)
    incl = next(r.value for r in actual if r.year == year and r.includes_leases)
    return (
        f"{company}: the series excludes finance leases; including them, {year} was {incl:g} against {cash:g} "
        f"US$ B cash ({incl - cash:+.3f}, {incl / cash - 1:+.1%}); use include_leases for that series."
    )
