"""Default answers are brief: the median over the offline question suite is at most 15 lines of an
80-column terminal (measured by tests/chat/answer_lengths.py), every fit answer fits in 15 lines,
and the full answer (``/work``, ``--verbose``) keeps the work the brief one leaves out."""

from __future__ import annotations

import pytest
from answer_lengths import measure, rendered_lines

from agent.answer import Answer, ToolCallRecord
from agent.render.answer import answer_renderable, brief_renderable
from agent.render.brief import brief

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def lengths(data_dir):
    from agent.settings import Settings

    return measure(Settings(data_dir=data_dir))


def test_median_default_answer_is_at_most_15_lines(lengths):
    assert lengths["questions"] >= 130
    assert lengths["brief_median"] <= 15, lengths
    assert lengths["full_median"] > 2 * lengths["brief_median"]  # the work is still there, one step away


def test_every_fit_answer_fits_in_15_lines(lengths):
    assert lengths["fit"], "the suite has memory_fit questions"
    assert [case for case in lengths["fit"] if case[1] > 15] == []


def test_brief_keeps_headline_figures_and_one_assumption_line_and_drops_the_work():
    text = (
        "**68 requests fit** on 8 x H100.\n\n**Fit, Llama-3.1-405B on 8 x H100** (fp8 weights):\n\n"
        "- concurrent requests: **68 requests**\n- time-averaged: **about 126 requests**\n\n"
        "**Formula:** max = floor(budget / kv)\n\n**Defaults used** (not in the question): prompt=1000.\n\n"
        "**Assumptions:**\n\n- Capacity read as 80 GiB.\n\n**Sources:** nvidia.com\n\n"
        "**How I read the question:** Reasoning tokens count as output. More.\n\nRead as: memory_fit(model=x)"
    )
    answer = Answer(answer=text, model="offline", tool_calls=[ToolCallRecord(name="memory_fit", args={}, result={})])
    view = brief(answer)
    assert view.lead == ["**68 requests fit** on 8 x H100."]
    assert view.figures == ["- concurrent requests: **68 requests**", "- time-averaged: **about 126 requests**"]
    assert view.assumed == "Reading: Reasoning tokens count as output."
    assert view.more == ["formula", "defaults", "sources", "1 tool call"]
    assert rendered_lines(brief_renderable(answer)) < rendered_lines(answer_renderable(answer))
