"""The measured-serving suite: public DeepSeek-R1 serving points against the throughput calculator.

Each case of ``evals/suites/measured.yaml`` is one gated figure (roofline bound share, median error of the
default estimate, each concurrency bucket's median ratio, the held-out chips). A suite with an impossible
gate must fail, and malformed cases must not load.
"""

from __future__ import annotations

import math

import pytest

from evals.loader import SuiteError, load_suite, parse_suite, suite_paths
from evals.runner import run_suite
from evals.schema import MeasuredSuite
from tools.throughput import DEFAULT_ERROR_DENSE, DEFAULT_ERROR_FITTED, DEFAULT_ERROR_HELD_OUT_CHIPS

SUITE = next(load_suite(p) for p in suite_paths() if p.stem == "measured")


@pytest.fixture(scope="module")
def result():
    return run_suite(SUITE)


def test_suite_is_a_measured_suite_over_the_repo_data() -> None:
    assert isinstance(SUITE, MeasuredSuite)
    assert {c.id for c in SUITE.cases} >= {
        "roofline-bounds-non-speculative", "default-median-error-all", "default-bucket-1", "default-bucket-2-8",
        "default-bucket-9-32", "default-bucket-33-plus", "held-out-chips-median-error",
    }  # fmt: skip


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in SUITE.cases])
def test_every_gate_holds(result, case) -> None:
    got = next(c for c in result.cases if c.id == case.id)
    assert got.status == "pass", [(c.expected, c.got) for c in got.checks] or got.error


def test_figures_as_reported_in_the_readme(result) -> None:
    """The README quotes these figures; they must match what the suite computes (2 decimals)."""
    got = {c.id: float(c.checks[0].got) for c in result.cases}
    assert got["roofline-bounds-non-speculative"] == 1.0
    assert got["default-median-error-all"] == pytest.approx(0.178, abs=0.005)
    assert got["held-out-chips-median-error"] == pytest.approx(0.398, abs=0.005)
    assert result.meets_gate and result.total == len(SUITE.cases)
    # the error factors every default estimate quotes in its assumptions
    assert math.exp(got["fitted-chips-median-error"]) == pytest.approx(DEFAULT_ERROR_FITTED, abs=0.005)
    assert math.exp(got["held-out-chips-median-error"]) == pytest.approx(DEFAULT_ERROR_HELD_OUT_CHIPS, abs=0.005)


def test_an_impossible_gate_fails() -> None:
    suite = parse_suite(
        """
suite: m
kind: measured
data: measured/deepseek_r1_serving_inferencex.csv
cases:
  - id: too-tight
    source: "test: no model is this exact"
    check: median_abs_log
    max: 0.001
  - id: nothing-selected
    source: "test: no TPU point exists"
    check: bound_share
    chips: [tpu-v5e]
    min: 0.5
"""
    )
    out = run_suite(suite)
    status = {c.id: c.status for c in out.cases}
    assert status == {"too-tight": "fail", "nothing-selected": "error"}
    assert not out.meets_gate


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("check: median_abs_log", "give min, max or both"),
        ("check: bucket_median_ratio\n    min: 0.5", "bucket is required"),
        ("check: bound_share\n    bucket: '1'\n    min: 0.5", "bucket is required"),
        ("check: nonsense\n    min: 1", "check"),
    ],
)
def test_malformed_cases_do_not_load(case: str, needle: str) -> None:
    text = f"suite: m\nkind: measured\ndata: x.csv\ncases:\n  - id: c\n    source: s s\n    {case}\n"
    with pytest.raises(SuiteError, match=needle):
        parse_suite(text)


DENSE = next(load_suite(p) for p in suite_paths() if p.stem == "measured_dense")


def test_dense_max_throughput_suite_holds_and_is_held_out() -> None:
    """TensorRT-LLM maximum throughput of Llama 8B/70B/405B: the roofline bounds every point, and the defaults
    (fitted on DeepSeek-R1 only) land within a factor 1.25 at the median."""
    out = run_suite(DENSE)
    got = {c.id: float(c.checks[0].got) for c in out.cases}
    assert all(c.status == "pass" for c in out.cases), got
    assert got["roofline-bounds-dense-max-throughput"] == 1.0
    assert got["default-median-error-dense"] == pytest.approx(0.220, abs=0.005)
    assert math.exp(got["default-median-error-dense"]) == pytest.approx(DEFAULT_ERROR_DENSE, abs=0.005)
    assert "100 points" in out.cases[0].input


def test_max_throughput_suites_reject_buckets() -> None:
    text = (
        "suite: m\nkind: measured\nformat: max_throughput\ndata: x.csv\ncases:\n  - id: c\n    source: s s\n"
        "    check: bucket_median_ratio\n    bucket: '1'\n    min: 0.5\n"
    )
    with pytest.raises(SuiteError, match="no bucket"):
        parse_suite(text)
