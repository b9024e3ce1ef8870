"""The .xlsx export (openpyxl): answers, a sheet per tool call, assumptions and sources.

- ``Answers``: turn, question, the brief answer, model, the tool calls.
- ``T<turn>.<call> <tool>``: the call as written, the question, then one row per scenario
  with every input after defaults (``in: name (unit)``), the inputs the question did not
  state, and every output (``name (unit)``); numbers are numbers, so a figure can be
  recomputed from its row. A search sheet lists its passages; other tools their arguments
  and result.
- ``Assumptions and sources``: every assumption, default and source, with the sheet it belongs to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.answer import Answer, ToolCallRecord
from agent.export.table import cell, columns, header_row, row
from agent.render.brief import brief
from agent.render.scenarios import result_data, scenarios
from agent.render.terminal import call_signature

ASSUMPTIONS_SHEET = "Assumptions and sources"
#: Widest a column is set to, in characters.
MAX_WIDTH = 60


def _bold_row(ws: Any, values: list[Any]) -> None:
    from openpyxl.styles import Font

    ws.append(values)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)


def _widths(ws: Any) -> None:
    from openpyxl.utils import get_column_letter

    for i, col in enumerate(ws.iter_cols(values_only=True), 1):
        width = max((len(str(v)) for v in col if v is not None), default=8)
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(8, width + 2))


def _sheet_name(turn: int, index: int, tool: str) -> str:
    return f"T{turn}.{index} {tool}"[:31]


def _calculator_sheet(
    ws: Any, turn: int, question: str, record: ToolCallRecord, call: int, notes: list[list[Any]]
) -> None:
    items = [s for s in scenarios([record])]
    inputs, outputs = columns(items)
    ws.append(["tool call", call_signature(record)])
    ws.append(["question", question])
    ws.append([])
    _bold_row(ws, header_row(inputs, outputs))
    for s in items:
        ws.append(row(turn, question, s, inputs, outputs))
        for kind, texts in (("assumption", s.assumptions), ("source", s.sources), ("default used", s.defaults)):
            notes.extend([turn, ws.title, s.label, kind, t] for t in texts)
    data = result_data(record)
    formula = data.get("formula") if isinstance(data, dict) else None
    if formula:
        notes.append([turn, ws.title, "", "formula", formula])


def _search_sheet(ws: Any, question: str, record: ToolCallRecord) -> None:
    ws.append(["tool call", call_signature(record)])
    ws.append(["question", question])
    ws.append([])
    _bold_row(ws, ["rank", "source", "chapter", "timestamp", "text", "links"])
    for i, p in enumerate(result_data(record) or [], 1):
        if isinstance(p, dict):
            ws.append(
                [i, p.get("source"), p.get("chapter"), p.get("timestamp"), p.get("text"), cell(p.get("source_urls"))]
            )


def _other_sheet(ws: Any, question: str, record: ToolCallRecord) -> None:
    ws.append(["tool call", call_signature(record)])
    ws.append(["question", question])
    ws.append([])
    _bold_row(ws, ["field", "value"])
    for key, value in record.args.items():
        ws.append([f"in: {key}", cell(value)])
    data = result_data(record)
    if record.error:
        ws.append(["error", record.error])
    elif isinstance(data, dict):
        for key, value in data.items():
            ws.append(
                [key, cell(value) if not isinstance(value, (dict, list)) else json.dumps(value, default=str)[:32000]]
            )
    elif data is not None:
        ws.append(["result", json.dumps(data, default=str)[:32000]])


def write_xlsx(path: Path, turns: Sequence[tuple[str, Answer]]) -> str:
    """Write the workbook; returns a note on what it holds."""
    from openpyxl import Workbook

    book = Workbook()
    answers = book.active
    answers.title = "Answers"
    _bold_row(answers, ["turn", "question", "answer", "model", "tool calls"])
    notes: list[list[Any]] = []
    sheets = 0
    for turn, (question, answer) in enumerate(turns, 1):
        calls = "\n".join(call_signature(r) for r in answer.tool_calls)
        answers.append([turn, question, brief(answer).markdown(), answer.model, calls])
        for index, record in enumerate(answer.tool_calls, 1):
            ws = book.create_sheet(_sheet_name(turn, index, record.name))
            sheets += 1
            if scenarios([record]):
                _calculator_sheet(ws, turn, question, record, index, notes)
            elif record.name == "search_knowledge" and isinstance(result_data(record), list):
                _search_sheet(ws, question, record)
            else:
                _other_sheet(ws, question, record)
            _widths(ws)
        for c in answer.citations:
            notes.append(
                [turn, "Answers", "", "citation", f"{c.source} · {c.chapter or ''} {c.timestamp or ''}: {c.text}"]
            )
    sheet = book.create_sheet(ASSUMPTIONS_SHEET)
    _bold_row(sheet, ["turn", "sheet", "scenario", "kind", "text"])
    for line in notes:
        sheet.append(line)
    _widths(answers)
    _widths(sheet)
    book.save(path)
    return f"{sheets} tool-call sheet{'s' if sheets != 1 else ''}, {len(notes)} assumption and source rows"
