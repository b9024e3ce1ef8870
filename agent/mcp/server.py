"""``siliconomics mcp``: every tool of :data:`agent.toolset.TOOLS` over MCP.

Built on the official SDK (``mcp.server.mcpserver.MCPServer``). Every tool is generated from
its registry entry, so nothing is described twice: input schema = the input model's JSON
schema, description = :attr:`tools.registry.Tool.description`, result = the result model as
JSON (text) and as structured content (``search_knowledge`` -> ``{"passages": [...]}``,
``check_claim`` -> the :class:`~agent.claims.check.ClaimMatch`, ``calculate`` -> the value).

Arguments are validated by the same input model as the CLI, and a bad argument comes back as
an MCP tool error (``is_error``) whose text is the CLI's one-line ``InputError`` message.
Transports: stdio (default; what Claude Desktop and Cursor launch) or streamable HTTP.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click
from pydantic import BaseModel

from agent.agent_tools import input_schema
from tools.errors import InputError

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.tools import Tool as MCPTool

SERVER_NAME = "siliconomics"
DEFAULT_PORT = 8765
INSTRUCTIONS = (
    "Calculators for the economics of AI infrastructure (KV cache, memory fit, roofline throughput, TCO, "
    "data-center build-out, hyperscaler capex), a search over the BG2 podcast with Dylan Patel and chip specs, "
    "and a checker for the podcast's quantitative claims. Every figure comes from a calculator or a sourced "
    "catalog row: quote the tool's figures and assumptions rather than computing your own."
)


def _result(payload: BaseModel | dict[str, Any]) -> Any:
    from mcp.types import CallToolResult, TextContent

    data = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    return CallToolResult(content=[TextContent(type="text", text=json.dumps(data))], structured_content=data)


def _error(exc: InputError) -> Any:
    from mcp.types import CallToolResult, TextContent

    return CallToolResult(content=[TextContent(type="text", text=str(exc))], is_error=True)


def make_tool(
    name: str,
    description: str,
    input_model: type[BaseModel],
    run: Callable[[dict[str, Any]], BaseModel | dict[str, Any]],
) -> MCPTool:
    """An MCP tool whose schema is ``input_model``'s and whose InputError becomes a one-line tool error.

    The SDK validates arguments against a model built from the function signature; every field
    is declared ``Any = None`` there, so validation (and its one-line message) is left to
    ``input_model`` inside ``run``, exactly as on the CLI.
    """
    from mcp.server.mcpserver.tools import Tool

    def call(**kwargs: Any) -> Any:
        try:
            return _result(run(kwargs))
        except InputError as exc:
            return _error(exc)

    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(f, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Any)
            for f in input_model.model_fields
        ]
    )
    call.__name__ = name
    tool = Tool.from_function(call, name=name, description=description, structured_output=False)
    tool.fn_metadata.arg_model = _passing_unknown(tool.fn_metadata.arg_model)
    tool.parameters = input_schema(input_model)
    return tool


def _passing_unknown(arg_model: type[BaseModel]) -> type[BaseModel]:
    """The SDK's argument model, but handing unknown arguments on to ``run`` instead of dropping them, so
    ``validate_input`` refuses them with one line naming the argument (a typo'd ``gpu: 1`` never means 8)."""
    from pydantic import ConfigDict

    class PassingUnknown(arg_model):  # type: ignore[valid-type,misc]
        model_config = ConfigDict(extra="allow", arbitrary_types_allowed=True)

        def model_dump_one_level(self) -> dict[str, Any]:
            return {**super().model_dump_one_level(), **(self.model_extra or {})}

    return PassingUnknown


def registry_tools() -> list[MCPTool]:
    """One MCP tool per :data:`agent.toolset.TOOLS` entry."""
    from agent.profiles import with_profile_dir
    from agent.toolset import TOOLS

    def runner(tool: Any) -> Callable[[dict[str, Any]], BaseModel]:
        return lambda args: tool.run(with_profile_dir(tool.input_model, args))

    return [make_tool(t.name, t.description, t.input_model, runner(t)) for t in TOOLS]


def build_server() -> MCPServer:
    """The MCP server with every registry tool."""
    from mcp.server.mcpserver import MCPServer

    return MCPServer(
        name=SERVER_NAME,
        instructions=INSTRUCTIONS,
        tools=registry_tools(),
        log_level="WARNING",
    )


EXAMPLES = """\
Examples:

  siliconomics mcp                       # stdio, for Claude Desktop / Cursor

  siliconomics mcp --http --port 8765    # streamable HTTP at http://127.0.0.1:8765/mcp
"""


@click.command("mcp", epilog=EXAMPLES)
@click.option("--http", "http", is_flag=True, help="Serve streamable HTTP instead of stdio.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535), help="HTTP port.")
@click.option("--host", default="127.0.0.1", show_default=True, help="HTTP bind address.")
def mcp_cmd(http: bool, port: int, host: str) -> None:
    """Serve the calculators, knowledge search and the claim checker over MCP."""
    server = build_server()
    if http:
        click.echo(f"siliconomics MCP server on http://{host}:{port}/mcp", err=True)
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")
