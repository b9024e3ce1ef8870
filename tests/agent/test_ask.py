"""The agent loop with scripted fake chat models: tools, errors, the round cap, faults, history."""

from __future__ import annotations

import json

import pytest

from agent.ask import ask
from agent.models import ProviderError
from agent.settings import Settings
from tests.agent.fakes import ScriptedChatModel, calls, last_tool_results, say

FIT_ARGS = {
    "model": "llama-3.1-405b",
    "chip": "h100",
    "gpus": 8,
    "weights_dtype": "fp8",
    "prompt": 1000,
    "output": 11000,
}


def _fit(**override):
    from tools.registry import get

    return get("memory_fit").run({**FIT_ARGS, **override})


def test_one_tool_call_then_answer():
    expected = _fit()
    model = ScriptedChatModel(
        script=[
            calls(("memory_fit", FIT_ARGS)),
            lambda msgs: say(f"**{last_tool_results(msgs)[0]['max_concurrent_sequences']} requests** fit at once."),
        ]
    )
    answer = ask("How many 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?", model=model)

    assert answer.answer.startswith(f"**{expected.max_concurrent_sequences} requests**")
    assert [r.name for r in answer.tool_calls] == ["memory_fit"]
    record = answer.tool_calls[0]
    assert record.args == FIT_ARGS and record.error is None
    assert record.result["max_concurrent_sequences"] == expected.max_concurrent_sequences
    assert answer.warnings == []
    assert answer.model == "scripted"
    assert answer.usage == {"input_tokens": 300, "output_tokens": 60, "total_tokens": 360}
    # the model saw the system prompt and had every contract tool bound
    assert "Every figure in your answer comes from a tool result" in model.seen[0][0].content
    assert {"kv_cache", "memory_fit", "throughput", "search_knowledge", "calculate"} <= set(model.bound_tools)


def test_two_tools_in_one_turn():
    model = ScriptedChatModel(
        script=[
            calls(("memory_fit", FIT_ARGS), ("calculate", {"expression": "1,024 GPUs x $2 x 8,760 h"})),
            lambda msgs: say(
                f"{last_tool_results(msgs)[0]['max_concurrent_sequences']} requests fit; "
                f"the annual bill is ${last_tool_results(msgs)[1]['value']:,}."
            ),
        ]
    )
    answer = ask("fit on 8x h100, and what's the annual bill for 1,024 GPUs at $2/h?", model=model)
    assert [r.name for r in answer.tool_calls] == ["memory_fit", "calculate"]
    assert answer.tool_calls[1].result["value"] == 17_940_480
    assert "$17,940,480" in answer.answer
    assert answer.warnings == []
    # both results went back in one model call, as two tool messages
    assert [m.type for m in model.seen[1][-2:]] == ["tool", "tool"]


def test_bad_argument_goes_back_as_error_then_corrected_call():
    def correct(msgs):
        (error,) = last_tool_results(msgs)
        assert set(error) == {"error"} and "h1000" in error["error"] and "H100" in error["error"]
        return calls(("memory_fit", FIT_ARGS))

    model = ScriptedChatModel(
        script=[
            calls(("memory_fit", {**FIT_ARGS, "chip": "h1000"})),
            correct,
            lambda msgs: say(f"{last_tool_results(msgs)[0]['max_concurrent_sequences']} requests fit."),
        ]
    )
    answer = ask("fit 405b fp8 on 8x h1000?", model=model)
    first, second = answer.tool_calls
    assert first.error and first.error.startswith("chip:") and first.result is None
    assert second.error is None and second.result["fits"] is True
    assert answer.warnings == []


def test_unexpected_tool_exception_propagates(monkeypatch):
    import tools.registry

    def boom(args):
        raise ZeroDivisionError("bug in a calculator")

    tool = tools.registry.get("kv_cache")
    monkeypatch.setattr(type(tool), "run", lambda self, args: boom(args))
    model = ScriptedChatModel(script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), say("unreachable")])
    with pytest.raises(ZeroDivisionError, match="bug in a calculator"):
        ask("kv cache of opt-13b?", model=model)


def test_round_cap_ends_with_an_honest_partial_answer():
    loop = [calls(("kv_cache", {"model": "opt-13b", "context": 2048 + i})) for i in range(3)]
    model = ScriptedChatModel(script=[*loop, calls(("kv_cache", {"model": "opt-13b", "context": 9999}))])
    settings = Settings(max_tool_rounds=3)
    answer = ask("kv cache of opt-13b?", model=model, settings=settings)

    assert len(answer.tool_calls) == 3  # the 4th call, made at the cap, was dropped, not run
    assert len(model.seen) == 4
    assert "maximum of 3 rounds" in model.seen[-1][0].content  # the model was told to stop
    assert "cap on tool calls" in answer.answer and "Stopped after 3 rounds" in answer.answer
    assert "kv_cache(model=opt-13b, context=2050)" in answer.answer
    assert answer.warnings == []  # the partial answer quotes only tool results


def test_round_cap_keeps_the_models_own_words():
    model = ScriptedChatModel(
        script=[
            calls(("kv_cache", {"model": "opt-13b", "context": 2048})),
            say("From the one result I have: see the table."),
        ]
    )
    answer = ask("kv cache?", model=model, settings=Settings(max_tool_rounds=1))
    assert answer.answer.startswith("From the one result I have")
    assert "Stopped after 1 rounds" in answer.answer


def test_provider_error_without_fallback_is_one_clean_error():
    model = ScriptedChatModel(script=[ConnectionError("connection refused by 127.0.0.1:9")])
    with pytest.raises(ProviderError) as info:
        ask("kv cache of opt-13b?", model=model)
    text = str(info.value)
    assert "scripted failed" in text and "connection refused" in text and "--fallback offline" in text
    assert "\n" not in text


def test_provider_error_with_fallback_answers_with_a_note():
    broken = ScriptedChatModel(
        script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), RuntimeError("HTTP 500 from provider")]
    )
    backup = ScriptedChatModel(
        script=[
            calls(("kv_cache", {"model": "opt-13b", "context": 2048})),
            lambda m: say(f"{last_tool_results(m)[0]['bytes_per_token']:,} bytes per token."),
        ],
        label="backup",
    )
    answer = ask("kv cache per token of opt-13b?", model=broken, fallback=backup)
    assert answer.model == "backup"
    assert answer.answer.startswith("_scripted failed") and "Answered by backup instead" in answer.answer
    assert "819,200 bytes per token" in answer.answer
    assert [r.name for r in answer.tool_calls] == ["kv_cache"]  # the fallback's own run only
    assert answer.warnings == []


def test_fallback_from_settings(monkeypatch):
    backup = ScriptedChatModel(script=[say("fine")], label="backup")
    broken = ScriptedChatModel(script=[TimeoutError("read timed out")])
    import agent.ask

    monkeypatch.setattr(agent.ask, "chat_model", lambda name, settings=None: backup)
    answer = ask("hello", model=broken, settings=Settings(fallback="offline"))
    assert "Answered by offline instead" in answer.answer and answer.answer.endswith("fine")


def test_stateless_history_reaches_the_model():
    history = [("user", "kv cache of opt-13b at 2k?"), {"role": "assistant", "content": "819,200 bytes per token."}]
    model = ScriptedChatModel(script=[say("Same model, so 819,200 bytes per token again.")])
    answer = ask("and per token again?", history=history, model=model)
    sent = model.seen[0]
    assert [m.type for m in sent] == ["system", "human", "ai", "human"]
    assert sent[1].content == "kv cache of opt-13b at 2k?" and sent[3].content == "and per token again?"
    # an assistant's earlier words are not a source: restating them unverified is flagged
    assert answer.warnings and "819,200" in answer.warnings[0]


def test_persistent_conversation_survives_a_new_ask_call():
    first = ScriptedChatModel(script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), say("Computed.")])
    ask("kv cache of opt-13b?", conversation_id="conv-1", model=first)

    second = ScriptedChatModel(script=[say("That was 819,200 bytes per token.")])
    answer = ask("what was the per-token figure?", conversation_id="conv-1", model=second)
    sent = second.seen[0]
    assert [m.type for m in sent] == ["system", "human", "ai", "tool", "ai", "human"]
    # the earlier tool result is in the stored conversation, so the figure traces
    assert answer.warnings == []

    from agent.store import last_conversation_id, open_store

    assert last_conversation_id() == "conv-1"
    with open_store() as store:
        assert [m.type for m in store.messages("conv-1")] == ["human", "ai", "tool", "ai", "human", "ai"]
        assert store.conversations()[0].title == "kv cache of opt-13b?"


def test_fallback_in_a_stored_conversation_drops_the_failed_attempt():
    ask("first question", conversation_id="conv-fb", model=ScriptedChatModel(script=[say("ok")]))
    broken = ScriptedChatModel(
        script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), RuntimeError("HTTP 503")]
    )
    backup = ScriptedChatModel(script=[say("answered")], label="backup")
    ask("second question", conversation_id="conv-fb", model=broken, fallback=backup)

    from agent.store import open_store

    with open_store() as store:
        kinds = [m.type for m in store.messages("conv-fb")]
    assert kinds == ["human", "ai", "human", "ai"]


def test_grounding_flags_an_invented_number():
    model = ScriptedChatModel(
        script=[
            calls(("memory_fit", FIT_ARGS)),
            lambda msgs: say(
                f"{last_tool_results(msgs)[0]['max_concurrent_sequences']} requests fit, "
                "and that costs $4.20 per hour on a 700 W budget."
            ),
        ]
    )
    answer = ask("How many fit for Llama 3.1 405B fp8 on 8x H100?", model=model)
    flagged = " ".join(answer.warnings)
    assert len(answer.warnings) == 2 and "$4.20" in flagged and "700" in flagged


def test_citations_come_from_search_results(monkeypatch):
    from knowledge.passage import Passage

    passages = [
        Passage(
            text="Trainium2 is priced at about $3,000 a chip",
            source="BG2",
            chapter="Custom silicon",
            timestamp="41:05",
            score=0.9,
            chunk_id="t-1",
        ),
        Passage(
            text="HBM margins are strong", source="BG2", chapter="Memory", timestamp="43:10", score=0.5, chunk_id="t-2"
        ),
    ]
    import knowledge.search

    monkeypatch.setattr(knowledge.search, "search", lambda query, k=5, source=None: passages[:k])
    model = ScriptedChatModel(
        script=[
            calls(("search_knowledge", {"query": "Trainium2 price per chip", "source": "transcript"})),
            say('Dylan said Trainium2 is "about $3,000 a chip" (Custom silicon, 41:05).'),
        ]
    )
    answer = ask("what did Dylan say about Trainium2's price per chip?", model=model)
    assert [(c.chapter, c.timestamp) for c in answer.citations] == [("Custom silicon", "41:05")]
    assert answer.warnings == []


def test_chart_written_when_asked(monkeypatch, data_dir):
    import dataclasses

    import agent.toolset

    png = b"\x89PNG\r\n\x1a\nfake"
    charted = dataclasses.replace(agent.toolset.get("kv_cache"), chart=lambda result: png)
    monkeypatch.setattr(
        agent.toolset, "TOOLS", tuple(charted if t.name == "kv_cache" else t for t in agent.toolset.TOOLS)
    )
    model = ScriptedChatModel(
        script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), say("Here is the chart.")]
    )
    answer = ask("plot the kv cache of opt-13b", model=model)
    assert len(answer.charts) == 1
    from pathlib import Path

    path = Path(answer.charts[0])
    assert path.parent == data_dir / "charts" and path.read_bytes() == png

    plain = ask(
        "kv cache of opt-13b",
        model=ScriptedChatModel(script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), say("ok")]),
    )
    assert plain.charts == []


def test_empty_question_is_an_input_error():
    from tools.errors import InputError

    with pytest.raises(InputError, match="question"):
        ask("  ", model=ScriptedChatModel())


def test_answer_round_trips_as_json():
    model = ScriptedChatModel(script=[calls(("kv_cache", {"model": "opt-13b", "context": 2048})), say("ok")])
    answer = ask("kv?", model=model)
    data = json.loads(answer.model_dump_json())
    assert data["tool_calls"][0]["result"]["bytes_per_token"] == 819200


def test_failing_fallback_is_a_provider_error_naming_both():
    broken = ScriptedChatModel(script=[RuntimeError("HTTP 500")])
    backup = ScriptedChatModel(script=[RuntimeError("HTTP 502")], label="backup")
    with pytest.raises(ProviderError) as info:
        ask("hi", model=broken, fallback=backup)
    assert "scripted failed" in str(info.value) and "fallback backup failed" in str(info.value)
