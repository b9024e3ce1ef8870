"""How much a company's capex including finance leases exceeds its cash purchases of property and equipment.

"Microsoft FY25: how much bigger is capex incl. finance leases than cash additions to PP&E?" compares two series
of the capex table for one fiscal year. The plan runs the capex tool twice (``include_leases`` and the cash
series) and ``calculate`` takes the difference of that year's rows (USD):

    gap = (capex incl. finance leases - cash purchases of P&E) x 10^9        (rows in USD billion)
    gap % = (capex incl. finance leases / cash purchases of P&E - 1) x 100   (the gap as a share of the cash line)

When either series has no row for the year, or both rows are the same series, nothing is computed.
"""

from __future__ import annotations

import re
from typing import Any

_LEASES = re.compile(r"financ\w*[- ]leases?|lease[- ]inclusive|incl\w*\.? (?:finance[- ])?leases|with leases")
_CASH = re.compile(r"\bcash\b|additions|purchases|excl\w*\.? (?:finance[- ])?leases|without leases")
_GAP = re.compile(r"bigger|larger|\bmore\b|difference|\bgap\b|\bvs\.?\b|versus|\bthan\b|compare|exceed")


def asks_lease_gap(text: str) -> bool:
    """The question compares the lease-inclusive capex with the cash series."""
    return bool(_LEASES.search(text) and _CASH.search(text) and _GAP.search(text))


def cash_twin(args: dict[str, Any]) -> dict[str, Any]:
    """The capex arguments of the cash series beside a lease-inclusive call."""
    return {k: v for k, v in args.items() if k != "include_leases"}


def _row(data: dict[str, Any], year: int) -> dict[str, Any] | None:
    return next((h for h in data.get("history") or [] if h.get("year") == year), None)


def gap_rows(year: int | None, results: list[tuple[Any, Any]]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(lease-inclusive row, cash row) for ``year`` from the two capex results; None unless both exist and differ."""
    if year is None:
        return None
    leased = next((r for c, r in results if c.name == "capex" and c.args.get("include_leases")), None)
    cash = next((r for c, r in results if c.name == "capex" and not c.args.get("include_leases")), None)
    if not (isinstance(leased, dict) and isinstance(cash, dict)):
        return None
    a, b = _row(leased, year), _row(cash, year)
    if a is None or b is None or a.get("metric") == b.get("metric"):
        return None
    return a, b


def gap_expression(rows: tuple[dict[str, Any], dict[str, Any]]) -> str:
    """``calculate`` expression for the gap in USD (module docstring)."""
    a, b = rows
    return f"({a['capex_usd_b']!r} - {b['capex_usd_b']!r}) * 1e9"


def gap_percent_expression(rows: tuple[dict[str, Any], dict[str, Any]]) -> str:
    """``calculate`` expression for the gap as a percent of the cash line (module docstring)."""
    a, b = rows
    return f"({a['capex_usd_b']!r} / {b['capex_usd_b']!r} - 1) * 100"
