"""Failures found by red-teaming the offline planner, each pinned at the level where it was fixed.

The end-to-end versions (through ``ask()``, with expected figures and sources) are the ``rt-*``
cases of evals/suites/agent_offline.yaml; these tests pin the readers and the answer rules.
"""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.grounding import untraced
from agent.offline.compose import compose
from agent.offline.expressions import arithmetic_expression
from agent.offline.parse import parse
from agent.offline.plan import make_plan
from agent.offline.plan_types import Call
from agent.offline.planner import respond


def _calls(question: str, prior: list[Call] | None = None, prior_question: str = "") -> list[tuple[str, dict]]:
    plan = make_plan(question, prior or [], prior_question)
    assert plan.reply is None, plan.reply
    return [(c.name, c.args) for c in plan.calls]


# --- readers -----------------------------------------------------------------------------------


def test_negative_amounts_stay_negative_so_the_calculator_rejects_them() -> None:
    assert parse("cost per hour of an h100 at -$0.08/kWh").electricity == -0.08
    assert parse("h100 rental at $-2/hr margin").rental_price == -2.0
    assert parse("how many users fit llama 70b on -8 h100").count == -8
    assert parse("a 1-2 year horizon at $2/hr").rental_price == 2.0  # a range's dash is not a sign


def test_a_stated_zero_is_stated() -> None:
    assert parse("tco for 0 gpus").stated()["count"] == 0


def test_units_written_as_words() -> None:
    assert parse("if we charge 2 bucks an hour for h100s").rental_price == 2.0
    assert parse("power bill 10k gpus @ 8 cents").electricity == 0.08
    assert parse("what did MSFT spend in FY24?").year == 2024
    assert parse("kv cache for a 1M token context on llama 3.1 70b").total == 1_000_000
    assert parse("throughput at 90% mem efficiency").mem_eff == 0.9


def test_arithmetic_share_of_an_amount_but_not_of_a_quantity_with_a_unit() -> None:
    assert arithmetic_expression("how much is 2.5% of $200 billion") == "(2.5 / 100 * 200000000000)"
    assert arithmetic_expression("30% of 2 GW") is None
    assert arithmetic_expression("what's 8 x 700W x 1.3 pue") == "8 * 700 * 1.3"


# --- plans -------------------------------------------------------------------------------------


def test_company_spend_questions_go_to_the_filings_not_the_podcast() -> None:
    assert [n for n, _ in _calls("what did MSFT spend in FY24?")] == ["capex"]
    ((name, args),) = _calls("what did alphabet guide for 2026 capex")
    assert name == "capex" and args["method"] == "guidance"
    assert [n for n, _ in _calls("what did dylan say about amazon's capex")] == ["search_knowledge"]


def test_a_past_year_is_not_passed_as_the_forecast_horizon() -> None:
    ((_, args),) = _calls("meta capex 2023")
    assert "through" not in args


def test_transcript_questions_by_speaker_chapter_or_time() -> None:
    for q in (
        "who said amazon basics tpu",
        "what chapter talks about scaling laws",
        "at what time do they discuss openai's capex",
    ):
        ((name, args),) = _calls(q)
        assert name == "search_knowledge" and args["source"] == "transcript", q
        assert not {"who", "chapter", "time", "discuss"} & set(args["query"].split()), args["query"]


def test_a_fleets_power_draw_is_not_a_build_out() -> None:
    assert [n for n, _ in _calls("how many MW does a 100k h100 cluster draw")] == ["tco"]


def test_kv_with_a_concurrency_and_no_chip_is_the_cache_of_that_batch() -> None:
    ((name, args),) = _calls("KV for qwen 72b at 12 thousand tokens, 16 concurrent")
    assert name == "kv_cache" and args["batch"] == 16 and args["context"] == 12000


def test_utilization_in_a_fit_question_is_the_memory_share() -> None:
    ((_, args),) = _calls("fit 70b on 8 h100s at 200% utilization")
    assert args["gpu_mem_util"] == 2.0  # the calculator rejects it by name


def test_an_input_no_call_takes_is_said_not_dropped() -> None:
    plan = make_plan("tokens/s for llama 70b on 8 h100 with 11 kW per server", [])
    assert plan.calls == [] and "I could not use 11 kW per server" in (plan.reply or "")


def test_a_rental_price_beside_a_speed_is_the_speed_tools_price() -> None:
    plan = make_plan("tokens/s for llama 70b on 8 h100 at $2/hr", [])
    assert [(c.name, c.args.get("usd_per_gpu_hour")) for c in plan.calls if c.name == "throughput"] == [
        ("throughput", 2.0)
    ]


def test_one_part_that_cannot_be_computed_leaves_the_rest() -> None:
    plan = make_plan("tco and tokens/s for 405b fp8 on 8 mi350x", [])
    assert [c.name for c in plan.calls] == ["throughput", "memory_fit"]
    assert any(n.startswith("Left out: ") and "MI350X" in n for n in plan.notes)


def test_relative_follow_up_naming_the_thing_scaled() -> None:
    ((name, args),) = _calls("and 3x the campus?", [Call("buildout", {"chip": "h100", "gw": 1})], "1 GW of h100s")
    assert name == "buildout" and args["gw"] == 3


def test_superlative_spec_question_ranks_the_typed_catalog() -> None:
    (call,) = make_plan("which chip has the most HBM", []).calls
    assert call.name == "chip_specs" and call.args == {"sort": "memory", "ascending": False, "limit": 5}
    (call,) = make_plan("which accelerator has the lowest tdp", []).calls
    assert call.args["sort"] == "power" and call.args["ascending"] is True
    assert make_plan("gb200 nvlink bandwidth", []).spec[1] == "interconnect"


# --- answers -----------------------------------------------------------------------------------


def _answer(question: str, results: list[str]) -> str:
    """The planner's final text for ``question`` when its calls return ``results``."""
    first = respond([HumanMessage(question)])
    messages = [HumanMessage(question), first]
    messages += [ToolMessage(r, tool_call_id=c["id"]) for c, r in zip(first.tool_calls, results)]
    final = respond(messages)
    assert isinstance(final, AIMessage) and not final.tool_calls
    return final.text


def test_failed_call_answer_holds_no_number_the_question_does_not() -> None:
    question = "how many users fit for llama 3.1 8b on one l40s at 32k ctx"
    error = json.dumps({"error": "chip: unknown chip 'l40s'. Did you mean: NVIDIA H100 SXM5 80GB?"})
    text = _answer(question, [error])
    assert untraced(text, [question, error]) == []
    assert "Read as: memory_fit(model=Llama-3.1-8B, chip=l40s)" in text  # gpus=1, prompt and output were derived
    assert "left out of the Read as line" in text


def test_failed_call_keeps_the_arguments_the_question_wrote() -> None:
    call = Call("memory_fit", {"model": "Llama-3.1-70B", "chip": "h300", "gpus": 8})
    error = json.dumps({"error": "chip: unknown chip 'h300'."})
    text = compose([(call, error)], [], None, "how many users fit for llama 70b on 8x h300")
    assert "gpus=8" in text


def test_break_even_price_without_a_rental_price_is_the_used_hour_cost() -> None:
    from tools.registry import get

    result = get("tco").run({"chip": ["h100"]})
    plan = make_plan("break-even rental price for an h100", [])
    text = compose([(plan.calls[0], result.model_dump_json())], plan.notes, plan)
    per_used = (
        result.model_dump()["chips"][0]["cost_per_used_hour"]
        if result.model_dump().get("chips")
        else result.cost_per_used_hour
    )
    assert text.startswith("**NVIDIA H100 SXM5 80GB: break-even rental price")
    assert f"${per_used:.2f}" in text.split("\n")[0]


def test_power_of_a_chip_with_no_catalog_price_uses_its_all_in_kw() -> None:
    plan = make_plan("how many MW does 100k gb200 draw and what is the power bill", [])
    assert [c.name for c in plan.calls] == ["calculate", "calculate"]  # no tco call that would fail on the price
    draw, bill = (c.args["expression"] for c in plan.calls)
    assert draw.endswith("* 100000 / 1000") and "* 8760 *" in bill
    assert plan.labels[draw][1] == "MW at the facility"
    assert make_plan("what does an mi350x cost per hour", []).reply.startswith("The catalog has no price for MI350X")


def test_a_power_bill_at_tdp_uses_the_datasheet_tdp_not_the_all_in_kw() -> None:
    from tools.catalog import find_accelerator

    tdp_kw = find_accelerator("b200").tdp_w / 1000
    plan = make_plan("yearly power bill for 500 b200s running at their tdp, pue 1.25, 7c/kwh", [])
    (bill,) = [c.args["expression"] for c in plan.calls if "8760" in c.args["expression"]]
    assert bill == f"{tdp_kw!r} * 1.25 * 8760 * 0.07 * 500"
