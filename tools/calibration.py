"""Fit memory efficiency, compute efficiency and per-layer step overhead to measured serving points.

For each measured point (:mod:`tools.measured`) the decode step at the average KV length is split once
into its parts at efficiency 1 (:mod:`tools.decode_step`): memory time M, compute time C,
communication K (seconds), the model's layers L and tokens accepted per step a. Then

    predicted tokens/s per user = a / (max(M / mem_eff, C / compute_eff) + L x overhead_us x 1e-6 + K)

and the fit picks (mem_eff, compute_eff, overhead_us) on a grid (``MEM_GRID``, ``COMPUTE_GRID``,
``OVERHEAD_GRID``) minimising the mean squared ln(measured / predicted) over the fitted points. Points
are split before fitting: every ``HOLDOUT_EVERY``-th row is held out and its error reported separately
(the held-out check). Speculative points (multi-token prediction) are fitted only when nothing else is
left; their acceptance is an assumption (:data:`tools.measured.MTP_ACCEPT`).

How the throughput defaults were obtained: :func:`fit_default_form` on the 90 non-speculative
DeepSeek-R1 points on H200 and B200 of ``knowledge/data/measured/`` (InferenceX) gives mem_eff 0.575 and
an overhead of 35 + 20 x log2(N) us per layer (compute_eff held at 0.5; the loss is flat in it); the
H100 and MI300X points, not used, check it (``siliconomics eval measured``; figures in the README).
``tests/tools/test_throughput_calibration.py`` re-runs that fit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pydantic import BaseModel, Field

from tools.errors import InputError
from tools.measured import MeasuredPoint, bucket_medians, median_abs_log, read_points
from tools.profiles import BucketError, CalibrationProfile, check_name, save_profile

MEM_GRID = tuple(round(0.20 + 0.025 * i, 3) for i in range(33))  # 0.2 .. 1.0
COMPUTE_GRID = tuple(round(0.15 + 0.05 * i, 3) for i in range(18))  # 0.15 .. 1.0
OVERHEAD_GRID = tuple(float(5 * i) for i in range(81))  # 0 .. 400 us per layer
BASE_GRID = tuple(float(5 * i) for i in range(31))  # 0 .. 150 us per layer
PER_DOUBLING_GRID = tuple(float(5 * i) for i in range(13))  # 0 .. 60 us per layer per TP doubling
HOLDOUT_EVERY = 4


@dataclass(frozen=True)
class StepParts:
    """A point's decode step at efficiency 1 and no overhead, at the average KV length."""

    memory_s: float
    compute_s: float
    communication_s: float
    layers: int
    accept: float
    gpus: int = 1

    def tokens_per_s_per_user(self, mem_eff: float, compute_eff: float, overhead_us_per_layer: float) -> float:
        step = max(self.memory_s / mem_eff, self.compute_s / compute_eff)
        return self.accept / (step + self.layers * overhead_us_per_layer * 1e-6 + self.communication_s)


def step_parts(point: MeasuredPoint) -> StepParts:
    """Split a point's decode step into its parts (an ``InputError`` names the row when its names are unknown)."""
    from tools.decode_step import decode_step
    from tools.registry import validate_input
    from tools.throughput import ThroughputInput, deployment

    args = {**point.args, "mem_eff": 1, "compute_eff": 1, "step_overhead_ms": 0}
    try:
        d, _, _, _ = deployment(cast(ThroughputInput, validate_input(ThroughputInput, args)))
    except InputError as exc:
        raise InputError("calibrate", f"row {point.row}: {exc}") from None
    s = decode_step(d, args["batch"], args["prompt"] + args["output"] // 2)
    return StepParts(s.memory_s, s.compute_s, s.communication_s, d.spec.n_layers, d.accept, d.gpus)


def ratios(points: list[MeasuredPoint], parts: list[StepParts], setting: tuple[float, float, float]) -> list[float]:
    """measured / predicted tokens/s per user for each point at (mem_eff, compute_eff, overhead_us)."""
    return [p.tokens_per_s_per_user / s.tokens_per_s_per_user(*setting) for p, s in zip(points, parts)]


def fit(points: list[MeasuredPoint], parts: list[StepParts]) -> tuple[float, float, float]:
    """The grid setting minimising the mean squared ln(measured / predicted). Compute efficiencies are tried
    nearest the default first, so points that never reach the compute roofline keep the default."""
    from tools.throughput import DEFAULT_COMPUTE_EFF

    best, best_loss = (1.0, DEFAULT_COMPUTE_EFF, 0.0), math.inf
    for me in MEM_GRID:
        for ce in sorted(COMPUTE_GRID, key=lambda c: abs(c - DEFAULT_COMPUTE_EFF)):
            for ov in OVERHEAD_GRID:
                loss = sum(math.log(r) ** 2 for r in ratios(points, parts, (me, ce, ov)))
                if loss < best_loss * (1 - 1e-9):
                    best, best_loss = (me, ce, ov), loss
    return best


def fit_default_form(
    points: list[MeasuredPoint], parts: list[StepParts], compute_eff: float
) -> tuple[float, float, float]:
    """(mem_eff, base us per layer, us per layer per TP doubling) minimising the mean squared ln error of
    ``a / (max(M / mem_eff, C / compute_eff) + L x (base + per_doubling x log2 N) x 1e-6 + K)``: the form of
    the throughput defaults (tools/step_time.py), compute_eff held at its default."""
    best, best_loss = (1.0, 0.0, 0.0), math.inf
    for me in MEM_GRID:
        bases = [(s, max(s.memory_s / me, s.compute_s / compute_eff) + s.communication_s) for s in parts]
        for base in BASE_GRID:
            for per in PER_DOUBLING_GRID:
                loss = 0.0
                for p, (s, fixed) in zip(points, bases):
                    step = fixed + s.layers * (base + per * math.log2(s.gpus)) * 1e-6
                    loss += math.log(p.tokens_per_s_per_user * step / s.accept) ** 2
                if loss < best_loss:
                    best, best_loss = (me, base, per), loss
    return best


class PointError(BaseModel):
    row: int
    chip: str
    framework: str
    concurrency: int
    measured: float = Field(description="Measured tokens/s per user.")
    predicted: float = Field(description="Predicted tokens/s per user with the fitted profile.")
    group: str = Field(description="'fit', 'held-out' or 'speculative' (not fitted: its acceptance is assumed).")


class CalibrationResult(BaseModel):
    """A fitted profile, where it was saved and its error per point and per bucket."""

    profile: CalibrationProfile
    saved_to: str
    points: list[PointError]


def split_points(points: list[MeasuredPoint]) -> tuple[list[MeasuredPoint], list[MeasuredPoint], list[MeasuredPoint]]:
    """(fit, held out, speculative): every HOLDOUT_EVERY-th plain point is held out; speculative points are
    neither fitted nor held out unless there are no plain points."""
    plain = [p for p in points if not p.speculative]
    spec = [p for p in points if p.speculative] if plain else []
    plain = plain or points
    fit_rows = [p for i, p in enumerate(plain) if i % HOLDOUT_EVERY != HOLDOUT_EVERY - 1]
    held = [p for i, p in enumerate(plain) if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1]
    return fit_rows, held, spec


def _select(points: list[MeasuredPoint], chip: str | None, framework: str | None) -> list[MeasuredPoint]:
    from tools.catalog import find_accelerator

    if chip:
        name = find_accelerator(chip).name
        points = [p for p in points if find_accelerator(p.args["chip"]).name == name]
    if framework:
        points = [p for p in points if p.framework.lower() == framework.lower()]
    if len(points) < 3:
        raise InputError(
            "calibrate", f"{len(points)} measured point(s) match chip={chip} framework={framework}; need at least 3."
        )
    return points


def calibrate(
    path: str | Path, name: str, profile_dir: str | Path, chip: str | None = None, framework: str | None = None
) -> CalibrationResult:
    """Fit a profile to the points of ``path`` (filtered by chip and framework), save it, report its errors."""
    check_name(name)
    points = _select(read_points(path), chip, framework)
    fit_rows, held, spec = split_points(points)
    fit_parts = [step_parts(p) for p in fit_rows]
    setting = fit(fit_rows, fit_parts)
    fit_r = ratios(fit_rows, fit_parts, setting)
    held_r = ratios(held, [step_parts(p) for p in held], setting)
    spec_r = ratios(spec, [step_parts(p) for p in spec], setting)
    buckets = [
        BucketError(bucket=b, points=n, median_ratio=m, median_abs_log_error=e)
        for b, (n, m, e) in bucket_medians(fit_rows, fit_r).items()
    ]
    profile = CalibrationProfile(
        name=name,
        chip=_only({p.args["chip"] for p in points}),
        framework=_only({p.framework for p in points}),
        mem_eff=setting[0],
        compute_eff=setting[1],
        overhead_us_per_layer=setting[2],
        fit_points=len(fit_rows),
        fit_median_abs_log_error=median_abs_log(fit_r),
        holdout_points=len(held),
        holdout_median_abs_log_error=median_abs_log(held_r) if held_r else None,
        buckets=buckets,
        source=Path(path).name,
    )
    saved = save_profile(profile, profile_dir)
    rows = [
        PointError(row=p.row, chip=p.args["chip"], framework=p.framework, concurrency=p.concurrency,
                   measured=p.tokens_per_s_per_user, predicted=p.tokens_per_s_per_user / r, group=g)
        for group, rs, g in ((fit_rows, fit_r, "fit"), (held, held_r, "held-out"), (spec, spec_r, "speculative"))
        for p, r in zip(group, rs)
    ]  # fmt: skip
    return CalibrationResult(profile=profile, saved_to=str(saved), points=sorted(rows, key=lambda e: e.row))


def _only(values: set[str]) -> str:
    return next(iter(values)) if len(values) == 1 else "any"
