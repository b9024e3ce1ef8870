"""Live runs against the local fake provider (real SDKs, real HTTP on loopback).

One case gets a provider error (HTTP 500 on every retry): it is recorded as that case's error
and the other cases still run and are scored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from evals.loader import parse_suite
from evals.runner import Prices, run_suite
from tests.agent.fake_providers import Fail, FakeProvider, Reply, tool_results

LIVE_SUITE = """
suite: live_fake
kind: agent
live: true
gate: 0.5
cases:
  - id: kv-right
    source: "vLLM paper: 819,200 B per token for OPT-13B fp16"
    question: "kv cache per token for opt-13b in fp16?"
    expect:
      figures: [{value: 819200, unit: B, rel_tol: 0.01}]
      tools: [kv_cache]
  - id: fit-wrong-number
    source: "docs/peers.md case 4: 728 requests"
    question: "how many 1k/1k requests fit for llama 3.1 70b bf16 on 8 h100?"
    expect:
      figures: [{value: 728, unit: requests, rel_tol: 0.02}]
      tools: [memory_fit]
  - id: provider-down
    source: "a provider error must be recorded, not crash the run"
    question: "please trigger a provider error"
    expect:
      behaviour: refuse
"""


def _question(body: dict[str, Any]) -> str:
    users = [m for m in body.get("messages", []) if m.get("role") == "user"]
    content = users[-1].get("content") if users else ""
    return content if isinstance(content, str) else json.dumps(content)


def respond(body: dict[str, Any]) -> Reply | Fail:
    """The fake model: calls the right tool, then answers (wrongly, for the fit question)."""
    question, results = _question(body), tool_results(body)
    if "provider error" in question:
        return Fail(500, "upstream overloaded")
    if "opt-13b" in question:
        if not results:
            return Reply(tools=[("kv_cache", {"model": "opt-13b", "kv_dtype": "fp16", "context": 2048})])
        return Reply(text=f"OPT-13B holds {results[-1]['bytes_per_token']:,} bytes of KV cache per token.")
    if not results:
        return Reply(tools=[("memory_fit", {"model": "llama-3.1-70b", "chip": "h100", "gpus": 8})])
    return Reply(text="About 833 requests fit at once.")  # the no-reserve figure: wrong against the GiB x 0.9 case


@pytest.fixture
def fake_provider(monkeypatch: pytest.MonkeyPatch):
    from agent.settings import load_settings

    with FakeProvider([respond] * 40) as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.openai_base_url)
        load_settings.cache_clear()
        yield fake
    load_settings.cache_clear()


def test_live_run_scores_each_case_and_records_provider_error(fake_provider: FakeProvider) -> None:
    suite = parse_suite(LIVE_SUITE)
    result = run_suite(suite, model="openai:gpt-test", concurrency=3, prices=Prices(input_per_m=1.0, output_per_m=2.0))
    by_id = {c.id: c for c in result.cases}
    assert result.model == "openai:gpt-test" and not result.skipped

    right = by_id["kv-right"]
    assert right.status == "pass", right.checks
    assert [tc.name for tc in right.tool_calls] == ["kv_cache"]
    assert right.usage.get("input_tokens", 0) > 0 and right.cost_usd and right.cost_usd > 0

    wrong = by_id["fit-wrong-number"]
    assert wrong.status == "fail"
    figure = next(c for c in wrong.failed_checks if c.name.startswith("figure"))
    assert "833" in figure.got
    assert "grounded" in {c.name for c in wrong.failed_checks}  # 833 is in no tool result

    down = by_id["provider-down"]
    assert down.status == "error" and "500" in down.error
    assert result.pass_rate == pytest.approx(1 / 3) and not result.meets_gate
    # The SDK retried the failing case (settings.max_retries) before the error was recorded.
    failing_requests = [b for _, _, b in fake_provider.requests if "provider error" in _question(b)]
    assert len(failing_requests) >= 2


def test_eval_cli_live_against_fake_provider(
    fake_provider: FakeProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evals.loader
    from evals.cli import eval_cmd

    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "live_fake.yaml").write_text(LIVE_SUITE)
    monkeypatch.setattr(evals.loader, "SUITES_DIR", suites)
    log_path = tmp_path / "run.json"
    result = CliRunner().invoke(
        eval_cmd,
        ["live_fake", "--model", "openai:gpt-test", "--concurrency", "2", "--json", str(log_path)],
        terminal_width=200,
    )
    assert result.exit_code == 1, result.output  # 1 of 3 passes: below the 0.5 gate
    assert "provider-down" in result.output and "fit-wrong-number" in result.output
    log = json.loads(log_path.read_text())
    assert log["model"] == "openai:gpt-test"
    statuses = {c["id"]: c["status"] for c in log["suites"][0]["cases"]}
    assert statuses == {"kv-right": "pass", "fit-wrong-number": "fail", "provider-down": "error"}
    assert log["tokens"]["input_tokens"] > 0


def test_live_suite_without_key_is_skipped_with_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import evals.loader
    from evals.cli import eval_cmd

    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "live_fake.yaml").write_text(LIVE_SUITE)
    monkeypatch.setattr(evals.loader, "SUITES_DIR", suites)
    result = CliRunner().invoke(eval_cmd, ["live_fake", "--json", str(tmp_path / "r.json")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "live_fake: skipped" in result.output and "OPENAI_API_KEY" in result.output
    named = CliRunner().invoke(
        eval_cmd, ["live_fake", "--model", "anthropic:claude-x", "--json", str(tmp_path / "r.json")]
    )
    assert named.exit_code == 0 and "ANTHROPIC_API_KEY" in named.output
