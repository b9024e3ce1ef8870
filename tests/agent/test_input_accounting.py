"""Input accounting: every stated quantity is used by a tool call or named; the language-model path gets one
corrective round (scripted models), then a warning; the offline planner declines rather than drop one."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.ask import ask, is_correction
from agent.input_accounting import readings, stated_quantities, unused_inputs
from tests.agent.fakes import ScriptedChatModel, calls, say
from tools.quantities import format_quantity, lex


def _one(text: str):
    (q,) = lex(text)
    return q


@pytest.mark.parametrize(
    ("text", "arg"),
    [
        ("96e9 bytes", 96.0),  # capacity_gb
        ("7c/kWh", 0.07),
        ("30%", 0.3),
        ("12 kW per 8-GPU server", 1.5),  # kW per accelerator
        ("500 MW", 0.5),  # GW
        ("$1.5M/yr", 1_500_000),
    ],
)
def test_unit_aware_readings(text: str, arg: float) -> None:
    assert any(abs(v - arg) <= 1e-9 * max(1.0, arg) for v in readings(_one(text)))


def test_a_server_price_read_as_a_price_per_accelerator_is_not_used() -> None:
    question = "tco at $260k per 8-GPU box"
    assert unused_inputs(question, [{"capex_per_accelerator": 260_000}], "") == ["$260k per 8-GPU box"]
    assert unused_inputs(question, [{"server_price": 260_000, "gpus_per_server": 8}], "") == []
    assert unused_inputs(question, [{"capex_per_accelerator": 32_500}], "") == []


def test_the_exact_form_must_be_used_not_the_rounded_one() -> None:
    question = "kv for llama 3.1 8b at 32k ctx (32768 tokens)"
    assert unused_inputs(question, [{"context": 32_000}], "") == ["32k ctx (32768 tokens)"]
    assert unused_inputs(question, [{"context": 32_768}], "") == []


def test_a_total_split_into_prompt_and_output_is_used() -> None:
    question = "llama 3.1 70b on 8x h100, 9,000 tokens (1k answer + 8k thinking)"
    assert unused_inputs(question, [{"gpus": 8, "prompt": 1000, "output": 8000}], "") == []


def test_names_are_not_inputs() -> None:
    assert [q.text for q in stated_quantities("llama 3.1 70b fp8 on 8x h100 for 12k tokens")] == ["8", "12k tokens"]


def test_set_aside_in_the_answer_counts() -> None:
    question = "tco for h100 with 11 kW per server"
    assert unused_inputs(question, [{"chip": ["h100"]}], "") == ["11 kW per server"]
    assert unused_inputs(question, [{"chip": ["h100"]}], "I could not use 11 kW per server.") == []


# --- ask(): offline and scripted language models -------------------------------------------------------


def test_offline_answer_lists_what_it_did_not_use() -> None:
    answer = ask("tokens/s for llama 3.1 70b on 8 h100 with 11 kW per server", model="offline")
    assert "I could not use 11 kW per server" in answer.answer
    assert [c.name for c in answer.tool_calls] == []  # no figure for a different question
    assert answer.unused_inputs == ["8"]  # nothing was computed, so the accelerator count was not used either


def test_ask_json_has_unused_inputs() -> None:
    from agent.cli.main import cli

    result = CliRunner().invoke(cli, ["ask", "kv cache for llama 3.1 8b at 4k context, and 37 widgets", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "unused_inputs" in data


KV = {"model": "llama-3.1-8b", "context": 1000}
QUESTION = "KV cache for llama 3.1 8b at 8192 tokens of context?"


def test_a_model_that_ignores_an_input_gets_one_corrective_round_and_fixes_it() -> None:
    model = ScriptedChatModel(
        script=[
            calls(("kv_cache", KV)),
            say("About 131 MB."),
            calls(("kv_cache", {**KV, "context": 8192})),
            say("1.07 GB."),
        ]
    )
    answer = ask(QUESTION, model=model)
    assert len(model.seen) == 4
    check = model.seen[2][-1]
    assert is_correction(check) and "8192 tokens" in check.content
    assert answer.unused_inputs == [] and answer.answer == "1.07 GB."
    assert not any("corrective" in w for w in answer.warnings)
    assert [r.args["context"] for r in answer.tool_calls] == [1000, 8192]


def test_a_model_that_ignores_it_twice_gets_a_warning_not_a_third_round() -> None:
    model = ScriptedChatModel(script=[calls(("kv_cache", KV)), say("About 131 MB."), say("Still 131 MB.")])
    answer = ask(QUESTION, model=model)
    assert len(model.seen) == 3  # one corrective round only
    assert answer.unused_inputs == ["8192 tokens"]
    assert "**Not used:** 8192 tokens" in answer.answer
    assert any("after one corrective round" in w and "8192 tokens" in w for w in answer.warnings)


def test_a_model_that_uses_every_input_is_not_asked_again() -> None:
    model = ScriptedChatModel(script=[calls(("kv_cache", {**KV, "context": 8192})), say("1.07 GB.")])
    answer = ask(QUESTION, model=model)
    assert len(model.seen) == 2 and answer.unused_inputs == []


# --- the property: an ignored stated input cannot go unreported ---------------------------------------

_INJECTED = st.sampled_from(
    ["usd", "usd/hour", "usd/kwh", "fraction/year", "bytes", "W", "tokens/s", "params", "years", "x"]
)


@settings(max_examples=25, deadline=None)
@given(unit=_INJECTED, value=st.floats(1.5, 900).map(lambda v: round(v, 1)))
def test_an_injected_quantity_is_used_or_reported(unit: str, value: float) -> None:
    text = format_quantity(value / 1000 if unit == "fraction/year" else value, unit)  # rates up to 90%/yr
    question = f"kv cache for llama 3.1 8b at 4096 tokens of context; also assume {text}"
    answer = ask(question, model="offline")
    (q,) = [q for q in stated_quantities(question) if q.unit == unit]
    used = any(
        abs(v - float(n)) <= 1e-4 * max(abs(v), 1e-9)
        for c in answer.tool_calls
        for n in _numbers(c.args)
        for v in readings(q)
    )
    assert used or q.text in answer.unused_inputs or q.text in answer.answer


def _numbers(args: object) -> list[float]:
    from agent.input_accounting import argument_numbers

    return argument_numbers(args)


def test_a_calculator_warning_the_model_dropped_is_added_to_the_answer() -> None:
    fit = {"model": "llama-3.1-70b", "chip": "h100", "gpus": 1}
    model = ScriptedChatModel(script=[calls(("memory_fit", fit)), say("Llama 3.1 70B runs on one H100.")])
    answer = ask("can llama 3.1 70b run on 1 h100?", model=model)
    assert "**Calculator warnings:** Does not fit" in answer.answer


def test_an_answer_that_says_it_does_not_fit_is_not_repeated() -> None:
    fit = {"model": "llama-3.1-70b", "chip": "h100", "gpus": 1}
    model = ScriptedChatModel(script=[calls(("memory_fit", fit)), say("It does not fit on one H100.")])
    answer = ask("can llama 3.1 70b run on 1 h100?", model=model)
    assert "Calculator warnings" not in answer.answer


# --- a quantity is used only by an argument that holds its unit -----------------------------------------

#: A field that holds each unit (agent.field_units), and one that holds only plain counts.
_HOLDS = {"usd": "capex_per_accelerator", "usd/hour": "rental_price", "usd/kwh": "electricity",
          "fraction/year": "cost_of_capital", "bytes": "capacity_gb", "W": "power_kw", "tokens/s": "tokens_per_s",
          "params": "params", "years": "years"}  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(unit=st.sampled_from(sorted(_HOLDS)), value=st.floats(1.5, 900).map(lambda v: round(v, 1)))
def test_an_injected_quantity_read_by_an_argument_of_another_kind_is_not_used(unit: str, value: float) -> None:
    text = format_quantity(value / 1000 if unit == "fraction/year" else value, unit)
    question = f"tco for h100; also assume {text}"
    (q,) = [q for q in stated_quantities(question) if q.unit == unit]
    reading = sorted(readings(q))[0]
    assert unused_inputs(question, [{"gpus": reading}], "") == [q.text]  # the same number, a count: a coincidence
    assert unused_inputs(question, [{_HOLDS[unit]: reading}], "") == []


def test_a_default_equal_to_a_stated_number_counts_only_where_the_words_name_it() -> None:
    residual = "$280k 8-GPU server, 4 years down to a 10% residual value"
    args = {"server_price": 280_000, "gpus_per_server": 8, "years": 4}
    defaults = [{"inputs": {**args, "networking_fraction": 0.1, "pue": 1.3}}]
    assert unused_inputs(residual, [args], "", defaults) == ["10%", "residual value"]
    assert unused_inputs("$280k 8-GPU server, 4 years, PUE 1.3", [args], "", defaults) == []


def test_words_that_change_a_calculation_must_reach_an_argument() -> None:
    question = "llama 3.1 8b on 1 h100, ignore KV reads: tok/s?"
    assert unused_inputs(question, [{"model": "llama-3.1-8b", "chip": "h100", "gpus": 1}], "") == ["ignore KV reads"]
    fit = {"model": "llama-3.1-8b", "chip": "h100", "gpus": 1, "weights_only": True}
    assert unused_inputs("llama 3.1 8b on 1 h100, weights only: fits?", [fit], "") == []


def test_products_and_months_are_read_as_written() -> None:
    quantities = stated_quantities("usable = 80e9 x 0.9 bytes; 8.03e9 params x 2 B; cost halves every 18 months")
    assert [(q.unit, q.value) for q in quantities] == [
        ("bytes", 80e9),
        ("", 0.9),
        ("params", 8.03e9),
        ("bytes", 2.0),
        ("months", 18.0),
    ]


def test_a_total_with_its_parts_in_brackets_is_one_quantity() -> None:
    question = "reasoning query = 9,000 output tokens each (1k answer + 8k thinking), 128 streams"
    (total, streams) = stated_quantities(question)
    assert (total.unit, total.value, total.parts) == ("tokens", 9000.0, (1000.0, 8000.0))
    assert streams.value == 128
    assert unused_inputs(question, [{"output_tokens_per_query": 9000, "concurrent_streams": 128}], "") == []


def test_a_context_length_is_not_used_by_an_output_length_alone() -> None:
    question = "what about 64k context (65,536 tokens)?"
    assert unused_inputs(question, [{"prompt": 1000, "output": 65_536}], "") == ["64k context (65,536 tokens)"]
    assert unused_inputs(question, [{"context": 65_536}], "") == []
    assert unused_inputs(question, [{"prompt": 1000, "output": 64_536}], "") == []  # split: prompt + output
