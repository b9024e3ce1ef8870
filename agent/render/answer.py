"""An :class:`~agent.answer.Answer` for the terminal (``siliconomics ask``, ``chat``), built from the chat's pieces.

By default the brief answer (:func:`brief_renderable`, :mod:`agent.render.brief`): headline, key
figures or a comparison table, one line of what was assumed, unverified numbers, and a hint
naming the way to the work. The full answer (:func:`answer_renderable`, ``--verbose``/``/work``),
in order: the answer as markdown (left out when it was already streamed), one line per tool
call (name, key arguments, key results), with ``show_tools`` each calculator's full table
(formula, assumptions), then the citations with chapter and time, the grounding warnings,
chart paths, and a footer (model, seconds, tokens). The line formats are
:mod:`agent.render.terminal`'s, so ``ask``, ``chat`` and the Markdown export say the same thing.
"""

from __future__ import annotations

import re

from rich import box
from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from agent.answer import Answer
from agent.render.brief import brief, has_more
from agent.render.terminal import chart_lines, citation_lines, tool_line, tools_renderable, warnings_renderable


def _markdown(text: str) -> Markdown:
    """Markdown that keeps placeholders such as "$<N>k per GPU" (markdown would drop them as HTML tags)."""
    return Markdown(re.sub(r"<(?=[A-Za-z])", r"\\<", text))


def footer(answer: Answer) -> Text:
    """``offline · 0.4 s · 1,234 tokens``."""
    parts = [answer.model, f"{answer.elapsed_s:.1f} s"]
    if answer.usage.get("total_tokens"):
        parts.append(f"{answer.usage['total_tokens']:,} tokens")
    return Text(" · ".join(parts), style="dim")


def answer_renderable(answer: Answer, *, show_tools: bool = False, include_text: bool = True) -> RenderableType:
    """The whole answer for a terminal; ``include_text=False`` when the text was streamed already."""
    parts: list[RenderableType] = []
    if include_text:
        parts.append(_markdown(answer.answer))
    if answer.tool_calls:
        parts.append(Text("\nTool calls", style="bold"))
        parts.extend(tool_line(r) for r in answer.tool_calls)
        if show_tools:
            parts.append(Text(""))
            parts.append(tools_renderable(answer))
    if answer.citations:
        parts.append(Text("\nCitations", style="bold"))
        parts.extend(citation_lines(answer.citations))
    warn = warnings_renderable(answer.warnings)
    if warn is not None:
        parts.append(warn)
    parts.extend(chart_lines(answer))
    parts.append(footer(answer))
    return Group(*parts)


def brief_renderable(answer: Answer, *, hint: str = "/work") -> RenderableType:
    """The brief answer for a terminal; ``hint`` names the command that shows the work (``/work``, ``--verbose``)."""
    view = brief(answer)
    parts: list[RenderableType] = []
    if view.lead:
        parts.append(_markdown("\n\n".join(view.lead)))
    if view.table is not None:
        caption, head, rows = view.table
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold", title=caption or None)
        for i, name in enumerate(head):
            table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i > 0)
        for row in rows:
            table.add_row(*row)
        parts.append(table)
    if view.figures:
        parts.append(_markdown("\n".join(view.figures)))
    if view.assumed:
        parts.append(Text(view.assumed, style="italic dim"))
    warn = warnings_renderable(answer.warnings)
    if warn is not None:
        parts.append(warn)
    parts.extend(chart_lines(answer))
    tail = footer(answer)
    if hint and has_more(answer, view):
        tail.append(f" · {hint}: {', '.join(view.more) or 'the full answer'}", style="dim")
    parts.append(tail)
    return Group(*parts)


def unstreamed_tail(answer_text: str, streamed: str) -> str | None:
    """What of ``answer_text`` still needs printing after ``streamed`` was printed token by token.

    ``ask`` may append notes (round cap, charts) after the model's text, always after a blank
    line; returns that tail (possibly ``""``), or ``None`` when the streamed text is not the
    answer (e.g. a fallback model answered), in which case the whole answer must be shown.
    """
    shown = streamed.rstrip()
    cuts = [len(answer_text)] + [i for i in range(len(answer_text)) if answer_text.startswith("\n\n_", i)]
    for cut in sorted(cuts, reverse=True):
        head = answer_text[:cut].rstrip()
        if head and shown.endswith(head):
            return answer_text[cut:].strip()
    return None
