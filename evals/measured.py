"""The measured-serving suites: public benchmark points against the throughput calculator.

Each point of the suite's CSV (``knowledge/data/<data>``, read by :mod:`tools.measured`) is run
through the registry's tools twice, at its deployment shape:

* the **roofline bound**: ``mem_eff 1, compute_eff 1, step_overhead_ms 0``;
* the **default estimate**: the calculator's defaults.

``interactive`` suites (InferenceX) compare tokens/s per user at the average KV length with the
measured median interactivity; ``max_throughput`` suites (TensorRT-LLM perf overview) compare a
replica's total output tokens/s with prefill charged on the same GPUs. A case is one gated figure
(:class:`evals.schema.MeasuredCase`).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, cast

from evals.runner import CaseResult, _status
from evals.schema import MeasuredCase, MeasuredSuite
from evals.scorers import Check
from tools.measured import (
    bucket_of,
    median_abs_log,
    offline_output_tokens_per_s,
    read_max_throughput,
    read_points,
)

ROOFLINE_ARGS = {"mem_eff": 1, "compute_eff": 1, "step_overhead_ms": 0}


@dataclass(frozen=True)
class Scored:
    """A measured figure beside its roofline bound and default estimate (same unit)."""

    chip: str
    speculative: bool
    concurrency: int | None
    measured: float
    roofline: float
    default: float

    @property
    def bucket(self) -> str | None:
        return None if self.concurrency is None else bucket_of(self.concurrency)


def _per_user(args: dict) -> float:
    from tools.registry import validate_input
    from tools.throughput import ThroughputInput, throughput

    return throughput(cast(ThroughputInput, validate_input(ThroughputInput, args))).tokens_per_s_per_user_avg_length


@cache
def scored_points(data: str, fmt: str = "interactive") -> tuple[Scored, ...]:
    """Every point of ``knowledge/data/<data>`` with its roofline and default predictions."""
    path = str(resources.files("knowledge") / "data" / data)
    if fmt == "max_throughput":
        return tuple(
            Scored(p.args["chip"], False, None, p.output_tokens_per_s,
                   offline_output_tokens_per_s(p.args, **ROOFLINE_ARGS), offline_output_tokens_per_s(p.args))
            for p in read_max_throughput(path)
        )  # fmt: skip
    return tuple(
        Scored(p.args["chip"], p.speculative, p.concurrency, p.tokens_per_s_per_user,
               _per_user({**p.args, **ROOFLINE_ARGS}), _per_user(p.args))
        for p in read_points(path, field="data")
    )  # fmt: skip


def _select(scored: tuple[Scored, ...], case: MeasuredCase) -> list[Scored]:
    chips = {c.lower() for c in case.chips}
    keep = {"include": (True, False), "exclude": (False,), "only": (True,)}[case.speculative]
    return [
        s for s in scored
        if (not chips or s.chip.lower() in chips) and s.speculative in keep
        and (case.bucket is None or s.bucket == case.bucket)
    ]  # fmt: skip


def figure(case: MeasuredCase, rows: list[Scored]) -> float:
    """The case's figure over its rows (see MeasuredCase)."""
    if case.check == "bound_share":
        return sum(s.measured <= s.roofline for s in rows) / len(rows)
    ratios = [s.measured / s.default for s in rows]
    if case.check == "median_abs_log":
        return median_abs_log(ratios)
    return statistics.median(ratios)


def run_measured_case(case: MeasuredCase, scored: tuple[Scored, ...], data: str) -> CaseResult:
    t0 = time.perf_counter()
    rows = _select(scored, case)
    base: dict[str, Any] = {"id": case.id, "tags": case.tags, "source": case.source}
    base["input"] = f"{case.check} over {len(rows)} points of {data}"
    if not rows:
        return CaseResult(**base, status="error", error="no measured point matches the case's selection")
    value = figure(case, rows)
    lo = -float("inf") if case.min is None else case.min
    hi = float("inf") if case.max is None else case.max
    expected = f"in [{case.min}, {case.max}]"
    check = Check(name=case.check, passed=lo <= value <= hi, expected=expected, got=f"{value:.4g}")
    return CaseResult(**base, status=_status([check]), checks=[check], latency_s=time.perf_counter() - t0)


def run_measured_suite(suite: MeasuredSuite) -> list[CaseResult]:
    """All cases of a measured suite (the points are predicted once per data file)."""
    try:
        scored = scored_points(suite.data, suite.format)
    except Exception as exc:  # noqa: BLE001 - an unreadable data file is a recorded error per case
        error = f"{type(exc).__name__}: {exc}"
        return [CaseResult(id=c.id, tags=c.tags, source=c.source, input=suite.data, status="error", error=error)
                for c in suite.cases]  # fmt: skip
    return [run_measured_case(c, scored, suite.data) for c in suite.cases]
