"""The pieces an :class:`~agent.answer.Answer` is shown with in a terminal (rich renderables, no I/O).

One line per tool call (name, key arguments, key result), citations with chapter and time,
grounding warnings in a visible style, chart paths and text charts; ``/tools`` expands the
tool calls into the calculator tables of :mod:`agent.render.values`; ``/sources`` lists passages and
catalog sources in full; the exports (:mod:`agent.export`) write the same lines.
:mod:`agent.render.answer` assembles the lines into the answer both ``ask`` and ``chat`` print.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from agent.answer import Answer, Citation, ToolCallRecord
from agent.render.scenarios import result_data
from agent.render.values import human_bytes
from tools.errors import InputError

#: How many key result fields a one-line tool summary shows.
SUMMARY_FIELDS = 3
#: How many characters of a quoted passage the citation line shows.
QUOTE_CHARS = 160


def short_value(name: str, value: Any) -> str:
    """A value for a one-liner: bytes as 'N B (x GB)', floats to 4 significant figures."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and "year" in name:
        return str(value)
    if isinstance(value, int) and "bytes" in name:
        if abs(value) < 1000:
            return f"{value:,} B"
        return f"{value:,} B ({human_bytes(value).split(' = ')[0]})"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _arg_text(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if " " in value else value
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_arg_text(v) for v in value) + "]"
    return str(value)


def call_signature(record: ToolCallRecord) -> str:
    """``kv_cache(model=llama-3.1-70b, context=32000, batch=8)``: the arguments the tool was given."""
    args = ", ".join(f"{k}={_arg_text(v)}" for k, v in record.args.items() if v is not None)
    return f"{record.name}({args})"


def _key_fields(name: str) -> tuple[str, ...]:
    try:
        from agent.toolset import get

        return get(name).key_fields
    except InputError:  # a tool name no registry entry has (a model's made-up call)
        return ()


def result_summary(record: ToolCallRecord) -> str:
    """The headline of a tool result: registry key fields, a passage count, or the first scalars."""
    if record.error:
        return f"error: {record.error}"
    result = result_data(record)
    if isinstance(result, list):
        if record.name == "search_knowledge":
            top = result[0] if result and isinstance(result[0], dict) else {}
            where = " · ".join(str(top[k]) for k in ("chapter", "timestamp") if top.get(k))
            return f"{len(result)} passages" + (f" (top: {where})" if where else "")
        return f"{len(result)} items"
    if not isinstance(result, dict):
        return "" if result is None else str(result)
    if "error" in result and len(result) == 1:
        return f"error: {result['error']}"
    names = [f for f in _key_fields(record.name) if f in result and result[f] is not None]
    if names:  # figures first; leave out what merely repeats an argument (through=2027)
        names = [n for n in names if record.args.get(n) != result[n]]
        names.sort(key=lambda n: isinstance(result[n], str))
    else:
        names = [k for k, v in result.items() if k != "inputs" and isinstance(v, (int, float, str, bool))]
    return ", ".join(f"{n}={short_value(n, result[n])}" for n in names[:SUMMARY_FIELDS])


def tool_line(record: ToolCallRecord) -> Text:
    """One line per tool call: ``▸ kv_cache(model=..., batch=8) → total_bytes=... ``."""
    summary = result_summary(record)
    style = "red" if record.error or summary.startswith("error:") else "green"
    return Text.assemble(("▸ ", "dim"), (call_signature(record), "cyan"), (" → ", "dim"), (summary, style))


def citation_label(citation: Citation) -> str:
    """``Memory · 43:10 — BG2 ... · Dylan Patel (guest)``: chapter and time, the document, then the speaker."""
    where = " · ".join(x for x in (citation.chapter, citation.timestamp) if x)
    label = f"{where} — {citation.source}" if where else citation.source
    return f"{label} · {citation.speaker}" if citation.speaker else label


def _quote(text: str, limit: int = QUOTE_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def citation_lines(citations: Iterable[Citation]) -> list[Text]:
    """``[1] Chapter · MM:SS — source: "quote…"`` for each citation."""
    out = []
    for i, c in enumerate(citations, 1):
        out.append(
            Text.assemble(
                (f"[{i}] ", "bold magenta"), (citation_label(c), "magenta"), ": ", (f"“{_quote(c.text)}”", "italic")
            )
        )
    return out


def warnings_renderable(warnings: list[str]) -> RenderableType | None:
    """Grounding warnings in a yellow box: numbers in the answer that no tool or source backs."""
    if not warnings:
        return None
    body = Text("\n".join(f"⚠ {w}" for w in warnings), style="bold yellow")
    return Panel(body, title="unverified", title_align="left", border_style="yellow", expand=False)


def chart_lines(answer: Answer) -> list[Text]:
    return [Text.assemble(("chart: ", "bold"), (path, "underline")) for path in answer.charts]


def _result_model(record: ToolCallRecord) -> Any | None:
    """The registry result model rebuilt from the record, or None (not a calculator, or an error)."""
    if record.error:
        return None
    try:
        from agent.toolset import get

        return get(record.name).result_model.model_validate(result_data(record))
    except Exception:
        return None


def terminal_charts(answer: Answer) -> list[RenderableType]:
    """Text renderings of the charts the answer wrote (same series as each PNG), from the tool's ``text_chart``.

    Drawn only when the answer has charts (the question asked for one), for each calculator
    result whose registry tool has a ``text_chart``.
    """
    if not answer.charts:
        return []
    from agent.toolset import get

    out: list[RenderableType] = []
    for record in answer.tool_calls:
        result = _result_model(record)
        draw = getattr(get(record.name), "text_chart", None) if result is not None else None
        if draw is None:
            continue
        try:
            out.append(Text(draw(result)))
        except Exception as exc:  # a chart is a bonus: never lose the answer for it
            out.append(Text(f"(chart not drawn: {exc})", style="dim"))
    return out


def tools_renderable(answer: Answer) -> RenderableType:
    """``/tools``: every tool call with its arguments, then its full result table (or JSON)."""
    if not answer.tool_calls:
        return Text("The last answer used no tools.", style="dim")
    from agent.render.values import result_renderable

    parts: list[RenderableType] = []
    for record in answer.tool_calls:
        parts.append(Text(call_signature(record), style="bold cyan"))
        result = _result_model(record)
        if record.error:
            parts.append(Text(f"error: {record.error}", style="red"))
        elif result is not None:
            parts.append(result_renderable(record.name, result, show_sources=False))
        else:
            parts.append(Text(json.dumps(result_data(record), indent=2, default=str)[:4000]))
        parts.append(Text(""))
    return Group(*parts)


def sources_renderable(answer: Answer) -> RenderableType:
    """``/sources``: the cited passages in full, then the catalog sources behind each calculator."""
    parts: list[RenderableType] = []
    for i, c in enumerate(answer.citations, 1):
        parts.append(Text.assemble((f"[{i}] ", "bold magenta"), (citation_label(c), "magenta")))
        parts.append(Text(" ".join(c.text.split()), style="italic"))
        for url in c.source_urls:
            parts.append(Text(f"    {url}", style="dim"))
    seen: set[str] = set()
    for record in answer.tool_calls:
        result = result_data(record)
        for src in result.get("sources", []) if isinstance(result, dict) else []:
            if src not in seen:
                seen.add(src)
                parts.append(Text.assemble(("source: ", "bold dim"), (f"{src} ", "dim"), (f"({record.name})", "dim")))
    if not parts:
        return Text("The last answer cites no sources.", style="dim")
    return Group(*parts)
