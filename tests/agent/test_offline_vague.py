"""Questions the calculators could answer only from defaults get a reply naming what is missing."""

from __future__ import annotations

import pytest

from agent.ask import ask


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("how much would a massive data center cost?", "without a size and a chip"),
        ("how long until our accelerators pay for themselves", "for your fleet"),
        ("what was the actual build cost per MW of xai colossus?", "reported or actual figures"),
        ("give me the benchmarked tokens/s for qwen3-32b on an h200, not an estimate", "measured or benchmarked"),
    ],
)
def test_a_question_without_its_subject_is_declined_with_what_to_give(question: str, words: str) -> None:
    answer = ask(question, model="offline")
    assert words in answer.answer
    assert not any(c.result for c in answer.tool_calls)  # no calculator ran on defaults


@pytest.mark.parametrize(
    "question",
    ["what does a B200 cost to own per hour?", "what would a 1 GW campus cost?", "our cost per hour on 512 h100s?"],
)
def test_a_named_chip_or_a_stated_size_is_still_computed(question: str) -> None:
    answer = ask(question, model="offline")
    assert any(c.result for c in answer.tool_calls)


@pytest.mark.parametrize(
    "question",
    ["how much does a datacenter cost?", "power draw of a cluster?", "whats the total cost of ownership", "tco?"],
)
def test_a_site_or_a_tco_without_size_or_chip_asks_for_them(question: str) -> None:
    answer = ask(question, model="offline")
    assert "I need" in answer.answer and "what did Dylan say" in answer.answer
    assert not answer.tool_calls  # neither the podcast nor a calculator on defaults
    assert not answer.warnings


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        ("what did the guest say data centers cost?", "search_knowledge"),
        ("capex per MW for a build-out?", "buildout"),
        ("what does it cost to build half a gigawatt?", "buildout"),
    ],
)
def test_a_view_a_rate_or_a_spelled_size_is_not_declined(question: str, tool: str) -> None:
    answer = ask(question, model="offline")
    assert [c.name for c in answer.tool_calls][:1] == [tool]
    assert not any(c.error for c in answer.tool_calls)
