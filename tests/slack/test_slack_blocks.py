"""Block Kit builders: pure functions, checked against Slack's limits."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.answer import Answer, Citation, ToolCallRecord
from agent.slack import blocks
from agent.slack.blocks import (
    BLOCKS_PER_MESSAGE_MAX,
    CONTEXT_ELEMENTS_MAX,
    FIELD_TEXT_MAX,
    FIELDS_MAX,
    MESSAGE_CHARS_MAX,
    SECTION_TEXT_MAX,
    answer_messages,
    markdown_to_mrkdwn,
    split_text,
)


def assert_within_limits(message: dict) -> None:
    assert message["text"] and len(message["text"]) <= blocks.FALLBACK_TEXT_MAX
    assert 1 <= len(message["blocks"]) <= BLOCKS_PER_MESSAGE_MAX
    total = 0
    for block in message["blocks"]:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= SECTION_TEXT_MAX
            total += len(block["text"]["text"])
        if "fields" in block:
            assert len(block["fields"]) <= FIELDS_MAX and all(len(f["text"]) <= FIELD_TEXT_MAX for f in block["fields"])
            total += sum(len(f["text"]) for f in block["fields"])
        if block["type"] == "context":
            assert 1 <= len(block["elements"]) <= CONTEXT_ELEMENTS_MAX
            assert all(len(e["text"]) <= FIELD_TEXT_MAX for e in block["elements"])
            total += sum(len(e["text"]) for e in block["elements"])
    assert total <= MESSAGE_CHARS_MAX


def test_markdown_becomes_mrkdwn():
    md = "# Fit\n**728** requests, *peak* and __bold__ ~~old~~ `a*b*c`\n- one\n  * two\nsee [docs](https://x.io/a?b=1&c=2)"
    assert markdown_to_mrkdwn(md) == (
        "*Fit*\n*728* requests, _peak_ and *bold* ~old~ `a*b*c`\n• one\n  • two\nsee <https://x.io/a?b=1&amp;c=2|docs>"
    )


def test_reserved_characters_are_escaped_everywhere():
    out = markdown_to_mrkdwn("a < b & c > d\n```\nx<y\n```")
    assert out == "a &lt; b &amp; c &gt; d\n```\nx&lt;y\n```"


def test_table_becomes_aligned_code_block_with_numbers_right_aligned():
    md = "| chip | memory GB | price |\n|---|---:|---|\n| **H100** | 80 | $2.10 |\n| H200 | 141 | $3.50 |"
    assert markdown_to_mrkdwn(md) == "```\nchip  memory GB  price\nH100         80  $2.10\nH200        141  $3.50\n```"


def test_unclosed_code_fence_is_closed():
    assert markdown_to_mrkdwn("```\ncode").endswith("```")


def test_split_text_keeps_pieces_within_limit_and_code_fences_balanced():
    text = (
        "para one\n\n" + "```\n" + "\n".join(f"row {i:04d} " + "x" * 60 for i in range(200)) + "\n```\n" + "tail " * 900
    )
    pieces = split_text(text, 3000)
    assert len(pieces) > 3
    assert all(len(p) <= 3000 for p in pieces)
    assert all(p.count("```") % 2 == 0 for p in pieces)
    joined = "".join(pieces)
    assert all(f"row {i:04d}" in joined for i in range(200)) and joined.count("tail") == 900


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="`"), max_size=9000),
    st.integers(200, 3000),
)
def test_split_text_never_exceeds_the_limit_or_loses_words(text, limit):
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    rejoined = "".join(pieces)  # cuts drop at most the whitespace they fall on
    assert all(w in rejoined for w in text.split())


def make_answer(**kw) -> Answer:
    base = dict(
        answer="**728** requests fit.\n\n| gpus | requests |\n|---|---|\n| 8 | 728 |",
        tool_calls=[
            ToolCallRecord(
                name="memory_fit",
                args={"model": "llama-3.1-70b", "chip": "h100", "gpus": 8},
                result={"fits": True, "max_concurrent_sequences": 728, "weights_bytes": 141107412992},
            )
        ],
        citations=[
            Citation(
                text="Memory is the bottleneck " * 20,
                source="bg2-transcript",
                chapter="Memory",
                timestamp="41:10",
                source_urls=["https://example.org/ep"],
            )
        ],
        warnings=["figure 999 not traced to a tool result"],
        model="offline",
        elapsed_s=0.4,
    )
    base.update(kw)
    return Answer(**base)


def test_answer_message_has_answer_key_figures_warning_tool_calls_and_citations():
    (message,) = answer_messages(make_answer())
    assert_within_limits(message)
    dump = json.dumps(message["blocks"], ensure_ascii=False)
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds[0] == "section" and "*728* requests fit." in message["blocks"][0]["text"]["text"]
    assert "```\\ngpus  requests\\n   8       728\\n```" in dump
    fields = next(b["fields"] for b in message["blocks"] if "fields" in b)
    assert {"type": "mrkdwn", "text": "*max concurrent sequences*\n728"} in fields
    assert any("141,107,412,992 B (141.1 GB = 131.4 GiB)" in f["text"] for f in fields)
    assert ":warning: *Grounding check*\\n• figure 999 not traced" in dump
    assert "`memory_fit(model=llama-3.1-70b, chip=h100, gpus=8)`" in dump
    assert "<https://example.org/ep|bg2-transcript · Memory · 41:10> — “Memory is the bottleneck" in dump
    assert "…”" in dump  # long excerpt shortened
    assert "model: offline · 0.4 s" in dump


def test_failed_tool_call_shows_its_error():
    call = ToolCallRecord(name="kv_cache", args={"model": "gpt-9"}, error="model: unknown model 'gpt-9'")
    assert blocks.tool_call_line(call) == "`kv_cache(model=gpt-9)` → error: model: unknown model 'gpt-9'"


def test_long_answer_is_split_into_several_messages_within_limits():
    long_md = "\n\n".join(f"Paragraph {i}: " + "word " * 150 for i in range(60))  # ~45,000 characters
    calls = [
        ToolCallRecord(name="kv_cache", args={"context": i}, result={"bytes_per_token": 1000 + i, "total_gb": 1.5})
        for i in range(15)
    ]
    messages = answer_messages(make_answer(answer=long_md, tool_calls=calls))
    assert len(messages) >= 4
    for message in messages:
        assert_within_limits(message)
    text = " ".join(json.dumps(m["blocks"]) for m in messages)
    assert all(f"Paragraph {i}:" in text for i in range(60))
    assert sum(len(b["fields"]) for m in messages for b in m["blocks"] if "fields" in b) == blocks.KEY_FIGURES_MAX


def test_many_blocks_are_paginated_at_fifty():
    page = blocks.paginate([blocks.section("x")] * 120)
    assert [len(p["blocks"]) for p in page] == [50, 50, 20]


def test_context_packs_lines_into_at_most_ten_elements():
    block = blocks.context([f"line {i} " + "y" * 500 for i in range(100)])
    assert len(block["elements"]) == CONTEXT_ELEMENTS_MAX and all(
        len(e["text"]) <= FIELD_TEXT_MAX for e in block["elements"]
    )


def test_short_messages():
    assert (
        blocks.error_message("chip: unknown <x>")["text"]
        == ":warning: Sorry, I could not answer that: chip: unknown &lt;x&gt;"
    )
    limited = blocks.rate_limited_message(5, 60, 12.4)["text"]
    assert "5 questions in the last 60 s" in limited and "about 12 s" in limited
    assert "Working on it" in blocks.working_message()["text"]


def _tco_record(chips, **args):
    from tools.registry import get

    result = get("tco").run({"chip": chips, **args}).model_dump(mode="json")
    return ToolCallRecord(name="tco", args={"chip": chips, **args}, result=result)


def test_brief_message_shows_a_comparison_as_an_aligned_table_and_a_show_work_button():
    answer = make_answer(
        answer="**NVIDIA H100 SXM5 80GB: $1.50 per accelerator-hour**\n\n**Formula:** annual / 8760\n\nRead as: tco(chip=[h100, mi300x])",
        tool_calls=[_tco_record(["h100", "mi300x"])],
        citations=[],
        warnings=[],
    )
    message = blocks.brief_message(answer, "C1:100.1")
    assert_within_limits(message)
    dump = json.dumps(message["blocks"], ensure_ascii=False)
    # H100 $1.50 from its catalog price (prices.csv, $33,600 all-in); MI300X $0.954 from the SemiAnalysis
    # reference cost per accelerator-hour (reference_cost_per_gpu_hour.csv), the catalog's cost basis for it
    assert re.search(
        r"```\\nscenario +\$/acc-hour +\$/used hour.*\\nH100 +\$1\.50/h +\$1\.87/h.*\\nMI300X +\$0\.954/h", dump
    ), dump
    assert "Formula" not in dump and "Read as" not in dump
    (actions,) = [b for b in message["blocks"] if b["type"] == "actions"]
    assert (
        actions["elements"][0]["action_id"] == blocks.SHOW_WORK_ACTION and actions["elements"][0]["value"] == "C1:100.1"
    )
    assert "Show work: formula, 1 tool call" in dump


def test_brief_message_without_more_to_show_has_no_button():
    message = blocks.brief_message(make_answer(answer="Hello.", tool_calls=[], citations=[], warnings=[]), "k")
    assert [b["type"] for b in message["blocks"]] == ["section", "context"]
