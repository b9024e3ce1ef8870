"""The welcome screen counts what the bundled data holds; the index stamp decides first-run builds."""

from __future__ import annotations

import csv
from importlib import resources

from agent.chat.app import EXAMPLES, _index_stamp, index_is_current, knowledge_facts, welcome_renderable
from tools.catalog import accelerators, models


def test_facts_are_counted_from_the_data():
    facts = knowledge_facts()
    assert facts["chips"] == len(accelerators()) and facts["models"] == len(models())
    with (resources.files("knowledge") / "data" / "capex.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert facts["capex_through"] == max(int(r["fiscal_year"]) for r in rows if r["is_guidance"] != "y")
    assert facts["chapters"] >= 10  # the transcript opens with its chapter list


def test_welcome_names_model_knowledge_and_four_examples(console):
    console.print(welcome_renderable("offline", knowledge_facts()))
    out = console.export_text()
    assert "Model: offline (deterministic planner: no API key and no network needed)" in out
    assert f"{len(accelerators())} chips, {len(models())} models" in out
    assert len(EXAMPLES) == 4 and all(q in out for q in EXAMPLES)
    console.print(welcome_renderable("openai:gpt-4.1-mini", knowledge_facts()))
    assert "no API key" not in console.export_text()


def test_index_stamp_marks_the_current_data(tmp_path):
    assert not index_is_current(tmp_path)
    stamp = _index_stamp(tmp_path)
    stamp.parent.mkdir(parents=True)
    stamp.write_text("0123456789abcdef\n")
    assert not index_is_current(tmp_path)  # built from other data: rebuild with a progress bar
    from knowledge.index import bundled_hash

    stamp.write_text(bundled_hash() + "\n")
    assert index_is_current(tmp_path)
