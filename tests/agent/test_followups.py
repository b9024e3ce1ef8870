"""Follow-ups that lean on the conversation (agent.offline.followups, agent.delta), through the real ``ask()``.

The offline planner with a stored conversation, and a scripted language model for the delta line
on the language-model path. Figures: Llama-3.1-70B KV 327,680 B/token in bf16 (tools/kv_cache.py
docstring), so 32k x 8 = 83.89 GB, fp8 half; catalog prices from knowledge/data/accelerators.csv.
"""

from __future__ import annotations

from fakes import ScriptedChatModel, calls, say

from agent.ask import ask
from agent.settings import Settings


def _args(answer):
    return [(r.name, r.args) for r in answer.tool_calls]


def test_language_model_follow_up_gets_a_delta_line(data_dir):
    settings = Settings(data_dir=data_dir)
    kv = {"model": "llama-3.1-70b", "context": 32000, "batch": 8}
    first = ScriptedChatModel(script=[calls(("kv_cache", kv)), say("The whole batch holds 83.89 GB.")])
    ask("kv cache for llama 70b at 32k, batch 8?", conversation_id="llm-delta", model=first, settings=settings)
    second = ScriptedChatModel(script=[calls(("kv_cache", {**kv, "kv_dtype": "fp8"})), say("At fp8 it is 41.94 GB.")])
    answer = ask("and at fp8?", conversation_id="llm-delta", model=second, settings=settings)
    assert answer.answer.startswith("**Change:** 41.94 GB vs 83.89 GB KV cache in total")
    assert answer.answer.endswith("\n\nAt fp8 it is 41.94 GB.")
    assert "(kv_dtype fp8, was bf16): 0.50x." in answer.answer
    assert answer.warnings == []


def test_a_new_question_has_no_delta_line(chat):
    chat("KV cache for Llama 3.1 70B at 32k context, batch 8?")
    answer = chat("how many concurrent requests fit for Llama-3.1-8B on one H100 with 1k prompt and 1k output tokens?")
    assert "**Change:**" not in answer.answer


def test_and_x_adds_to_a_comparison_with_its_own_price(chat):
    chat("compare cost per hour of H100 and MI300X")
    answer = chat("and B200 at $40k?")
    assert _args(answer) == [
        ("tco", {"chip": ["h100", "mi300x"]}),
        ("tco", {"chip": ["b200"], "capex_per_accelerator": 40000.0}),
    ]
    assert "Added to the comparison: B200" in answer.answer and answer.warnings == []


def test_a_price_is_not_carried_to_another_chip_and_a_bare_value_resumes(chat):
    chat("what does a B200 cost per hour at $40k each?")
    asked = chat("and with GB200 instead?")
    assert asked.tool_calls == [] and "I won't carry it to GB200" in asked.answer
    resumed = chat("$60k")
    assert _args(resumed) == [("tco", {"chip": ["gb200"], "capex_per_accelerator": 60000.0})]
    assert "Resumed the previous question" in resumed.answer
    other = chat("and on MI300X?")  # a chip with a catalog price: the GB200 price is dropped, and said
    assert _args(other) == [("tco", {"chip": ["mi300x"]})]
    assert "The price you gave for GB200 is not carried to MI300X" in other.answer


def test_chart_table_and_redo_act_on_the_last_result(chat):
    first = chat("forecast microsoft capex through 2027")
    redo = chat("redo that forecast using company guidance")
    assert _args(redo) == [("capex", {**first.tool_calls[0].args, "method": "guidance"})]
    chart = chat("chart that")
    assert _args(chart) == _args(redo) and chart.charts
    table = chat("as a table")
    assert _args(table) == _args(redo) and "| figure | Microsoft |" in table.answer


def test_export_that_says_how_to_export(chat):
    chat("KV cache for Llama 3.1 70B at 32k context, batch 8?")
    answer = chat("export that")
    assert answer.tool_calls == [] and "/export FILE" in answer.answer and "--export FILE" in answer.answer


def test_short_topic_question_searches_its_own_topic_and_that_reuses_the_last(chat):
    chat("what is the cost per hour of an H100?")
    hbm = chat("what did Dylan say about HBM?")
    (call,) = hbm.tool_calls
    assert (call.name, call.args["query"], call.args["source"]) == ("search_knowledge", "HBM", "transcript")
    again = chat("where did he say that?")
    assert _args(again)[0][1]["query"] == "HBM"


def test_my_notes_in_plain_words_search_the_ingested_notes(chat):
    answer = chat("what does my channel check say about CoWoS?")
    (call,) = answer.tool_calls
    assert call.name == "search_knowledge" and call.args["query"] == "CoWoS channel check"
    assert "'my channel check' read as your ingested notes" in answer.answer
