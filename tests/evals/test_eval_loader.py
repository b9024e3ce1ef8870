"""Suites are validated on load: a malformed case is an error naming the file and the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.loader import SuiteError, load_suites, parse_suite, suite_paths

TOOLS_OK = """
suite: t
kind: tools
cases:
  - id: kv-opt13b
    source: "vLLM paper"
    tool: kv_cache
    args: {model: opt-13b, kv_dtype: fp16, context: 2048}
    expect:
      - {field: bytes_per_token, value: 819200, exact: true}
"""

AGENT_OK = """
suite: a
kind: agent
cases:
  - id: fit
    source: "docs/peers.md case 4"
    question: "how many users fit?"
    history:
      - {role: user, content: "70b on 8 h100s"}
      - {role: assistant, content: "Read as: memory_fit(model=llama-3.1-70b)"}
    expect:
      figures: [{value: 728, unit: requests, rel_tol: 0.02}]
      tools: [memory_fit]
      citation: null
      behaviour: answer
"""


def test_valid_suites_parse() -> None:
    tools = parse_suite(TOOLS_OK)
    assert tools.kind == "tools" and tools.cases[0].expect[0].value == 819200
    agent = parse_suite(AGENT_OK)
    assert agent.cases[0].history[1].role == "assistant"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TOOLS_OK.replace("exact: true", "rel_tl: 0.01"), "rel_tl"),
        (TOOLS_OK.replace("exact: true", "unit: B"), "needs exact"),
        (TOOLS_OK.replace('    source: "vLLM paper"\n', ""), "source"),
        (TOOLS_OK.replace("tool: kv_cache", "tool: kv_cash"), "unknown tool"),
        (TOOLS_OK.replace("context: 2048", "contxt: 2048"), "unknown argument"),
        (TOOLS_OK.replace("kind: tools", "kind: tool"), "kind"),
        (TOOLS_OK + TOOLS_OK.split("cases:\n")[1], "duplicate"),
        (AGENT_OK.replace("unit: requests", "unit: furlongs"), "unknown unit"),
        (AGENT_OK.replace("tools: [memory_fit]", "tools: [memory_fitt]"), "unknown tool"),
        (AGENT_OK.replace("behaviour: answer", "behaviour: error"), "figures must be empty"),
        (AGENT_OK.replace("role: user", "role: system"), "role"),
        ("suite: x\nkind: tools\ncases: []\n", "cases"),
        ("suite: [unclosed\n", "not valid YAML"),
    ],
)
def test_malformed_is_an_error(text: str, message: str) -> None:
    with pytest.raises(SuiteError) as err:
        parse_suite(text, "bad.yaml")
    assert "bad.yaml" in str(err.value)
    assert message in str(err.value)


def test_malformed_case_names_the_case() -> None:
    with pytest.raises(SuiteError, match="case kv-opt13b"):
        parse_suite(TOOLS_OK.replace("exact: true", "rel_tl: 0.01"), "bad.yaml")


def test_a_malformed_file_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(TOOLS_OK)
    (tmp_path / "bad.yaml").write_text(TOOLS_OK.replace("exact: true", "exactly: true"))
    with pytest.raises(SuiteError, match="bad.yaml"):
        load_suites(None, tmp_path)
    assert [s.suite for s in load_suites(["good"], tmp_path)] == ["t"]
    (tmp_path / "bad.yaml").unlink()
    with pytest.raises(SuiteError, match="unknown suite"):
        load_suites(["nope"], tmp_path)


def test_every_shipped_suite_loads_and_names_sources() -> None:
    paths = suite_paths()
    assert {"tools", "retrieval", "agent_offline", "agent_live"} <= {p.stem for p in paths}
    for suite in load_suites():
        assert all(len(c.source) >= 3 for c in suite.cases), suite.suite


def test_tools_suite_breadth() -> None:
    (tools,) = load_suites(["tools"])
    outside = [c for c in tools.cases if not c.error_field]
    assert len(outside) >= 25
    assert {c.tool for c in tools.cases} >= {"kv_cache", "memory_fit", "throughput", "tco", "buildout", "capex"}
