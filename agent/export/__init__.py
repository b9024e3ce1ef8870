"""Figures that leave the tool: a conversation (or its last answer) written as .md, .csv or .xlsx.

:func:`export` picks the writer from the file's suffix:

- ``.md`` (:mod:`agent.export.markdown`): every answer's whole text, comparison tables, the work
  of every tool call in full (inputs, formula, assumptions, sources), citations, and charts
  copied beside the file and embedded as images;
- ``.csv`` (:mod:`agent.export.table`): one row per scenario: inputs, defaults used, outputs,
  sources, with units in the headers;
- ``.xlsx`` (:mod:`agent.export.xlsx`): an answers sheet, a sheet per tool call (one row per
  scenario, numbers as numbers, units in the headers) and an assumptions-and-sources sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from agent.answer import Answer
from tools.errors import InputError

FORMATS = (".md", ".csv", ".xlsx")
Turns = Sequence[tuple[str, Answer]]


def export(path: str | Path, turns: Turns, *, model: str = "", conversation_id: str = "") -> str:
    """Write ``turns`` (question, answer) to ``path``; returns one line saying what was written.

    Raises ``InputError`` (field ``export``) for an unknown suffix or nothing to write, and
    ``OSError`` when the file cannot be written.
    """
    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise InputError("export", f"'{target.name}' must end in {', '.join(FORMATS)}.")
    if not turns:
        raise InputError("export", "nothing to export yet: ask a question first.")
    if target.parent and not target.parent.exists():
        raise InputError("export", f"folder '{target.parent}' does not exist.")
    if suffix == ".md":
        from agent.export.markdown import write_markdown

        extra = write_markdown(target, turns, model=model, conversation_id=conversation_id)
    elif suffix == ".csv":
        from agent.export.table import write_csv

        extra = write_csv(target, turns)
    else:
        from agent.export.xlsx import write_xlsx

        extra = write_xlsx(target, turns)
    n = len(turns)
    return f"wrote {n} answer{'s' if n > 1 else ''} to {target}" + (f" ({extra})" if extra else "")
