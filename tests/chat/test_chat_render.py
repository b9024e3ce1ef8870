"""Rendering of answers in the chat, checked on captured console output."""

from __future__ import annotations

import json

from chat_samples import MEMORY_CITATION, kv_answer, kv_record
from rich.panel import Panel

from agent.answer import Answer, ToolCallRecord
from agent.render.terminal import (
    call_signature,
    citation_lines,
    result_summary,
    sources_renderable,
    tool_line,
    tools_renderable,
    warnings_renderable,
)


def _text(console, renderable) -> str:
    console.print(renderable)
    return console.export_text()


def test_tool_line_shows_arguments_and_key_results(console):
    out = _text(console, tool_line(kv_record()))
    assert "kv_cache(model=llama-3.1-70b, context=32000, batch=8)" in out
    assert "bytes_per_token=327,680 B" in out
    assert "total_bytes=83,886,080,000 B (83.9 GB)" in out


def test_tool_line_fp8_halves_the_total(console):
    out = _text(console, tool_line(kv_record(kv_dtype="fp8")))
    assert "kv_dtype=fp8" in out
    assert "bytes_per_token=163,840 B" in out
    assert "total_bytes=41,943,040,000 B (41.9 GB)" in out


def test_result_given_as_json_string_reads_the_same():
    record = kv_record()
    as_string = ToolCallRecord(name=record.name, args=record.args, result=json.dumps(record.result))
    assert result_summary(as_string) == result_summary(record)


def test_tool_error_is_shown_in_red():
    record = ToolCallRecord(name="kv_cache", args={"model": "llama-9"}, error="model: unknown model 'llama-9'.")
    line = tool_line(record)
    assert "error: model: unknown model 'llama-9'." in line.plain
    assert any(span.style == "red" for span in line.spans)


def test_error_returned_as_tool_message_content_is_an_error():
    record = ToolCallRecord(name="kv_cache", args={}, result={"error": "context: must be >= 1 (got 0)."})
    assert result_summary(record) == "error: context: must be >= 1 (got 0)."


def test_search_summary_counts_passages_and_names_the_top_chapter():
    passages = [
        {"text": "x", "source": "BG2", "chapter": "Memory and HBM", "timestamp": "43:10", "score": 1.0, "chunk_id": "a"}
    ] * 5
    record = ToolCallRecord(name="search_knowledge", args={"query": "HBM margins", "k": 5}, result=passages)
    assert call_signature(record) == "search_knowledge(query='HBM margins', k=5)"
    assert result_summary(record) == "5 passages (top: Memory and HBM · 43:10)"


def test_registry_tools_lead_with_their_key_fields():
    record = ToolCallRecord(
        name="calculate", args={"expression": "1024*2*8760"}, result={"expression": "1024*2*8760", "value": 17940480}
    )
    assert result_summary(record) == "value=17,940,480"


def test_unknown_tool_falls_back_to_first_scalars():
    record = ToolCallRecord(name="made_up", args={"x": 1}, result={"expression": "1024*2*8760", "value": 17940480})
    assert result_summary(record) == "expression=1024*2*8760, value=17,940,480"


def test_capex_summary_puts_figures_first_and_years_without_commas():
    from tools.registry import get

    args = {"company": ["microsoft"], "through": 2027}
    result = get("capex").run(args).model_dump(mode="json")
    summary = result_summary(ToolCallRecord(name="capex", args=args, result=result))
    assert summary.startswith("last_history_year=2025, cumulative_usd_b=")
    assert "through=" not in summary  # repeats the argument


def test_citation_shows_chapter_time_and_a_shortened_quote(console):
    out = _text(console, citation_lines([MEMORY_CITATION])[0])
    assert "[1] Memory and HBM · 43:10 — BG2: AI Semiconductor Landscape feat. Dylan Patel" in out
    assert "“The memory makers have had terrible margins for years" in out
    assert "…”" in out  # long passages are cut on screen, given whole by /sources


def test_warnings_are_boxed_in_yellow_and_absent_when_clean(console):
    assert warnings_renderable([]) is None
    box = warnings_renderable(["12.5 GB is not traceable to a tool result, a citation or the question"])
    assert isinstance(box, Panel) and box.border_style == "yellow"
    out = _text(console, box)
    assert "unverified" in out and "⚠ 12.5 GB is not traceable" in out


def test_text_chart_drawn_only_when_the_answer_wrote_a_chart(console):
    from agent.render.terminal import terminal_charts
    from tools.registry import get

    result = get("capex").run({"company": ["microsoft"]})
    record = ToolCallRecord(name="capex", args={"company": ["microsoft"]}, result=result.model_dump(mode="json"))
    assert terminal_charts(Answer(answer="x", tool_calls=[record], model="offline")) == []
    charts = terminal_charts(
        Answer(answer="x", tool_calls=[record, kv_record()], model="offline", charts=["/tmp/c.png"])
    )
    assert len(charts) == 1  # kv_cache draws no chart
    out = _text(console, charts[0])
    assert "Microsoft: capex, US$ billions" in out and "2025  █" in out


def test_tools_command_expands_to_the_calculator_table(console):
    out = _text(console, tools_renderable(kv_answer()))
    assert "kv_cache(model=llama-3.1-70b, context=32000, batch=8)" in out
    assert "bytes_per_token" in out and "327,680 B (327.7 KB = 320.0 KiB)" in out
    assert "Formula: bytes/token = 2 (K,V) x layers x kv_heads x head_dim x bytes_per_value" in out


def test_tools_command_without_tools_says_so(console):
    out = _text(console, tools_renderable(Answer(answer="hi", model="offline")))
    assert "used no tools" in out


def test_sources_lists_whole_passage_and_catalog_sources(console):
    out = _text(console, sources_renderable(kv_answer(citations=[MEMORY_CITATION])))
    assert out.count("terrible margins") == 6  # the whole passage, not the cut one
    assert "source: Llama-3.1-70B: github.com/meta-llama/llama-models" in out


def test_export_markdown_has_questions_tool_calls_and_whole_citations(tmp_path):
    from agent.export import export

    turns = [
        ("KV cache for Llama 3.1 70B at 32k context, batch 8?", kv_answer()),
        (
            "what did he say about HBM?",
            Answer(answer="He said margins were bad [1].", citations=[MEMORY_CITATION], model="offline"),
        ),
    ]
    export(tmp_path / "c.md", turns, model="offline", conversation_id="chat-x")
    md = (tmp_path / "c.md").read_text()
    assert md.startswith("# Siliconomics conversation\n")
    assert "## 1. KV cache for Llama 3.1 70B at 32k context, batch 8?" in md
    assert "- `kv_cache(model=llama-3.1-70b, context=32000, batch=8)` → bytes_per_token=327,680 B" in md
    assert "1. Memory and HBM · 43:10 — BG2: AI Semiconductor Landscape feat. Dylan Patel" in md
    assert md.count("terrible margins") == 6 and "…" not in md  # the whole passage, nothing cut
