"""The final answer, written from the tool results only: figures with units, formula, assumptions,
defaults, citations, and one ``Read as:`` line per call.

Every figure printed here is a field of a tool result (rounded, or converted between B/KB/GB
and $/$ billion), a value from the question, or text of a cited passage, so the grounding
check can trace it. A failed call is reported as its error line and a hint, never a number.
"""

from __future__ import annotations

import json
from typing import Any

from agent.offline.history import read_as_line
from agent.offline.plan import Call

_WORK = {"formula", "inputs", "assumptions", "sources"}
_EXCERPT_CHARS = 420


# --- number formats ---------------------------------------------------------------------------


def num(x: float) -> str:
    """A figure rounded for reading: 68 -> '68', 148.27 -> '148.3', 0.01234 -> '0.0123'."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1:
        return f"{int(round(x)):,}"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 100:
        return f"{x:,.1f}"
    if ax >= 1:
        return f"{x:,.2f}"
    return f"{x:.3g}"


def nbytes(b: float) -> str:
    """Bytes in decimal units: 516096 -> '516.1 KB', 83886080000 -> '83.89 GB'."""
    for scale, unit in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if abs(b) >= scale:
            return f"{b / scale:,.2f} {unit}"
    return f"{b:,.0f} B"


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
        lines += [
            f"- weights {nbytes(r['weights_bytes'])}, usable memory {nbytes(r['usable_bytes_per_gpu'])} per accelerator",
            f"- smallest setup that holds one full-length request: **{num(r['min_accelerators'])} accelerators** "
            f"({num(r['min_accelerators_power_of_two'])} as a tensor-parallel group)",
        ]
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
            lines.append(f"- per accelerator-hour, every installed hour: **{usd(c['cost_per_accelerator_hour'])}/hour**")
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
            lines.append(f"- fleet capex {usd(c['fleet_capex_usd'])}; fleet cost {usd(c['fleet_annual_cost_usd'])} per year")
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
    if not passages:
        return [f"Nothing in the knowledge base matched \"{args.get('query', '')}\"; try other words or source=all."]
    heading = "From the spec sheets" if args.get("source") == "specs" else "What was said"
    lines = [f"**{heading}** (search: \"{args.get('query', '')}\"):"]
    for p in passages[: max(1, min(3, len(passages)))]:
        where = ", ".join(x for x in (p.get("chapter"), f"~{p['timestamp']}" if p.get("timestamp") else None) if x)
        lines.append(f"> {_excerpt(p.get('text', ''))}\n>\n> — {p.get('source', '')}" + (f", *{where}*" if where else ""))
    return lines


def _clip(text: str, limit: int = 240) -> str:
    """Shorten at a space, so no figure is cut in half."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= _EXCERPT_CHARS:
        return text
    cut = text[:_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


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


def _check_claim(r: dict[str, Any]) -> list[str]:
    c = r.get("result")
    if not r.get("found") or not isinstance(c, dict):
        lines = [f"**Claim check**: {r.get('message', 'no matching claim found')}"]
        if r.get("nearest"):
            lines.append("Closest claims I can check: " + "; ".join(r["nearest"]))
        return lines
    lines = [f"**Claim check** ({c['quantity']}): **{c['verdict']}**", c.get("summary") or r.get("message", "")]
    where = ", ".join(x for x in (c.get("chapter"), f"~{c['timestamp']}" if c.get("timestamp") else None) if x)
    lines.append(f"> {_excerpt(c['quote'])}\n>\n> — {c.get('speaker') or 'the podcast'}" + (f", *{where}*" if where else ""))
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
            rng = f" (plausible {num(a['low'])} to {num(a['high'])})" if a.get("low") is not None and a.get("high") is not None else ""
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
}


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
    out = []
    for k, v in inputs.items():
        if k in call.args or v is None or isinstance(v, (list, dict)) or k in ("model", "chip", "tokens_per_sequence"):
            continue
        out.append(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}")
    return out


def section(call: Call, content: Any) -> tuple[list[str], bool]:
    """The lines for one call, and whether it succeeded."""
    data = load(content)
    if isinstance(data, dict) and "error" in data and len(data) == 1:
        return [f"**{call.name} failed**: {data['error']}", _hint(call, data["error"])], False
    if call.name == "search_knowledge":
        return _search(data if isinstance(data, list) else [], call.args), True
    try:
        lines = _SECTIONS[call.name](data) if call.name in _SECTIONS else _generic(call.name, data)
    except (KeyError, TypeError):
        lines = _generic(call.name, data)
    if isinstance(data, dict) and data.get("formula"):
        lines.append(f"**Formula:** {data['formula']}")
    if isinstance(data, dict):
        defaults = defaults_used(call, data)
        if defaults and call.name in ("kv_cache", "memory_fit", "throughput"):
            lines.append("**Defaults used** (not in the question): " + ", ".join(defaults) + ".")
        if data.get("assumptions"):
            lines.append("**Assumptions:**")
            lines += [f"- {_clip(str(a))}" for a in data["assumptions"]]
        if data.get("sources"):
            lines.append("**Sources:** " + "; ".join(str(s) for s in data["sources"][:3]))
    return lines, True


def _hint(call: Call, error: str) -> str:
    field = error.split(":", 1)[0].strip()
    if field in ("model", "chip"):
        how = f"use a {field} name from the catalog (the suggestions above, or `siliconomics {call.name.replace('_', '-')} --help`)"
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


def compose(calls: list[tuple[Call, Any]], notes: list[str]) -> str:
    """The markdown answer from ``(call, tool message content)`` pairs and the planner's readings."""
    parts: list[str] = []
    ok_any = False
    for call, content in calls:
        lines, ok = section(call, content)
        ok_any |= ok
        parts.append(markdown(lines))
    if notes:
        parts.append("**How I read the question:** " + " ".join(notes))
    if not ok_any:
        parts.append("I could not compute an answer from the tools, so I give no figure.")
    parts.append("\n\n".join(read_as_line(c) for c, _ in calls))
    return "\n\n".join(parts)
