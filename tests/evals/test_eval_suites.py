"""Every offline eval suite as tests: each case a test id, each suite a gate; each suite run once.

A case listed in its suite's ``known_failures`` must fail (strict: if it starts passing, the
build breaks until the list is updated); any other case must pass, so a question that used to
pass and now fails breaks the build. Gates: the suite's ``gate`` (tools 100 % when unset).
Live suites run only with a provider key and are skipped here with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from evals.loader import load_suite, suite_paths
from evals.runner import CaseResult, SuiteResult, gate_for, run_suite

#: Loaded at collection: a malformed suite is a collection error, never a silent skip.
SUITES = {p.stem: load_suite(p) for p in suite_paths()}
OFFLINE = [name for name, s in SUITES.items() if not getattr(s, "live", False)]


def _params() -> list[Any]:
    return [pytest.param(name, c.id, id=f"{name}:{c.id}") for name in OFFLINE for c in SUITES[name].cases]


def _explain(result: CaseResult) -> str:
    if result.error:
        return f"{result.id}: error: {result.error}"
    lines = [f"{result.id}: {c.name}: expected {c.expected}, got {c.got}" for c in result.failed_checks]
    calls = ", ".join(tc.name for tc in result.tool_calls)
    return (
        "\n".join(lines)
        + (f"\ntool calls: {calls}" if calls else "")
        + (f"\nanswer: {result.answer}" if result.answer else "")
    )


class _Runs:
    """Each suite run once per session, lazily (inside a test, so the test env fixtures apply)."""

    def __init__(self) -> None:
        self._done: dict[str, SuiteResult] = {}

    def get(self, name: str) -> SuiteResult:
        if name not in self._done:
            self._done[name] = run_suite(
                SUITES[name], model="offline" if SUITES[name].kind == "agent" else None, concurrency=2
            )
        return self._done[name]

    def case(self, name: str, case_id: str) -> CaseResult:
        return next(c for c in self.get(name).cases if c.id == case_id)


@pytest.fixture(scope="session")
def runs() -> _Runs:
    return _Runs()


def test_offline_suites_exist() -> None:
    assert {"tools", "retrieval", "agent_offline"} <= set(OFFLINE)


@pytest.mark.parametrize(("suite", "case_id"), _params())
def test_case(suite: str, case_id: str, runs: _Runs) -> None:
    result = runs.case(suite, case_id)
    known = case_id in SUITES[suite].known_failures
    if known and result.status == "pass":
        pytest.fail(f"{suite}:{case_id} passes now: remove it from the suite's known_failures.")
    if known:
        pytest.xfail(_explain(result))
    assert result.status == "pass", _explain(result)


@pytest.mark.parametrize("suite", OFFLINE)
def test_gate(suite: str, runs: _Runs) -> None:
    result = runs.get(suite)
    if SUITES[suite].kind == "agent":
        assert result.model == "offline"
    gate = gate_for(SUITES[suite])
    assert result.pass_rate >= gate, [_explain(c) for c in result.cases if c.status != "pass"]


def test_live_suite_skipped_without_key() -> None:
    """No key in tests (conftest removes them): the live suite is skipped, and says why."""
    result = run_suite(SUITES["agent_live"])
    assert result.skipped and result.cases == []
    assert "OPENAI_API_KEY" in result.skipped or "ANTHROPIC_API_KEY" in result.skipped
    pytest.skip(f"agent_live: {result.skipped}")
