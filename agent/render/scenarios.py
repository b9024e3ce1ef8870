"""Scenarios: the calculator results of an answer, one row per chip or per call, for tables and exports.

A ``tco`` call over several chips gives one scenario per chip (its inputs with that chip's
resolved price and power); every other calculator call gives one. Each scenario keeps the
inputs after defaults (``result.inputs``), which of them the question stated, the scalar
outputs, the assumptions and the sources, so a comparison table, a CSV row or a spreadsheet
sheet can be built from it and a figure recomputed from its inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from agent.answer import ToolCallRecord

CALCULATORS = ("kv_cache", "memory_fit", "throughput", "tco", "buildout", "capex")
#: Result fields that are the work, not figures.
_WORK = {"formula", "inputs", "assumptions", "sources"}
#: Figures a comparison table shows per tool, in order (those present in some scenario).
TABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "tco": (
        "cost_per_accelerator_hour",
        "cost_per_used_hour",
        "cost_per_million_tokens",
        "margin_per_used_hour",
        "break_even_utilization",
        "capex_per_accelerator",
        "power_kw",
    ),
    "memory_fit": ("fits", "max_concurrent_sequences", "avg_concurrent_sequences", "min_accelerators"),
    "throughput": ("decode_tokens_per_s", "decode_tokens_per_s_per_accelerator", "tokens_per_s_per_user", "ttft_s"),
    "kv_cache": ("bytes_per_token", "total_bytes"),
    "buildout": ("accelerators", "total_capex_usd", "power_cost_per_year_usd"),
    "capex": ("cumulative_usd_b", "growth_rate"),
}
#: Inputs that name what a scenario is about (a label shows their value alone).
_IDENTITY = ("chip", "model", "company")
#: What each calculator's comparison is of, for the brief answer's lead.
TOOL_TITLES = {
    "tco": "Cost of owning",
    "memory_fit": "Fit",
    "throughput": "Speed",
    "kv_cache": "KV cache",
    "buildout": "Build-out",
    "capex": "Capex",
}
#: Short column titles for the terminal and Slack tables.
SHORT_TITLES = {
    "cost_per_accelerator_hour": "$/acc-hour",
    "cost_per_used_hour": "$/used hour",
    "cost_per_million_tokens": "$/Mtok",
    "margin_per_used_hour": "margin/h",
    "break_even_utilization": "break-even",
    "capex_per_accelerator": "capex/acc",
    "power_kw": "kW",
    "max_concurrent_sequences": "peak reqs",
    "avg_concurrent_sequences": "avg reqs",
    "min_accelerators": "min accs",
    "decode_tokens_per_s": "tok/s",
    "decode_tokens_per_s_per_accelerator": "tok/s/acc",
    "tokens_per_s_per_user": "tok/s/user",
    "ttft_s": "TTFT s",
    "bytes_per_token": "bytes/token",
    "total_bytes": "total",
    "total_capex_usd": "capex",
    "power_cost_per_year_usd": "power/yr",
    "cumulative_usd_b": "cumulative",
    "growth_rate": "growth",
}


@dataclass
class Scenario:
    """One set of inputs and the figures computed from them."""

    tool: str
    call: int  # index of the tool call in the answer
    inputs: dict[str, Any]
    stated: dict[str, Any]
    outputs: dict[str, Any]
    assumptions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    label: str = ""

    @property
    def defaults(self) -> list[str]:
        """Inputs the question did not state (the calculator's defaults or catalog values)."""
        return [k for k, v in self.inputs.items() if k not in self.stated and v not in (None, [], False)]


def result_data(record: ToolCallRecord) -> Any:
    """The record's result as Python data (the store may hold JSON text)."""
    result = record.result
    if isinstance(result, str):
        try:
            return json.loads(result)
        except ValueError:
            return result
    return result


def _scalars(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Scalar fields, with one level of nested models flattened (``capex.total_usd`` -> ``capex_total_usd``)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _WORK or value is None:
            continue
        if isinstance(value, (int, float, str, bool)):
            out[prefix + key] = value
        elif isinstance(value, dict) and not prefix:
            out.update(_scalars(value, prefix=f"{key}_"))
    return out


def _capex_outputs(data: dict[str, Any]) -> dict[str, Any]:
    out = _scalars(data)
    for point in data.get("forecast") or []:
        if isinstance(point, dict) and point.get("year") is not None:
            out[f"forecast_{point['year']}_usd_b"] = point.get("capex_usd_b")
    return out


def _short_chip(name: str) -> str:
    from tools.catalog import accelerators

    for row in accelerators():
        if row.name == name:
            words = [a for a in row.aliases if " " not in a]
            return words[0].upper() if words else name
    return name


def scenarios(records: list[ToolCallRecord]) -> list[Scenario]:
    """Every calculator result in ``records`` as scenarios, labelled by what differs between them."""
    out: list[Scenario] = []
    for i, record in enumerate(records):
        data = result_data(record)
        if record.name not in CALCULATORS or record.error or not isinstance(data, dict) or "inputs" not in data:
            continue
        base = dict(data.get("inputs") or {})
        stated = {k: v for k, v in record.args.items() if v is not None}
        common = {"assumptions": list(data.get("assumptions") or []), "sources": list(data.get("sources") or [])}
        chips = data.get("chips") if record.name == "tco" else None
        if chips:
            for chip in chips:
                inputs = {
                    **base,
                    "chip": chip["chip"],
                    "capex_per_accelerator": chip["capex_per_accelerator"],
                    "power_kw": chip["power_kw"],
                }
                if chip.get("cost_basis") == "reference":
                    inputs.pop("years", None)  # a reference $/hour holds its source's own life, not this input's
                out.append(Scenario(record.name, i, inputs, stated, _scalars(chip), **common))
        else:
            outputs = _capex_outputs(data) if record.name == "capex" else _scalars(data)
            out.append(Scenario(record.name, i, base, stated, outputs, **common))
    _label(out)
    return out


def value_text(key: str, value: Any) -> str:
    """An input as a short label: a chip's short name, a list joined by '+', else its text."""
    if key == "chip" and isinstance(value, str):
        return _short_chip(value)
    if isinstance(value, list):
        return "+".join(str(v) for v in value)
    return str(value)


def _label(items: list[Scenario]) -> None:
    """Label each scenario by the inputs that differ from the other scenarios of its tool."""
    by_tool: dict[str, list[Scenario]] = {}
    for s in items:
        by_tool.setdefault(s.tool, []).append(s)
    for group in by_tool.values():
        keys = sorted({k for s in group for k in s.inputs})
        differ = [k for k in keys if len({json.dumps(s.inputs.get(k), sort_keys=True, default=str) for s in group}) > 1]
        identity = [k for k in differ if k in _IDENTITY]
        if identity:  # a chip's price and power follow the chip: name the chip only
            differ = identity
        if "weights_dtype" in differ and "kv_dtype" in differ:
            differ.remove("kv_dtype")  # the KV format followed the weights
        for s in group:
            if not differ:
                named = next((k for k in _IDENTITY if s.inputs.get(k) not in (None, [], "")), None)
                s.label = value_text(named, s.inputs[named]) if named else s.tool
                continue
            parts = [
                value_text(k, s.inputs.get(k)) if k in _IDENTITY else f"{k}={value_text(k, s.inputs.get(k))}"
                for k in differ[:3]
            ]
            s.label = ", ".join(parts)


def comparisons(items: list[Scenario]) -> list[tuple[str, list[Scenario], list[str]]]:
    """Groups worth a table: a tool with two or more scenarios -> (tool, scenarios, figure fields)."""
    by_tool: dict[str, list[Scenario]] = {}
    for s in items:
        by_tool.setdefault(s.tool, []).append(s)
    out = []
    for tool, group in by_tool.items():
        if len(group) < 2:
            continue
        fields = [f for f in TABLE_FIELDS.get(tool, ()) if any(s.outputs.get(f) is not None for s in group)]
        if tool == "tco":  # price and power are inputs of the tco chip rows; shown when they differ
            fields += [f for f in ("capex_per_accelerator", "power_kw") if f not in fields]
            fields = [f for f in fields if any(_cell(s, f) is not None for s in group)]
        out.append((tool, group, fields[:6]))
    return out


def _cell(s: Scenario, name: str) -> Any:
    return s.outputs.get(name, s.inputs.get(name))


def table_rows(group: list[Scenario], fields: list[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a comparison, values in natural units."""
    from agent.render.figures import figure

    head = ["scenario"] + [SHORT_TITLES.get(f, f) for f in fields]
    rows = [[s.label] + [figure(f, _cell(s, f)) for f in fields] for s in group]
    return head, rows


def text_table(head: list[str], rows: list[list[str]]) -> str:
    """An aligned plain-text table (for a code block in Slack or a terminal)."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(row: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(head)] + [line(r) for r in rows])


def markdown_table(head: list[str], rows: list[list[str]]) -> str:
    """A Markdown (GFM) table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
    return "\n".join(lines)
