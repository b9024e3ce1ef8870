"""Sections for the other tools: a claim check, a chip ranking, an expression, and any other result (verdict
first, then scalars, then small tables)."""

from __future__ import annotations

from typing import Any

from agent.offline.writers.search import excerpt
from agent.render.figures import num, pct, usd


def humanise(name: str) -> str:
    return name.replace("_usd_b", " (USD billion)").replace("_usd", " (USD)").replace("_", " ")


_WORK = {"formula", "inputs", "assumptions", "sources"}


def generic_section(name: str, r: Any) -> list[str]:
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


def chip_specs_section(r: dict[str, Any]) -> list[str]:
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


def calculate_section(r: dict[str, Any]) -> list[str]:
    return [f"**{r.get('expression', '')} = {num(r['value'])}** (evaluated as `{r.get('evaluated', '')}`)"]


def check_claim_section(r: dict[str, Any]) -> list[str]:
    c = r.get("result")
    if not r.get("found") or not isinstance(c, dict):
        lines = [f"**Claim check**: {r.get('message', 'no matching claim found')}"]
        if r.get("nearest"):
            lines.append("Closest claims I can check: " + "; ".join(r["nearest"]))
        return lines
    lines = [f"**Claim check** ({c['quantity']}): **{c['verdict']}**", c.get("summary") or r.get("message", "")]
    where = ", ".join(x for x in (c.get("chapter"), f"~{c['timestamp']}" if c.get("timestamp") else None) if x)
    lines.append(
        f"> {excerpt(c['quote'])}\n>\n> — {c.get('speaker') or 'the podcast'}" + (f", *{where}*" if where else "")
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
