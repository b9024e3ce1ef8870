"""Scripted fake chat models for agent tests (reused by the chat, Slack and eval tests).

``ScriptedChatModel(script=[...])`` plays back one step per model call. A step is

- an ``AIMessage`` (use :func:`calls` for tool calls, :func:`say` for a final answer),
- an exception instance, raised from that call (a provider fault),
- or a function ``messages -> AIMessage`` that reacts to what the model was sent
  (e.g. to read a tool result before answering).

It implements ``bind_tools`` (returns itself, recording the tool names), records every list
of messages it was called with in ``.seen``, and fails loudly when the script runs out.
Build a fresh one per test: it consumes its script.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from agent.prompts import RETRIEVED_CLOSE, RETRIEVED_OPEN

Step = AIMessage | BaseException | Callable[[list[BaseMessage]], AIMessage]
_ids = itertools.count(1)


def calls(*tool_calls: tuple[str, dict[str, Any]], text: str = "") -> AIMessage:
    """An AI message making these tool calls in one turn: ``calls(("kv_cache", {...}), ...)``."""
    return AIMessage(
        content=text,
        tool_calls=[
            {"name": name, "args": args, "id": f"call_{next(_ids)}", "type": "tool_call"} for name, args in tool_calls
        ],
        usage_metadata={"input_tokens": 100, "output_tokens": 10, "total_tokens": 110},
    )


def say(text: str) -> AIMessage:
    """A final answer."""
    return AIMessage(content=text, usage_metadata={"input_tokens": 200, "output_tokens": 50, "total_tokens": 250})


def last_tool_results(messages: Sequence[BaseMessage]) -> list[Any]:
    """The JSON of the tool messages after the last AI message (what the model just got back)."""
    out: list[Any] = []
    for message in reversed(messages):
        if not isinstance(message, ToolMessage):
            break
        content = str(message.content)
        if content.startswith(RETRIEVED_OPEN):  # a search result, delimited as data for the model
            content = content[len(RETRIEVED_OPEN) : -len(RETRIEVED_CLOSE)]
        out.insert(0, json.loads(content))
    return out


class ScriptedChatModel(BaseChatModel):
    """Plays back a script of AI messages, exceptions or reactions; see the module docstring."""

    script: list[Any] = Field(default_factory=list)
    seen: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[str] = Field(default_factory=list)
    label: str = "scripted"

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:
        self.bound_tools = [getattr(t, "name", None) or t.get("name", "?") for t in tools]
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.seen.append(list(messages))
        if not self.script:
            raise AssertionError(f"scripted model called {len(self.seen)} times; the script has no step left")
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        message = step(list(messages)) if callable(step) else step
        return ChatResult(generations=[ChatGeneration(message=message)])
