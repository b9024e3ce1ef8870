"""The LangChain tools the agent binds: one per :data:`agent.toolset.TOOLS` entry.

Each tool's parameter schema is its input model's JSON schema (field descriptions included),
its description is :attr:`tools.registry.Tool.description`, and its arguments are validated by
that same input model, so a bad argument becomes one :class:`~tools.errors.InputError` line.
The agent turns that error into the tool message ``{"error": "<line>"}`` (see
:func:`tool_error_content`) so the model can correct its call; any other exception
propagates. A tool's result is :meth:`tools.registry.Tool.content` as JSON (a search returns
a JSON list of passages).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from knowledge.tool import SEARCH_KNOWLEDGE
from tools.errors import InputError

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

    from tools.registry import Tool

SEARCH_TOOL = SEARCH_KNOWLEDGE.name


def input_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema a model or an MCP client sees for ``model``'s fields (title and docstring dropped)."""
    schema = model.model_json_schema()
    schema.pop("title", None)
    schema.pop("description", None)
    schema["additionalProperties"] = False  # an unknown argument is refused by validate_input, never ignored
    return schema


def langchain_tool(tool: Tool) -> BaseTool:
    """A LangChain tool for one registry entry: args = the input model's fields, result = JSON."""
    from langchain_core.tools import StructuredTool

    def run(**kwargs: Any) -> str:
        from agent.profiles import with_profile_dir

        return json.dumps(tool.content(tool.run(with_profile_dir(tool.input_model, kwargs))))

    return StructuredTool(
        name=tool.name, description=tool.description, args_schema=input_schema(tool.input_model), func=run
    )


def agent_tools(extra: Iterable[BaseTool] = ()) -> list[BaseTool]:
    """Every tool the agent binds (:data:`agent.toolset.TOOLS`), then ``extra``."""
    from agent.toolset import TOOLS

    return [*(langchain_tool(t) for t in TOOLS), *extra]


def tool_error_content(exc: Exception, request: Any = None) -> str | None:
    """The tool message for a domain error (``{"error": "<line>"}``); ``None`` lets anything else propagate.

    Signature matches ``ToolErrorMiddleware(on_error=...)``.
    """
    if isinstance(exc, InputError):
        return json.dumps({"error": str(exc)})
    return None
