"""Capex comparisons and sums across years and companies, each figure from ``calculate`` on table rows.

The rows come from the capex tool's result (history, then company guidance, each with its metric);
the arithmetic is made by ``calculate`` so every printed figure traces to a tool call:

* two years of one series ("oracle capex FY24 -> FY25", "alphabet's 2026 guide vs its 2024 actual"):
  later minus earlier (USD billion), the change as a percentage of the earlier, later / earlier (x) and,
  for years more than one apart, the compound annual growth rate;
* two companies in one year ("msft vs meta capex 2023"): first minus second, % of second, first / second;
* one year's reported capex against the guidance for it ("ORCL FY26 actual vs its guide"): actual minus
  guidance (USD billion), that as % of the guidance, actual / guidance;
* two years of each of several companies ("GOOGL and AMZN 2026 guide vs 2025 actual, growth each"): the
  two-year figures per company;
* a sum ("sum of amazon capex 2021-2024", "add up the 2026 guidance for ..."): the rows of every year in
  the range written (or of the one year, across the companies), added.
"""

from __future__ import annotations

import re
from typing import Any

Row = dict[str, Any]
Pair = tuple[tuple[str, Row], tuple[str, Row]]
_SUM = re.compile(r"\bsum\b|add(?:ed)? up|\btotal\b|combined|altogether|cumulative|in all\b")


def _row(data: dict[str, Any], year: int | None, guidance: bool = False) -> Row | None:
    """The reported row for ``year``, else the company's guidance for it (labelled as guidance); with
    ``guidance`` (the question asks for the guidance) the guidance row first."""
    hit = next((h for h in data.get("history") or [] if h.get("year") == year), None)
    guided = next((g for g in data.get("guidance") or [] if g.get("year") == year), None)
    if hit is not None and not (guidance and guided is not None):
        return hit
    return {**guided, "metric": "company guidance"} if guided is not None else None


#: "FY26 actual vs their guide", "beat its guidance", "capex vs guidance": a year's reported row against the
#: company's guidance for the same year.
_VS_GUIDANCE = re.compile(
    r"\b(?:actual|reported|beat|miss(?:ed)?|came in)\b.{0,60}\bguid|\bguid\w*\b.{0,60}\b(?:actual|reported)\b"
    r"|\b(?:beat|miss(?:ed)?|exceed\w*|vs\.?|versus|against)\b.{0,30}\bguid"
)


def asks_vs_guidance(text: str) -> bool:
    """The question sets one year's reported capex against the guidance for that year."""
    return bool(_VS_GUIDANCE.search(text.lower()))


def guidance_pair(year: int | None, data: dict[str, Any]) -> Pair | None:
    """(reported row, guidance row) of one series for ``year``, labelled "<series> actual" and "<series>
    guidance"; None unless the table holds both."""
    series = str(data.get("series", ""))
    hit = next((h for h in data.get("history") or [] if h.get("year") == year), None)
    guided = next((g for g in data.get("guidance") or [] if g.get("year") == year), None)
    if hit is None or guided is None or data.get("companies") and len(data["companies"]) > 1:
        return None
    return (f"{series} actual", hit), (f"{series} guidance", {**guided, "metric": "company guidance"})


def capex_pair(years: list[int], year: int | None, data: dict[str, Any], vs_guidance: bool = False) -> Pair | None:
    """The two rows a comparison asks for (module docstring), the later year first; None when one is missing.
    With ``vs_guidance`` and one year, that year's reported row and its guidance (:func:`guidance_pair`)."""
    if vs_guidance and len(years) < 2:
        return guidance_pair(year, data)
    if len(years) == 2:
        later, earlier = sorted(years, reverse=True)
        first, second = _row(data, later), _row(data, earlier)
        series = str(data.get("series", ""))
        return ((series, first), (series, second)) if first and second else None
    companies = data.get("companies") or []
    if year is not None and len(companies) == 2:
        rows = [(c.get("company", ""), _row(c, year)) for c in companies]
        if all(r for _, r in rows):
            return (rows[0][0], rows[0][1]), (rows[1][0], rows[1][1])  # type: ignore[return-value]
    return None


def asks_each(text: str) -> bool:
    """The question asks the figure of each company, not of their sum ("growth each", "respectively")."""
    return bool(re.search(r"\beach\b|respectively|individually|separately|\bper company\b", text.lower()))


def company_pairs(years: list[int], data: dict[str, Any]) -> list[Pair]:
    """Two years of each company of a several-company result ("GOOGL and AMZN 2026 guide vs 2025 actual,
    growth each"): one pair per company holding both rows, the later year first."""
    if len(years) != 2 or len(data.get("companies") or []) < 2:
        return []
    later, earlier = sorted(years, reverse=True)
    out: list[Pair] = []
    for c in data["companies"]:
        first, second = _row(c, later), _row(c, earlier)
        if first and second:
            out.append(((str(c.get("company", "")), first), (str(c.get("company", "")), second)))
    return out


def change_expressions(pair: Pair) -> dict[str, str]:
    """``calculate`` expressions: ``diff`` first - second (USD billion), ``share`` that as % of the second,
    ``ratio`` first / second (x), and for two years of one series more than a year apart ``cagr``
    ((first / second)^(1 / years between) - 1, in %)."""
    (la, ra), (lb, rb) = pair
    a, b = ra["capex_usd_b"], rb["capex_usd_b"]
    out = {"diff": f"{a!r} - {b!r}", "share": f"({a!r} - {b!r}) / {b!r} * 100", "ratio": f"{a!r} / {b!r}"}
    span = int(ra.get("year", 0)) - int(rb.get("year", 0))
    if la == lb and span > 1:
        out["cagr"] = f"(({a!r} / {b!r}) ** (1 / {span}) - 1) * 100"
    return out


_SAME_RATE = re.compile(
    r"same (?:rate|pace|cagr|growth)|that (?:same )?(?:rate|pace|cagr)|keeps? growing|continues? (?:at|to grow)"
)


def extension_year(text: str, years: list[int]) -> int | None:
    """A third, later year to extrapolate to at the compared years' CAGR ("... and FY26 if it grows at that
    same rate"), else None."""
    if len(years) < 3 or not _SAME_RATE.search(text.lower()):
        return None
    return years[2] if years[2] > max(years[:2]) else None


def extension_expression(pair: Pair, year: int) -> str | None:
    """``calculate`` expression for the later row grown at the pair's CAGR to ``year`` (USD billion):
    later x (later / earlier)^((year - later year) / (later year - earlier year))."""
    (_, ra), (_, rb) = pair
    a, b = ra["capex_usd_b"], rb["capex_usd_b"]
    span = int(ra["year"]) - int(rb["year"])
    return f"{a!r} * ({a!r} / {b!r}) ** ({year - int(ra['year'])} / {span})" if span > 0 else None


def sum_years(text: str, years: list[int]) -> list[int]:
    """The years a sum asks for: every year of a written range ("2021-2024"), else the one year written;
    empty when the question asks for no sum."""
    if not _SUM.search(text.lower()):
        return []
    m = re.search(r"\b(20\d{2})\s*(?:-|–|to|through|thru)\s*(20\d{2})\b", text)
    if m and int(m.group(1)) < int(m.group(2)):
        return list(range(int(m.group(1)), int(m.group(2)) + 1))
    return years[:1] if len(years) == 1 else []


def sum_rows(years: list[int], data: dict[str, Any], guidance: bool = False) -> list[tuple[str, Row]] | None:
    """The rows to add: one year across the companies, or each year of one series; None when one is missing.
    ``guidance``: the question asks for the guidance, so a year's guidance row is taken before its reported one."""
    companies = data.get("companies") or []
    if companies and len(years) == 1:
        rows = [(str(c.get("company", "")), _row(c, years[0], guidance)) for c in companies]
    elif not companies:
        rows = [(str(data.get("series", "")), _row(data, y, guidance)) for y in years]
    else:
        return None
    return rows if rows and all(r for _, r in rows) else None  # type: ignore[return-value]


def sum_expression(rows: list[tuple[str, Row]]) -> str:
    """``calculate`` expression adding the rows (USD billion)."""
    return " + ".join(repr(r["capex_usd_b"]) for _, r in rows)
