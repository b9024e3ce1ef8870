"""The MCP server in-process with the SDK's own client: list tools, call them, the error path."""

from __future__ import annotations

import json

import anyio
import pytest
from mcp import Client

from agent.agent_tools import input_schema
from agent.mcp.server import build_server
from agent.toolset import TOOLS, get
from tools.errors import InputError


def session(fn):
    """Run ``fn(client)`` against a fresh server over the SDK's in-memory transport."""

    async def main():
        async with Client(build_server()) as client:
            return await fn(client)

    return anyio.run(main)


def test_lists_every_registry_tool_with_its_schema_and_description():
    async def fn(client):
        return (await client.list_tools()).tools

    tools = {t.name: t for t in session(fn)}
    assert list(tools) == [t.name for t in TOOLS]
    assert {"calculate", "chip_specs", "search_knowledge", "check_claim"} <= set(tools)
    for t in TOOLS:
        assert tools[t.name].input_schema == input_schema(t.input_model)  # the registry's schema, not a copy
        assert tools[t.name].description == t.description  # described in one place


def test_calculate_over_mcp():
    async def fn(client):
        return await client.call_tool("calculate", {"expression": "3*7/(2500*3600)*1e6"})

    res = session(fn)
    assert not res.is_error
    assert res.structured_content["value"] == pytest.approx(2.3333333, rel=1e-6)  # 21 / 9e6 * 1e6


def test_call_kv_cache_returns_the_result_model():
    async def fn(client):
        return await client.call_tool("kv_cache", {"model": "llama-3.1-70b", "context": 8192})

    res = session(fn)
    assert not res.is_error
    per_token = 2 * 80 * 8 * 128 * 2  # Llama-3.1-70B: 2 (K,V) x layers x kv_heads x head_dim x bf16 bytes
    assert res.structured_content["bytes_per_token"] == per_token
    assert res.structured_content["bytes_per_sequence"] == per_token * 8192
    assert json.loads(res.content[0].text) == res.structured_content


@pytest.mark.parametrize(
    "tool, args",
    [
        ("memory_fit", {"model": "llama-9", "chip": "h100"}),
        ("memory_fit", {"model": "llama-3.1-70b", "chip": "h100", "gpus": 0}),
        ("throughput", {"chip": "h100"}),
    ],
)
def test_input_errors_are_tool_errors_with_the_cli_message(tool, args):
    with pytest.raises(InputError) as exc:
        get(tool).run(args)

    async def fn(client):
        return await client.call_tool(tool, args)

    res = session(fn)
    assert res.is_error
    assert res.content[0].text == str(exc.value)  # the same one line the CLI prints
    assert "\n" not in res.content[0].text


def test_check_claim_and_search_errors():
    async def fn(client):
        ok = await client.call_tool(
            "check_claim", {"claim": "is it true that reasoning models serve 4-5x fewer users?"}
        )
        empty = await client.call_tool("check_claim", {"claim": ""})
        search = await client.call_tool("search_knowledge", {"query": "  "})
        return ok, empty, search

    ok, empty, search = session(fn)
    assert not ok.is_error and ok.structured_content["found"]
    assert ok.structured_content["result"]["id"] == "reasoning-users-4-5x"
    assert ok.structured_content["verdict"] == "consistent under assumptions"
    assert empty.is_error and empty.content[0].text.startswith("claim: ")
    assert search.is_error and search.content[0].text.startswith("query: empty query")


@pytest.mark.slow
def test_stdio_console_script_serves_the_tools():
    """``siliconomics mcp`` launched as Claude Desktop or Cursor would: a subprocess speaking stdio."""
    import sys
    from pathlib import Path

    from mcp import StdioServerParameters

    script = Path(sys.executable).with_name("siliconomics")

    async def main():
        async with Client(StdioServerParameters(command=str(script), args=["mcp"])) as client:
            names = [t.name for t in (await client.list_tools()).tools]
            res = await client.call_tool(
                "memory_fit", {"model": "llama-3.1-405b", "chip": "h100", "weights_dtype": "fp8", "output": 11000}
            )
            return names, res

    names, res = anyio.run(main)
    assert "check_claim" in names and not res.is_error
    # docs/peers.md case 4, 405B fp8 on 8 x H100, 1k + 10k + 1k, GiB x 0.9 column: 68 requests at peak reservation
    assert res.structured_content["max_concurrent_sequences"] == 68


@pytest.mark.parametrize(
    "tool, args, bad",
    [
        ("memory_fit", {"model": "llama-3.1-70b", "chip": "h100", "gpu": 1}, "gpu"),
        ("search_knowledge", {"query": "hbm", "kk": 3}, "kk"),
    ],
)
def test_unknown_argument_is_refused_not_ignored(tool, args, bad):
    """A typo'd ``gpu: 1`` must not silently run with the default of 8 accelerators."""

    async def fn(client):
        return await client.call_tool(tool, args)

    res = session(fn)
    assert res.is_error
    text = res.content[0].text
    assert text.startswith(f"{bad}: unknown argument") and "\n" not in text
