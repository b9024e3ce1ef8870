"""The capex tool's leads: a year's figure and forecast, the latest reported year, comparisons and sums
computed by ``calculate`` (agent.offline.capex_compare)."""

from __future__ import annotations

from typing import Any

from agent.offline.capex_compare import (
    capex_pair,
    change_expressions,
    company_pairs,
    extension_expression,
    sum_expression,
    sum_rows,
)
from agent.offline.plan_types import Call, Plan
from agent.render.figures import num, pct, usd


def capex_pair_leads(plan: Plan, r: dict[str, Any], ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """A comparison ("amazon capex 2025 vs 2024", "msft vs meta capex 2023"): both history rows with
    their metric, then the change and ratio computed by ``calculate`` (agent.offline.capex_compare); a sum instead
    when the question asks for one."""
    values = {str(c.args.get("expression")): x.get("value") for c, x in ok if c.name == "calculate"}
    pair = (
        None
        if plan.sum_years or "each" in plan.focus
        else capex_pair(plan.compare_years, plan.year, r, "vs_guidance" in plan.focus)
    )
    if pair is None:
        return capex_sum_leads(plan, r, values) or company_pair_leads(plan, r, values)
    (la, a), (lb, b) = pair
    got = {k: values.get(e) for k, e in change_expressions(pair).items()}
    diff, share, ratio, cagr = got["diff"], got["share"], got["ratio"], got.get("cagr")

    if len(plan.compare_years) == 2:  # one series, two years
        head = (
            f"**{la} capex: {a['year']} {usd(a['capex_usd_b'] * 1e9)} ({a['metric']}) "
            f"vs {b['year']} {usd(b['capex_usd_b'] * 1e9)} ({b['metric']})**"
        )
    else:  # two companies, one year
        head = (
            f"**{a['year']} capex: {la} {usd(a['capex_usd_b'] * 1e9)} ({a['metric']}) vs {lb} {usd(b['capex_usd_b'] * 1e9)} "
            f"({b['metric']})**"
        )
    if diff is not None and share is not None:
        sign = "+" if diff >= 0 else "-"
        first = str(a["year"]) if len(plan.compare_years) == 2 else la
        second = str(b["year"]) if len(plan.compare_years) == 2 else lb
        head += f"; {first} minus {second}: {sign}{usd(abs(diff) * 1e9)} ({sign}{num(abs(share))}% of {second})"
    if ratio is not None:
        head += f"; {first} / {second}: {num(ratio)}x"
    if cagr is not None:
        head += f"; CAGR {second} to {first}: {num(cagr)}%"
    grown = values.get(extension_expression(pair, plan.extend_year) or "") if plan.extend_year else None
    if grown is not None:
        head += f"; {plan.extend_year} at that growth rate: {usd(grown * 1e9)}"
    return [head]


def company_pair_leads(plan: Plan, r: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """Two years of each company ("GOOGL and AMZN 2026 guide vs 2025 actual, growth each"): per company both
    rows, the difference and the change in % of the earlier year, from ``calculate``."""
    out = []
    for (la, a), (_, b) in [] if plan.sum_years else company_pairs(plan.compare_years, r):
        got = {k: values.get(e) for k, e in change_expressions(((la, a), (la, b))).items()}
        if got["diff"] is None or got["share"] is None:
            continue
        sign = "+" if got["diff"] >= 0 else "-"
        out.append(
            f"**{la} capex: {a['year']} {usd(a['capex_usd_b'] * 1e9)} ({a['metric']}) vs {b['year']} "
            f"{usd(b['capex_usd_b'] * 1e9)} ({b['metric']}); {sign}{usd(abs(got['diff']) * 1e9)} "
            f"({sign}{num(abs(got['share']))}% of {b['year']})**"
        )
    return out


def capex_sum_leads(plan: Plan, r: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """A capex sum ("sum of amazon capex 2021-2024"): the rows added and the total from ``calculate``."""
    rows = sum_rows(plan.sum_years, r, plan.sum_guidance) if plan.sum_years else None
    total = values.get(sum_expression(rows)) if rows else None
    if not rows or total is None:
        return []
    parts = ", ".join(
        f"{label} {row['year']} {usd(row['capex_usd_b'] * 1e9)} ({row.get('metric', '')})" for label, row in rows
    )
    return [f"**Sum: {usd(total * 1e9)}** ({parts})"] + fiscal_year_notes(rows)


def fiscal_year_notes(rows: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Which fiscal years a sum adds when a company's year does not end on December 31 (capex.csv period ends)."""
    from tools.capex_history import fiscal_year_end

    ends = [
        f"{label} {row['year']} is its fiscal year ended {end}"
        for label, row in rows
        if (end := fiscal_year_end(label, int(row["year"]))) is not None
    ]
    others = "; the others are calendar years" if len(ends) < len(rows) else ""
    return ["Fiscal years as each company reports them: " + "; ".join(ends) + others + "."] if ends else []


def lease_gap_leads(plan: Plan, ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """The lease-inclusive capex against the cash series for the year asked, the gap from ``calculate``
    (agent.offline.capex_leases)."""
    from agent.offline.capex_leases import gap_expression, gap_percent_expression, gap_rows

    rows = gap_rows(plan.year, ok) if plan.lease_gap else None
    if rows is None:
        return []
    values = {str(c.args.get("expression")): r.get("value") for c, r in ok if c.name == "calculate"}
    gap = values.get(gap_expression(rows))
    if gap is None:
        return []
    share = values.get(gap_percent_expression(rows))
    (a, b), series = rows, next((r.get("series", "") for c, r in ok if c.name == "capex"), "")
    pct = f", {share:+.2f}% of the cash line" if isinstance(share, (int, float)) else ""
    return [
        f"**{series} {plan.year}: capex including finance leases is {usd(gap)} more than cash purchases of P&E"
        f"{pct}** ({usd(a['capex_usd_b'] * 1e9)} ({a['metric']}) - {usd(b['capex_usd_b'] * 1e9)} ({b['metric']}))"
    ]


def capex_latest_leads(r: dict[str, Any]) -> list[str]:
    """A capex question with no year ("amazon vs google capex"): each company's latest reported year,
    its trend growth rate when the method computed one, and the combined series when several."""
    out = []
    companies = r.get("companies") or []
    for c in companies or [r]:
        hist = c.get("history") or []
        if not hist:
            continue
        last = hist[-1]
        name = c.get("company") or r.get("series", "")
        growth = (
            f"; trend growth {pct(c['growth_rate'])}/yr (cagr)"
            if c.get("growth_rate") is not None and r.get("method") == "cagr"
            else ""
        )
        guided = "; ".join(f"{g['year']} {usd(g['capex_usd_b'] * 1e9)}" for g in c.get("guidance") or [])
        out.append(
            f"**{name}: {usd(last['capex_usd_b'] * 1e9)} capex in {last['year']}** (latest reported){growth}"
            + (f"; company guidance: {guided}" if guided else "")
        )
    if len(companies) > 1 and r.get("history"):
        last = r["history"][-1]
        growth = (
            f"; trend growth {pct(r['growth_rate'])}/yr"
            if r.get("growth_rate") is not None and r.get("method") == "cagr"
            else ""
        )
        out.append(f"Combined ({r.get('series')}): {usd(last['capex_usd_b'] * 1e9)} in {last['year']}{growth}.")
    return out


def capex_year_leads(plan: Plan, r: dict[str, Any]) -> list[str]:
    year = plan.year
    series = r.get("series", "")
    out = []
    point = next((f for f in r.get("forecast") or [] if f.get("year") == year), None)
    actual = next((h for h in r.get("history") or [] if h.get("year") == year), None)
    if point:
        band = (
            f" (band {usd(point['low_usd_b'] * 1e9)} to {usd(point['high_usd_b'] * 1e9)})"
            if point["low_usd_b"] != point["high_usd_b"]
            else ""
        )
        out.append(
            f"**{year}: {series} capex forecast {usd(point['capex_usd_b'] * 1e9)}**{band}, {r.get('method')} method, basis {point['basis']}"
        )
    elif actual:
        out.append(f"**{year}: {series} capex {usd(actual['capex_usd_b'] * 1e9)}** (reported)")
    else:
        out.append(f"**No {year} figure for {series}**: the result covers up to {r.get('through')}.")
    companies = r.get("companies") or []
    if len(companies) > 1:  # "compare meta and microsoft capex in 2024": each company's figure for that year
        each = []
        for c in companies:
            row = next((h for h in c.get("history") or [] if h.get("year") == year), None)
            kind = "reported"
            if row is None:
                row, kind = next((f for f in c.get("forecast") or [] if f.get("year") == year), None), "forecast"
            if row is not None:
                each.append(f"{c['company']} {usd(row['capex_usd_b'] * 1e9)} ({kind})")
        if each:
            out.append(f"By company, {year}: " + "; ".join(each) + ".")
    guided = [(c.get("company", series), g) for c in (r.get("companies") or [r]) for g in c.get("guidance") or []]
    this_year = [f"{co} {usd(g['capex_usd_b'] * 1e9)}" for co, g in guided if g.get("year") == year]
    set_aside = [
        str(a) for a in r.get("assumptions") or [] if f"{year} guidance" in str(a) or f"{year}: only" in str(a)
    ]
    if this_year:
        out.append(f"Company guidance for {year}: " + "; ".join(this_year) + ".")
    elif set_aside:
        out.append(
            "Set aside by the capex tool: "
            + " ".join(set_aside)
            + ("" if "include_leases" in " ".join(set_aside) else " (ask 'including leases' to use it).")
        )
    elif guided:
        latest = max(g["year"] for _, g in guided)
        out.append(
            f"No company guidance for {year} in the capex table; the latest is for {latest}: "
            + "; ".join(f"{co} {usd(g['capex_usd_b'] * 1e9)}" for co, g in guided if g["year"] == latest)
            + (
                f" (the forecast starts from it and grows at {r['growth_rate']:.1%} a year after {latest})."
                if r.get("method") == "guidance" and r.get("growth_rate") is not None
                else " (ask with 'guidance' to forecast from it)."
            )
        )
    years = [f["year"] for f in r.get("forecast") or []]
    if years and year in years and min(years) < max(years) and r.get("cumulative_usd_b") is not None:
        band = (
            f" (band {usd(r['cumulative_low_usd_b'] * 1e9)} to {usd(r['cumulative_high_usd_b'] * 1e9)})"
            if r["cumulative_low_usd_b"] != r["cumulative_high_usd_b"]
            else ""
        )
        out.append(f"Cumulative {min(years)} to {max(years)}: {usd(r['cumulative_usd_b'] * 1e9)}{band}.")
    return out


def quarter_leads(plan: Plan, ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """A filed quarter's capex and its change on the quarter compared, from ``calculate``; or which row the
    quarterly table lacks (agent.offline.capex_quarter)."""
    from agent.offline.capex_quarter import change_expression, label, quarter_rows, quarter_sum_lead

    result = next((r for c, r in ok if c.name == "capex"), None)
    if plan.quarter_sum and result is not None:
        values = {str(c.args.get("expression")): r.get("value") for c, r in ok if c.name == "calculate"}
        return [quarter_sum_lead(plan.quarter_sum, result, values)]
    if plan.quarters is None or result is None:
        return []
    asked, compared = plan.quarters
    series = str(result.get("series", ""))
    held = result.get("quarters") or []
    if not held:
        return [
            f"**The quarterly capex table holds no quarters for {series}** (it has Alphabet, Amazon, Microsoft "
            f"and Meta, one company at a time), so no {label(asked)} figure is given."
        ]
    a, b = quarter_rows(plan.quarters, result)
    span = f"it holds {label((held[0]['fiscal_year'], held[0]['quarter']))} to " + label(
        (held[-1]["fiscal_year"], held[-1]["quarter"])
    )
    if a is None:
        return [
            f"**The quarterly capex table has no {series} row for {label(asked)}** ({span}), so no figure is given."
        ]
    head = f"**{series} {label(asked)} capex: {usd(a['capex_usd_b'] * 1e9)}** (quarter ended {a['period_end']})"
    if b is None:
        return [head + f"; no {label(compared)} row to compare it with ({span})."]
    values = {str(c.args.get("expression")): r.get("value") for c, r in ok if c.name == "calculate"}
    change = values.get(change_expression(a, b))
    if not isinstance(change, (int, float)):
        return [head]
    return [
        f"**{series} {label(asked)} capex: {usd(a['capex_usd_b'] * 1e9)}, {change:+.2f}% on {label(compared)} "
        f"({usd(b['capex_usd_b'] * 1e9)})** (quarters ended {a['period_end']} and {b['period_end']}; fiscal "
        "quarters as filed, cash purchases of P&E excluding finance leases)"
    ]
