"""Calibration profiles: fitted efficiencies and overhead saved under a directory the caller passes in.

A profile is one JSON file ``<profile dir>/<name>.json`` holding a :class:`CalibrationProfile`. The
tools never decide where that directory is: front-ends pass ``<data dir>/profiles`` (the CLI and the
agent read the data directory from their settings). Names are letters, digits, ``.``, ``_`` and ``-``.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from tools.errors import InputError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class BucketError(BaseModel):
    """Fit error of one concurrency bucket."""

    bucket: str
    points: int
    median_ratio: float = Field(description="Median of measured / predicted tokens/s per user.")
    median_abs_log_error: float = Field(description="Median |ln(measured / predicted)|.")


class CalibrationProfile(BaseModel):
    """Efficiencies and per-step overhead fitted to measured serving points."""

    name: str
    chip: str = Field(description="Catalog chip the profile was fitted on ('any' when several).")
    framework: str = Field(description="Serving framework of the fitted points ('any' when several).")
    mem_eff: float = Field(gt=0, le=1)
    compute_eff: float = Field(gt=0, le=1)
    overhead_us_per_layer: float = Field(ge=0, description="Fixed overhead per decode step and layer, microseconds.")
    fit_points: int
    fit_median_abs_log_error: float
    holdout_points: int
    holdout_median_abs_log_error: float | None = Field(description="None when no point was held out.")
    buckets: list[BucketError] = Field(default_factory=list, description="Error per concurrency bucket (fit rows).")
    source: str = Field(description="The measured file the profile was fitted on.")

    def label(self) -> str:
        """'calibrated estimate (profile NAME, median error x1.23 on N held-out points)'."""
        err = self.holdout_median_abs_log_error
        which = f"{self.holdout_points} held-out points" if err is not None else f"{self.fit_points} fitted points"
        value = err if err is not None else self.fit_median_abs_log_error
        return f"calibrated estimate (profile {self.name}, median error x{_factor(value):.2f} on {which})"


def _factor(abs_log: float) -> float:
    return math.exp(abs_log)


def check_name(name: str, field: str = "profile") -> str:
    """``name`` if it is a valid profile name, else an ``InputError`` naming ``field``."""
    if not _NAME.match(name or ""):
        raise InputError(field, f"profile name {name!r} must be 1-64 letters, digits, '.', '_' or '-' (no path).")
    return name


def available(directory: str | Path) -> list[str]:
    """Names of the profiles saved in ``directory`` (sorted; empty when it does not exist)."""
    path = Path(directory)
    return sorted(p.stem for p in path.glob("*.json")) if path.is_dir() else []


def save_profile(profile: CalibrationProfile, directory: str | Path) -> Path:
    """Write ``profile`` as ``<directory>/<name>.json`` (directory created) and return the path."""
    check_name(profile.name)
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    target = path / f"{profile.name}.json"
    target.write_text(profile.model_dump_json(indent=2), encoding="utf-8")
    return target


def load_profile(name: str, directory: str | Path | None, field: str = "profile") -> CalibrationProfile:
    """The profile ``name`` from ``directory``; an ``InputError`` naming ``field`` lists the saved ones."""
    check_name(name, field)
    if directory is None:
        raise InputError(field, "no profile directory was passed in; run from the CLI or give profile_dir.")
    target = Path(directory) / f"{name}.json"
    if not target.is_file():
        saved = available(directory)
        allowed = ", ".join(saved) if saved else "none saved yet (create one with throughput --calibrate FILE.csv)"
        raise InputError(field, f"unknown calibration profile {name!r}; allowed: {allowed}.")
    try:
        return CalibrationProfile.model_validate(json.loads(target.read_text(encoding="utf-8")))
    except (ValueError, ValidationError) as exc:
        raise InputError(field, f"profile file {target} is not a valid calibration profile: {exc}") from None
