"""The final answer, written from the tool results only: figures with units, formula, assumptions,
defaults, citations, and one ``Read as:`` line per call.

Layout (blocks separated by blank lines, so markdown never runs them together): first what was
asked (:func:`leads`: per hour, per million tokens, the fleet's power bill, capex, the year's
forecast, the fit at fp8, the spec figure), then any default the answer rests on ("No chip
named: ...", "Illustration: ..."), then each call's section with its formula, defaults, at most
:data:`MAX_ASSUMPTIONS` assumptions and short source names (the full lists stay in the tool
result), then how the question was read, then the ``Read as:`` lines.

Every figure printed here is a field of a tool result (rounded, or converted between B/KB/GB
and $/$ billion), a value from the question, or text of a cited passage, so the grounding
check can trace it. A failed call is reported as its error line and a hint, never a number.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

from agent.offline.capex_compare import (
    capex_pair,
    change_expressions,
    extension_expression,
    sum_expression,
    sum_rows,
)
from agent.offline.history import read_as_line
from agent.offline.plan_types import PER_MW_GW, Call, Plan
from agent.render.figures import nbytes, num

_WORK = {"formula", "inputs", "assumptions", "sources"}
_EXCERPT_CHARS = 420


# --- number formats ---------------------------------------------------------------------------


def usd(x: float) -> str:
    """Money: '$2.28', '$30,000', '$47.06 billion'."""
    ax = abs(x)
    if ax >= 1e9:
        return f"${x / 1e9:,.2f} billion"
    if ax >= 1e6:
        return f"${x / 1e6:,.2f} million"
    if ax >= 100:
        return f"${x:,.0f}"
    if ax >= 1:
        return f"${x:,.2f}"
    return f"${x:.3g}"


def pct(fraction: float) -> str:
    return f"{fraction * 100:.1f}%"


def humanise(name: str) -> str:
    return name.replace("_usd_b", " (USD billion)").replace("_usd", " (USD)").replace("_", " ")


# --- per-tool sections ------------------------------------------------------------------------


def _kv_cache(r: dict[str, Any]) -> list[str]:
    head = (
        f"**KV cache, {r['model']}** ({r['attention'].upper()}, cache in {r['kv_dtype']}, "
        f"{num(r['tokens_per_sequence'])} tokens per sequence, batch {num(r['batch'])}"
        + (f", per GPU at tensor parallel {num(r['tp'])}" if r["tp"] > 1 else "")
        + "):"
    )
    return [
        head,
        f"- per token: **{num(r['bytes_per_token'])} bytes** ({nbytes(r['bytes_per_token'])})",
        f"- per sequence: **{nbytes(r['bytes_per_sequence'])}**",
        f"- whole batch: **{nbytes(r['total_bytes'])}** ({r['total_gib']:,.2f} GiB)",
    ]


def _memory_fit(r: dict[str, Any]) -> list[str]:
    inp = r.get("inputs", {})
    head = (
        f"**Fit, {r['model']} on {num(r['gpus'])} x {r['chip']}** ({inp.get('weights_dtype')} weights, "
        f"KV in {inp.get('kv_dtype')}, prompt {num(inp.get('prompt', 0))} + output {num(inp.get('output', 0))} tokens):"
    )
    lines = [head, r["verdict"]]
    if r["fits"]:
        lines += [
            f"- concurrent requests, each reserving its full length: **{num(r['max_concurrent_sequences'])} requests**",
            f"- time-averaged under continuous batching: **about {num(r['avg_concurrent_sequences'])} requests**",
            f"- weights {nbytes(r['weights_bytes'])} ({nbytes(r['weights_bytes_per_gpu'])} per accelerator); "
            f"KV per request at full length {nbytes(r['kv_bytes_per_sequence_peak'])}; KV budget {nbytes(r['kv_budget_bytes'])} "
            f"({num(r['kv_tokens_capacity'])} tokens)",
        ]
    else:
        lines.append(
            f"- weights {nbytes(r['weights_bytes'])}, usable memory {nbytes(r['usable_bytes_per_gpu'])} per accelerator"
        )
        if r.get("min_accelerators"):
            lines.append(
                f"- smallest setup that holds one full-length request: **{num(r['min_accelerators'])} accelerators** "
                f"({num(r['min_accelerators_power_of_two'])} as a tensor-parallel group)"
            )
        else:  # the calculator reports 0 when no tensor-parallel group holds one request (its verdict says why)
            lines.append("- no number of these accelerators holds one full-length request (see the verdict above)")
    return lines


def _throughput(r: dict[str, Any]) -> list[str]:
    inp = r.get("inputs", {})
    head = (
        f"**Speed, {r['model']} on {num(r['gpus'])} x {r['chip']}** ({inp.get('weights_dtype')} weights, batch "
        f"{num(r['batch'])}, prompt {num(inp.get('prompt', 0))} + output {num(inp.get('output', 0))} tokens):"
    )
    return [
        head,
        f"- decode: **{num(r['decode_tokens_per_s'])} tokens/s** for the deployment "
        f"({num(r['decode_tokens_per_s_per_accelerator'])} tokens/s per accelerator, "
        f"{num(r['tokens_per_s_per_user'])} tokens/s per user), {r['bound']}-bound at the final length",
        f"- at the average length: {num(r['decode_tokens_per_s_avg_length'])} tokens/s",
        f"- time to first token: {num(r['ttft_s'])} s; whole request: {num(r['request_latency_s'])} s",
    ]


def _tco(r: dict[str, Any]) -> list[str]:
    lines = []
    util = r.get("inputs", {}).get("utilization")
    for c in r.get("chips") or [r]:
        name = c.get("chip") or "the accelerator"
        lines.append(f"**Cost of owning {name}** (fleet of {num(r['count'])}):")
        if c.get("cost_per_accelerator_hour") is not None:
            lines.append(
                f"- per accelerator-hour, every installed hour: **{usd(c['cost_per_accelerator_hour'])}/hour**"
            )
        if c.get("cost_per_used_hour") is not None:
            at = f" at {pct(util)} utilization" if util is not None else ""
            lines.append(f"- per used hour{at}: **{usd(c['cost_per_used_hour'])}/hour**")
        if c.get("cost_per_million_tokens") is not None:
            tps = c.get("tokens_per_s_per_accelerator")
            lines.append(
                f"- per million tokens: **{usd(c['cost_per_million_tokens'])} per million tokens**"
                + (f" at {num(tps)} tokens/s per accelerator" if tps else "")
            )
        if c.get("fleet_capex_usd") is not None:
            lines.append(
                f"- fleet capex {usd(c['fleet_capex_usd'])}; fleet cost {usd(c['fleet_annual_cost_usd'])} per year"
            )
        if c.get("reference_cost_per_hour") is not None:
            lines.append(f"- outside reference (SemiAnalysis): {usd(c['reference_cost_per_hour'])}/hour")
        if c.get("margin_per_used_hour") is not None:
            lines.append(f"- margin against the rental price: {usd(c['margin_per_used_hour'])}/hour")
        if c.get("break_even_utilization") is not None:
            lines.append(f"- break-even utilization against the rental price: {pct(c['break_even_utilization'])}")
    return lines


def _buildout(r: dict[str, Any]) -> list[str]:
    return [
        f"**Build-out, {num(r['gw'])} GW of {r['chip']}**:",
        f"- accelerators: **{num(r['accelerators'])}** ({num(r['it_power_mw'])} MW of IT power at "
        f"{num(r['power_kw_per_accelerator'])} kW each)",
        f"- capex: **{usd(r['total_capex_usd'])}** ({usd(r['it_capex_usd'])} IT at {usd(r['capex_per_accelerator'])} per "
        f"accelerator, {usd(r['facility_capex_usd'])} facility)",
        f"- power bill: {usd(r['power_cost_per_year_usd'])} per year ({num(r['energy_mwh_per_year'])} MWh per year)",
    ]


def _calculate(r: dict[str, Any]) -> list[str]:
    return [f"**{r.get('expression', '')} = {num(r['value'])}** (evaluated as `{r.get('evaluated', '')}`)"]


def _search(passages: list[dict[str, Any]], args: dict[str, Any]) -> list[str]:
    """A short extractive answer (quoted sentences, numbered like the citations), then the quotes.
    When no passage shares a word with the question, says so instead of showing unrelated passages."""
    from knowledge.extract import NOTHING_CLOSE, answer_line, extract, nothing_close
    from knowledge.search import wanted_speaker
    from knowledge.speakers import bundled_cast

    query = str(args.get("query", ""))
    cast = bundled_cast()
    names = tuple(n for n in (cast.guest, *cast.hosts) if n)
    if not passages or nothing_close(query, passages, names):
        return [f'{NOTHING_CLOSE} "{query}" (no passage uses its words); try other words or source=all.']
    heading = "From the spec sheets" if args.get("source") == "specs" else "What was said"
    picked = rerank(passages, query)[: max(1, min(3, len(passages)))]
    shown = [p for p in passages if any(p is q for q in picked)]
    refs = [next(n for n, q in enumerate(passages, start=1) if q is p) for p in shown]  # [n] = n-th passage returned
    try:
        wanted = wanted_speaker(query, args.get("speaker"))
    except ValueError:
        wanted = None
    lines = []
    answer = answer_line(extract(query, shown, wanted, names, refs))
    if answer:
        lines.append(f"**In short** (quoted from the passages below): {answer}")
    lines.append(f'**{heading}** (search: "{query}"):')
    for n, p in zip(refs, shown):
        where = ", ".join(
            x for x in (p.get("chapter"), f"~{p['timestamp']}" if p.get("timestamp") else None, p.get("speaker")) if x
        )
        lines.append(
            f"> [{n}] {_excerpt(p.get('text', ''), query)}\n>\n> — {p.get('source', '')}"
            + (f", *{where}*" if where else "")
        )
    return lines


_QUERY_STOP = frozenset(
    "why what how does did the and for with that this his her their about call calls called mean means".split()
)


def rerank(passages: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """Passages holding more of the query's words first (word stems of 5 letters, so "basics" meets
    "AmazonBasics"); the search order breaks ties. The search ranks by meaning; this puts the
    passage that uses the asker's own words, usually the one quoted, at the top."""
    stems = _stems(query)
    if not stems:
        return passages
    ranked = sorted(enumerate(passages), key=lambda ip: (-_hits(str(ip[1].get("text", "")), stems), ip[0]))
    return [p for _, p in ranked]


def _stems(query: str) -> list[str]:
    """The query's content words cut to 5 letters, in order (see :func:`rerank`)."""
    return [w[:5] for w in re.findall(r"[a-z0-9]{3,}", query.lower()) if w not in _QUERY_STOP]


def _hits(text: str, stems: list[str]) -> int:
    """Distinct query stems in ``text``, plus two for each pair of query words found side by side."""
    low = text.lower()
    score = sum(1 for w in set(stems) if w in low)
    for a, b in itertools.pairwise(stems):
        if re.search(rf"{re.escape(a)}[\w']*\W+{re.escape(b)}", low):
            score += 2
    return score


def _clip(text: str, limit: int = 240) -> str:
    """Shorten at a space, so no figure is cut in half."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _excerpt(text: str, query: str = "") -> str:
    """About :data:`_EXCERPT_CHARS` of ``text``: from the sentence where the query's words are
    densest (the part that answers), cut at word boundaries."""
    text = " ".join(text.split())
    if len(text) <= _EXCERPT_CHARS:
        return text
    start = 0
    stems = _stems(query)
    if stems:
        starts = [0] + [m.end() for m in re.finditer(r"[.?!]\s+", text)]
        best = max(starts, key=lambda i: (_hits(text[i : i + _EXCERPT_CHARS], stems), -i))
        if _hits(text[best : best + _EXCERPT_CHARS], stems) > _hits(text[:_EXCERPT_CHARS], stems):
            start = best
    window = text[start : start + _EXCERPT_CHARS + 1]
    cut = window.rsplit(" ", 1)[0] if len(window) > _EXCERPT_CHARS else window
    return ("… " if start else "") + cut + (" …" if start + len(cut) < len(text) else "")


def _generic(name: str, r: Any) -> list[str]:
    """Any other result (capex, check_claim, new tools): verdict first, then scalars, then small tables."""
    if not isinstance(r, dict):
        return [f"**{name}**: {r}"]
    title = humanise(name).capitalize() + (f", {r['series']}" if isinstance(r.get("series"), str) else "")
    lines = [f"**{title}**:"]
    if "verdict" in r:
        lines.append(f"Verdict: **{r['verdict']}**")
    for k, v in r.items():
        if k in _WORK or k == "verdict" or v is None:
            continue
        if isinstance(v, (bool, int, float, str)):
            lines.append(f"- {humanise(k)}: {_scalar(k, v)}")
    for k, v in r.items():
        if k in _WORK or not isinstance(v, list) or not v:
            continue
        if all(isinstance(x, dict) for x in v):
            lines += _table(k, v)
        elif all(isinstance(x, (str, int, float)) for x in v):
            lines.append(f"- {humanise(k)}: " + "; ".join(_scalar(k, x) for x in v[:10]))
    return lines


def _scalar(key: str, v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int) and ("year" in key or key in ("through", "backtest_from")):
        return str(v)
    if isinstance(v, (int, float)):
        if key.endswith("_usd_b"):
            return f"${v:,.2f} billion"
        if key.endswith("_usd") or key.startswith("usd") or "price" in key:
            return usd(v)
        if key.endswith(("fraction", "share", "growth", "rate", "_pct")) and abs(v) <= 5:
            return pct(v)
        return num(v)
    return str(v)


def _table(name: str, rows: list[dict[str, Any]], limit: int = 15) -> list[str]:
    cols = [k for k, v in rows[0].items() if isinstance(v, (str, int, float, bool)) or v is None][:7]
    if not cols:
        return []
    out = [f"{humanise(name)}:", "| " + " | ".join(humanise(c) for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in rows[:limit]:
        out.append("| " + " | ".join("" if row.get(c) is None else _scalar(c, row.get(c)) for c in cols) + " |")
    if len(rows) > limit:
        out.append(f"(first {limit} of {len(rows)} rows)")
    return out


#: Catalog fields a chip ranking shows, with their label and unit.
_CHIP_FIELDS = {
    "memory_gb": ("memory", "GB"),
    "mem_bw_tbps": ("memory bandwidth", "TB/s"),
    "bf16_dense_tflops": ("BF16 compute", "TFLOPS dense"),
    "fp8_dense_tflops": ("FP8 compute", "TFLOPS dense"),
    "fp4_dense_tflops": ("FP4 compute", "TFLOPS dense"),
    "tdp_w": ("power (TDP)", "W"),
    "est_price_usd": ("estimated price", "USD per chip"),
    "interconnect_GBps_per_chip": ("scale-up interconnect", "GB/s per chip"),
}


def _chip_specs(r: dict[str, Any]) -> list[str]:
    """A ranking from the typed catalog: the top row, then the first five with their values."""
    rows, field = r.get("rows") or [], r.get("sorted_by")
    if not rows or field not in _CHIP_FIELDS:
        return [f"- {row.get('name')}" for row in rows]
    label, unit = _CHIP_FIELDS[field]
    word = "Lowest" if r.get("ascending") else "Highest"
    top = rows[0]

    def flag(row: dict[str, Any]) -> str:
        return " (PRELIMINARY: announced, not shipped)" if str(row.get("status", "")).lower() == "preliminary" else ""

    lines = [
        f"**{word} {label}: {top['name']}, {num(top[field])} {unit}**{flag(top)} (ranked over every catalog "
        "accelerator that gives it; `chip_specs`)"
    ]
    lines += [f"- {row['name']}: {num(row[field])} {unit}{flag(row)}" for row in rows if row.get(field) is not None]
    ties = [row["name"] for row in rows[1:] if row.get(field) == top[field]]
    if ties:
        lines.append("Tied with it: " + ", ".join(ties) + ".")
    if r.get("missing_values"):
        lines.append("No value in the catalog for: " + ", ".join(r["missing_values"]) + ".")
    return lines


def _check_claim(r: dict[str, Any]) -> list[str]:
    c = r.get("result")
    if not r.get("found") or not isinstance(c, dict):
        lines = [f"**Claim check**: {r.get('message', 'no matching claim found')}"]
        if r.get("nearest"):
            lines.append("Closest claims I can check: " + "; ".join(r["nearest"]))
        return lines
    lines = [f"**Claim check** ({c['quantity']}): **{c['verdict']}**", c.get("summary") or r.get("message", "")]
    where = ", ".join(x for x in (c.get("chapter"), f"~{c['timestamp']}" if c.get("timestamp") else None) if x)
    lines.append(
        f"> {_excerpt(c['quote'])}\n>\n> — {c.get('speaker') or 'the podcast'}" + (f", *{where}*" if where else "")
    )
    lines.append(f"- claimed: {c['claimed']}")
    if c.get("value") is not None:
        spread = ""
        if c.get("value_min") is not None and c.get("value_max") is not None:
            spread = f" (plausible range {num(c['value_min'])} to {num(c['value_max'])})"
        lines.append(f"- computed: **{num(c['value'])} {c.get('unit', '')}**{spread}")
    for name, value in (c.get("figures") or {}).items():
        lines.append(f"- {humanise(name)}: {num(value)}")
    for a in c.get("assumptions") or []:
        if isinstance(a, dict) and "name" in a:
            rng = (
                f" (plausible {num(a['low'])} to {num(a['high'])})"
                if a.get("low") is not None and a.get("high") is not None
                else ""
            )
            lines.append(f"- assumption {a['name']}: {num(a.get('nominal', a.get('value', 0)))}{rng}")
    for f in c.get("flips") or []:
        lines.append(f"- holds when {f['holds_when']}")
    if c.get("reason"):
        lines.append(f"- why not checkable: {c['reason']}")
    return lines


_SECTIONS = {
    "kv_cache": _kv_cache,
    "memory_fit": _memory_fit,
    "throughput": _throughput,
    "tco": _tco,
    "buildout": _buildout,
    "calculate": _calculate,
    "check_claim": _check_claim,
    "chip_specs": _chip_specs,
}


# --- what was asked, first ---------------------------------------------------------------------

#: Planner notes shown right under the lead, because the figures rest on them.
_UPFRONT_NOTES = ("No chip named", "No size given", "Illustration", "Left out")


def leads(plan: Plan, calls: list[tuple[Call, Any]]) -> list[str]:
    """One bold line per quantity the question asked for, from the results (empty when none apply)."""
    results = [(c, load(content)) for c, content in calls]
    ok = [(c, r) for c, r in results if isinstance(r, dict) and "error" not in r]
    out: list[str] = []
    # second-round products (agent.offline.rounds): the power draw ends in "/ 1000" (kW -> MW), the bill does not
    fleet_power = [
        r
        for c, r in ok
        if c.name == "calculate"
        and not str(c.args.get("expression", "")).endswith("/ 1000")
        and not str(c.args.get("expression", "")).startswith(f"{plan.volume} / ")
    ]
    fleet_draw = [r for c, r in ok if c.name == "calculate" and str(c.args.get("expression", "")).endswith("/ 1000")]
    several = len({c.name for c, _ in results if c.name != "calculate"}) > 1  # a several-part question
    # the fp8 rerun of a fit that failed in the default format is led by _fit_leads ("Does not fit in bf16; at fp8 ...")
    reruns = [
        c
        for c, _ in results
        if c.name == "memory_fit"
        and c.args.get("weights_dtype") == "fp8"
        and any(
            b.name == "memory_fit" and {**b.args, "weights_dtype": "fp8"} == c.args and "weights_dtype" not in b.args
            for b, _ in results
        )
    ]
    for call, r in ok:
        if several and call.name in _PART_LEADS and not any(call is c for c in reruns):
            out += _PART_LEADS[call.name](r)
        if call.name in _WHATIF_LEADS:
            out += _WHATIF_LEADS[call.name](r, plan.value_unit)
        if call.name == "tco":
            out += _tco_leads(plan, call, r, fleet_power, fleet_draw)
        elif call.name == "buildout":
            out += _buildout_leads(plan, r)
        if call.name == "capex":
            out += _capex_pair_leads(plan, r, ok)
        if call.name == "capex" and plan.year is not None:
            out += _capex_leads(plan, r)
        elif call.name == "capex" and r.get("cumulative_accelerators") is None:
            out += _capex_latest_leads(r)
        if call.name == "capex" and r.get("cumulative_accelerators") is not None:
            years = [f["year"] for f in r.get("forecast") or []]
            out.append(
                f"**Implied accelerators {min(years)} to {max(years)}: {num(r['cumulative_accelerators'])}**"
                + (f" ({num(r['cumulative_gw'])} GW)" if r.get("cumulative_gw") is not None else "")
                + f", at {pct((r.get('inputs') or {}).get('ai_share', 0))} of capex on AI accelerators"
            )
    if "time_for_tokens" in plan.focus and plan.volume:
        times = [
            (c, r)
            for c, r in ok
            if c.name == "calculate" and str(c.args.get("expression", "")).startswith(f"{plan.volume} / ")
        ]
        speeds = [r for c, r in ok if c.name == "throughput" and r.get("decode_tokens_per_s")]
        if times and speeds:
            expr = str(times[0][0].args["expression"])
            unit = "hours" if expr.endswith("/ 3600") else "minutes" if expr.endswith("/ 60") else "seconds"
            best = max(speeds, key=lambda s: s["decode_tokens_per_s"])
            out.insert(
                0,
                f"**{num(plan.volume)} tokens take {num(times[0][1]['value'])} {unit}** at {num(best['decode_tokens_per_s'])} "
                f"tokens/s ({best['model']} on {num(best['gpus'])} x {best['chip']}, batch {num(best['batch'])})",
            )
    out = _latency_leads(plan, ok) + out
    for call, r in ok:  # figures the plan computed directly (a power draw or bill with no catalog price)
        label = plan.labels.get(str(call.args.get("expression", "")))
        if call.name == "calculate" and label and r.get("value") is not None:
            what, unit, basis = label
            per = " per hour" if unit.endswith("hour") else " per year"
            value = usd(r["value"]) + per if unit.startswith("$") else f"{num(r['value'])} {unit}"
            out.append(f"**{what}: {value}** ({basis})")
    out += _fit_leads(ok)
    if "min_accelerators" in plan.focus:
        out += _min_leads(ok)
    return out


def _serving_leads(r: dict[str, Any], _unit: str | None = None) -> list[str]:
    """serving_cost: the unit economics asked for, from the result's fields."""
    out = [
        f"**{usd(r['cost_per_million_tokens'])} per million tokens**"
        + (
            f", {usd(r['cost_per_query'])} per query ({usd(r['cost_per_1k_queries'])} per 1,000 queries, "
            f"{num(r['queries_per_hour'])} queries per hour)"
            if r.get("cost_per_query") is not None
            else ""
        )
        + f" at {usd(r['replica_cost_per_hour'])} per replica-hour and {num(r['tokens_per_s_per_replica'])} tokens/s per replica"
    ]
    compared = r.get("compared")
    if isinstance(compared, dict) and compared.get("cost_per_million_tokens") is not None:
        out.append(
            f"**Compared scenario: {usd(compared['cost_per_million_tokens'])} per million tokens**"
            + (f", {usd(compared['cost_per_query'])} per query" if compared.get("cost_per_query") is not None else "")
        )
    return out


def _amount(value: float, unit: str | None) -> str:
    """A growth value in the unit the question gave its base in (dollars, watts as GW, or plain)."""
    if unit == "usd":
        return usd(value)
    if unit == "W":
        return f"{num(value)} GW" if value < 1e6 else f"{num(value / 1e9)} GW"
    return num(value)


def _growth_leads(r: dict[str, Any], unit: str | None = None) -> list[str]:
    """growth: the year a target is reached, the CAGR, the series end and sum, or the multiple."""
    mode = r.get("mode")
    if mode == "until" and r.get("until_year") is not None:
        return [
            f"**Reached in {r['until_year']}: {_amount(r['until_value'], unit)}** ({num(r['multiple'])}x the start)"
        ]
    if mode == "until":
        return [f"**Not reached**: {r.get('until_note')}"]
    if mode == "cagr" and r.get("cagr") is not None:
        return [
            f"**CAGR {pct(r['cagr'])}**"
            + (f"; {r['final_year']}: {_amount(r['final_value'], unit)}" if r.get("final_year") else "")
        ]
    if mode == "multiplier":
        return [
            f"**{num(r['multiple'])}x after the steps: {_amount(r['final_value'], unit)}**; cumulative {_amount(r['cumulative'], unit)}"
        ]
    year = f"{r['final_year']}: " if r.get("final_year") else ""
    return [
        f"**{year}{_amount(r['final_value'], unit)}**; cumulative {_amount(r['cumulative'], unit)} ({num(r['multiple'])}x the start)"
    ]


#: Leads for the what-if calculators (their results answer the question directly).
_WHATIF_LEADS = {"serving_cost": _serving_leads, "growth": _growth_leads}


def blocked_speed_leads(plan: Plan, calls: list[tuple[Call, Any]]) -> list[str]:
    """Speeds not computed because the deployment does not fit: what fails, and what would fit instead."""
    from agent.offline.rounds import speed_fits

    out = []
    for speed, fit in speed_fits(plan, calls)[1]:
        where = f"{fit.get('model')} on {num(fit.get('gpus'))} x {fit.get('chip')}"
        if not fit.get("fits"):
            tp = fit.get("min_accelerators_power_of_two")
            instead = (
                f"; at least {num(fit['min_accelerators'])} accelerators are needed ({num(tp)} as a tensor-parallel group), "
                f"so ask for the speed on {num(tp)}"
                if fit.get("min_accelerators")
                else ""
            )
            out.append(f"**{where} does not fit, so there is no decode speed to give**{instead}.")
        else:
            out.append(
                f"**A batch of {num(fit.get('batch'))} does not fit on {where}, so there is no decode speed at that batch**; "
                f"the largest batch that fits is {num(fit.get('largest_batch_that_fits'))}."
            )
    return out


def _min_leads(ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """'How many H100s do I need': the fewest accelerators holding the weights and one full request."""
    out = []
    for call, r in ok:
        if call.name != "memory_fit" or not r.get("min_accelerators"):
            continue
        inp = r.get("inputs") or {}
        tokens = (inp.get("prompt") or 0) + (inp.get("output") or 0)
        given = "given" if "gpus" in call.args else "of the calculator's default server"
        here = (
            f"; on the {num(r['gpus'])} {given}, {num(r['max_concurrent_sequences'])} such requests fit at once"
            if r.get("fits")
            else f"; the {num(r['gpus'])} {given} are not enough"
        )
        out.append(
            f"**At least {num(r['min_accelerators'])} x {r['chip']}** hold {r['model']} in {inp.get('weights_dtype')} "
            f"({nbytes(r['weights_bytes'])} of weights) with one {num(tokens)}-token request "
            f"({num(r['min_accelerators_power_of_two'])} as a tensor-parallel group){here}."
        )
    return out


def _latency_leads(plan: Plan, ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """'TTFT for a 32k prompt', 'latency per token': the time asked for, from the throughput result."""
    out = []
    for call, r in ok:
        if call.name != "throughput":
            continue
        where = f"{r['model']} on {num(r['gpus'])} x {r['chip']}, batch {num(r['batch'])}"
        if "ttft" in plan.focus and r.get("ttft_s") is not None:
            prompt = (r.get("inputs") or {}).get("prompt")
            out.append(f"**Time to first token: {num(r['ttft_s'])} s** for a {num(prompt)}-token prompt ({where})")
        if "token_latency" in plan.focus and r.get("decode_tokens_per_s"):
            if r.get("step_time_s") is not None:  # one decode step gives every sequence in the batch one token
                out.append(
                    f"**Time per output token: {num(r['step_time_s'] * 1000)} ms** per user at the final length, "
                    f"{num(r['tokens_per_s_per_user'])} tokens/s per user ({where})"
                )
    return out


def _speed_lead(r: dict[str, Any]) -> list[str]:
    return [
        f"**Speed: {num(r['decode_tokens_per_s'])} tokens/s** decode for {r['model']} on {num(r['gpus'])} x {r['chip']} "
        f"at batch {num(r['batch'])} ({num(r['tokens_per_s_per_user'])} tokens/s per user)"
    ]


def _kv_lead(r: dict[str, Any]) -> list[str]:
    return [
        f"**KV cache: {num(r['bytes_per_token'])} bytes per token**, {nbytes(r['total_bytes'])} for the batch ({r['model']})"
    ]


def _fit_lead(r: dict[str, Any]) -> list[str]:
    if not r.get("fits"):
        return []  # the fp8 rerun or the section says what does fit
    return [
        f"**Fit: {num(r['max_concurrent_sequences'])} requests at once** (about {num(r['avg_concurrent_sequences'])} "
        f"time-averaged) for {r['model']} on {num(r['gpus'])} x {r['chip']}"
    ]


#: Leads for each part of a several-part question, in the order of the calls.
_PART_LEADS = {"throughput": _speed_lead, "kv_cache": _kv_lead, "memory_fit": _fit_lead}


def _first(value: Any) -> float:
    """A tco input that may be one value or one per chip (the first chip's)."""
    if isinstance(value, list):
        return float(value[0]) if value else 0.0
    return float(value or 0.0)


def _tco_leads(
    plan: Plan, call: Call, r: dict[str, Any], fleet_power: list[dict[str, Any]], fleet_draw: list[dict[str, Any]]
) -> list[str]:
    count = int(r.get("count") or 1)
    inp = r.get("inputs") or {}
    out = []
    for i, c in enumerate(r.get("chips") or [r]):
        name = c.get("chip") or "the accelerator"
        annual = c.get("annual") or {}
        for focus in plan.focus or ["per_hour"]:
            if focus == "per_hour" and c.get("cost_per_accelerator_hour") is not None:
                used = c.get("cost_per_used_hour")
                util = inp.get("utilization")
                out.append(
                    f"**{name}: {usd(c['cost_per_accelerator_hour'])} per accelerator-hour to own**"
                    + (
                        f" ({usd(used)} per used hour at {pct(util)} utilization)"
                        if used is not None and util is not None
                        else ""
                    )
                )
            elif focus == "per_mtok":
                if c.get("cost_per_million_tokens") is not None:
                    illus = (
                        "Illustration: "
                        if call.args.get("model")
                        and "per_mtok" in plan.focus
                        and any(n.startswith("Illustration") for n in plan.notes)
                        else ""
                    )
                    how = (
                        f" at {num(c['tokens_per_s_per_accelerator'])} tokens/s per accelerator"
                        if c.get("tokens_per_s_per_accelerator")
                        else ""
                    )
                    shape = (
                        f" ({inp.get('model')} on {num(inp.get('gpus', 0))} x {name}, batch {num(inp.get('batch', 0))})"
                        if inp.get("model")
                        else ""
                    )
                    out.append(f"**{illus}{name}: {usd(c['cost_per_million_tokens'])} per million tokens**{how}{shape}")
                else:
                    out.append(
                        f"**{name}: no $ per million tokens**: it needs a model or a tokens/s, and none was given."
                    )
            elif focus == "power_year" and annual.get("power_usd") is not None:
                basis = (
                    f"{num(c.get('power_kw', 0))} kW all-in x PUE {num(inp.get('pue', 0))} x 8,760 h "
                    f"at {usd(inp.get('electricity', 0))}/kWh"
                )
                if count > 1 and i < len(fleet_power):
                    out.append(
                        f"**Power bill for the fleet of {num(count)} x {name}: {usd(fleet_power[i]['value'])} per year** "
                        f"({usd(annual['power_usd'])} per accelerator per year; {basis})"
                    )
                else:
                    out.append(f"**Power bill for one {name}: {usd(annual['power_usd'])} per year** ({basis})")
            elif focus == "power_draw" and i < len(fleet_draw):
                out.append(
                    f"**{num(count)} x {name} draw {num(fleet_draw[i]['value'])} MW at the facility** "
                    f"({num(c.get('power_kw', 0))} kW all-in each x PUE {num(inp.get('pue', 0))})"
                )
            elif focus == "per_mw" and c.get("tokens_per_s_per_mw") is not None:
                out.append(
                    f"**{name}: {num(c['tokens_per_s_per_mw'])} tokens/s per MW** of facility power "
                    f"({num(c.get('tokens_per_s_per_accelerator', 0))} tokens/s per accelerator)"
                )
            elif focus == "per_dollar" and c.get("tokens_per_dollar") is not None:
                out.append(
                    f"**{name}: {num(c['tokens_per_dollar'])} tokens per dollar** "
                    f"({usd(c['cost_per_million_tokens'])} per million tokens)"
                )
            elif focus == "per_year" and c.get("fleet_annual_cost_usd") is not None:
                each = f" ({usd(annual['total_usd'])} per accelerator)" if count > 1 and annual.get("total_usd") else ""
                fleet = f"the fleet of {num(count)} x {name}" if count > 1 else f"one {name}"
                out.append(f"**Cost to own {fleet}: {usd(c['fleet_annual_cost_usd'])} per year**{each}")
            elif focus == "break_even" and c.get("break_even_utilization") is not None:
                out.append(
                    f"**{name}: owning breaks even with renting at {pct(c['break_even_utilization'])} utilization** "
                    f"(rental {usd(_first(inp.get('rental_price')))}/hour; margin {usd(c['margin_per_used_hour'])} per used hour "
                    f"at {pct(inp.get('utilization', 0))} utilization)"
                )
            elif focus == "break_even" and c.get("cost_per_used_hour") is not None:
                # with no rental price, the break-even price is what one used hour costs to own
                out.append(
                    f"**{name}: break-even rental price {usd(c['cost_per_used_hour'])} per hour** "
                    f"(the cost to own per used hour at {pct(inp.get('utilization', 0))} utilization; any rental above it is margin; "
                    "give 'renting at $<N>/hr' for the margin)"
                )
            elif focus == "capex" and c.get("fleet_capex_usd") is not None:
                fleet = f"{num(count)} x {name}" if count > 1 else f"one {name}"
                out.append(
                    f"**Capex for {fleet}: {usd(c['fleet_capex_usd'])}** (server, networking and facility share)"
                )
    return out


def _buildout_leads(plan: Plan, r: dict[str, Any]) -> list[str]:
    head = f"{num(r['gw'])} GW of {r['chip']}"
    out = []
    if "per_mw" in plan.focus and r.get("gw") == PER_MW_GW:  # "capex per MW" with no size: a 1 MW build-out
        out.append(
            f"**Capex per MW of utility power, {r['chip']}: {usd(r['total_capex_usd'])}** ({usd(r['it_capex_usd'])} IT for "
            f"{num(r['accelerators'])} accelerators + {usd(r['facility_capex_usd'])} facility; power bill "
            f"{usd(r['power_cost_per_year_usd'])} per year)"
        )
    for focus in plan.focus or ["capex"]:
        if focus in ("capex", "per_hour", "per_mtok") and not out:
            out.append(f"**{head}: {usd(r['total_capex_usd'])} capex** for {num(r['accelerators'])} accelerators")
        elif focus in ("power_year", "per_year"):
            out.append(f"**{head}: power bill {usd(r['power_cost_per_year_usd'])} per year**")
        elif focus == "count":
            out.append(f"**{head}: {num(r['accelerators'])} accelerators**")
    return list(dict.fromkeys(out))


def _capex_pair_leads(plan: Plan, r: dict[str, Any], ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """A comparison ("amazon capex 2025 vs 2024", "msft vs meta capex 2023"): both history rows with
    their metric, then the change and ratio computed by ``calculate`` (agent.offline.capex_compare); a sum instead
    when the question asks for one."""
    values = {str(c.args.get("expression")): x.get("value") for c, x in ok if c.name == "calculate"}
    pair = capex_pair(plan.compare_years, plan.year, r)
    if pair is None:
        return _capex_sum_leads(plan, r, values)
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


def _capex_sum_leads(plan: Plan, r: dict[str, Any], values: dict[str, Any]) -> list[str]:
    """A capex sum ("sum of amazon capex 2021-2024"): the rows added and the total from ``calculate``."""
    rows = sum_rows(plan.sum_years, r) if plan.sum_years else None
    total = values.get(sum_expression(rows)) if rows else None
    if not rows or total is None:
        return []
    parts = ", ".join(
        f"{label} {row['year']} {usd(row['capex_usd_b'] * 1e9)} ({row.get('metric', '')})" for label, row in rows
    )
    return [f"**Sum: {usd(total * 1e9)}** ({parts})"]


def _capex_latest_leads(r: dict[str, Any]) -> list[str]:
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


def _capex_leads(plan: Plan, r: dict[str, Any]) -> list[str]:
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
            + " (ask with 'guidance' to forecast from it)."
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


def _fit_leads(ok: list[tuple[Call, dict[str, Any]]]) -> list[str]:
    """A fit that failed in the default format, beside the same fit at fp8 (agent.offline.rounds)."""
    fits = [(c, r) for c, r in ok if c.name == "memory_fit"]
    out = []
    for call, r in fits:
        if r.get("fits") is not False or "weights_dtype" in call.args:
            continue
        fp8 = next((r2 for c2, r2 in fits if c2.args == {**call.args, "weights_dtype": "fp8"}), None)
        fmt = (r.get("inputs") or {}).get("weights_dtype")
        if fp8 is None:
            continue
        if fp8.get("fits"):
            out.append(
                f"**Does not fit in {fmt} (the default weight format); at fp8 it fits "
                f"{num(fp8['max_concurrent_sequences'])} requests peak / about {num(fp8['avg_concurrent_sequences'])} time-averaged** "
                f"on {num(fp8['gpus'])} x {fp8['chip']}."
            )
        else:
            out.append(
                f"**Does not fit in {fmt} (the default weight format), nor at fp8**: at least "
                f"{num(fp8['min_accelerators'])} accelerators are needed at fp8."
                if fp8.get("min_accelerators")
                else f"**Does not fit in {fmt} (the default weight format), nor at fp8**: no number of these accelerators holds one request."
            )
    return out


_SPEC_VALUE = {
    "memory bandwidth": r"memory bandwidth ([\d.,]+ ?[TG]B/s)",
    "memory": r"Memory: ([\d.,]+ ?GB of [\w]+)",
    "fp8 tflops": r"FP8 ([\d.,]+ TFLOPS(?: dense)?)",
    "fp4 tflops": r"FP4 ([\d.,]+ TFLOPS(?: dense)?)",
    "bf16 tflops": r"BF16 ([\d.,]+ TFLOPS(?: dense)?)",
    "power": r"Power \(TDP\): ([\d.,]+ ?k?W)",
    "interconnect": r"Scale-up interconnect: ([\d.,]+ ?[GT]B/s per chip(?: \([a-z]+\))?)",
    "price": r"Estimated price: (\$[\d.,]+ per chip(?: \([^)]*\))?)",
}


_SPEC_LABEL = {
    "fp8 tflops": "FP8 compute",
    "fp4 tflops": "FP4 compute",
    "bf16 tflops": "BF16 compute",
    "memory": "memory",
    "power": "power (TDP)",
    "interconnect": "scale-up interconnect",
    "price": "estimated price",
}


def spec_section(spec: tuple[list[str], str | None], passages: Any, args: dict[str, Any]) -> tuple[list[str], bool]:
    """A datasheet question: the figure from each named chip's catalog row, quoted and cited.

    A chip's row is the passage whose source names it (``Spec sheet: <catalog name>``); rows of
    chips not asked about are not shown. Without any such row among the results, the usual
    passage list.
    """
    chips, attribute = spec
    rows = passages if isinstance(passages, list) else []
    found = [
        (chip, next((p for p in rows if isinstance(p, dict) and (p.get("source") or "").endswith(chip)), None))
        for chip in chips
    ]
    if not any(row for _, row in found):
        return _search(rows, args), bool(rows)
    lines: list[str] = []
    for chip, row in found:
        if row is None:
            lines.append(f"**{chip}**: its catalog row was not among the search results; ask for it alone.")
            continue
        text = " ".join(str(row.get("text", "")).split())
        m = re.search(_SPEC_VALUE[attribute], text) if attribute in _SPEC_VALUE else None
        if m:
            label = _SPEC_LABEL.get(attribute, attribute)
            lines.append(f"**{chip}: {label} {m.group(1)}** (catalog row `{row.get('chunk_id', '')}`)")
        elif attribute:
            lines.append(f"**{chip}**: the catalog row gives no {attribute}; the row is below.")
        lines.append(f"> {_excerpt(text)}\n>\n> — {row.get('source', '')}")
        urls = row.get("source_urls") or []
        if urls:
            lines.append("**Source:** " + "; ".join(short_sources([str(u) for u in urls])))
    return lines, True


# --- the answer -----------------------------------------------------------------------------


def load(content: Any) -> Any:
    """A tool message's content as JSON (a dict, a list of passages, or ``{"error": ...}``)."""
    if isinstance(content, (dict, list)):
        return content
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return {"error": str(content)}


def defaults_used(call: Call, result: dict[str, Any]) -> list[str]:
    """Inputs the result reports that the call did not give: the calculator's defaults."""
    inputs = result.get("inputs") or {}
    skip = {"model", "chip", "tokens_per_sequence", "sensitivity"}
    if call.name == "tco" and not inputs.get("model"):
        skip |= {"gpus", "batch", "prompt", "output", "weights_dtype"}  # the serving shape only matters with a model
    out = []
    for k, v in inputs.items():
        if k in call.args or v is None or isinstance(v, (list, dict, bool)) or k in skip:
            continue
        if isinstance(v, float):
            out.append(f"{k}={v:g}" if abs(v) < 1e5 else f"{k}={v:,.0f}")
        else:
            out.append(f"{k}={v}")
    return out


def section(call: Call, content: Any, shown: set[str] | None = None) -> tuple[list[str], bool]:
    """The lines for one call, and whether it succeeded.

    ``shown``: formula, assumption and source blocks already in the answer (a second call of the
    same tool, e.g. the fp8 fit beside the bf16 one); they are not repeated.
    """
    shown = set() if shown is None else shown
    data = load(content)
    if isinstance(data, dict) and "error" in data and len(data) == 1:
        return [f"**{call.name} failed**: {data['error']}", _hint(call, data["error"])], False
    if call.name == "search_knowledge":
        return _search(data if isinstance(data, list) else [], call.args), True
    try:
        lines = _SECTIONS[call.name](data) if call.name in _SECTIONS else _generic(call.name, data)
    except (KeyError, TypeError):
        lines = _generic(call.name, data)
    if isinstance(data, dict) and data.get("formula") and _once(shown, "formula", data["formula"]):
        lines.append(f"**Formula:** {data['formula']}")
    if isinstance(data, dict):
        defaults = defaults_used(call, data)
        if defaults and call.name in ("kv_cache", "memory_fit", "throughput", "tco", "buildout"):
            lines.append("**Defaults used** (not in the question): " + ", ".join(defaults) + ".")
        if data.get("assumptions"):
            picked = key_assumptions(call, [str(a) for a in data["assumptions"]])
            if _once(
                shown,
                "assumptions",
                call.name + "|".join(re.sub(r"\b(?:bf16|fp16|fp8|int8|int4|fp4)\b", "", a) for a in picked),
            ):
                lines.append("**Assumptions:**")
                lines += [f"- {a}" for a in picked]
                if len(data["assumptions"]) > len(picked):
                    lines.append("(the other assumptions are in the tool result)")
        if data.get("sources"):
            names = short_sources([str(s) for s in data["sources"]])
            if _once(shown, "sources", "; ".join(names)):
                lines.append("**Sources:** " + "; ".join(names))
    return lines, True


def _once(shown: set[str], kind: str, text: str) -> bool:
    """True the first time ``text`` of this kind is shown in the answer."""
    key = f"{kind}:{text}"
    if key in shown:
        return False
    shown.add(key)
    return True


#: At most this many assumptions and sources in the answer; the full lists stay in the tool result.
MAX_ASSUMPTIONS = 5
MAX_SOURCES = 4
_URL = re.compile(r"\(?\bhttps?://[^\s);,]+\)?|\bwww\.[^\s);,]+")


def _short(text: str, limit: int = 150) -> str:
    """Text without URLs, cut at a word boundary (never inside a URL or a figure)."""
    text = _URL.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s*[;,]\s*\)", ")", text)
    text = re.sub(r"\s*[;,]\s*$", "", text)
    text = " ".join(text.split()).replace(" ,", ",").replace(" )", ")").replace("… …", "…")
    return _clip(text, limit)


def key_assumptions(call: Call, assumptions: list[str]) -> list[str]:
    """The assumptions worth reading in the answer: those about inputs the question did not give
    first (a calculator default such as ``pue = 1.3``), then the rest, at most :data:`MAX_ASSUMPTIONS`."""
    stated = set(call.args)

    def rank(a: str) -> int:
        name = re.match(r"\s*(\w+)\s*=", a)
        if name and name.group(1) in stated:
            return 2  # the question gave it: the assumption text only repeats the input
        return 0 if name else 1

    ordered = sorted(range(len(assumptions)), key=lambda i: (rank(assumptions[i]), i))
    return [_short(assumptions[i]) for i in ordered[:MAX_ASSUMPTIONS]]


def short_sources(sources: list[str]) -> list[str]:
    """Sources as short names: a URL as its host, other text to its first clause; no duplicates."""
    out: list[str] = []
    for s in sources:
        s = re.sub(r"^[^:]{2,60}:\s+(?=\S)", "", s, count=1) if not s.startswith("http") else s
        url = re.search(r"https?://([^/\s]+)", s)
        if url and s.strip().startswith("http"):
            name = url.group(1).removeprefix("www.")
            if "archive.org" in name:
                inner = re.search(r"https?://[^/]+/web/\d+/https?://([^/\s]+)", s)
                name = inner.group(1).removeprefix("www.") if inner else name
        else:
            name = _short(re.split(r"\s\(|;\s", s)[0], 70)
            if url and (len(name) < 12 or re.search(r"\b(?:at|via|from|in|on|see)$", name)):
                name = url.group(1).removeprefix("www.")  # "as transcribed at <url>": the host says more
        if name and name not in out:
            out.append(name)
        if len(out) >= MAX_SOURCES:
            break
    return out


def _hint(call: Call, error: str) -> str:
    field = error.split(":", 1)[0].strip()
    if field in ("model", "chip"):
        how = f"use a {field} name from the catalog (the suggestions above, or `siliconomics {call.name.replace('_', '-')} --help`)"
    elif field == "capex_per_accelerator":
        how = "give a price per accelerator, e.g. 'at $<N>k per GPU'"
    elif field in ("context", "prompt", "output"):
        how = "say how many tokens per request, e.g. 'at <N>k context' or '<N>k in, <M>k out'"
    else:
        how = f"change `{field}` as the message says"
    return f"No figure is given for this part. To ask again, {how}."


def markdown(lines: list[str]) -> str:
    """Lines as markdown blocks: consecutive '- ' items form one list, every other line its own paragraph."""
    blocks: list[str] = []
    for line in lines:
        previous = blocks[-1].split("\n")[-1] if blocks else ""
        if (line.startswith("- ") and previous.startswith("- ")) or (line.startswith("|") and previous.startswith("|")):
            blocks[-1] += "\n" + line
        else:
            blocks.append(line.strip("\n"))
    return "\n\n".join(b for b in blocks if b)


def compose(
    calls: list[tuple[Call, Any]], notes: list[str], plan: Plan | None = None, question: str | None = None
) -> str:
    """The markdown answer from ``(call, tool message content)`` pairs and the planner's readings.

    Order: the quantities asked for (:func:`leads`), any default the answer rests on ("No chip
    named: ...", "Illustration: ..."), each call's section, how the question was read, and the
    ``Read as:`` lines.

    ``question``: the question's own words. When a call fails there is no result for the numbers
    the planner derived (``gpus=1`` from "a single", the 1,000-token default prompt), so the
    readings and ``Read as:`` arguments whose figures trace to neither the question nor a tool
    message are left out (:func:`_traceable`), and the answer says which.
    """
    plan = plan or Plan()
    if question is not None and any(_failed(content) for _, content in calls):
        calls, notes = _traceable(calls, notes, question)
    parts: list[str] = []
    ok_any = False
    top = blocked_speed_leads(plan, calls) + leads(plan, calls)
    if top:
        parts.append("\n\n".join(top))
    upfront = [n for n in notes if n.startswith(_UPFRONT_NOTES)]
    notes = [n for n in notes if n not in upfront]
    parts += [f"*{n}*" for n in upfront]
    shown: set[str] = set()
    for call, content in calls:
        if call.name == "search_knowledge" and plan.spec and call.args.get("source") == "specs":
            lines, ok = spec_section(plan.spec, load(content), call.args)
        else:
            lines, ok = section(call, content, shown)
        ok_any |= ok
        parts.append(markdown(lines))
    notes = list(dict.fromkeys(notes))
    if notes:
        parts.append("**How I read the question:** " + " ".join(notes))
    if not ok_any:
        parts.append("I could not compute an answer from the tools, so I give no figure.")
    parts.append("\n\n".join(read_as_line(c) for c, _ in calls))
    return "\n\n".join(parts)


def _failed(content: Any) -> bool:
    data = load(content)
    return isinstance(data, dict) and "error" in data and len(data) == 1


def _traceable(
    calls: list[tuple[Call, Any]], notes: list[str], question: str
) -> tuple[list[tuple[Call, Any]], list[str]]:
    """Readings and failed-call arguments whose numbers trace to the question or a tool message.

    A failed call has no result, so an argument the planner derived (``gpus=1`` from "one",
    ``gw=0.3`` from "300 MW", a default prompt beside a stated total) would be a number nobody
    can check; it is dropped from that call's ``Read as:`` line (named in a note), and so is a
    reading sentence whose figures trace nowhere. Chip names are written short ("h100"), so
    their digits are not figures to check.
    """
    from agent.grounding import untraced
    from agent.offline.numbers import NUMBER, to_number

    sources: list[Any] = [question] + [content for _, content in calls]
    # the numbers as the question writes them ("12k" = 12,000; "200%" is 200, not the 2.0 read from it)
    written = {abs(to_number(m.group(1), m.group(2))) for m in re.finditer(NUMBER, question.lower())}
    out_calls: list[tuple[Call, Any]] = []
    dropped: list[str] = []
    for call, content in calls:
        if not _failed(content):
            out_calls.append((call, content))
            continue
        args = {}
        for k, v in call.args.items():
            if isinstance(v, (int, float)) and not isinstance(v, bool) and abs(float(v)) not in written:
                dropped.append(k)
                continue
            args[k] = v
        out_calls.append((Call(call.name, args), content))
    kept = [n for n in notes if not untraced(n, sources)]
    if dropped:
        kept.append(
            "Arguments I derived rather than read (" + ", ".join(dict.fromkeys(dropped)) + ") are left out of the "
            "Read as line, since the call failed and there is no result to check them against."
        )
    return out_calls, kept
