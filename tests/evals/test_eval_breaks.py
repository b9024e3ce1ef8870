"""An eval that cannot fail is a defect: breaking any calculator makes the tools suite fail."""

from __future__ import annotations

import pytest

from evals.loader import load_suites
from evals.runner import run_suite


@pytest.fixture(scope="module")
def tools_suite():
    (suite,) = load_suites(["tools"])
    return suite


def _failing(suite) -> set[str]:
    result = run_suite(suite)
    assert result.pass_rate < 1.0 and not result.meets_gate
    return {c.id for c in result.cases if c.status != "pass"}


def test_intact_calculators_pass(tools_suite) -> None:
    result = run_suite(tools_suite)
    assert result.pass_rate == 1.0, [c.id for c in result.cases if c.status != "pass"]


def test_broken_kv_formula_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.kv_cache as kv

    real = kv.values_per_token_per_layer
    monkeypatch.setattr(
        kv, "values_per_token_per_layer", lambda shape, tp=1: 2 * real(shape, tp)
    )  # the gpu_poor x2 bug
    failing = _failing(tools_suite)
    assert {"kv-opt13b-fp16-vllm-paper", "kv-deepseek-v3-mla-bf16"} <= failing


def test_mla_treated_as_gqa_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bug class from the issues corpus: MLA cached as if it were per-head K and V."""
    import tools.kv_cache as kv

    real = kv.values_per_token_per_layer
    monkeypatch.setattr(
        kv,
        "values_per_token_per_layer",
        lambda shape, tp=1: 2 * shape.kv_heads * shape.head_dim if shape.attention == "mla" else real(shape, tp),
    )
    failing = _failing(tools_suite)
    assert "kv-deepseek-v3-mla-bf16" in failing and "kv-opt13b-fp16-vllm-paper" not in failing


def test_untied_embedding_counted_once_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    """llm-analysis's shared-embedding assumption (docs/peers.md): parameter counts come out low."""
    import tools.memory_fit as mf
    import tools.params as params

    def once(spec):
        total, how = params.total_parameters(spec)
        return total - spec.vocab * spec.hidden_size, how

    monkeypatch.setattr(mf, "total_parameters", once)
    failing = _failing(tools_suite)
    assert {"params-llama2-7b", "params-llama31-405b", "fit-70b-bf16-h100-1k1k"} <= failing


def test_no_memory_reserve_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.memory_fit as mf

    monkeypatch.setattr(mf, "_kv_budget_per_gpu", lambda capacity, util, reserve, weights, n: capacity - weights / n)
    assert "fit-70b-bf16-h100-1k1k" in _failing(tools_suite)


def test_bandwidth_read_as_gib_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    """GenZ's GiB/s reading of datasheet bandwidth (+7.4 %, docs/peers.md) breaks the roofline cases."""
    import tools.throughput as tp

    monkeypatch.setattr(tp, "_bandwidth", lambda chip: chip.mem_bw_tbps * 1e12 * 2**30 / 1e9)
    failing = _failing(tools_suite)
    assert {"decode-llama2-7b-a100-b1-roofline", "decode-llama2-7b-h100-b1-roofline"} <= failing


def test_annuity_replaced_by_straight_line_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.tco_formulas as tco_formulas

    monkeypatch.setattr(tco_formulas, "capital_recovery_factor", lambda rate, periods: 1.0 / periods)
    failing = _failing(tools_suite)
    assert {"tco-annuity-10pct-5y-interest-table", "tco-annuity-8pct-10y-interest-table"} <= failing
    assert "tco-straight-line-hand" not in failing


def test_broken_buildout_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build-out that sizes by a different power per accelerator (e.g. chip TDP, not all-in)."""
    import dataclasses

    from tools import registry

    tool = registry.get("buildout")
    broken = dataclasses.replace(tool, fn=lambda inp: tool.fn(inp.model_copy(update={"power_kw": 1.5})))
    monkeypatch.setitem(registry._BY_NAME, "buildout", broken)
    assert "buildout-2gw-hand" in _failing(tools_suite)


def test_broken_capex_fit_fails(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.capex_forecast as capex_forecast

    real = capex_forecast.cagr
    monkeypatch.setattr(capex_forecast, "cagr", lambda first, last, years: real(first, last, years) + 0.01)
    failing = _failing(tools_suite)
    assert {"capex-cagr-10pct-hand", "capex-backtest-microsoft-2023", "capex-backtest-meta-2024"} <= failing


def test_a_crashing_calculator_is_a_recorded_error(tools_suite, monkeypatch: pytest.MonkeyPatch) -> None:
    import tools.kv_cache as kv

    def boom(*a, **k):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kv, "values_per_token_per_layer", boom)
    result = run_suite(tools_suite)
    errored = [c for c in result.cases if c.status == "error"]
    assert errored and all("ZeroDivisionError" in c.error for c in errored)
    assert any(c.status == "pass" for c in result.cases)  # the run went on
