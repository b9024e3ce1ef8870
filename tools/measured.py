"""Measured serving points (InferenceX columns) turned into throughput inputs, and their errors.

Two formats. **Interactive serving** (``read_points``): a CSV in the columns of
``knowledge/data/measured/deepseek_r1_serving_inferencex.csv`` (SemiAnalysis
InferenceX): ``model, hardware, framework, precision, spec_method, disagg, num_decode_gpu, decode_tp,
decode_ep, decode_dp_attention, isl, osl, conc, median_intvty`` (others ignored). One row becomes

    model, chip, weights_dtype = model (short names mapped), hardware, precision
    gpus = decode_tp;  ep = decode_ep;  dp_attention = decode_dp_attention
    replicas = num_decode_gpu / decode_tp when disaggregated, else 1 (one replica serves all requests)
    batch = conc / replicas (rounded, at least 1);  prompt, output = isl, osl
    mtp_accept = MTP_ACCEPT for spec_method 'mtp', else 1

and is compared on tokens/s per user: ``ratio = median_intvty / predicted tokens/s per user`` at the
average KV length (prompt + output / 2). Concurrency buckets: 1, 2-8, 9-32, 33+ (the buckets 1, 2-8,
16-32, 64+ widened so that every point has one).

**Maximum throughput** (``read_max_throughput``): ``model, hardware, precision, tp, isl, osl, output_tput``
(total output tokens/s of one tensor-parallel group under an offline flood of requests, as TensorRT-LLM's
``trtllm-bench throughput`` reports it). The batch is the time-averaged concurrency that fits
(``memory_fit``, fp8 KV cache, 95 % of memory, as the benchmark's ``kv_cache_free_gpu_mem_fraction``), and
the prediction charges each request its prefill on the same GPUs (:func:`offline_output_tokens_per_s`).
"""

from __future__ import annotations

import csv
import math
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from tools.errors import InputError

#: Short model names used by InferenceX -> catalog names.
MODEL_NAMES = {"dsr1": "deepseek-r1", "gptoss": "gpt-oss-120b", "llama70b": "llama-3.1-70b"}
#: ASSUMPTION (sourced): mean tokens accepted per step with DeepSeek's multi-token prediction. The
#: DeepSeek-V3 technical report (arXiv:2412.19437, section 5.4.3) gives 85-90 % acceptance of the second
#: token and 1.8x tokens per second; 1.8 is used for points run with spec_method 'mtp'.
MTP_ACCEPT = 1.8
REQUIRED = ("model", "hardware", "precision", "decode_tp", "isl", "osl", "conc", "median_intvty")
BUCKETS = (("1", 1, 1), ("2-8", 2, 8), ("9-32", 9, 32), ("33+", 33, math.inf))


@dataclass(frozen=True)
class MeasuredPoint:
    """One measured serving configuration and its tokens/s per user."""

    row: int
    args: dict
    framework: str
    speculative: bool
    disaggregated: bool
    concurrency: int
    tokens_per_s_per_user: float

    @property
    def bucket(self) -> str:
        return bucket_of(self.concurrency)


def bucket_of(concurrency: int) -> str:
    """The concurrency bucket label of a point."""
    return next(label for label, low, high in BUCKETS if low <= concurrency <= high)


def _flag(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes", "y")


def _point(n: int, r: dict[str, str]) -> MeasuredPoint:
    tp = int(r["decode_tp"])
    disagg = _flag(r.get("disagg", ""))
    replicas = max(1, int(r.get("num_decode_gpu") or tp) // tp) if disagg else 1
    spec = r.get("spec_method", "none").strip().lower() not in ("", "none")
    args = {
        "model": MODEL_NAMES.get(r["model"].strip().lower(), r["model"]),
        "chip": r["hardware"],
        "weights_dtype": r["precision"].strip().lower(),
        "gpus": tp,
        "ep": int(r.get("decode_ep") or 1),
        "dp_attention": _flag(r.get("decode_dp_attention", "")),
        "batch": max(1, round(int(r["conc"]) / replicas)),
        "prompt": int(r["isl"]),
        "output": int(r["osl"]),
        "mtp_accept": MTP_ACCEPT if spec else 1.0,
    }
    framework = r.get("framework", "").strip()
    return MeasuredPoint(n, args, framework, spec, disagg, int(r["conc"]), float(r["median_intvty"]))


def read_points(path: str | Path, field: str = "calibrate") -> list[MeasuredPoint]:
    """The measured points of a CSV; an ``InputError`` naming ``field`` for a missing file or column."""
    target = Path(path)
    if not target.is_file():
        raise InputError(field, f"no such file {str(path)!r}; give a CSV with columns {', '.join(REQUIRED)}.")
    with target.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            need = ", ".join(REQUIRED)
            raise InputError(field, f"{target.name} lacks column(s) {', '.join(missing)}; required: {need}.")
        try:
            points = [_point(n, r) for n, r in enumerate(reader, start=2)]
        except (ValueError, ZeroDivisionError) as exc:
            raise InputError(field, f"{target.name}: a row has a non-numeric or zero value ({exc}).") from None
    if not points:
        raise InputError(field, f"{target.name} has no data rows.")
    return points


@dataclass(frozen=True)
class MaxThroughputPoint:
    """One maximum-throughput measurement: the replica shape and its total output tokens/s."""

    row: int
    args: dict
    output_tokens_per_s: float


MAX_REQUIRED = ("model", "hardware", "precision", "tp", "isl", "osl", "output_tput")


def read_max_throughput(path: str | Path, field: str = "data") -> list[MaxThroughputPoint]:
    """The maximum-throughput points of a CSV (columns ``MAX_REQUIRED``); an ``InputError`` naming ``field``."""
    target = Path(path)
    if not target.is_file():
        raise InputError(field, f"no such file {str(path)!r}; give a CSV with columns {', '.join(MAX_REQUIRED)}.")
    with target.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in MAX_REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            need = ", ".join(MAX_REQUIRED)
            raise InputError(field, f"{target.name} lacks column(s) {', '.join(missing)}; required: {need}.")
        out = []
        for n, r in enumerate(reader, start=2):
            args = {"model": r["model"], "chip": r["hardware"], "weights_dtype": r["precision"].strip().lower(),
                    "gpus": int(r["tp"]), "prompt": int(r["isl"]), "output": int(r["osl"])}  # fmt: skip
            out.append(MaxThroughputPoint(n, args, float(r["output_tput"])))
    return out


def offline_output_tokens_per_s(args: dict, **settings: float) -> float:
    """Total output tokens/s of one replica flooded with requests, prefill on the same GPUs:

        batch = memory_fit time-averaged concurrency (fp8 KV, 95 % of memory)
        tokens/s = output / (output / decode tokens/s at the average length + prefill of the batch / batch)

    ``settings`` are throughput inputs (``mem_eff``, ``compute_eff``, ``step_overhead_ms``)."""
    from tools.memory_fit import MemoryFitInput, memory_fit
    from tools.registry import validate_input
    from tools.throughput import ThroughputInput, throughput

    shape = {**args, "kv_dtype": "fp8"}
    fit = memory_fit(cast(MemoryFitInput, validate_input(MemoryFitInput, {**shape, "gpu_mem_util": 0.95})))
    batch = max(1, fit.avg_concurrent_sequences)
    t = throughput(cast(ThroughputInput, validate_input(ThroughputInput, {**shape, "batch": batch, **settings})))
    return args["output"] / (args["output"] / t.decode_tokens_per_s_avg_length + t.prefill_batch_s / batch)


def median_abs_log(ratios: list[float]) -> float:
    """Median |ln(ratio)| (0 = exact; ln 1.5 = within a factor 1.5 for half the points)."""
    return statistics.median(abs(math.log(r)) for r in ratios)


def bucket_medians(points: list[MeasuredPoint], ratios: list[float]) -> dict[str, tuple[int, float, float]]:
    """Bucket -> (points, median ratio, median |ln ratio|) for the buckets that have points."""
    out = {}
    for label, _, _ in BUCKETS:
        rs = [r for p, r in zip(points, ratios) if p.bucket == label]
        if rs:
            out[label] = (len(rs), statistics.median(rs), median_abs_log(rs))
    return out
