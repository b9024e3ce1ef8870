"""The offline planner as a chat model: plans, follow-ups, the answer it writes, inside ask()."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.grounding import untraced
from agent.offline.history import current_turn, parse_read_as, read_as_line
from agent.offline.plan import make_plan
from agent.offline.plan_types import Call
from agent.offline.planner import OfflinePlanner, respond
from tools.registry import get


def _calls(question: str, prior: list[Call] | None = None) -> list[tuple[str, dict]]:
    plan = make_plan(question, prior or [])
    assert plan.reply is None, plan.reply
    return [(c.name, c.args) for c in plan.calls]


# --- plans -----------------------------------------------------------------------------------


def test_issue_question_reads_total_tokens_as_default_prompt_plus_output() -> None:
    ((name, args),) = _calls("How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?")
    assert name == "memory_fit"
    assert args == {
        "model": "Llama-3.1-405B",
        "chip": "h100",
        "gpus": 8,
        "weights_dtype": "fp8",
        "prompt": 1000,
        "output": 11000,
    }


def test_reasoning_tokens_count_as_output_on_top_of_the_answer() -> None:
    ((_, stated),) = _calls("70b bf16 on 8 h200s, 2k prompt, 10k reasoning, 500 token answer: how many fit?")
    assert (stated["prompt"], stated["output"]) == (2000, 10500)
    ((_, default_answer),) = _calls("405b fp8 on 8xh100 with 10k reasoning tokens, how many users")
    assert (
        "prompt" not in default_answer and default_answer["output"] == 11000
    )  # the calculator's default prompt applies


def test_nothing_unstated_is_passed() -> None:
    speed, fit = _calls("tok/s for llama 3.1 8b on an h100")
    assert speed == ("throughput", {"model": "Llama-3.1-8B", "chip": "h100"})
    # no count given: the speed is for the calculator's one accelerator, so the fit on it is checked beside it
    assert fit == ("memory_fit", {"model": "Llama-3.1-8B", "chip": "h100", "gpus": 1})


def test_several_parts_give_several_calls() -> None:
    names = [n for n, _ in _calls("what did dylan say about HBM, and how many users fit for 70b on 8xh100?")]
    assert names == ["search_knowledge", "memory_fit"]
    names = [n for n, _ in _calls("kv cache and tok/s for llama 3.1 70b on 8x h100 at batch 32")]
    assert names == ["kv_cache", "throughput", "memory_fit"]  # the speed waits for the fit of its deployment


def test_two_chips_compared() -> None:
    chips = [a["chip"] for _, a in _calls("how many users fit for 405b fp8 on 8x h100 vs 8x h200")]
    assert chips == ["h100", "h200"]


def test_ambiguous_size_across_families_asks_instead_of_guessing() -> None:
    plan = make_plan("how fast is 7b on an a100?")
    assert plan.calls == [] and "Llama-2-7B" in plan.reply and "Mistral-7B-v0.1" in plan.reply


def test_ambiguous_size_within_a_family_is_read_as_the_newest_and_said() -> None:
    plan = make_plan("70b bf16 on 8 h100s, max concurrency?")
    assert plan.calls[0].args["model"] == "Llama-3.1-70B"
    assert any("70b" in n and "Llama-2-70B" in n for n in plan.notes)


def test_missing_model_asks() -> None:
    plan = make_plan("how many users fit on h100s?")
    assert plan.calls == [] and "which model" in plan.reply


def test_unknown_model_goes_to_the_calculator_not_to_a_substitute() -> None:
    ((_, args),) = _calls("how many users fit for llama 5 on h100")
    assert args["model"] == "llama 5"


# --- follow-ups ------------------------------------------------------------------------------

KV = Call("kv_cache", {"model": "Llama-3.1-70B", "batch": 8, "context": 32000})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("and at fp8?", [("kv_cache", {"model": "Llama-3.1-70B", "batch": 8, "context": 32000, "kv_dtype": "fp8"})]),
        ("and for 405b?", [("kv_cache", {"model": "Llama-3.1-405B", "batch": 8, "context": 32000})]),
        ("what about batch 64", [("kv_cache", {"model": "Llama-3.1-70B", "batch": 64, "context": 32000})]),
        ("ctx 128k?", [("kv_cache", {"model": "Llama-3.1-70B", "batch": 8, "context": 128000})]),
    ],
)
def test_follow_up_reuses_the_previous_arguments(question: str, expected: list) -> None:
    assert _calls(question, [KV]) == expected


def test_follow_up_on_a_chip_after_a_kv_question_also_checks_the_fit() -> None:
    calls = _calls("what about on H200s?", [KV])
    assert calls[0] == ("kv_cache", KV.args)
    assert calls[1] == ("memory_fit", {"model": "Llama-3.1-70B", "chip": "h200", "prompt": 1000, "output": 31000})


def test_follow_up_with_more_gpus_and_a_size_from_the_same_family() -> None:
    fit = Call("memory_fit", {"model": "Llama-3.1-405B", "chip": "h100", "gpus": 8, "weights_dtype": "fp8"})
    assert _calls("with 16 GPUs?", [fit]) == [("memory_fit", {**fit.args, "gpus": 16})]
    assert _calls("and for 70b?", [fit]) == [("memory_fit", {**fit.args, "model": "Llama-3.1-70B"})]


def test_new_intent_keeps_the_previous_model_chip_and_shape() -> None:
    fit = Call("memory_fit", {"model": "Llama-3.1-405B", "chip": "h200", "weights_dtype": "fp8"})
    (name, args), (check, _) = _calls("how fast is that?", [fit])
    assert (name, check) == ("throughput", "memory_fit")
    assert args == {"model": "Llama-3.1-405B", "chip": "h200", "weights_dtype": "fp8", "gpus": 8}


# --- Read-as lines ---------------------------------------------------------------------------

_values = st.one_of(
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32).filter(lambda f: f == f),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.lists(st.sampled_from(["h100", "h200", "NVIDIA H100 SXM5 80GB", "a, b"]), max_size=3),
)


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), _values, max_size=6))
def test_read_as_round_trips(args: dict) -> None:
    call = Call("memory_fit", args)
    (back,) = parse_read_as("Some answer.\n\n" + read_as_line(call) + "\n")
    assert back.name == "memory_fit"
    assert back.args.keys() == args.keys()
    for k, v in args.items():
        if isinstance(v, float):
            assert back.args[k] == pytest.approx(v, rel=1e-5)
        elif isinstance(v, str) and v.strip() != v:
            assert back.args[k] in (v, v.strip())
        else:
            assert back.args[k] == v


def test_text_only_history_is_read_from_read_as_lines() -> None:
    messages = [
        HumanMessage("KV cache for Llama 3.1 70B at 32k context, batch 8?"),
        AIMessage("**KV cache** ...\n\nRead as: kv_cache(model=Llama-3.1-70B, batch=8, context=32000)"),
        HumanMessage("and at fp8?"),
    ]
    turn = current_turn(messages)
    assert turn.question == "and at fp8?" and turn.calls == []
    assert [(c.name, c.args) for c in turn.prior] == [
        ("kv_cache", {"model": "Llama-3.1-70B", "batch": 8, "context": 32000})
    ]


# --- the chat model --------------------------------------------------------------------------


def _run_tools(ai: AIMessage) -> list[ToolMessage]:
    out = []
    for tc in ai.tool_calls:
        try:
            content = get(tc["name"]).run(tc["args"]).model_dump_json()
        except ValueError as exc:
            content = json.dumps({"error": str(exc)})
        out.append(ToolMessage(content, tool_call_id=tc["id"]))
    return out


def test_chat_model_plans_then_answers_from_results() -> None:
    model = OfflinePlanner().bind_tools([])
    question = HumanMessage("kv cache for llama 3.1 405b at 8k ctx, bf16")
    first = model.invoke([question])
    assert [tc["name"] for tc in first.tool_calls] == ["kv_cache"] and first.content == ""
    results = _run_tools(first)
    final = model.invoke([question, first, *results])
    assert final.tool_calls == []
    assert "516,096 bytes" in final.text  # docs/peers.md case 4b
    assert "Read as: kv_cache(model=Llama-3.1-405B, kv_dtype=bf16, context=8000)" in final.text
    assert "**Formula:**" in final.text and "**Defaults used**" in final.text
    assert untraced(final.text, [question.content, *(m.content for m in results)]) == []


def test_a_failed_call_is_reported_without_a_number() -> None:
    question = HumanMessage("tok/s for llama 3.1 70b on 8x h300?")
    first = respond([question])
    results = _run_tools(first)
    second = respond([question, first, *results])  # the fit failed on the name, so the speed call reports it too
    more = _run_tools(second)
    final = respond([question, first, *results, second, *more])
    assert "throughput failed" in final.text and "chip" in final.text
    assert "tokens/s**" not in final.text
    assert untraced(final.text, [question.content, *(m.content for m in results)]) == []


def test_does_not_fit_gives_no_concurrency() -> None:
    question = HumanMessage("can I serve 405b in bf16 on one 8xH100 node?")
    first = respond([question])
    final = respond([question, first, *_run_tools(first)])
    assert "Does not fit" in final.text and "concurrent requests" not in final.text


def test_same_conversation_same_answer() -> None:
    question = HumanMessage("70b fp8 on 8x h200, 1k in 1k out, how many users")
    first = respond([question])
    results = _run_tools(first)
    assert respond([question]).tool_calls == first.tool_calls
    assert respond([question, first, *results]).text == respond([question, first, *results]).text


# --- inside ask() ----------------------------------------------------------------------------


def test_follow_ups_through_a_stored_conversation() -> None:
    from agent.ask import ask

    first = ask(
        "KV cache for Llama 3.1 70B at 32k context, batch 8?", model="offline", conversation_id="offline-followups"
    )
    assert first.tool_calls[0].result["total_bytes"] == 327680 * 32000 * 8
    second = ask("and at fp8?", model="offline", conversation_id="offline-followups")
    (call,) = second.tool_calls
    assert call.args == {"model": "Llama-3.1-70B", "batch": 8, "context": 32000, "kv_dtype": "fp8"}
    assert call.result["bytes_per_token"] == 163840
    third = ask("what about on H200s?", model="offline", conversation_id="offline-followups")
    assert [c.name for c in third.tool_calls] == ["kv_cache", "memory_fit"]
    assert third.tool_calls[1].args["chip"] == "h200"
    assert not (first.warnings or second.warnings or third.warnings)


def test_refusal_through_ask_has_no_tool_calls_and_no_figures() -> None:
    from agent.ask import ask

    answer = ask("should we buy h100s now or wait for b200s?", model="offline")
    assert answer.tool_calls == [] and answer.warnings == []
    assert "can't" in answer.answer


@pytest.mark.parametrize(
    ("question", "ceiling"),
    [
        ("bs1 decode ceiling for llama 3.1 70b fp8 on one h200?", 4.8e12 / (70.6e9 * 1)),
        (
            "whats the bandwidth-bound decode rate of qwen3-235b-a22b bf16 on 8x mi300x, batch 1",
            8 * 5.3e12 / (22e9 * 2),
        ),
        # "ignore kv" is how the ceiling is computed, not a weights-only fit question
        ("4x h200 tp, llama 405b fp8, bs1, ignore kv - max decode tok/s?", 4 * 4.8e12 / 405.9e9),
        # a bound even where the calculator's usable memory (0.9) would not hold the model
        ("decode throughtput upper bound, llama 3.1 70b bf16 on one h200, batch 1", 4.8e12 / (70.6e9 * 2)),
    ],
)
def test_a_decode_ceiling_question_leads_with_the_textbook_bound(question: str, ceiling: float) -> None:
    from agent.ask import ask
    from agent.render.figures import num

    answer = ask(question, model="offline")
    assert answer.answer.startswith(f"**Decode ceiling at batch 1: {num(ceiling)} tokens/s**")
