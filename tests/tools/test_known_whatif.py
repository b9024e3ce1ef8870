"""The what-if known cases hold through the CLI ``--json`` and through the registry (the agent's and MCP's
interface), each with its hand derivation (see ``tests/tools/known_cases.py``)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tests.tools.known_cases import KNOWN, Known, flags, matches
from tools.registry import get


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_known_case_through_the_registry(case: Known) -> None:
    """Derivation in the case (e.g. tco: 240,000 / 8 / 4 / 8,760 + 1.25 kW x 1.25 x 0.07 = 0.96554)."""
    matches(get(case.tool).run(dict(case.args)).model_dump(), case)


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_known_case_through_the_cli_json(case: Known) -> None:
    r = CliRunner().invoke(cli, [get(case.tool).command, *flags(case.args), "--json"])
    assert r.exit_code == 0, r.output
    matches(json.loads(r.output), case)


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_known_case_lists_given_inputs_and_defaults(case: Known) -> None:
    result = get(case.tool).run(dict(case.args))
    given = {k.removesuffix("_") for k in result.inputs_given}
    assert given == set(case.args), (given, case.args)
    assert not set(result.defaults_used) & set(result.inputs_given)


def test_every_what_if_calculator_has_known_cases() -> None:
    assert {c.tool for c in KNOWN} == {"tco", "serving_cost", "growth", "buildout", "memory_fit"}
    assert len(KNOWN) == 11


@pytest.mark.parametrize("case", KNOWN, ids=lambda c: c.id)
def test_known_case_through_the_agents_langchain_tool(case: Known) -> None:
    """The tool a language model calls (JSON arguments in, JSON result out) gives the same figures."""
    from agent.agent_tools import agent_tools

    tool = next(t for t in agent_tools() if t.name == case.tool)
    matches(json.loads(tool.invoke(dict(case.args))), case)
