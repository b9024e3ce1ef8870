"""The .md export: each answer's whole text, comparison tables, the work in full, citations, charts as images.

Charts are copied beside the file (``<name>-chart-<turn>-<n>.png``) and embedded with
``![...](...)``, so the folder can be moved or attached as it is. Nothing is cut short:
assumptions, sources and quoted passages are written whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from agent.answer import Answer
from agent.render.scenarios import comparisons, markdown_table, result_data, scenarios, table_rows
from agent.render.terminal import call_signature, citation_label, result_summary


def _work(answer: Answer) -> list[str]:
    lines: list[str] = []
    for record in answer.tool_calls:
        lines += [f"- `{call_signature(record)}` → {result_summary(record)}"]
        data = result_data(record)
        if not isinstance(data, dict) or "inputs" not in data:
            continue
        inputs = ", ".join(f"{k}={v}" for k, v in data["inputs"].items() if v is not None)
        lines += [f"  - inputs after defaults: {inputs}"]
        if data.get("formula"):
            lines += [f"  - formula: {data['formula']}"]
        lines += [f"  - assumption: {a}" for a in data.get("assumptions") or []]
        lines += [f"  - source: {s}" for s in data.get("sources") or []]
    return lines


def _charts(path: Path, turn: int, answer: Answer) -> list[str]:
    lines = []
    for n, chart in enumerate(answer.charts, 1):
        source = Path(chart)
        if not source.is_file():
            lines.append(f"_(chart {source.name} is no longer on disk)_")
            continue
        name = f"{path.stem}-chart-{turn}-{n}.png"
        shutil.copyfile(source, path.parent / name)
        lines.append(f"![{source.stem}]({name})")
    return lines


def answer_markdown(path: Path, turn: int, question: str, answer: Answer) -> list[str]:
    lines = [f"## {turn}. {question}", "", answer.answer.strip(), ""]
    for tool, group, fields in comparisons(scenarios(answer.tool_calls)):
        head, rows = table_rows(group, fields)
        lines += [f"**{tool}, side by side**", "", markdown_table(head, rows), ""]
    charts = _charts(path, turn, answer)
    if charts:
        lines += charts + [""]
    if answer.tool_calls:
        lines += ["### Work", ""] + _work(answer) + [""]
    if answer.citations:
        lines += ["### Citations", ""]
        for i, c in enumerate(answer.citations, 1):
            lines += [f"{i}. {citation_label(c)}", "", "   > " + " ".join(c.text.split()), ""]
            lines += [f"   {url}" for url in c.source_urls]
    if answer.warnings:
        lines += ["### Unverified", ""] + [f"- ⚠ {w}" for w in answer.warnings] + [""]
    return lines


def write_markdown(path: Path, turns: Sequence[tuple[str, Answer]], *, model: str, conversation_id: str) -> str:
    """Write the Markdown file (and its chart images); returns a note on the images."""
    head = "Model: " + (model or turns[-1][1].model) + (f" · conversation {conversation_id}" if conversation_id else "")
    lines = ["# Siliconomics conversation", "", head, ""]
    for turn, (question, answer) in enumerate(turns, 1):
        lines += answer_markdown(path, turn, question, answer)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    images = sum(len(a.charts) for _, a in turns)
    return f"{images} chart image{'s' if images != 1 else ''} beside it" if images else ""
