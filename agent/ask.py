"""``ask(question) -> Answer``: the one agent call every front-end uses (CLI, chat, Slack, MCP, evals).

A LangChain ``create_agent`` loop over :func:`agent.agent_tools.agent_tools`, with:

- tool errors: an ``InputError`` goes back to the model as ``{"error": "<line>"}``; any
  other exception propagates;
- a cap on tool-call rounds (``settings.max_tool_rounds``): at the cap the model is told to
  answer from what it has; tool calls it still makes are dropped, and the answer says it
  stopped (with the results so far when the model wrote nothing);
- provider faults (after the SDK's own retries): answered by the fallback model when one is
  given (``fallback=`` or ``SILICONOMICS_FALLBACK``), with a note at the top of the answer,
  else :class:`agent.models.ProviderError` with one line;
- history: ``history=`` (stateless: messages, ``{"role", "content"}`` dicts or
  ``(role, content)`` pairs) or ``conversation_id=`` (persistent, :mod:`agent.store`);
- the answer: tool calls with their results, citations from ``search_knowledge`` passages,
  grounding warnings (:mod:`agent.grounding`), token usage, charts when asked for, and for a
  follow-up the change from the previous turn's result (:mod:`agent.delta`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from langchain.agents import create_agent
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse, ToolErrorMiddleware, hook_config
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.errors import GraphBubbleUp

from agent.agent_tools import SEARCH_TOOL, agent_tools, tool_error_content
from agent.answer import Answer, Citation, ToolCallRecord
from agent.delta import delta_line, with_delta
from agent.grounding import grounding_warnings
from agent.input_accounting import CORRECTION_MARK, accounted_text, correction_message, unused_inputs
from agent.models import (
    OFFLINE,
    PROVIDER_HINT,
    ProviderError,
    chat_model,
    describe_provider_error,
    model_label,
    resolve_model_name,
)
from agent.prompts import ROUND_CAP_NOTE, SYSTEM_PROMPT, delimit_retrieved
from agent.result_warnings import missing_from, result_warnings
from agent.settings import Settings, load_settings

History = Sequence[BaseMessage | dict[str, Any] | tuple[str, str]]
#: Words in a question that ask for a chart.
_CHART_WORDS = re.compile(r"\b(chart|plot|graph|visuali[sz]e)", re.I)
_ROLES = {"user": HumanMessage, "human": HumanMessage, "assistant": AIMessage, "ai": AIMessage, "system": SystemMessage}


class ModelCallFailed(Exception):
    """The chat model itself raised (network, HTTP status, bad response): a provider fault."""


class _ProviderFaults(AgentMiddleware):
    """Marks exceptions raised by the model call, so they are told apart from tool exceptions."""

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        try:
            return handler(request)
        except GraphBubbleUp:
            raise
        except Exception as exc:
            raise ModelCallFailed(str(exc)) from exc


class _RetrievedAsData(AgentMiddleware):
    """search_knowledge results reach the model delimited and marked as data (:func:`agent.prompts.delimit_retrieved`).
    Only the model's view changes: the stored messages, tool records and citations keep the plain JSON."""

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        names = {c["id"]: c["name"] for m in request.messages if isinstance(m, AIMessage) for c in m.tool_calls}
        marked = [
            m.model_copy(update={"content": delimit_retrieved(m.text)})
            if isinstance(m, ToolMessage) and names.get(m.tool_call_id) == SEARCH_TOOL
            else m
            for m in request.messages
        ]
        return handler(request.override(messages=marked))


def is_correction(message: BaseMessage) -> bool:
    """The input-check message ``ask()`` sends a language model (not a question of the analyst's)."""
    return isinstance(message, HumanMessage) and CORRECTION_MARK in (message.additional_kwargs or {})


def _is_question(message: BaseMessage) -> bool:
    return isinstance(message, HumanMessage) and not is_correction(message)


def tool_rounds(messages: Iterable[BaseMessage]) -> int:
    """AI messages with tool calls after the last human message: the tool rounds of this turn."""
    rounds = 0
    for message in messages:
        if _is_question(message):
            rounds = 0
        elif isinstance(message, AIMessage) and message.tool_calls:
            rounds += 1
    return rounds


class _RoundCap(AgentMiddleware):
    """After ``rounds`` tool rounds, ask for an answer from what is known and drop further tool calls."""

    def __init__(self, rounds: int) -> None:
        super().__init__()
        self.rounds = rounds

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> Any:
        if tool_rounds(request.messages) < self.rounds:
            return handler(request)
        base = request.system_message.text if request.system_message else ""
        note = ROUND_CAP_NOTE.format(rounds=self.rounds)
        response = handler(request.override(system_message=SystemMessage(f"{base}\n\n{note}".strip())))
        out: list[BaseMessage] = []
        for message in response.result:
            if isinstance(message, AIMessage) and message.tool_calls:
                message = AIMessage(
                    content=message.text,
                    id=message.id,
                    usage_metadata=message.usage_metadata,
                    response_metadata=message.response_metadata,
                )
            out.append(message)
        return ModelResponse(result=out, structured_response=response.structured_response)


class _InputCheck(AgentMiddleware):
    """One corrective round for a language model whose answer left stated quantities unused.

    When the model answers (no tool calls) and some quantity in the question is neither in a
    tool call's arguments nor in the answer (:mod:`agent.input_accounting`), the model is sent
    the list once and asked again; a second miss is reported by ``ask()`` as a warning.
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    @hook_config(can_jump_to=["model"])
    def after_model(self, state: Any, runtime: Any) -> dict[str, Any] | None:
        messages: list[BaseMessage] = state["messages"]
        last = messages[-1] if messages else None
        if not isinstance(last, AIMessage) or last.tool_calls:
            return None
        run = messages[_turn_start(messages) + 1 :]
        if any(is_correction(m) for m in run):
            return None
        unused = unused_inputs(self.question, _records(run), last.text)
        if not unused:
            return None
        check = HumanMessage(correction_message(unused), additional_kwargs={CORRECTION_MARK: True})
        return {"messages": [check], "jump_to": "model"}


def _turn_start(messages: Sequence[BaseMessage]) -> int:
    """Index of the analyst's last question (the input-check message is not one)."""
    return max(i for i, m in enumerate(messages) if _is_question(m))


def _history_messages(history: History | None) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for item in history or ():
        if isinstance(item, BaseMessage):
            out.append(item)
            continue
        role, content = (item.get("role"), item.get("content")) if isinstance(item, dict) else item
        kind = _ROLES.get(str(role).lower())
        if kind is None:
            raise ValueError(f"history role {role!r}; allowed: {', '.join(_ROLES)}")
        out.append(kind(content=str(content)))
    return out


def _resolve(model: str | BaseChatModel | None, settings: Settings) -> tuple[BaseChatModel, str]:
    if isinstance(model, BaseChatModel):
        return model, model_label(model)
    name = resolve_model_name(model, settings)
    return chat_model(name, settings=settings), name


def _json(content: Any) -> Any:
    text = content if isinstance(content, str) else json.dumps(content)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _records(messages: Sequence[BaseMessage]) -> list[ToolCallRecord]:
    results = {m.tool_call_id: m for m in messages if isinstance(m, ToolMessage)}
    records = []
    for message in messages:
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            reply = results.get(call["id"] or "")
            result = _json(reply.content) if reply is not None else None
            error = None
            if isinstance(result, dict) and set(result) == {"error"}:
                error, result = str(result["error"]), None
            elif reply is not None and reply.status == "error":
                error, result = str(reply.content), None
            records.append(ToolCallRecord(name=call["name"], args=call["args"], result=result, error=error))
    return records


def _citations(records: Sequence[ToolCallRecord], answer: str) -> list[Citation]:
    """Passages returned by ``search_knowledge``: all of them in the order returned when the answer cites
    them as ``[n]`` (the n-th passage returned), else those whose time or id the answer names, else all."""
    passages: dict[str, dict[str, Any]] = {}
    for record in records:
        if record.name == SEARCH_TOOL and isinstance(record.result, list):
            for p in record.result:
                if isinstance(p, dict) and "text" in p:
                    passages.setdefault(str(p.get("chunk_id") or p["text"][:80]), p)
    from knowledge.extract import NOTHING_CLOSE

    if NOTHING_CLOSE in answer:
        return []  # nothing close: unrelated passages are not shown as sources
    numbered = re.search(r"\[\d{1,2}\]", answer) is not None
    named = [
        p
        for p in passages.values()
        if (p.get("timestamp") and p["timestamp"] in answer) or (p.get("chunk_id") and p["chunk_id"] in answer)
    ]
    chosen = list(passages.values()) if numbered else named or list(passages.values())
    return [Citation.model_validate({k: v for k, v in p.items() if k in Citation.model_fields}) for p in chosen]


def _previous_records(messages: Sequence[BaseMessage]) -> list[ToolCallRecord]:
    """The tool calls of the most recent earlier turn that made any (for the follow-up's delta line)."""
    humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    for start, end in zip(reversed(humans), [len(messages), *reversed(humans)]):
        records = _records(messages[start + 1 : end])
        if records:
            return records
    return []


def _quote_warnings(answer: str, citations: Sequence[Citation], queries: Sequence[str]) -> list[str]:
    """One warning per quote in the answer that is not verbatim in a returned passage (knowledge.quotes);
    the question and the search queries may be quoted too."""
    from knowledge.quotes import unverified_quotes

    if not citations:
        return []
    found = unverified_quotes(answer, [*(c.text for c in citations), *queries])
    return [f"quote not found verbatim in the cited passages: “{q}”" for q in found]


def _usage(messages: Iterable[BaseMessage]) -> dict[str, int]:
    total: dict[str, int] = {}
    for message in messages:
        meta = getattr(message, "usage_metadata", None) or {}
        for key in ("input_tokens", "output_tokens", "total_tokens"):
            if isinstance(meta.get(key), int):
                total[key] = total.get(key, 0) + meta[key]
    return total


def _partial_answer(records: Sequence[ToolCallRecord]) -> str:
    from agent.render.terminal import call_signature, result_summary

    lines = ["I reached the cap on tool calls before I could write a full answer. What the tools returned so far:", ""]
    lines += [f"- `{call_signature(r)}` → {result_summary(r)}" for r in records]
    return "\n".join(lines)


def _charts(question: str, records: Sequence[ToolCallRecord], settings: Settings) -> tuple[list[str], list[str]]:
    """PNG charts for the calculators that draw one, when the question asks for a chart. -> (paths, notes)."""
    if not _CHART_WORDS.search(question):
        return [], []
    from agent.toolset import TOOLS

    drawers = {t.name: t for t in TOOLS if t.chart is not None}
    paths, notes = [], []
    folder = settings.data_dir / "charts"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for i, record in enumerate(records):
        tool = drawers.get(record.name)
        if tool is None or record.error or record.result is None:
            continue
        try:
            png = tool.chart(tool.result_model.model_validate(record.result)) if tool.chart else b""
        except Exception as exc:  # a chart is a bonus: the answer stands without it
            notes.append(f"_(The {record.name} chart was not drawn: {exc}.)_")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stamp}-{i}-{record.name}.png"
        path.write_bytes(png)
        paths.append(str(path))
    if not paths and not notes:
        notes.append("_(No chart: none of the tools used here draws one.)_")
    return paths, notes


def _run(
    chat: BaseChatModel,
    label: str,
    question: str,
    history: list[BaseMessage],
    conversation_id: str | None,
    on_token: Callable[[str], None] | None,
    settings: Settings,
    *,
    restart_from: tuple[str | None] | None = None,
) -> Answer:
    """One agent run. ``restart_from=(checkpoint_id,)`` re-runs a stored turn from before a failed attempt."""
    started = time.perf_counter()
    cap = settings.max_tool_rounds
    middleware: list[AgentMiddleware] = [
        _ProviderFaults(),
        ToolErrorMiddleware(on_error=tool_error_content),
        _RoundCap(cap),
    ]
    if label != OFFLINE:  # the offline planner reads the JSON itself and is deterministic: asking again changes nothing
        middleware += [_RetrievedAsData(), _InputCheck(question)]
    store = None
    config: dict[str, Any] = {"recursion_limit": 4 * cap + 12}
    if conversation_id is not None:
        from agent.store import open_store

        store = open_store(settings)
    try:
        graph = create_agent(
            chat,
            agent_tools(),
            system_prompt=SYSTEM_PROMPT,
            middleware=middleware,
            checkpointer=store.checkpointer if store else None,
        )
        new: list[BaseMessage] = [HumanMessage(question)]
        if store is not None and conversation_id is not None:
            config["configurable"] = {"thread_id": conversation_id}
            if restart_from is not None:
                (checkpoint_id,) = restart_from
                if checkpoint_id is None:
                    store.checkpointer.delete_thread(conversation_id)
                else:
                    config["configurable"]["checkpoint_id"] = checkpoint_id
            if not store.messages(conversation_id):  # ``history`` only seeds a new conversation
                new = [*history, *new]
        else:
            new = [*history, *new]
        state = _invoke(graph, {"messages": new}, config, on_token)
        if store is not None and conversation_id is not None:
            store.touch(conversation_id, question)
    finally:
        if store is not None:
            store.close()

    messages: list[BaseMessage] = state["messages"]
    run = messages[_turn_start(messages) + 1 :]
    records = _records(run)
    final = next((m for m in reversed(run) if isinstance(m, AIMessage)), None)
    text = final.text.strip() if final is not None else ""
    capped = tool_rounds(run) >= cap
    if capped and not text:
        text = _partial_answer(records)
    citations = _citations(records, text)
    sources: list[Any] = [m.content for m in messages if isinstance(m, ToolMessage) or _is_question(m)]
    queries = [question, *(str(r.args.get("query", "")) for r in records if r.name == SEARCH_TOOL)]
    warnings = grounding_warnings(text, sources) + _quote_warnings(text, citations, queries)
    flagged = missing_from(text, result_warnings(records))
    if flagged:
        text += "\n\n**Calculator warnings:** " + " ".join(w.split(": ", 1)[1] for w in flagged)
    text, unused = accounted_text(question, records, text)
    if unused and any(is_correction(m) for m in run):
        warnings.append("inputs not used after one corrective round: " + "; ".join(unused))
    text = with_delta(text, delta_line(_previous_records(messages[: _turn_start(messages)]), records))
    if capped:
        text += f"\n\n_Stopped after {cap} rounds of tool calls; this answer may be incomplete._"
    charts, notes = _charts(question, records, settings)
    if notes:
        text += "\n\n" + "\n".join(notes)
    return Answer(
        answer=text,
        tool_calls=records,
        citations=citations,
        warnings=warnings,
        model=label,
        usage=_usage(run),
        unused_inputs=unused,
        elapsed_s=round(time.perf_counter() - started, 3),
        charts=charts,
    )


def _invoke(
    graph: Any, inputs: dict[str, Any], config: dict[str, Any], on_token: Callable[[str], None] | None
) -> dict[str, Any]:
    if on_token is None:
        return graph.invoke(inputs, config)
    state: dict[str, Any] = {}
    for mode, payload in graph.stream(inputs, config, stream_mode=["messages", "values"]):
        if mode == "values":
            state = payload
            continue
        chunk, meta = payload
        if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "model":
            piece = chunk.text
            if piece:
                on_token(piece)
    return state


def ask(
    question: str,
    *,
    history: History | None = None,
    conversation_id: str | None = None,
    model: str | BaseChatModel | None = None,
    fallback: str | BaseChatModel | None = None,
    on_token: Callable[[str], None] | None = None,
    settings: Settings | None = None,
) -> Answer:
    """Answer ``question`` with tool-computed, grounded, cited figures.

    ``history``: earlier turns for stateless callers; with ``conversation_id`` the stored
    conversation is the history (``history`` only seeds a conversation that has no messages yet).
    ``model``: a name (``offline``, ``openai:gpt-4.1-mini``, ``anthropic:...``) or a chat-model
    instance; ``None`` lets the settings choose. ``fallback``: the model that answers when the
    provider fails (default ``settings.fallback``). ``on_token`` receives answer text as it
    streams. Raises ``InputError`` for a bad model name or a missing key, ``ProviderError``
    when the provider fails and there is no fallback.
    """
    if not question or not question.strip():
        from tools.errors import InputError

        raise InputError(
            "question",
            "is empty; ask something, e.g. 'how many 12k-token requests fit for llama-3.1-405b fp8 on 8x h100?'.",
        )
    settings = settings or load_settings()
    past = _history_messages(history)
    chat, label = _resolve(model, settings)
    if conversation_id is None:
        return _answer(question, past, chat, label, None, fallback, on_token, settings)
    from agent.store import conversation_lock

    with conversation_lock(conversation_id, settings):  # one turn at a time per conversation
        return _answer(question, past, chat, label, conversation_id, fallback, on_token, settings)


def _answer(
    question: str,
    past: list[BaseMessage],
    chat: BaseChatModel,
    label: str,
    conversation_id: str | None,
    fallback: str | BaseChatModel | None,
    on_token: Callable[[str], None] | None,
    settings: Settings,
) -> Answer:
    """:func:`ask` after validation: the run, and the fallback model's run when the provider fails."""
    before: str | None = None
    if conversation_id is not None:
        from agent.store import open_store

        with open_store(settings) as store:
            before = store.latest_checkpoint_id(conversation_id)
    try:
        return _run(chat, label, question, past, conversation_id, on_token, settings)
    except ModelCallFailed as failed:
        cause = failed.__cause__ or failed
        if label == OFFLINE:
            raise cause from None  # the planner is local code: a failure there is a bug, not a provider fault
        message = describe_provider_error(cause, label, settings)
        backup = fallback if fallback is not None else settings.fallback
        if not backup:
            raise ProviderError(f"{message} {PROVIDER_HINT}") from cause
    backup_chat, backup_label = _resolve(backup, settings)
    restart = (before,) if conversation_id is not None else None
    try:
        answer = _run(backup_chat, backup_label, question, past, conversation_id, None, settings, restart_from=restart)
    except ModelCallFailed as failed_too:
        cause = failed_too.__cause__ or failed_too
        if backup_label == OFFLINE:
            raise cause from None
        raise ProviderError(
            f"{message} The fallback {describe_provider_error(cause, backup_label, settings)}"
        ) from cause
    answer.answer = f"_{message} Answered by {backup_label} instead._\n\n{answer.answer}"
    return answer
