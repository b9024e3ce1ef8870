"""The LangChain tools the agent binds: every registry calculator, knowledge search, arithmetic.

Each tool's parameter schema is its input model's JSON schema (field descriptions included),
and its arguments are validated by that same model, so a bad argument becomes one
:class:`~tools.errors.InputError` line. The agent turns that error into the tool message
``{"error": "<line>"}`` (see :func:`tool_error_content`) so the model can correct its call;
any other exception propagates. A tool's result is its result model as JSON; a search
returns a JSON list of passages.

Add a tool (e.g. ``check_claim``) with ``agent_tools(extra=(my_tool,))``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from tools.errors import InputError
from tools.registry import validate_input

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    from tools.registry import Tool

SEARCH_TOOL = "search_knowledge"
CALCULATE_TOOL = "calculate"


class SearchKnowledgeInput(BaseModel):
    """Search the knowledge base (the BG2 transcript and the spec sheets) for passages to quote."""

    query: str = Field(min_length=1, description="What to look for, in words, e.g. 'Trainium2 price per chip'.")
    k: int = Field(5, ge=1, le=20, description="How many passages to return (1-20).")
    source: Literal["transcript", "specs", "all"] = Field(
        "all", description="'transcript' (what was said), 'specs' (datasheets and catalog notes) or 'all'."
    )


class CalculateInput(BaseModel):
    """Evaluate plain arithmetic on figures already obtained from tools, citations or the question."""

    expression: str = Field(
        description=(
            "Plain arithmetic, e.g. '1,024 x $2 x 8,760' or '(3.2M - 2.9M) / 2.9M'. "
            "Unit words are ignored; k/M/B/T suffixes and % are understood."
        )
    )


def _schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema the model sees for ``model``'s fields (its title and docstring dropped)."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    schema.pop("description", None)
    schema["additionalProperties"] = False  # an unknown argument is refused by validate_input, never ignored
    return schema


def _structured_tool(name: str, description: str, schema_model: type[BaseModel], fn: Callable[..., str]) -> BaseTool:
    from langchain_core.tools import StructuredTool

    return StructuredTool(name=name, description=description, args_schema=_schema(schema_model), func=fn)


def _registry_description(tool: Tool) -> str:
    fields = ", ".join(tool.key_fields)
    return (
        f"{tool.summary} Returns JSON with the figures ({fields}, ...), the formula, every input after "
        "defaults, the assumptions and the sources. Quote its figures; never compute them yourself."
    )


def registry_tool(tool: Tool) -> BaseTool:
    """A LangChain tool for one registry calculator: args = the input model's fields, result = JSON."""

    def run(**kwargs: Any) -> str:
        return tool.run(kwargs).model_dump_json()

    return _structured_tool(tool.name, _registry_description(tool), tool.input_model, run)


def search_knowledge_tool() -> BaseTool:
    """``search_knowledge(query, k=5, source='all')`` -> JSON list of passages with chapter and time."""

    def run(**kwargs: Any) -> str:
        inp = validate_input(SearchKnowledgeInput, kwargs)
        from knowledge.search import search

        passages = search(inp.query, k=inp.k, source=None if inp.source == "all" else inp.source)
        return json.dumps([p.model_dump() for p in passages])

    return _structured_tool(
        SEARCH_TOOL,
        "Search what was said (the BG2 podcast transcript) and the spec notes. Returns passages with "
        "source, chapter and timestamp (MM:SS). Quote them with chapter and time; cite only what they say.",
        SearchKnowledgeInput,
        run,
    )


def calculate_tool() -> BaseTool:
    """``calculate(expression)`` -> JSON ``{expression, evaluated, value}`` (safe ``ast`` evaluation)."""

    def run(**kwargs: Any) -> str:
        from agent.arithmetic import evaluate

        inp = validate_input(CalculateInput, kwargs)
        return evaluate(inp.expression).model_dump_json()

    return _structured_tool(
        CALCULATE_TOOL,
        "Arithmetic on figures you already have (sums, products, ratios, annualising): use it instead of "
        "computing in your head. Returns the value and the expression as evaluated.",
        CalculateInput,
        run,
    )


def agent_tools(extra: Iterable[BaseTool] = ()) -> list[BaseTool]:
    """Every tool the agent binds: the registry calculators, ``search_knowledge``, ``calculate``, ``check_claim``, then ``extra``."""
    from tools.registry import TOOLS

    from agent.claims import check_claim_tool

    return [*(registry_tool(t) for t in TOOLS), search_knowledge_tool(), calculate_tool(), check_claim_tool(), *extra]


def tool_error_content(exc: Exception, request: Any = None) -> str | None:
    """The tool message for a domain error (``{"error": "<line>"}``); ``None`` lets anything else propagate.

    Signature matches ``ToolErrorMiddleware(on_error=...)``.
    """
    if isinstance(exc, InputError):
        return json.dumps({"error": str(exc)})
    return None
