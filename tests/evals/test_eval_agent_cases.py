"""Agent cases fail when they should: a wrong number, a wrong unit, a missing tool call, a
missing citation, an ungrounded figure. Answers come from the real ``ask()`` loop driven by a
scripted model (tests/agent/fakes.py), so the scoring sees what a live run would see."""

from __future__ import annotations

import pytest

from agent.answer import Answer, Citation
from agent.ask import ask
from evals.loader import load_suites
from evals.runner import run_agent_case
from tests.agent.fakes import ScriptedChatModel, calls, say

KV_CALL = ("kv_cache", {"model": "opt-13b", "kv_dtype": "fp16", "context": 2048})


@pytest.fixture(scope="module")
def cases():
    (suite,) = load_suites(["agent_offline"])
    return {c.id: c for c in suite.cases}


def _run(case, script):
    return run_agent_case(case, ask, ScriptedChatModel(script=script), prices=None)


def test_right_answer_passes(cases) -> None:
    result = _run(
        cases["kv-opt13b-per-token"],
        [calls(KV_CALL), say("OPT-13B needs 819,200 bytes of KV cache per token in fp16.")],
    )
    assert result.status == "pass", result.checks


def test_wrong_number_fails(cases) -> None:
    result = _run(
        cases["kv-opt13b-per-token"], [calls(KV_CALL), say("OPT-13B needs 409,600 bytes of KV cache per token.")]
    )
    assert result.status == "fail"
    assert any(c.name.startswith("figure") for c in result.failed_checks)


def test_wrong_unit_fails(cases) -> None:
    result = _run(
        cases["kv-opt13b-per-token"], [calls(KV_CALL), say("OPT-13B needs 819,200 KB of KV cache per token.")]
    )
    assert result.status == "fail"
    figure = next(c for c in result.failed_checks if c.name.startswith("figure"))
    assert "819,200 KB" in figure.got


def test_right_number_without_the_tool_fails(cases) -> None:
    """Recalled, not computed: the tool-choice check fails, and grounding flags the number."""
    result = _run(cases["kv-opt13b-per-token"], [say("OPT-13B needs 819,200 bytes of KV cache per token.")])
    assert result.status == "fail"
    assert {c.name for c in result.failed_checks} >= {"tools", "grounded"}


def test_missing_citation_fails(cases) -> None:
    case = cases["said-hbm-margins"]

    def fake_ask(question, *, history=None, model=None):
        return Answer(answer="He said memory makers have poor margins.", model="fake", tool_calls=[], citations=[])

    result = run_agent_case(case, fake_ask, "fake", prices=None)
    assert result.status == "fail"
    assert {c.name for c in result.failed_checks} >= {"citation", "tools"}
    cited = Answer(
        answer="He said memory makers have poor margins.",
        model="fake",
        tool_calls=[{"name": "search_knowledge", "args": {"query": "hbm margins"}}],
        citations=[Citation(text="memory ...", source="transcript", chapter="Memory & HBM")],
    )
    assert run_agent_case(case, lambda q, **k: cited, "fake", prices=None).status == "pass"


def test_follow_up_passes_earlier_answers_as_history(cases) -> None:
    case = next(c for c in cases.values() if c.follow_up_of)
    seen: list = []

    def fake_ask(question, *, history=None, model=None):
        seen.append((question, history))
        return Answer(answer=f"answer to {question}", model="fake")

    run_agent_case(case, fake_ask, "fake", prices=None)
    assert [q for q, _ in seen] == [*case.follow_up_of, case.question]
    last_history = seen[-1][1]
    assert last_history[0] == {"role": "user", "content": case.follow_up_of[0]}
    assert last_history[1]["role"] == "assistant" and last_history[1]["content"].startswith("answer to")


def test_an_exception_in_ask_is_that_cases_error(cases) -> None:
    from agent.models import ProviderError

    result = _run(cases["kv-opt13b-per-token"], [ProviderError("openai:x failed (HTTP 503)")])
    # The scripted model raising inside the loop surfaces as a provider failure of this case only.
    assert result.status == "error" and result.error
