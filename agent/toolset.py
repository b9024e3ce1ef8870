"""The one list of tools every front-end derives from.

:data:`TOOLS` is the calculators and pure tools of :data:`tools.registry.TOOLS` plus the two
entries that live above ``tools/``: ``search_knowledge`` (:mod:`knowledge.tool`) and
``check_claim`` (:mod:`agent.claims.check`). The CLI subcommands, the agent's LangChain tools,
the MCP tools, the Slack slash command, the eval runner and the offline planner all read it.
Both of those two keep their hand-written CLI commands (``search``, ``claims``).
"""

from __future__ import annotations

from dataclasses import replace

from agent.claims.match import CHECK_CLAIM
from knowledge.tool import SEARCH_KNOWLEDGE
from tools import registry
from tools.errors import InputError
from tools.registry import Tool

TOOLS: tuple[Tool, ...] = (
    *registry.TOOLS,
    replace(SEARCH_KNOWLEDGE, cli=("search", "agent.cli.knowledge:search_cmd")),
    replace(CHECK_CLAIM, cli=("claims", "agent.claims.cli:claims_cmd")),
)

_BY_NAME = {t.name: t for t in TOOLS}


def get(name: str) -> Tool:
    """The tool called ``name`` (``kv_cache`` or ``kv-cache``), or ``InputError`` listing the tools."""
    tool = _BY_NAME.get(name.replace("-", "_"))
    if tool is None:
        raise InputError("tool", f"unknown tool {name!r}; allowed: {', '.join(t.name for t in TOOLS)}.")
    return tool
