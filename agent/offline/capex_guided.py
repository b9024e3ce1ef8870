"""A capex projection grown at a stated rate from a company's guidance for a named year ("Meta capex in 2029
at 10% a year off its 2027 guidance"): the guidance must be in the capex table (``capex.csv`` rows with
``is_guidance`` = y), for that year when the question names one. Otherwise the answer says which company and
year have none and which guidance the table does hold, and nothing is forecast (a trend or another year's
guidance would answer a different question)."""

from __future__ import annotations

import re
from typing import Any

_GUIDED_YEAR = re.compile(
    r"\b(?:fy\s*)?(20\d\d)\s+(?:capex\s+)?guid\w*|\bguid\w*\s+(?:for\s+|of\s+)?(?:fy\s*)?(20\d\d)\b", re.I
)


def missing_guidance(text: str, args: dict[str, Any]) -> str | None:
    """The reply when a guidance-anchored projection names guidance the table lacks (module docstring); else None."""
    from tools.capex_history import company_series, resolve_companies

    if args.get("method") != "guidance" or not args.get("growth") or not args.get("company"):
        return None
    m = _GUIDED_YEAR.search(text)
    asked = int(m.group(1) or m.group(2)) if m else None
    for company in resolve_companies(list(args["company"])):
        series = company_series(company, bool(args.get("include_leases")))
        held = sorted(y for y in series.guidance if y > series.last_year)
        if held and (asked is None or asked in series.guidance):
            continue
        has = f"it holds {company}'s guidance for {', '.join(map(str, held))}" if held else "it holds none for it"
        year = f" for {asked}" if asked is not None else " beyond its last reported year"
        return (
            f"The capex table has no {company} guidance{year} ({has}), so I can't grow a projection from it and "
            "give no figure. Ask from the guidance it holds, or give a base: e.g. 'from $<N>B in <year> at <R>% a year'."
        )
    return None


_GUIDE_WORD = re.compile(r"\bguid(?:e|ed|es|ance)\b|\boutlook\b", re.I)


def stated_guidance(text: str, calls: list[Any]) -> list[float]:
    """The table's guidance (USD billion) for the companies of the capex ``calls`` when the question speaks of
    guidance: an analyst's "their $50B guide" that equals the table's guidance is the figure the answer uses
    (a figure that differs is not, and stays unused)."""
    from tools.capex_history import company_series, resolve_companies

    if not _GUIDE_WORD.search(text):
        return []
    out: list[float] = []
    for call in calls:
        if getattr(call, "name", None) != "capex" or not call.args.get("company"):
            continue
        for company in resolve_companies(list(call.args["company"])):
            series = company_series(company, bool(call.args.get("include_leases")))
            out += [g.capex_usd_b for g in series.guidance.values()]
    return out
