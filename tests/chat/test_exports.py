"""Exports: .md with charts beside it, .csv one row per scenario, .xlsx read back with openpyxl and a
TCO figure recomputed from the exported inputs with the calculator (tools.tco).

The answers are real: ``ask()`` with the offline planner on a two-chip cost comparison.
"""

from __future__ import annotations

import csv

import pytest

from agent.ask import ask
from agent.export import export
from tools.errors import InputError

QUESTION = "compare cost per million tokens of H100 and MI300X for llama 70b, and chart it"


@pytest.fixture(scope="module")
def turns(tmp_path_factory):
    from agent.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("export-data"))
    fit = "how many concurrent requests fit for Llama-3.1-70B bf16 on 8x H100 with 1k prompt and 1k output tokens?"
    return [
        (QUESTION, ask(QUESTION, model="offline", settings=settings)),
        (fit, ask(fit, model="offline", settings=settings)),
    ]


def _headers(row, *, inputs: bool = False):
    """Column index by field name: the input columns ('in: name (unit)') or the others ('name (unit)')."""
    return {h.removeprefix("in: ").split(" (")[0]: i for i, h in enumerate(row) if h.startswith("in: ") == inputs}


def test_xlsx_round_trip_recomputes_the_cost_per_hour_from_the_exported_inputs(turns, tmp_path):
    from openpyxl import load_workbook

    from tools.tco import TCOInput, tco

    note = export(tmp_path / "figures.xlsx", turns, model="offline")
    assert note.startswith("wrote 2 answers to") and "2 tool-call sheets" in note
    book = load_workbook(tmp_path / "figures.xlsx")
    assert book.sheetnames == ["Answers", "T1.1 tco", "T2.1 memory_fit", "Assumptions and sources"]
    sheet = book["T1.1 tco"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "tool call" and rows[1] == ("question", QUESTION) + (None,) * (len(rows[1]) - 2)
    head = rows[3]
    assert (
        "in: pue" in head
        and "in: utilization (fraction)" in head
        and "in: electricity (USD/kWh)" in head
        and "cost_per_accelerator_hour (USD/h)" in head
    )
    col, incol = _headers(head), _headers(head, inputs=True)
    scenarios = rows[4:]
    assert [r[col["scenario"]] for r in scenarios] == ["H100", "MI300X"]
    fields = set(TCOInput.model_fields)
    for row in scenarios:
        inputs = {name: row[i] for name, i in incol.items() if name in fields and row[i] not in (None, "")}
        # numbers, not text (a chip costed from a reference $/hour, like MI300X, exports no capex)
        assert all(
            isinstance(inputs[k], (int, float))
            for k in ("pue", "electricity") + ("capex_per_accelerator",) * ("capex_per_accelerator" in inputs)
        )
        inputs["chip"] = [inputs["chip"]]
        result = tco(TCOInput(**inputs))
        assert result.cost_per_accelerator_hour == pytest.approx(row[col["cost_per_accelerator_hour"]], rel=1e-9)
        assert result.cost_per_million_tokens == pytest.approx(row[col["cost_per_million_tokens"]], rel=1e-9)
    # H100: the catalog's $33,600 (accelerators.csv est_price_usd) gives $1.50 per accelerator-hour (economics guide)
    assert round(scenarios[0][col["cost_per_accelerator_hour"]], 2) == 1.50
    notes = list(book["Assumptions and sources"].iter_rows(values_only=True))
    assert notes[0] == ("turn", "sheet", "scenario", "kind", "text")
    kinds = {r[3] for r in notes[1:]}
    assert {"assumption", "source", "default used", "formula"} <= kinds
    assert not any(str(r[4]).endswith("…") for r in notes[1:])  # whole texts, nothing cut
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert answers[1][1] == QUESTION and "tco(" in answers[1][4]


def test_csv_has_one_row_per_scenario_with_units_in_headers(turns, tmp_path):
    export(tmp_path / "figures.csv", turns)
    with (tmp_path / "figures.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    assert head[:4] == ["turn", "question", "tool", "scenario"]
    assert "defaults used" in head and head[-1] == "sources" and "max_concurrent_sequences (requests)" in head
    assert [(r[0], r[2], r[3]) for r in body] == [
        ("1", "tco", "H100"),
        ("1", "tco", "MI300X"),
        ("2", "memory_fit", "H100"),
    ]
    col = head.index("max_concurrent_sequences (requests)")
    assert body[2][col] == "728"
    assert "pue" in body[0][head.index("defaults used")]


def test_markdown_embeds_the_chart_copied_beside_it(turns, tmp_path):
    assert turns[0][1].charts, "the question asked for a chart"
    export(tmp_path / "notes.md", turns, model="offline", conversation_id="c1")
    text = (tmp_path / "notes.md").read_text()
    assert "![" in text and "(notes-chart-1-1.png)" in text
    assert (tmp_path / "notes-chart-1-1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| scenario | $/acc-hour |" in text and "| H100 | $1.50/h |" in text
    assert "  - assumption: " in text and "  - source: " in text and "### Work" in text


def test_bad_export_targets_are_one_clear_error(turns, tmp_path):
    with pytest.raises(InputError, match=r"export: 'x.pdf' must end in .md, .csv, .xlsx"):
        export(tmp_path / "x.pdf", turns)
    with pytest.raises(InputError, match="nothing to export yet"):
        export(tmp_path / "x.csv", [])
    with pytest.raises(InputError, match="does not exist"):
        export(tmp_path / "nope" / "x.csv", turns)
