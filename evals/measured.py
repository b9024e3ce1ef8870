"""The measured-serving suite: public benchmark points against the throughput calculator.

Each point of the suite's CSV (``knowledge/data/<data>``, InferenceX columns, read by
:mod:`tools.measured`) is run through the registry's ``throughput`` tool twice, at its deployment
shape (chip, weights, TP/EP/DP-attention, batch per replica, prompt and output, MTP acceptance):

* the **roofline bound**: ``mem_eff 1, compute_eff 1, step_overhead_ms 0``;
* the **default estimate**: the calculator's defaults.

Both are compared on tokens/s per user at the average KV length with the measured median
interactivity. A case is one gated figure (:class:`evals.schema.MeasuredCase`).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources

from evals.runner import CaseResult, _status
from evals.schema import MeasuredCase, MeasuredSuite
from evals.scorers import Check
from tools.measured import MeasuredPoint, median_abs_log, read_points

ROOFLINE_ARGS = {"mem_eff": 1, "compute_eff": 1, "step_overhead_ms": 0}


@dataclass(frozen=True)
class Scored:
    point: MeasuredPoint
    roofline: float
    default: float


def _per_user(args: dict) -> float:
    from tools.registry import get

    return get("throughput").run(args).tokens_per_s_per_user_avg_length


@cache
def scored_points(data: str) -> tuple[Scored, ...]:
    """Every point of ``knowledge/data/<data>`` with its roofline and default predictions (tokens/s per user)."""
    path = resources.files("knowledge") / "data" / data
    points = read_points(str(path), field="data")
    return tuple(Scored(p, _per_user({**p.args, **ROOFLINE_ARGS}), _per_user(p.args)) for p in points)


def _select(scored: tuple[Scored, ...], case: MeasuredCase) -> list[Scored]:
    chips = {c.lower() for c in case.chips}
    keep = {"include": (True, False), "exclude": (False,), "only": (True,)}[case.speculative]
    return [
        s for s in scored
        if (not chips or s.point.args["chip"].lower() in chips) and s.point.speculative in keep
        and (case.bucket is None or s.point.bucket == case.bucket)
    ]  # fmt: skip


def figure(case: MeasuredCase, rows: list[Scored]) -> float:
    """The case's figure over its rows (see MeasuredCase)."""
    if case.check == "bound_share":
        return sum(s.point.tokens_per_s_per_user <= s.roofline for s in rows) / len(rows)
    ratios = [s.point.tokens_per_s_per_user / s.default for s in rows]
    if case.check == "median_abs_log":
        return median_abs_log(ratios)
    return statistics.median(ratios)


def run_measured_case(case: MeasuredCase, scored: tuple[Scored, ...], data: str) -> CaseResult:
    t0 = time.perf_counter()
    rows = _select(scored, case)
    base = dict(id=case.id, tags=case.tags, source=case.source, input=f"{case.check} over {len(rows)} points of {data}")
    if not rows:
        return CaseResult(**base, status="error", error="no measured point matches the case's selection")
    value = figure(case, rows)
    lo = -float("inf") if case.min is None else case.min
    hi = float("inf") if case.max is None else case.max
    check = Check(name=case.check, passed=lo <= value <= hi, expected=f"in [{case.min}, {case.max}]", got=f"{value:.4g}")
    return CaseResult(**base, status=_status([check]), checks=[check], latency_s=time.perf_counter() - t0)


def run_measured_suite(suite: MeasuredSuite) -> list[CaseResult]:
    """All cases of a measured suite (the points are predicted once per data file)."""
    try:
        scored = scored_points(suite.data)
    except Exception as exc:  # noqa: BLE001 - an unreadable data file is a recorded error per case
        return [CaseResult(id=c.id, tags=c.tags, source=c.source, status="error", error=f"{type(exc).__name__}: {exc}")
                for c in suite.cases]  # fmt: skip
    return [run_measured_case(c, scored, suite.data) for c in suite.cases]
