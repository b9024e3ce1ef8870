"""The real provider SDK paths (openai:, anthropic:, OPENAI_BASE_URL) against a fake server on loopback."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.models import ProviderError
from agent.settings import Settings
from tests.agent.fake_providers import Fail, FakeProvider, reply, tool_results

FIT = {"model": "llama-3.1-405b", "chip": "h100", "gpus": 8, "weights_dtype": "fp8", "prompt": 1000, "output": 11000}


def _final(body):
    (result,) = tool_results(body)
    return reply(f"**{result['max_concurrent_sequences']} requests** fit at once on 8x H100.")


def _openai(fake: FakeProvider, **kw) -> Settings:
    return Settings(openai_api_key="sk-test", openai_base_url=fake.openai_base_url, max_retries=2, **kw)


def _anthropic(fake: FakeProvider, **kw) -> Settings:
    return Settings(anthropic_api_key="sk-ant-test", anthropic_base_url=fake.anthropic_base_url, max_retries=2, **kw)


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_openai_tool_call_round_trip(stream):
    tokens: list[str] = []
    with FakeProvider([reply(tools=[("memory_fit", FIT)]), _final]) as fake:
        answer = ask(
            "fit 405b fp8 on 8x h100 at 12k?",
            model="openai:gpt-test",
            settings=_openai(fake),
            on_token=tokens.append if stream else None,
        )
    assert answer.answer == "**68 requests** fit at once on 8x H100."
    assert answer.model == "openai:gpt-test" and answer.warnings == []
    assert answer.tool_calls[0].args == FIT and answer.tool_calls[0].result["max_concurrent_sequences"] == 68
    assert answer.usage["input_tokens"] == 240 and answer.usage["output_tokens"] == 60
    first, second = (body for _, _, body in fake.requests)
    assert fake.paths() == ["/v1/chat/completions"] * 2
    assert {t["function"]["name"] for t in first["tools"]} >= {
        "memory_fit",
        "kv_cache",
        "search_knowledge",
        "calculate",
    }
    assert first["model"] == "gpt-test" and first["messages"][0]["role"] == "system"
    assert fake.requests[0][1]["authorization"] == "Bearer sk-test"
    assert [m["role"] for m in second["messages"]][-2:] == ["assistant", "tool"]
    if stream:
        assert "".join(tokens) == answer.answer


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
def test_anthropic_tool_use_round_trip(stream):
    tokens: list[str] = []
    with FakeProvider([reply("Let me compute that.", tools=[("memory_fit", FIT)]), _final]) as fake:
        answer = ask(
            "fit 405b fp8 on 8x h100 at 12k?",
            model="anthropic:claude-test",
            settings=_anthropic(fake),
            on_token=tokens.append if stream else None,
        )
    assert answer.answer == "**68 requests** fit at once on 8x H100."
    assert answer.model == "anthropic:claude-test" and answer.warnings == []
    assert answer.tool_calls[0].result["fits"] is True
    assert fake.paths() == ["/v1/messages"] * 2
    first, second = (body for _, _, body in fake.requests)
    assert "Every figure in your answer" in str(first["system"])
    assert {t["name"] for t in first["tools"]} >= {"memory_fit", "calculate"}
    sent = fake.requests[0][1]
    assert "sk-ant-test" in (sent.get("x-api-key", ""), sent.get("authorization", "").removeprefix("Bearer "))
    assert tool_results(second)[0]["max_concurrent_sequences"] == 68
    if stream:
        assert "".join(tokens).endswith(answer.answer)


def test_openai_compatible_server_without_a_key():
    """OPENAI_BASE_URL alone (a local vLLM / Ollama / llama.cpp server): the placeholder key is sent."""
    with FakeProvider([reply("hello")]) as fake:
        settings = Settings(openai_base_url=fake.openai_base_url)
        answer = ask("hi", settings=settings)  # no model chosen: the base URL picks openai
    assert answer.model.startswith("openai:") and answer.answer == "hello"
    assert fake.requests[0][1]["authorization"] == "Bearer EMPTY"


def test_openai_base_url_from_the_environment(monkeypatch):
    with FakeProvider([reply("from env")]) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        monkeypatch.setenv("SILICONOMICS_MODEL", "openai:gpt-env")
        answer = ask("hi")
    assert answer.answer == "from env" and answer.model == "openai:gpt-env"
    assert fake.requests[0][2]["model"] == "gpt-env"


@pytest.mark.parametrize("status", [429, 500])
def test_sdk_retries_transient_errors_then_answers(status):
    with FakeProvider([Fail(status), Fail(status), reply("recovered")]) as fake:
        answer = ask("hi", model="openai:gpt-test", settings=_openai(fake))
    assert answer.answer == "recovered" and len(fake.requests) == 3


def test_anthropic_retries_then_fails_cleanly():
    with FakeProvider([Fail(529, "overloaded")] * 3) as fake:
        with pytest.raises(ProviderError) as info:
            ask("hi", model="anthropic:claude-test", settings=_anthropic(fake))
    assert len(fake.requests) == 3  # one call + max_retries=2
    assert "anthropic:claude-test failed (HTTP 529" in str(info.value) and "--fallback offline" in str(info.value)


def test_provider_failure_falls_back_to_offline():
    with FakeProvider([Fail(500)] * 3) as fake:
        answer = ask(
            "How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?",
            model="openai:gpt-test",
            fallback="offline",
            settings=_openai(fake),
        )
    assert len(fake.requests) == 3
    assert answer.model == "offline"
    assert (
        answer.answer.startswith("_openai:gpt-test failed (HTTP 500") and "Answered by offline instead" in answer.answer
    )
    assert "68 requests" in answer.answer
    assert [r.name for r in answer.tool_calls] == ["memory_fit"] and answer.warnings == []


def test_connection_refused_is_a_provider_error():
    with FakeProvider([]) as fake:
        url = fake.openai_base_url
    settings = Settings(openai_api_key="sk-test", openai_base_url=url, max_retries=0)
    with pytest.raises(ProviderError, match="openai:gpt-test failed"):
        ask("hi", model="openai:gpt-test", settings=settings)
