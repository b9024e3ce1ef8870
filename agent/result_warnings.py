"""Calculator warnings that must reach the answer, whatever model wrote it.

A result can say that what it describes cannot run or rests on weak data: a fit that does not
hold (``fits: false``, its ``verdict``), a requested batch that does not fit
(``batch_fits: false``), an assumption flagged ``WARNING:`` (a throughput whose weights and
KV do not fit in memory, an input outside the calibrated range, preliminary data), or companies whose
capex guidance for one year is on different bases (one includes finance leases, another does not), which
a sum or comparison across them mixes. When the
answer does not already carry such a warning, ``ask()`` appends it, so no front-end shows a
figure without the warning that qualifies it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def result_warnings(records: Iterable[Any]) -> list[str]:
    """The warnings in the tool results of ``records`` (objects with ``name`` and ``result``), in order."""
    out: list[str] = []
    for record in records:
        result = getattr(record, "result", None)
        if not isinstance(result, dict):
            continue
        if result.get("fits") is False and result.get("verdict"):
            out.append(f"{record.name}: {result['verdict']}")
        elif result.get("batch_fits") is False and result.get("largest_batch_that_fits") is not None:
            out.append(
                f"{record.name}: a batch of {result.get('batch'):,} does not fit; "
                f"the largest batch that fits is {result['largest_batch_that_fits']:,}."
            )
        out += _mixed_lease_bases(record.name, result)
        for line in result.get("assumptions") or []:
            if isinstance(line, str) and line.strip().upper().startswith("WARNING"):
                out.append(f"{record.name}: {line.strip()}")
    return list(dict.fromkeys(out))


def missing_from(answer: str, warnings: list[str]) -> list[str]:
    """The warnings the answer does not already state (a 'does not fit' answer states a failed fit)."""
    low = answer.lower()
    said_fit = "does not fit" in low or "doesn't fit" in low or "won't fit" in low
    out = []
    for w in warnings:
        body = w.split(": ", 1)[1]
        if body.lower() in low or (said_fit and "does not fit" in body.lower()):
            continue
        out.append(w)
    return out


def _mixed_lease_bases(name: str, result: dict[str, Any]) -> list[str]:
    """A warning per year whose company guidance rows differ on including finance leases (module docstring)."""
    bases: dict[int, dict[bool, list[str]]] = {}
    for company in result.get("companies") or []:
        for row in company.get("guidance") or [] if isinstance(company, dict) else []:
            leases = row.get("includes_finance_leases")
            if isinstance(leases, bool) and isinstance(row.get("year"), int):
                bases.setdefault(row["year"], {}).setdefault(leases, []).append(str(company.get("company")))
    return [
        f"{name}: {year} guidance is on two bases: {', '.join(by[True])} includes finance leases, "
        f"{', '.join(by[False])} {'does' if len(by[False]) == 1 else 'do'} not; a sum or comparison across them "
        "mixes the two."
        for year, by in sorted(bases.items())
        if len(by) == 2
    ]
