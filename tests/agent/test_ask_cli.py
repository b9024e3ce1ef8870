"""``siliconomics ask``: readable output, --json, exit codes 0/1/2, streaming, fallback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from agent.answer import Answer
from agent.cli.main import cli
from tests.agent.fake_providers import Fail, FakeProvider, reply, tool_results

QUESTION = "How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?"
FIT = {"model": "llama-3.1-405b", "chip": "h100", "gpus": 8, "weights_dtype": "fp8", "prompt": 1000, "output": 11000}


def run(*args: str):
    return CliRunner().invoke(cli, ["ask", *args], catch_exceptions=False)


def test_offline_answer_is_brief_and_verbose_shows_formula_assumptions_and_the_tool_call():
    result = run(QUESTION)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "68 requests" in out and "Formula" not in out and "memory_fit(" not in out
    assert "--verbose: formula, defaults, sources" in out and len(out.strip().splitlines()) <= 15
    result = run(QUESTION, "--verbose")
    out = result.output
    assert "68 requests" in out and "Formula" in out and "ssumption" in out
    assert "Tool calls" in out and "memory_fit(" in out and "max_concurrent_sequences=68" in out
    assert "unverified" not in out and "offline" in out


def test_json_prints_the_answer():
    result = run(QUESTION, "--json")
    assert result.exit_code == 0, result.output
    answer = Answer.model_validate_json(result.output)
    assert answer.model == "offline" and answer.warnings == []
    assert answer.tool_calls[0].name == "memory_fit" and answer.tool_calls[0].result["max_concurrent_sequences"] == 68


def test_show_tools_prints_the_full_table():
    result = run(QUESTION, "--show-tools")
    assert result.exit_code == 0, result.output
    assert "kv_budget_bytes" in result.output and "quantity" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["q", "--model", "foo:bar"], "unknown provider"),
        (["q", "--model", "openai:gpt-4o"], "export OPENAI_API_KEY="),
        (["  "], "question:"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1 and "Traceback" not in result.output


def test_no_question_is_a_usage_error():
    assert run().exit_code == 2


def test_provider_failure_exits_1_with_one_line(monkeypatch):
    with FakeProvider([Fail(500)]) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        monkeypatch.setenv("SILICONOMICS_MAX_RETRIES", "0")
        result = run("hi", "--model", "openai:gpt-test")
    assert result.exit_code == 1
    assert "openai:gpt-test failed (HTTP 500" in result.output and result.output.count("\n") == 1


def test_provider_failure_with_fallback_offline(monkeypatch):
    with FakeProvider([Fail(503)]) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        monkeypatch.setenv("SILICONOMICS_MAX_RETRIES", "0")
        result = run(QUESTION, "--model", "openai:gpt-test", "--fallback", "offline", "--json")
    assert result.exit_code == 0, result.output
    answer = Answer.model_validate_json(result.output)
    assert (
        answer.model == "offline" and "Answered by offline instead" in answer.answer and "68 requests" in answer.answer
    )


def test_streams_a_provider_answer_once(monkeypatch):
    final = "**68 requests** fit at once."
    with FakeProvider(
        [reply(tools=[("memory_fit", FIT)]), lambda body: reply(final) if tool_results(body) else Fail(400)]
    ) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        result = run(QUESTION, "--model", "openai:gpt-test", "--verbose")
    assert result.exit_code == 0, result.output
    assert fake.requests[0][2]["stream"] is True
    assert result.output.count("68 requests** fit at once") == 1  # streamed raw, not printed again
    assert "memory_fit(" in result.output


def test_no_stream_renders_markdown(monkeypatch):
    with FakeProvider([reply("**bold** answer")]) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        result = run("hi", "--model", "openai:gpt-test", "--no-stream")
    assert result.exit_code == 0 and not fake.requests[0][2].get("stream")
    assert "bold answer" in result.output and "**" not in result.output


def test_conversation_survives_a_new_process():
    """Turn 1 in a fresh process, turn 2 in this one: the stored conversation carries the tool result."""
    script = (
        "from agent.ask import ask\n"
        "from tests.agent.fakes import ScriptedChatModel, calls, say\n"
        "m = ScriptedChatModel(script=[calls(('kv_cache', {'model': 'opt-13b', 'context': 2048})), say('Computed.')])\n"
        "print(ask('kv cache of opt-13b at 2k?', conversation_id='proc-1', model=m).answer)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Computed."

    from agent.ask import ask
    from agent.store import last_conversation_id
    from tests.agent.fakes import ScriptedChatModel, say

    assert last_conversation_id() == "proc-1"
    model = ScriptedChatModel(script=[say("It was 819,200 bytes per token.")])
    answer = ask("what was it per token?", conversation_id="proc-1", model=model)
    assert [m.type for m in model.seen[0]] == ["system", "human", "ai", "tool", "ai", "human"]
    assert json.loads(model.seen[0][3].content)["bytes_per_token"] == 819_200
    assert answer.warnings == []


@pytest.mark.slow
def test_console_script_offline_without_network():
    """The issue's done-when command, as a user runs it (real process, no key)."""
    env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY") and k != "OPENAI_BASE_URL"}
    exe = os.path.join(os.path.dirname(sys.executable), "siliconomics")
    done = subprocess.run(
        [exe, "ask", QUESTION, "--json"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["model"] == "offline" and answer["tool_calls"][0]["name"] == "memory_fit"
