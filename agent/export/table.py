"""Scenarios as rows: the shared columns of the .csv and .xlsx exports.

One row per scenario (:mod:`agent.render.scenarios`): the turn and question, the tool, the
scenario label, every input after defaults (header ``name (unit)``), the names of the inputs
the question did not state, every scalar output (``name (unit)``), and the sources. Numbers
stay numbers; lists become ``a; b`` text.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.answer import Answer
from agent.render.figures import header
from agent.render.scenarios import Scenario, scenarios

LEAD = ("turn", "question", "tool", "scenario")


def cell(value: Any) -> Any:
    """A value as a spreadsheet cell: numbers and text as they are, lists joined, None empty."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={v}" for k, v in value.items())
    return value


def scenario_rows(turns: Sequence[tuple[str, Answer]]) -> list[tuple[int, str, Scenario]]:
    return [(i, q, s) for i, (q, a) in enumerate(turns, 1) for s in scenarios(a.tool_calls)]


def columns(items: Sequence[Scenario]) -> tuple[list[str], list[str]]:
    """Input and output field names over ``items``, in first-seen order."""
    inputs: dict[str, None] = {}
    outputs: dict[str, None] = {}
    for s in items:
        inputs.update(dict.fromkeys(s.inputs))
        outputs.update(dict.fromkeys(s.outputs))
    return list(inputs), list(outputs)


def header_row(inputs: list[str], outputs: list[str]) -> list[str]:
    return [*LEAD, *(f"in: {header(n)}" for n in inputs), "defaults used", *(header(n) for n in outputs), "sources"]


def row(turn: int, question: str, s: Scenario, inputs: list[str], outputs: list[str]) -> list[Any]:
    return [
        turn,
        question,
        s.tool,
        s.label,
        *(cell(s.inputs.get(n)) for n in inputs),
        "; ".join(s.defaults),
        *(cell(s.outputs.get(n)) for n in outputs),
        "; ".join(s.sources),
    ]


def write_csv(path: Path, turns: Sequence[tuple[str, Answer]]) -> str:
    """One row per scenario over every turn; returns a note on what was written."""
    rows = scenario_rows(turns)
    inputs, outputs = columns([s for _, _, s in rows])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header_row(inputs, outputs))
        for turn, question, s in rows:
            writer.writerow(row(turn, question, s, inputs, outputs))
    return f"{len(rows)} scenario row{'s' if len(rows) != 1 else ''}" if rows else "no calculator results: header only"
