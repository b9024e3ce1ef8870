"""Block Kit builders: pure functions from an :class:`~agent.answer.Answer` (or a calculator
result) to Slack messages. No Slack client, no I/O.

An answer is posted brief (:func:`brief_message`: headline, key figures or a comparison as an
aligned code block, one line of what was assumed, grounding warnings, and a "Show work" button);
the button posts the whole answer in the thread (:func:`answer_messages`: the full text, key
figures, tool calls, sources).

A *message* here is a dict ``{"text": fallback, "blocks": [...]}`` ready for
``chat.postMessage`` / ``chat.update`` / an ``ack()`` body.

Slack limits respected (sources):

- section text <= 3,000 characters; section fields <= 10 items of <= 2,000 characters each;
  <= 50 blocks per message; context block <= 10 elements
  (https://docs.slack.dev/reference/block-kit/blocks).
- Slack also rejects a message whose blocks together hold roughly 13,000 characters
  (``msg_blocks_too_long``, reported in slackapi/bolt-js#2509); messages are therefore cut
  at :data:`MESSAGE_CHARS_MAX` characters of block text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from agent.answer import Answer, Citation, ToolCallRecord

# Block Kit limits from Slack's reference (api.slack.com/reference/block-kit/blocks): section text
# 3,000 characters, at most 10 fields of 2,000 characters each, context blocks of at most 10
# elements, at most 50 blocks per message.
SECTION_TEXT_MAX = 3000
FIELDS_MAX = 10
FIELD_TEXT_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
BLOCKS_PER_MESSAGE_MAX = 50
#: Block text per message, kept under the ~13,000 characters Slack accepts (bolt-js#2509).
MESSAGE_CHARS_MAX = 11_000
#: The notification/fallback ``text`` of a message.
FALLBACK_TEXT_MAX = 3000
#: Key-figure fields shown per answer (two sections of ten): a product choice, not a Slack limit.
KEY_FIGURES_MAX = 20
#: The "Show work" button's action id (the listener registered for it posts the detail).
SHOW_WORK_ACTION = "show_work"
#: A button's value is at most 2,000 characters (Block Kit button element reference).
BUTTON_VALUE_MAX = 2000

Message = dict[str, Any]


# ---------------------------------------------------------------------------
# markdown -> Slack mrkdwn

_FENCE = re.compile(r"^\s*```")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_NUMERIC = re.compile(r"^[-+~$≈<>]?[\d.,]+\s*[%a-zA-Z/×x]*$")


def escape(text: str) -> str:
    """Escape the three characters Slack reserves for control sequences: ``& < >``."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _inline(text: str) -> str:
    """One line of markdown outside code: escape, then links, bold, italic, strikethrough."""
    parts = re.split(r"(`[^`]*`)", text)
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) >= 2:
            out.append(escape(part))
            continue
        s = escape(part)
        s = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", s)
        s = _BOLD.sub(lambda m: "\x00" + m.group(2) + "\x00", s)
        s = _ITALIC.sub(lambda m: f"_{m.group(1)}_", s)
        s = _STRIKE.sub(lambda m: f"~{m.group(1)}~", s)
        out.append(s.replace("\x00", "*"))
    return "".join(out)


def _cells(row: str) -> list[str]:
    cells = row.strip().strip("|").split("|")
    return [re.sub(r"(\*\*|__|`)", "", c).strip() for c in cells]


def table_to_code(rows: list[str]) -> str:
    """A markdown table as an aligned code block: text left-aligned, numbers right-aligned.

    >>> print(table_to_code(["| chip | GB |", "|---|---:|", "| H100 | 80 |", "| H200 | 141 |"]))
    ```
    chip   GB
    H100   80
    H200  141
    ```
    """
    table = [_cells(r) for r in rows if not _TABLE_RULE.match(r)]
    width = max(len(r) for r in table)
    table = [r + [""] * (width - len(r)) for r in table]
    widths = [max(len(r[i]) for r in table) for i in range(width)]
    numeric = [all(_NUMERIC.match(r[i]) or not r[i] for r in table[1:]) and len(table) > 1 for i in range(width)]
    lines = []
    for row in table:
        cells = [c.rjust(widths[i]) if numeric[i] else c.ljust(widths[i]) for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "```\n" + escape("\n".join(lines)) + "\n```"


def markdown_to_mrkdwn(md: str) -> str:
    """Convert the agent's markdown to Slack mrkdwn.

    ``**bold**`` -> ``*bold*``, ``*italic*`` -> ``_italic_``, ``# Heading`` -> ``*Heading*``,
    ``[text](url)`` -> ``<url|text>``, ``- item`` -> ``• item``, tables -> aligned code blocks;
    code blocks are kept (escaped only); ``& < >`` escaped everywhere.

    >>> markdown_to_mrkdwn("## Fit\\n**728** requests, *peak*; see [vLLM](https://vllm.ai)\\n- a < b")
    '*Fit*\\n*728* requests, _peak_; see <https://vllm.ai|vLLM>\\n• a &lt; b'
    """
    lines = md.replace("\r\n", "\n").split("\n")
    out: list[str] = []
    i = 0
    in_code = False
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_code = not in_code
            out.append("```")
            i += 1
            continue
        if in_code:
            out.append(escape(line))
            i += 1
            continue
        if _TABLE_ROW.match(line):
            rows = []
            while i < len(lines) and _TABLE_ROW.match(lines[i]):
                rows.append(lines[i])
                i += 1
            out.append(table_to_code(rows))
            continue
        heading = _HEADING.match(line)
        if heading:
            out.append(f"*{_inline(heading.group(1)).replace('*', '')}*")
        else:
            bullet = _BULLET.match(line)
            if bullet:
                line = f"{bullet.group(1)}• " + line[bullet.end() :]
            out.append(_inline(line))
        i += 1
    if in_code:
        out.append("```")
    return "\n".join(out)


def split_text(text: str, limit: int = SECTION_TEXT_MAX) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters.

    Cuts fall on paragraph, then line, then word boundaries; a code block cut in two is
    closed at the end of one piece and reopened at the start of the next.
    """
    if len(text) <= limit:
        return [text] if text else []
    budget = limit - 8  # room for a closing and a reopening fence
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    in_code = False

    def flush() -> None:
        nonlocal current, size
        if not current:
            return
        body = "\n".join(current)
        if in_code:
            body += "\n```"
        pieces.append(body)
        current = ["```"] if in_code else []
        size = 4 if in_code else 0

    for line in text.split("\n"):
        while len(line) > budget - 4:  # a single overlong line: cut at a space if possible
            cut = line.rfind(" ", 0, budget - 4)
            cut = cut if cut > budget // 2 else budget - 4
            flush()
            current.append(line[:cut])
            size += cut + 1
            line = line[cut:].lstrip(" ")
        if size + len(line) + 1 > budget or (not line and size > budget * 0.8 and not in_code):
            flush()
        current.append(line)
        size += len(line) + 1
        if _FENCE.match(line):
            in_code = not in_code
    flush()
    return [p for p in pieces if p.strip() and p.strip() != "```\n```"]


# ---------------------------------------------------------------------------
# blocks


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_TEXT_MAX]}}


def context(lines: Iterable[str]) -> dict[str, Any]:
    """A context block; lines are packed into at most 10 elements of at most 2,000 characters."""
    elements: list[str] = []
    for line in lines:
        line = line[:FIELD_TEXT_MAX]
        if elements and len(elements[-1]) + len(line) + 1 <= FIELD_TEXT_MAX:
            elements[-1] += "\n" + line
        elif len(elements) < CONTEXT_ELEMENTS_MAX:
            elements.append(line)
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": e} for e in elements]}


def _label(field: str) -> str:
    return field.replace("_", " ")


def _key_fields(tool_name: str) -> tuple[str, ...]:
    from agent.toolset import TOOLS

    for tool in TOOLS:
        if tool.name == tool_name:
            return tool.key_fields
    return ()


def key_figure_fields(calls: Iterable[ToolCallRecord]) -> list[str]:
    """``*label*\\nvalue`` texts for the key fields of each successful calculator call."""
    from agent.render.values import format_value

    calls = [c for c in calls if c.error is None and isinstance(c.result, dict)]
    fields: list[str] = []
    for call in calls:
        for name in _key_fields(call.name):
            if name not in call.result:
                continue
            prefix = f"{call.name} · " if len(calls) > 1 else ""
            text = f"*{escape(prefix + _label(name))}*\n{escape(format_value(name, call.result[name]))}"
            fields.append(text[:FIELD_TEXT_MAX])
    return fields[:KEY_FIGURES_MAX]


def fields_sections(fields: list[str]) -> list[dict[str, Any]]:
    return [
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f} for f in fields[i : i + FIELDS_MAX]]}
        for i in range(0, len(fields), FIELDS_MAX)
    ]


def _arg(value: Any) -> str:
    if isinstance(value, str):
        return value if re.fullmatch(r"[\w.\-:/]+", value) else repr(value)
    return str(value)


def tool_call_line(call: ToolCallRecord) -> str:
    """``kv_cache(model=llama-3.1-70b, context=32000)``, with the error when it failed."""
    args = ", ".join(f"{k}={_arg(v)}" for k, v in call.args.items())
    line = f"`{escape(call.name)}({escape(args)})`"
    if call.error:
        line += f" → error: {escape(call.error)}"
    return line


def citation_line(citation: Citation, *, excerpt_chars: int = 160) -> str:
    """``source · chapter · MM:SS — "excerpt"`` with the source link when there is one."""
    where = " · ".join(x for x in (citation.source, citation.chapter, citation.timestamp) if x)
    where = escape(where)
    if citation.source_urls:
        where = f"<{citation.source_urls[0]}|{where}>"
    text = " ".join(citation.text.split())
    if len(text) > excerpt_chars:
        text = text[: excerpt_chars - 1].rstrip() + "…"
    return f"{where} — “{escape(text)}”"


def warning_section(warnings: list[str]) -> dict[str, Any]:
    lines = "\n".join(f"• {escape(w)}" for w in warnings)
    return section(f":warning: *Grounding check*\n{lines}")


def answer_blocks(answer: Answer) -> list[dict[str, Any]]:
    """All blocks of an answer, in reading order, each within its own limits."""
    blocks = [section(piece) for piece in split_text(markdown_to_mrkdwn(answer.answer))]
    blocks += fields_sections(key_figure_fields(answer.tool_calls))
    if answer.warnings:
        for piece in split_text("\n".join(answer.warnings), SECTION_TEXT_MAX - 40):
            blocks.append(warning_section(piece.split("\n")))
    if answer.tool_calls:
        blocks.append(context([":hammer_and_wrench: *Tool calls*", *map(tool_call_line, answer.tool_calls)]))
    if answer.citations:
        blocks.append(context([":books: *Sources*", *map(citation_line, answer.citations)]))
    footer = f"model: {escape(answer.model)}"
    if answer.elapsed_s:
        footer += f" · {answer.elapsed_s:.1f} s"
    blocks.append(context([footer]))
    return blocks


def brief_message(answer: Answer, work_key: str | None) -> Message:
    """The brief answer as one message, with a "Show work" button carrying ``work_key`` (None: no button)."""
    from agent.render.brief import brief, has_more
    from agent.render.scenarios import text_table

    view = brief(answer)
    text = "\n\n".join([*view.lead, "\n".join(view.figures)] + ([f"_{view.assumed}_"] if view.assumed else []))
    out = [section(piece) for piece in split_text(markdown_to_mrkdwn(text.strip()))] if text.strip() else []
    if view.table is not None:
        _caption, head, rows = view.table
        out.append(section(f"```\n{escape(text_table(head, rows))}\n```"))
    if answer.warnings:
        for piece in split_text("\n".join(answer.warnings), SECTION_TEXT_MAX - 40):
            out.append(warning_section(piece.split("\n")))
    footer = f"model: {escape(answer.model)}" + (f" · {answer.elapsed_s:.1f} s" if answer.elapsed_s else "")
    more = has_more(answer, view)
    if work_key and more:
        button = {
            "type": "button",
            "action_id": SHOW_WORK_ACTION,
            "value": work_key[:BUTTON_VALUE_MAX],
            "text": {"type": "plain_text", "text": "Show work"},
        }
        out.append({"type": "actions", "elements": [button]})
        footer += f" · Show work: {escape(', '.join(view.more))}"
    out.append(context([footer]))
    return {"text": _plain(out), "blocks": out[:BLOCKS_PER_MESSAGE_MAX]}


def work_header(question: str) -> Message:
    """The first reply of a "Show work": which question the detail belongs to."""
    text = f":mag: *The work behind* _{escape(question[:300])}_"
    return {"text": text, "blocks": [section(text)]}


def _block_chars(block: dict[str, Any]) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    if block.get("type") == "actions":
        return sum(len(e.get("text", {}).get("text", "")) for e in block["elements"])
    return sum(len(e["text"]) for e in block.get("fields", block.get("elements", [])))


def _plain(blocks: list[dict[str, Any]]) -> str:
    texts = []
    for block in blocks:
        if "text" in block:
            texts.append(block["text"]["text"])
        elif "fields" in block:
            texts.append(" · ".join(f["text"].replace("\n", ": ") for f in block["fields"]))
    text = "\n".join(texts) or "Siliconomics answer"
    return text if len(text) <= FALLBACK_TEXT_MAX else text[: FALLBACK_TEXT_MAX - 1] + "…"


def paginate(blocks: list[dict[str, Any]]) -> list[Message]:
    """Group blocks into messages of at most 50 blocks and :data:`MESSAGE_CHARS_MAX` characters."""
    pages: list[list[dict[str, Any]]] = [[]]
    chars = 0
    for block in blocks:
        size = _block_chars(block)
        if pages[-1] and (len(pages[-1]) >= BLOCKS_PER_MESSAGE_MAX or chars + size > MESSAGE_CHARS_MAX):
            pages.append([])
            chars = 0
        pages[-1].append(block)
        chars += size
    return [{"text": _plain(page), "blocks": page} for page in pages if page]


def answer_messages(answer: Answer) -> list[Message]:
    """An answer as one or more messages (the first replaces the working placeholder)."""
    return paginate(answer_blocks(answer))


# ---------------------------------------------------------------------------
# short messages


def working_message() -> Message:
    text = ":hourglass_flowing_sand: Working on it: choosing tools and computing…"
    return {"text": text, "blocks": [context([text])]}


def error_message(reason: str) -> Message:
    """The one ``:warning:`` reply a failure produces."""
    text = f":warning: Sorry, I could not answer that: {escape(reason)}"[:SECTION_TEXT_MAX]
    return {"text": text, "blocks": [section(text)]}


def rate_limited_message(limit: int, window_s: float, retry_after_s: float) -> Message:
    text = (
        f":raised_hand: You have asked {limit} questions in the last {window_s:g} s, which is my limit "
        f"per person. Please try again in about {max(1, round(retry_after_s))} s."
    )
    return {"text": text, "blocks": [section(text)]}


def help_message(commands: list[tuple[str, str]]) -> Message:
    """Help for mentions/DMs and ``/siliconomics help``: what to ask and the calculators."""
    lines = [
        "*Siliconomics* answers questions about the economics of AI infrastructure with figures "
        "computed by calculators and passages cited from its sources.",
        "Mention me in a channel or DM me, e.g. _how many concurrent requests fit for Llama-3.1-70B "
        "bf16 on 8x H100 with 1k prompt and 1k output tokens?_ Follow-ups in the thread keep the context.",
        "",
        "*Slash command* (only you see the answer; add `--in-channel` to share it):",
    ]
    lines += [f"• `/siliconomics {name} --help` {escape(summary)}" for name, summary in commands]
    lines.append("• `/siliconomics help` this message")
    text = "\n".join(lines)
    return {"text": _plain([section(text)]), "blocks": [section(p) for p in split_text(text)]}


def result_message(command: str, summary: str, result: Any, key_fields: tuple[str, ...], read_as: str) -> Message:
    """A calculator result (slash command): key figures as fields, every scalar in an aligned
    code block, then the formula, assumptions and sources as context."""
    from agent.render.values import format_value, scalar_fields

    blocks: list[dict[str, Any]] = [section(f"*{escape(command)}*: {escape(summary)}")]
    data = dict(scalar_fields(result))
    fields = [
        f"*{escape(_label(k))}*\n{escape(format_value(k, data[k]))}"[:FIELD_TEXT_MAX] for k in key_fields if k in data
    ]
    blocks += fields_sections(fields)
    rows = [(k, format_value(k, v)) for k, v in data.items()]
    if rows:
        width = max(len(k) for k, _ in rows)
        table = "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
        blocks += [section(p) for p in split_text(f"```\n{escape(table)}\n```")]
    notes = []
    if getattr(result, "formula", ""):
        notes.append(f"*Formula:* {escape(result.formula)}")
    notes += [f"*Assumption:* {escape(a)}" for a in getattr(result, "assumptions", [])]
    notes += [f"*Source:* {escape(s)}" for s in getattr(result, "sources", [])[:5]]
    notes.append(f"Read as: `{escape(read_as)}`")
    blocks.append(context(notes))
    return {"text": _plain(blocks[:2]), "blocks": blocks}
