"""Terminal rendering of an Answer for ``siliconomics ask``."""

from __future__ import annotations

from rich.console import Console

from agent.answer import Answer, Citation, ToolCallRecord
from agent.render.answer import answer_renderable, unstreamed_tail

ANSWER = Answer(
    answer="**68 requests** fit.",
    tool_calls=[
        ToolCallRecord(
            name="calculate",
            args={"expression": "2 x 34"},
            result={"expression": "2 x 34", "evaluated": "2 * 34", "value": 68},
        )
    ],
    citations=[Citation(text="HBM margins are strong", source="BG2", chapter="Memory", timestamp="43:10")],
    warnings=["unverified figure '700 W': not found in any tool result, cited passage or the question"],
    model="offline",
    usage={"total_tokens": 1234},
    elapsed_s=0.42,
)


def _text(renderable) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_sections_in_order():
    out = _text(answer_renderable(ANSWER))
    order = [
        "68 requests fit.",
        "Tool calls",
        "calculate(expression='2 x 34')",
        "Citations",
        "Memory · 43:10",
        "700 W",
        "offline · 0.4 s · 1,234 tokens",
    ]
    positions = [out.index(s) for s in order]
    assert positions == sorted(positions)
    assert "**" not in out  # markdown rendered


def test_streamed_text_is_not_repeated():
    out = _text(answer_renderable(ANSWER, include_text=False))
    assert "68 requests" not in out and "Tool calls" in out


def test_unstreamed_tail():
    assert unstreamed_tail("Answer.", "Answer.") == ""
    assert unstreamed_tail("Answer.\n\n_Stopped after 8 rounds._", "thinking... Answer.") == "_Stopped after 8 rounds._"
    assert unstreamed_tail("_x failed. Answered by offline instead._\n\nOther", "partial") is None
