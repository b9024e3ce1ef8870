"""``OfflinePlanner``: a deterministic LangChain chat model that plans tool calls and writes answers.

It runs inside the same ``create_agent`` loop as a provider model:

1. the last message is the question -> an ``AIMessage`` with the tool calls
   (:func:`agent.offline.followups.plan_turn`: follow-ups on the conversation, else
   :func:`agent.offline.plan.make_plan`), or a reply without calls when it cannot tell what
   is meant (it asks rather than guesses);
2. the tool messages for those calls are in -> any calls the results ask for
   (:func:`agent.offline.rounds.more_calls`: the fp8 fit beside a failed default-format fit,
   a fleet's power bill), then the final markdown answer
   (:func:`agent.offline.compose.compose`), with a ``Read as:`` line per call.

Deterministic: the same conversation always gives the same calls and the same text, and the
plan is recomputed from the question at step 2 (its readings are pure functions of the text).
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from agent.offline.compose import compose
from agent.offline.followups import finish, plan_turn
from agent.offline.history import current_turn
from agent.offline.passage_figure import passage_plan
from agent.offline.rounds import claim_plan, more_calls

MODEL_NAME = "offline"


class OfflinePlanner(BaseChatModel):
    """The offline model: no key, no network, the same answer every time."""

    @property
    def _llm_type(self) -> str:
        return "siliconomics-offline-planner"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": MODEL_NAME}

    def bind_tools(self, tools: Any, **kwargs: Any) -> "OfflinePlanner":
        """The planner knows the tool names from the registry (agent.toolset); binding changes nothing."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=respond(messages))])


def respond(messages: list[BaseMessage]) -> AIMessage:
    """The planner's next message for a conversation (tool calls, a final answer, or a question back)."""
    turn = current_turn(messages)
    if not turn.question:
        return AIMessage(
            content="Ask me a question about AI infrastructure: KV cache, fit, speed, cost, build-outs, capex, or the podcast."
        )
    plan, kind = plan_turn(turn)  # follow-ups that lean on the conversation, else plan.make_plan
    n = sum(1 for m in messages if getattr(m, "type", "") == "human")
    if turn.calls:
        done = [(call, content) for call, _id, content in turn.calls if content is not None]
        more = more_calls(plan, done)
        if more:
            first = len(turn.calls) + 1
            tool_calls = [
                {"name": c.name, "args": c.args, "id": f"offline_{n}_{i}", "type": "tool_call"}
                for i, c in enumerate(more, first)
            ]
            return AIMessage(content="", tool_calls=tool_calls, response_metadata={"model_name": MODEL_NAME})
        sub = claim_plan(done)
        if sub is not None:  # the claim's own numbers were computed: say how they were read
            plan.notes += sub.notes
            plan.focus = plan.focus or sub.focus
        read = passage_plan(plan, done)
        if read is not None:  # a figure read from the cited sentence: which one, and the sums on it
            plan.notes[:0] = read.notes
            plan.sums.update(read.sums)
        text = finish(kind, compose(done, plan.notes, plan, turn.question), done)
        return AIMessage(content=text, response_metadata={"model_name": MODEL_NAME})
    if plan.reply is not None:
        return AIMessage(content=plan.reply, response_metadata={"model_name": MODEL_NAME})
    tool_calls = [
        {"name": c.name, "args": c.args, "id": f"offline_{n}_{i}", "type": "tool_call"}
        for i, c in enumerate(plan.first_round(), 1)
    ]
    return AIMessage(content="", tool_calls=tool_calls, response_metadata={"model_name": MODEL_NAME})
