"""The agent's tools: one per registry entry (calculators, calculate, chip_specs, search, claims); schemas pinned by snapshot."""

from __future__ import annotations

import json

import pytest
from langchain_core.utils.function_calling import convert_to_openai_tool
from syrupy.extensions.json import JSONSnapshotExtension

from agent.agent_tools import agent_tools, tool_error_content
from agent.toolset import TOOLS
from tools.errors import InputError

TOOL_NAMES = [t.name for t in agent_tools()]


def _tool(name):
    return next(t for t in agent_tools() if t.name == name)


def test_one_tool_per_registry_entry():
    assert TOOL_NAMES == [t.name for t in TOOLS]
    assert {"calculate", "chip_specs", "search_knowledge", "check_claim"} <= set(TOOL_NAMES)


def test_extra_tools_are_appended():
    from langchain_core.tools import tool

    @tool
    def extra_tool(text: str) -> str:
        """An extra tool."""
        return "{}"

    assert [t.name for t in agent_tools(extra=(extra_tool,))][-1] == "extra_tool"


@pytest.mark.parametrize("name", TOOL_NAMES)
def test_tool_schema_snapshot(name, snapshot):
    """A wording or parameter change in any tool shows up here in review (update with --snapshot-update)."""
    assert convert_to_openai_tool(_tool(name)) == snapshot(extension_class=JSONSnapshotExtension)


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.name)
def test_registry_tool_schema_is_the_input_model(tool):
    params = convert_to_openai_tool(_tool(tool.name))["function"]["parameters"]
    assert set(params["properties"]) == set(tool.input_model.model_fields)
    for field, info in tool.input_model.model_fields.items():
        assert params["properties"][field]["description"] == info.description
    assert _tool(tool.name).description == tool.description


def test_registry_tool_returns_the_result_json():
    out = json.loads(_tool("kv_cache").invoke({"model": "opt-13b", "kv_dtype": "fp16", "context": 2048}))
    # source: Kwon et al. 2023 (vLLM paper) sec. 3, 800 KB per token for OPT-13B
    assert out["bytes_per_token"] == 819_200 and "formula" in out and "sources" in out


def test_null_arguments_mean_defaults():
    out = json.loads(_tool("kv_cache").invoke({"model": "opt-13b", "context": 2048, "batch": None, "kv_dtype": None}))
    assert out["inputs"]["batch"] == 1


def test_bad_argument_raises_input_error_with_the_field():
    with pytest.raises(InputError) as info:
        _tool("memory_fit").invoke({"model": "llama-3.1-405b", "chip": "h100", "gpus": 0})
    assert str(info.value).startswith("gpus:")
    assert json.loads(tool_error_content(info.value)) == {"error": str(info.value)}


def test_unexpected_errors_are_not_turned_into_tool_messages():
    assert tool_error_content(KeyError("bug")) is None


def test_calculate_tool():
    out = json.loads(_tool("calculate").invoke({"expression": "1,024 GPUs x $2 x 8,760 h"}))
    assert out == {"expression": "1,024 GPUs x $2 x 8,760 h", "evaluated": "1024 * 2 * 8760", "value": 17_940_480}
    with pytest.raises(InputError, match="^expression:"):
        _tool("calculate").invoke({"expression": "open('x')"})


def test_search_knowledge_calls_knowledge_search(monkeypatch):
    import knowledge.search
    from knowledge.passage import Passage

    seen = {}

    def fake_search(query, k=5, source=None):
        seen.update(query=query, k=k, source=source)
        return [Passage(text="HBM", source="BG2", chapter="Memory", timestamp="43:10", score=1.0, chunk_id="c1")]

    monkeypatch.setattr(knowledge.search, "search", fake_search)
    out = json.loads(_tool("search_knowledge").invoke({"query": "hbm margins", "k": 3, "source": "transcript"}))
    assert seen == {"query": "hbm margins", "k": 3, "source": "transcript"}
    assert out[0]["chapter"] == "Memory" and out[0]["timestamp"] == "43:10"
    json.loads(_tool("search_knowledge").invoke({"query": "x"}))
    assert seen["source"] is None  # 'all' -> no filter
    with pytest.raises(InputError, match="^source:"):
        _tool("search_knowledge").invoke({"query": "x", "source": "web"})
