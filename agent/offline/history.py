"""The conversation as the planner needs it: this turn's question and calls, the previous turn's calls.

The previous turn's calls come from its ``AIMessage.tool_calls`` when the history holds them
(the agent's own conversation store), else from the ``Read as: tool(arg=value, ...)`` lines of
its answer text (text-only history from Slack or ``ask(history=...)``). :func:`read_as_line`
writes those lines and :func:`parse_read_as` reads them back, so the two round-trip.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from agent.offline.plan_types import Call

_READ_AS = re.compile(r"Read as:\s*`?(\w+)\((.*)\)`?\s*$", re.M)
_BARE = re.compile(r"[A-Za-z0-9_.\-]+")


@dataclass
class Earlier:
    """One earlier turn: the question, the calls made for it, and the answer's text."""

    question: str
    calls: list[Call] = field(default_factory=list)
    reply: str = ""


@dataclass
class Turn:
    """The current question, the calls made for it so far with their results, and the turns before."""

    question: str
    calls: list[tuple[Call, str, Any]] = field(default_factory=list)  # (call, tool_call_id, content)
    prior: list[Call] = field(default_factory=list)
    prior_question: str = ""
    earlier: list[Earlier] = field(default_factory=list)  # every earlier turn, oldest first


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)
    return str(content)


def _format_value(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str) and _BARE.fullmatch(value) and _value(value) == value:
        return value  # bare only when it reads back as the same string ("h100", not "8" or "true")
    return json.dumps(value, ensure_ascii=False)  # "—" as written: the line quotes the analyst's words verbatim


def read_as_line(call: Call) -> str:
    """``Read as: memory_fit(model=Llama-3.1-405B, chip="NVIDIA H100 SXM5 80GB", gpus=8)``."""
    # the passage count of a search is a retrieval setting, not something the question said
    args = ", ".join(
        f"{k}={_format_value(v)}" for k, v in call.args.items() if not (call.name == "search_knowledge" and k == "k")
    )
    return f"Read as: {call.name}({args})"


def _value(raw: str) -> Any:
    raw = raw.strip()
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        return raw


def parse_read_as(text: str) -> list[Call]:
    """Every ``Read as:`` call in ``text``, arguments typed back (numbers, lists, quoted strings)."""
    calls = []
    for m in _READ_AS.finditer(text):
        name, body = m.group(1), m.group(2)
        args: dict[str, Any] = {}
        i = 0
        while i < len(body):
            km = re.compile(r"\s*,?\s*(\w+)=").match(body, i)
            if not km:
                break
            key, i = km.group(1), km.end()
            if i < len(body) and body[i] in '"[':
                decoder = json.JSONDecoder()
                try:
                    value, end = decoder.raw_decode(body, i)
                except ValueError:
                    break
                args[key], i = value, end
            else:
                end = body.find(",", i)
                end = len(body) if end < 0 else end
                args[key], i = _value(body[i:end]), end
        calls.append(Call(name, args))
    return calls


def _kind(message: Any) -> str:
    """A message's type; ask()'s input-check message to a language model is not a turn of the analyst's."""
    from agent.input_accounting import CORRECTION_MARK

    if CORRECTION_MARK in (getattr(message, "additional_kwargs", None) or {}):
        return "correction"
    return getattr(message, "type", "")


def current_turn(messages: list[Any]) -> Turn:
    """Split ``messages`` (LangChain messages) into the current turn and the previous turn's calls."""
    kinds = [_kind(m) for m in messages]
    humans = [i for i, k in enumerate(kinds) if k == "human"]
    if not humans:
        return Turn(question="")
    last = humans[-1]
    turn = Turn(question=_text(messages[last].content).strip())
    results = {
        getattr(m, "tool_call_id", None): m.content for m in messages[last + 1 :] if getattr(m, "type", "") == "tool"
    }
    for m in messages[last + 1 :]:
        for tc in getattr(m, "tool_calls", None) or []:
            turn.calls.append(
                (Call(tc["name"], dict(tc.get("args") or {})), tc.get("id") or "", results.get(tc.get("id")))
            )
    turn.prior = _previous_calls(messages[:last])
    earlier = [_text(m.content) for m in messages[:last] if _kind(m) == "human"]
    turn.prior_question = earlier[-1].strip() if earlier else ""
    turn.earlier = earlier_turns(messages[:last])
    return turn


def earlier_turns(messages: list[Any]) -> list[Earlier]:
    """Each earlier turn of ``messages``: its question, its calls (tool_calls, else Read-as lines), its final text."""
    kinds = [getattr(m, "type", "") for m in messages]
    humans = [i for i, k in enumerate(kinds) if k == "human"]
    out = []
    for start, end in zip(humans, humans[1:] + [len(messages)]):
        ais = [m for m in messages[start + 1 : end] if getattr(m, "type", "") == "ai"]
        calls = [
            Call(tc["name"], dict(tc.get("args") or {})) for m in ais for tc in getattr(m, "tool_calls", None) or []
        ]
        reply = _text(ais[-1].content).strip() if ais else ""
        if not calls:
            calls = parse_read_as(reply)
        out.append(Earlier(_text(messages[start].content).strip(), calls, reply))
    return out


def _previous_calls(messages: list[Any]) -> list[Call]:
    """The calls of the most recent earlier turn that made any (tool_calls, else Read-as lines)."""
    kinds = [_kind(m) for m in messages]
    humans = [i for i, k in enumerate(kinds) if k == "human"]
    bounds = list(zip(humans, humans[1:] + [len(messages)]))
    for start, end in reversed(bounds):
        calls: list[Call] = []
        for m in messages[start + 1 : end]:
            if getattr(m, "type", "") != "ai":
                continue
            calls.extend(Call(tc["name"], dict(tc.get("args") or {})) for tc in getattr(m, "tool_calls", None) or [])
        if not calls:
            for m in messages[start + 1 : end]:
                if getattr(m, "type", "") == "ai":
                    calls.extend(parse_read_as(_text(m.content)))
        if calls:
            return calls
    return []
