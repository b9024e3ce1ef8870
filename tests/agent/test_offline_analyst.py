"""The offline planner on analyst questions beyond the first suite: what the answer leads with,
stated defaults, second-round calls, relative follow-ups, spec rows, and the answer's layout."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from agent.offline.compose import compose
from agent.offline.focus import asked_quantities
from agent.offline.intents import detect
from agent.offline.parse import parse
from agent.offline.plan import make_plan
from agent.offline.plan_types import DEFAULT_CHIP, ILLUSTRATION_MODEL, Call, Plan
from agent.offline.planner import respond
from agent.offline.writers.provenance import key_assumptions, short_sources
from agent.offline.writers.search import spec_section


def _ask(question: str, history: list[dict] | None = None):
    from agent.ask import ask

    return ask(question, history=history, model="offline")


def _names(answer) -> list[str]:
    return [c.name for c in answer.tool_calls]


# --- what was said: opinions and "why" questions are searches ------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "why does he call trainium an amazon basics tpu?",
        "what do bill and brad think about nvidia's moat?",
        "what does the guest mean by the memory wall?",
        "in the podcast, what's the view on openai's compute spend",
        "on the pod, why is nvidia so dominant?",
        "why is nvidia so dominant?",
        "dylan believes scaling is not dead, why?",
    ],
)
def test_opinion_and_why_questions_search_the_transcript(question: str) -> None:
    plan = make_plan(question)
    assert plan.reply is None, plan.reply
    assert [(c.name, c.args["source"]) for c in plan.calls] == [("search_knowledge", "transcript")]


def test_search_query_drops_the_asking_words() -> None:
    (call,) = make_plan("why does he call trainium an amazon basics tpu?").calls
    assert call.args["query"] == "trainium an amazon basics tpu"


def test_a_judgement_without_why_is_still_refused() -> None:
    assert make_plan("should we buy h100s now or wait for b200s?").calls == []


# --- what was asked comes first ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("annual power bill for 1,024 H100s at $0.08/kWh", ["power_year"]),
        ("what does an H100 cost to own per hour and per million tokens?", ["per_hour", "per_mtok"]),
        ("$/Mtok and hourly cost for an h100", ["per_mtok", "per_hour"]),
        ("yearly cost of 512 h100s", ["per_year"]),
        ("what would a 2 GW campus cost?", ["capex"]),
        ("how many h100s do i need for 405b", ["min_accelerators"]),
    ],
)
def test_asked_quantities_in_the_order_written(question: str, focus: list[str]) -> None:
    assert asked_quantities(parse(question).text) == focus


@pytest.mark.parametrize(
    "text", ["at $0.08/kWh", "power at 0.08/kwh", "electricity $.08 per kwh", "8 cents/kwh", "8c per kwh"]
)
def test_electricity_price_forms(text: str) -> None:
    assert parse(f"annual power bill for 1,024 h100s {text}").electricity == pytest.approx(0.08)


def test_fleet_power_bill_leads_and_comes_from_a_tool() -> None:
    answer = _ask("annual power bill for 1,024 H100s at $0.08/kWh")
    tco, calc = answer.tool_calls
    assert tco.args["electricity"] == 0.08 and tco.args["count"] == 1024
    assert calc.name == "calculate" and calc.result["value"] == pytest.approx(tco.result["annual"]["power_usd"] * 1024)
    # hand check: 1,024 x 1.37 kW x PUE 1.3 x 8,760 h x $0.08 = $1,278,080
    assert calc.result["value"] == pytest.approx(1_278_080, rel=1e-4)
    first = answer.answer.split("\n\n")[0]
    assert first.startswith("**Power bill for the fleet of 1,024") and "$1.28 million per year" in first
    assert answer.warnings == []


def test_build_out_with_no_chip_assumes_the_default_and_says_so() -> None:
    answer = _ask("what would a 2 GW campus cost?")
    (call,) = answer.tool_calls
    assert call.args == {"chip": "h100", "gw": 2.0} and call.error is None
    first, second = answer.answer.split("\n\n")[:2]
    assert first.startswith("**2 GW of NVIDIA H100 SXM5 80GB: $55.73 billion capex**")
    assert f"No chip named: assumed {DEFAULT_CHIP}" in second and "name one to change it" in second
    assert answer.warnings == []


def test_per_million_tokens_without_a_model_is_a_labelled_illustration() -> None:
    answer = _ask("what does an H100 cost to own per hour and per million tokens?")
    (call,) = answer.tool_calls
    assert call.args["model"] == ILLUSTRATION_MODEL and call.args["gpus"] == 8 and call.args["batch"] == 64
    per_hour, per_mtok = answer.answer.split("\n\n")[:2]
    assert "per accelerator-hour to own" in per_hour
    assert per_mtok.startswith("**Illustration:") and "per million tokens" in per_mtok
    assert answer.warnings == []


def test_per_million_tokens_with_a_model_is_not_an_illustration() -> None:
    (call,) = make_plan("$/mtok for llama 3.1 70b on 8x h100").calls
    assert call.args["model"] == "Llama-3.1-70B"
    assert not any(n.startswith("Illustration") for n in make_plan("$/mtok for llama 3.1 70b on 8x h100").notes)


def test_unpriced_chip_is_not_guessed() -> None:
    plan = make_plan("what's the tco of an mi350x over 4 years at 70% util?")
    assert plan.calls == [] and "no price for MI350X" in plan.reply and "$<N>k per GPU" in plan.reply
    plan = make_plan("h100 vs mi350x vs groq cost per hour")
    assert [c.args["chip"] for c in plan.calls] == [["h100"]]
    assert any(n.startswith("Left out: The catalog has no price for MI350X, GROQ") for n in plan.notes)


def test_a_sourced_hourly_cost_prices_an_hour_but_not_a_fleet_capex() -> None:
    # B200 has a sourced $/accelerator-hour (the tco calculator's reference basis) but no purchase price
    (call,) = make_plan("what does a b200 cost to own per hour?").calls
    assert call.args["chip"] == ["b200"]
    plan = make_plan("what would 100k B200s cost")
    assert plan.calls == [] and "no price for B200" in (plan.reply or "")


def test_a_given_price_makes_any_chip_computable() -> None:
    (call,) = make_plan("tco of a b200 at $40k per gpu").calls
    assert call.args["chip"] == ["b200"] and call.args["capex_per_accelerator"] == 40000


# --- a fit that fails only in the default format ---------------------------------------------


def test_default_format_that_does_not_fit_is_rerun_at_fp8() -> None:
    answer = _ask("how many users fit on an 8xH100 server for Llama-3.1-405B with 10k tokens of reasoning?")
    bf16, fp8 = answer.tool_calls
    assert "weights_dtype" not in bf16.args and bf16.result["fits"] is False
    assert (
        fp8.args == {**bf16.args, "weights_dtype": "fp8"} and fp8.result["max_concurrent_sequences"] == 68
    )  # docs/peers.md case 4
    first = answer.answer.split("\n\n")[0]
    assert "Does not fit in bf16" in first and "at fp8 it fits 68 requests peak" in first
    assert answer.warnings == []


def test_a_stated_format_is_not_second_guessed() -> None:
    answer = _ask("can I serve 405b in bf16 on one 8xH100 node?")
    assert _names(answer) == ["memory_fit"]


def test_min_accelerators_lead() -> None:
    answer = _ask("how many h100s do i need to serve 405b at fp8 with 128k context")
    assert answer.answer.startswith("**At least 6 x NVIDIA H100 SXM5 80GB**")


# --- capex: company sets and 'next year' ---------------------------------------------------------


def test_big_four_is_four_companies_and_next_year_is_stated() -> None:
    plan = make_plan("how much will big 4 spend on capex next year")
    (call,) = plan.calls
    next_year = datetime.date.today().year + 1
    assert call.args == {"company": ["Microsoft", "Alphabet", "Amazon", "Meta"], "through": next_year}
    assert plan.year == next_year
    assert any(f"'next year' read as {next_year}" in n for n in plan.notes)
    assert any("'big 4' read as Microsoft, Alphabet, Amazon, Meta" in n for n in plan.notes)


@pytest.mark.parametrize(
    ("words", "companies"),
    [
        ("big four", ["Microsoft", "Alphabet", "Amazon", "Meta"]),
        ("big 5", ["Microsoft", "Alphabet", "Amazon", "Meta", "Oracle"]),
        ("big 3", ["Microsoft", "Alphabet", "Amazon"]),
        ("hyperscalers", ["Microsoft", "Alphabet", "Amazon", "Meta", "Oracle"]),
    ],
)
def test_company_groups(words: str, companies: list[str]) -> None:
    (call,) = make_plan(f"{words} capex forecast").calls
    assert call.args["company"] == companies


def test_unnumbered_group_says_which_set_was_used() -> None:
    plan = make_plan("hyperscaler capex this year?")
    assert any("read as every company in the capex table" in n for n in plan.notes)
    assert not any("read as every company" in n for n in make_plan("msft capex forecast at 25% a year").notes)


def test_capex_answer_leads_with_the_year_asked() -> None:
    answer = _ask("how much will big 4 spend on capex next year")
    year = datetime.date.today().year + 1
    (call,) = answer.tool_calls
    point = next(f for f in call.result["forecast"] if f["year"] == year)
    first = answer.answer.split("\n\n")[0]
    assert first.startswith(
        f"**{year}: Microsoft + Alphabet + Amazon + Meta capex forecast ${point['capex_usd_b']:,.2f} billion**"
    )
    assert "Cumulative" in answer.answer.split("**Capex,")[0]
    assert answer.warnings == []


# --- relative follow-ups ---------------------------------------------------------------------------

FIT = Call(
    "memory_fit",
    {"model": "Llama-3.1-70B", "chip": "h100", "gpus": 8, "weights_dtype": "fp8", "prompt": 1000, "output": 11000},
)
KV = Call("kv_cache", {"model": "Llama-3.1-70B", "batch": 8, "context": 32000})
SPEED = Call("throughput", {"model": "Llama-3.1-70B", "chip": "h100", "gpus": 8, "batch": 32})
TCO = Call("tco", {"chip": ["h100"], "count": 1024, "electricity": 0.08})


@pytest.mark.parametrize(
    ("prior", "question", "changed"),
    [
        (FIT, "2x as many GPUs?", {"gpus": 16}),
        (FIT, "what if the gpu count is doubled", {"gpus": 16}),
        (FIT, "half the context", {"prompt": 500, "output": 5500}),
        (KV, "double the batch", {"batch": 16}),
        (KV, "half the context", {"context": 16000}),
        (SPEED, "double the batch", {"batch": 64}),
        (TCO, "and with 10x the fleet", {"count": 10240}),
        (Call("throughput", {"model": "Llama-3.1-70B", "chip": "h100"}), "twice as many gpus", {"gpus": 2}),
    ],
)
def test_relative_follow_ups_scale_the_previous_arguments(prior: Call, question: str, changed: dict) -> None:
    plan = make_plan(question, [prior])
    assert plan.reply is None, plan.reply
    call = plan.calls[0]
    assert call.args == {**prior.args, **changed}
    # a speed is planned with the fit of its deployment, and waits for it
    assert [c.name for c in plan.calls[1:]] == (["memory_fit"] if call.name == "throughput" else [])


def test_a_factor_with_nothing_to_change_is_said_not_rerun() -> None:
    plan = make_plan("double the batch", [FIT])
    assert plan.calls == [] and "nothing that 'double' changes" in plan.reply


def test_bare_multiplied_count_is_a_count_not_a_factor() -> None:
    assert parse("70b on 8x gpus").count == 8 and parse("70b on 8x gpus").relative == {}


def test_relative_follow_up_keeps_what_the_previous_question_asked() -> None:
    first = _ask("annual power bill for 1,024 H100s at $0.08/kWh")
    second = _ask(
        "2x as many GPUs?",
        history=[
            {"role": "user", "content": "annual power bill for 1,024 H100s at $0.08/kWh"},
            {"role": "assistant", "content": first.answer},
        ],
    )
    assert [c.name for c in second.tool_calls] == ["tco", "calculate"]
    assert second.tool_calls[0].args["count"] == 2048
    assert second.answer.startswith("**Power bill for the fleet of 2,048")
    assert second.warnings == []


# --- spec rows ---------------------------------------------------------------------------------------


def _row(name: str, text: str) -> dict:
    return {
        "text": text,
        "source": f"Spec sheet: {name}",
        "chunk_id": "spec:" + name.lower().replace(" ", "-"),
        "source_urls": ["https://example.com/datasheets/a-long/path.pdf"],
        "chapter": None,
        "timestamp": None,
    }


def test_spec_question_reads_the_named_chips_row_only() -> None:
    plan = make_plan("mi300x fp8 tflops")
    (call,) = plan.calls
    assert call.args["source"] == "specs" and call.args["query"].startswith("AMD Instinct MI300X")
    assert plan.spec == (["AMD Instinct MI300X"], "fp8 tflops")
    rows = [
        _row(
            "AMD Instinct MI325X",
            "AMD Instinct MI325X (AMD, 2024). Compute: BF16 1,307.4 TFLOPS dense; FP8 2,614.9 TFLOPS dense.",
        ),
        _row(
            "AMD Instinct MI300X",
            "AMD Instinct MI300X (AMD, 2023). Compute: BF16 1,307.4 TFLOPS dense; FP8 2,614.9 TFLOPS dense.",
        ),
    ]
    lines, ok = spec_section(plan.spec, rows, call.args)
    text = "\n".join(lines)
    assert ok and lines[0].startswith("**AMD Instinct MI300X: FP8 compute 2,614.9 TFLOPS dense**")
    assert "MI325X" not in text and "**Source:** example.com" in text and "https" not in text


@pytest.mark.parametrize(
    "question",
    ["whats the h200 memory bandwidth", "how much HBM does a GB200 have", "h100 tdp", "b200 vs h100 bandwidth"],
)
def test_spec_questions_name_the_chips(question: str) -> None:
    plan = make_plan(question)
    assert plan.spec is not None and plan.spec[0] and plan.calls[0].args["source"] == "specs"


# --- claims the checker does not hold ---------------------------------------------------------------


def test_unknown_claim_falls_back_to_computing_its_numbers() -> None:
    q = HumanMessage("is it true that a 2 GW datacenter needs a million GPUs?")
    first = respond([q])
    (claim,) = first.tool_calls
    miss = ToolMessage(
        json.dumps({"found": False, "message": "No claim matches.", "nearest": []}), tool_call_id=claim["id"]
    )
    second = respond([q, first, miss])
    assert [(c["name"], c["args"]) for c in second.tool_calls] == [("buildout", {"chip": "h100", "gw": 2.0})]


# --- layout ------------------------------------------------------------------------------------------


def test_blocks_are_separated_and_lists_are_short() -> None:
    answer = _ask("what's the annual cost of 512 h100s at $0.09/kWh with 60% utilization?")
    text = answer.answer
    for label in ("**Formula:**", "**Assumptions:**", "**Sources:**", "**How I read the question:**", "Read as:"):
        if label in text:
            assert text[text.index(label) - 2 : text.index(label)] == "\n\n", label
    assumptions = text.split("**Assumptions:**")[1].split("\n\n")[1]
    assert 1 <= assumptions.count("\n- ") + 1 <= 5
    sources = next(line for line in text.splitlines() if line.startswith("**Sources:**"))
    assert "http" not in sources and sources.count(";") <= 3
    assert answer.answer.startswith("**Cost to own the fleet of 512")
    assert answer.warnings == []


def test_key_assumptions_put_defaults_first_and_cap_the_list() -> None:
    call = Call("tco", {"electricity": 0.09})
    items = [f"note {i}" for i in range(8)] + [
        "electricity = 0.09 USD/kWh (the question)",
        "pue = 1.3 (source: Uptime https://uptime.example/x)",
    ]
    shown = key_assumptions(call, items)
    assert shown[0].startswith("pue = 1.3") and "http" not in shown[0] and len(shown) == 5
    assert not any(s.startswith("electricity") for s in shown)


def test_short_sources_use_hosts_and_first_clauses() -> None:
    assert short_sources(
        [
            "NVIDIA H100 SXM5 80GB: https://resources.nvidia.com/en-us-tensor-core/datasheet",
            "https://web.archive.org/web/2023/https://www.semianalysis.com/p/x",
            "Llama-3.1-70B: github.com/meta-llama/llama-models models/sku_list.py (dim 8192; n_layers 80)",
        ]
    ) == ["resources.nvidia.com", "semianalysis.com", "github.com/meta-llama/llama-models models/sku_list.py"]


def test_compose_without_a_plan_still_writes_read_as_lines() -> None:
    text = compose(
        [
            (
                Call("calculate", {"expression": "2 * 3"}),
                json.dumps({"expression": "2 * 3", "evaluated": "2 * 3", "value": 6}),
            )
        ],
        [],
    )
    assert re.search(r"^Read as: calculate\(expression=\"2 \* 3\"\)$", text, re.MULTILINE)
    assert Plan().focus == []


def test_detect_reads_chip_attributes_only_with_a_chip() -> None:
    assert detect("mi300x fp8 tflops", has_chip=True) == ["spec"]
    assert detect("fp8 tflops", has_chip=False) == []


# --- further analyst phrasings --------------------------------------------------------------------


def test_fleet_power_draw_is_computed_by_a_tool() -> None:
    answer = _ask("how much power does a 100k gpu cluster of h100s draw")
    tco, calc = answer.tool_calls
    assert tco.name == "tco" and tco.args["count"] == 100000
    # hand check: 100,000 x 1.37 kW all-in x PUE 1.3 = 178,100 kW = 178.1 MW
    assert calc.name == "calculate" and calc.result["value"] == pytest.approx(178.1)
    assert answer.answer.startswith("**100,000 x NVIDIA H100 SXM5 80GB draw 178.1 MW at the facility**")
    assert answer.warnings == []


@pytest.mark.parametrize(
    ("question", "tool", "focus"),
    [
        ("capex for 100,000 h100s", "tco", "capex"),
        ("cost of a 100k h100 cluster", "tco", "capex"),
        ("tokens per dollar for 70b on h100", "tco", "per_dollar"),
        ("whats the breakeven util for renting h100s at $2.50/hr", "tco", "break_even"),
        ("how much vram for llama 3.1 70b at fp16", "memory_fit", "min_accelerators"),
    ],
)
def test_shorthand_cost_and_size_questions(question: str, tool: str, focus: str) -> None:
    plan = make_plan(question)
    assert plan.reply is None, plan.reply
    assert [c.name for c in plan.calls] == [tool] and focus in plan.focus


def test_model_on_a_chip_is_a_fit_question() -> None:
    (call,) = make_plan("llama 3.1 70b int4 on a single h100?").calls
    assert call.name == "memory_fit" and call.args["weights_dtype"] == "int4" and call.args["gpus"] == 1


def test_no_model_means_fit_words_are_not_a_fit_question() -> None:
    (call,) = make_plan("how many trainium2 fit in 500 MW and capex at $5k each").calls
    assert call.name == "buildout" and call.args == {"chip": "trainium2", "capex_per_accelerator": 5000.0, "gw": 0.5}


def test_typos_are_not_searched_for() -> None:
    (call,) = make_plan("wat does dylan thnk about amd").calls
    assert call.name == "search_knowledge" and call.args["query"] == "amd"


def test_users_and_speed_also_run_the_speed_at_the_batch_that_fits() -> None:
    answer = _ask("llama 3.1 405b fp8 8xh200 10k reasoning users and tok/s")
    fit, speed, at_capacity = answer.tool_calls
    assert (fit.name, speed.name, at_capacity.name) == ("memory_fit", "throughput", "throughput")
    assert at_capacity.args == {**speed.args, "batch": fit.result["max_concurrent_sequences"]}
    assert answer.warnings == []


def test_follow_up_reruns_only_the_base_calls() -> None:
    fit = Call("memory_fit", {"model": "Llama-3.1-405B", "chip": "h200", "gpus": 8})
    speed = Call("throughput", {"model": "Llama-3.1-405B", "chip": "h200", "gpus": 8})
    derived = Call("throughput", {**speed.args, "batch": 220})
    plan = make_plan("what about with 4 of them", [fit, speed, derived])
    assert [(c.name, c.args["gpus"], "batch" in c.args) for c in plan.calls] == [
        ("memory_fit", 4, False),
        ("throughput", 4, False),
    ]


def test_bare_rate_in_a_capex_question_is_growth() -> None:
    (call,) = make_plan("big tech capex through 2030 at 15%").calls
    assert call.args["growth"] == [0.15] and call.args["method"] == "scenario" and call.args["through"] == 2030
    assert parse("tco for h100 at 70% utilization, capex $30k").growth == []


def test_ai_share_without_a_price_uses_the_default_chip_and_says_so() -> None:
    answer = _ask("hyperscaler capex with 40% on ai, how many gpus is that")
    (call,) = answer.tool_calls
    assert (
        call.args["ai_share"] == 0.4 and call.args["capex_per_accelerator"] == 33600.0 and call.args["power_kw"] == 1.37
    )
    assert answer.answer.startswith("**Implied accelerators") and "No chip named: assumed H100" in answer.answer
    assert answer.warnings == []


@pytest.mark.parametrize(
    ("first", "follow_up", "lead"),
    [
        (
            "what would 10 GW of b200s at $35k each cost",
            "and the power bill?",
            "**10 GW of NVIDIA B200 (HGX B200): power bill",
        ),
        ("cost per hour for an h100", "and per million tokens?", "**Illustration: NVIDIA H100 SXM5 80GB:"),
    ],
)
def test_follow_up_asking_for_another_figure_reruns_and_leads_with_it(first: str, follow_up: str, lead: str) -> None:
    earlier = _ask(first)
    answer = _ask(
        follow_up, history=[{"role": "user", "content": first}, {"role": "assistant", "content": earlier.answer}]
    )
    assert [c.name for c in answer.tool_calls] == [c.name for c in earlier.tool_calls]
    assert answer.answer.startswith(lead) and answer.warnings == []


def test_chip_named_in_the_previous_question_is_carried_to_a_cost_question() -> None:
    search = Call("search_knowledge", {"query": "trainium", "source": "transcript"})
    plan = make_plan("and what does it cost per hour?", [search], "what did dylan say about trainium")
    (call,) = plan.calls
    assert call.args["chip"] == ["trainium2"]
    assert not any(n.startswith("No chip named") for n in plan.notes)


def test_electricity_follow_up_leads_with_the_power_bill() -> None:
    build = Call("buildout", {"chip": "b200", "gw": 4, "capex_per_accelerator": 40000})
    plan = make_plan("and at 5c/kwh?", [build], "double the power")
    assert plan.calls[0].args["electricity"] == pytest.approx(0.05)
    assert plan.focus[0] == "power_year"


def test_time_to_generate_a_volume_of_tokens() -> None:
    answer = _ask("how long would it take to generate 1M tokens on 8xh100 with 70b")
    names = [c.name for c in answer.tool_calls]
    assert names == ["memory_fit", "throughput", "throughput", "calculate"]  # the speed waits for the fit
    at_capacity, calc = answer.tool_calls[2], answer.tool_calls[3]
    assert calc.result["value"] == pytest.approx(1_000_000 / at_capacity.result["decode_tokens_per_s"])
    assert answer.answer.startswith("**1,000,000 tokens take") and " seconds** at " in answer.answer.split("\n")[0]
    assert answer.warnings == []


def test_tokens_per_second_per_mw_is_the_cost_tools_figure() -> None:
    plan = make_plan("how many tokens per second per MW for 70b on h100")
    assert [c.name for c in plan.calls] == ["tco"] and plan.focus == ["per_mw"]


def test_price_per_million_output_tokens_is_not_a_request_length() -> None:
    (call,) = make_plan("what's the cost per 1M output tokens for 8b on a single h100 at batch 256").calls
    assert "output" not in call.args and call.args["batch"] == 256


def test_memory_for_n_users_adds_the_kv_for_that_batch() -> None:
    plan = make_plan("How much HBM do I need to serve Llama 3.1 405B at FP8 for 100 concurrent users at 4k context?")
    kv, fit = plan.calls
    assert kv.name == "kv_cache" and kv.args == {
        "model": "Llama-3.1-405B",
        "batch": 100,
        "context": 4000,
        "kv_dtype": "fp8",
    }
    assert fit.name == "memory_fit" and fit.args["chip"] == "h100"


def test_capex_forecast_without_a_year_leads_with_next_year() -> None:
    plan = make_plan("google vs amazon capex forecast")
    assert plan.year == datetime.date.today().year + 1 and any("No year given" in n for n in plan.notes)


def test_a_comment_from_the_conversation_is_searched() -> None:
    (call,) = make_plan("is the amazon basics tpu comment fair?").calls
    assert call.name == "search_knowledge" and call.args["source"] == "transcript"
