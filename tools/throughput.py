"""Serving speed of a model on accelerators: decode tokens/s, time to first token, batch sweep.

The step model (formulas in :mod:`tools.decode_step`, MoE bytes in :mod:`tools.moe`, overhead and
communication in :mod:`tools.step_time`):

    step time = max(memory time, compute time) + overhead + communication;  tokens/s = batch x accept / step

Three kinds of figure, named in ``figure_kind``:

* **roofline bound**: ``mem_eff 1, compute_eff 1, step_overhead_ms 0`` (with both efficiencies at 1 and no
  overhead given, the overhead is 0): datasheet bandwidth and FLOPS, only communication added. Measured
  serving should not beat it (checked against public measurements by ``siliconomics eval measured``).
* **default estimate**: the defaults below, fitted to public measured serving (DeepSeek-R1 on H200 and
  B200, SemiAnalysis InferenceX) and checked on points held out of the fit; see ``tools/calibration.py``.
* **calibrated estimate**: efficiencies and overhead from a saved profile (``profile``), fitted by
  ``siliconomics throughput --calibrate FILE.csv``; the label carries the profile's name and error.

Layouts: ``gpus`` is the replica (tensor-parallel group); ``ep`` shards the experts over ``ep`` of those
GPUs (all-to-all instead of all-reduce when attention is data-parallel); ``dp_attention`` keeps each
GPU's own requests' KV cache whole (no MLA replication) and replicates the attention weights;
``mtp_accept`` is the mean tokens accepted per step (multi-token prediction); ``prefill_gpus`` puts
prefill on separate GPUs (disaggregated serving): the time to first token uses them, decode figures
stay per decode GPU and the cost counts both.

Bandwidth is the datasheet's decimal TB/s (10^12 B/s). Known cases at efficiency 1 and no overhead:
Llama-2-7B fp16 at batch 1 (KV length 1024) decodes at about 244 tokens/s on an H100 SXM (3.35 TB/s)
and 148 on an A100-80GB (2.039 TB/s); at $2 per GPU-hour that is 2.28 and 3.75 $/Mtok
(``$/Mtok = usd_per_gpu_hour x GPUs / (tokens/s x 3600) x 10^6``).
A context beyond the model's ``max_context`` is computed as asked and flagged in ``assumptions``.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field, model_validator

from tools.catalog import Accelerator, ModelSpec, find_accelerator, find_model
from tools.decode_step import Deployment, Step, decode_step, kv_bytes_per_gpu, prefill_seconds
from tools.dtypes import BYTES_PER_VALUE, FLOPS_COLUMNS, GB, GIB
from tools.errors import InputError
from tools.kv_cache import KVShape, context_note
from tools.moe import layout_note, weight_split
from tools.params import total_parameters
from tools.profiles import CalibrationProfile, load_profile
from tools.release_dtype import apply_release_default, default_kv_dtype, release_note
from tools.results import Worked
from tools.serving_shape import THROUGHPUT_DEFAULT_GPUS, ServingShapeKV, default_gpus_note
from tools.step_time import communication, default_overhead_s

#: Default fraction of datasheet bandwidth: fitted (with the step overhead of tools/step_time.py) on the
#: non-speculative DeepSeek-R1 points on H200 and B200 of knowledge/data/measured/ (InferenceX) and
#: checked on the H100 and MI300X points (tools/calibration.py; errors in the README). llm-analysis
#: (cli99) notes 0.6-0.7 of HBM bandwidth is typical in inference.
DEFAULT_MEM_EFF = 0.575
#: Default fraction of peak FLOPS: about half of peak tensor FLOPS is commonly reached by large GEMMs.
#: ASSUMPTION: the measured set hardly constrains it (the fit moves by under 0.01 in ln error between 0.15
#: and 0.5), so the earlier default is kept.
DEFAULT_COMPUTE_EFF = 0.5
SWEEP_BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
ROOFLINE, DEFAULT, CALIBRATED, CUSTOM = "roofline bound", "default estimate", "calibrated estimate", "custom estimate"
#: Median error factors exp(median |ln(measured / default)|) of the defaults, from ``siliconomics eval measured
#: measured_dense`` (tests/evals/test_eval_measured.py keeps them in step with the suites).
DEFAULT_ERROR_FITTED, DEFAULT_ERROR_HELD_OUT_CHIPS, DEFAULT_ERROR_DENSE = 1.12, 1.49, 1.25
KIND_NOTES = {
    ROOFLINE: "an upper bound (datasheet bandwidth and FLOPS, no step overhead); measured serving should not beat it",
    DEFAULT: (
        f"fitted to measured serving (median error x{DEFAULT_ERROR_FITTED:.2f}; x{DEFAULT_ERROR_HELD_OUT_CHIPS:.2f} on "
        f"held-out chips; x{DEFAULT_ERROR_DENSE:.2f} on dense models; siliconomics eval measured measured_dense)"
    ),
    CUSTOM: "efficiencies or overhead set in the request, not checked against measurements",
}


class ThroughputInput(ServingShapeKV):
    """Estimate decode and prefill speed for a model served on accelerators (serving shape: gpus, formats,
    prompt and output from :class:`tools.serving_shape.ServingShapeKV`; ``gpus`` are the decode replica)."""

    model: str = Field(description="Catalog model name, e.g. 'llama-3.1-70b'.")
    chip: str = Field(description="Catalog accelerator name, e.g. 'h100'.")
    gpus: int = Field(
        THROUGHPUT_DEFAULT_GPUS,
        ge=1,
        description="Accelerators in the replica (tensor-parallel group) that decodes; default 1, the speed of one "
        "accelerator (8 = one server).",
    )
    batch: int = Field(1, ge=1, description="Sequences decoded together by the replica.")
    mem_eff: float | None = Field(
        None, gt=0, le=1, description=f"Fraction of datasheet memory bandwidth achieved [default: {DEFAULT_MEM_EFF}]."
    )
    compute_eff: float | None = Field(
        None, gt=0, le=1, description=f"Fraction of datasheet peak FLOPS achieved [default: {DEFAULT_COMPUTE_EFF}]."
    )
    step_overhead_ms: float | None = Field(
        None,
        ge=0,
        le=1000,
        description="Fixed cost per decode step, ms [default: layers x (35 + 20 x log2(gpus)) us; "
        "0 when both efficiencies are 1].",
    )
    ep: int = Field(1, ge=1, description="Expert parallelism: experts sharded over this many of the replica's GPUs.")
    dp_attention: bool = Field(False, description="Attention data-parallel: each GPU keeps its own requests' KV cache.")
    mtp_accept: float = Field(
        1.0, ge=1, le=16, description="Mean tokens accepted per decode step (multi-token prediction)."
    )
    prefill_gpus: int = Field(
        0, ge=0, description="Separate prefill GPUs (disaggregated serving); 0 = prefill on the decode GPUs."
    )
    profile: str | None = Field(None, description="Saved calibration profile to take efficiencies and overhead from.")
    profile_dir: str | None = Field(
        None, description="Directory of saved profiles (front-ends pass <data dir>/profiles)."
    )
    usd_per_gpu_hour: float | None = Field(
        None, ge=0, description="Price of one accelerator-hour, USD; adds decode cost per million tokens."
    )

    @model_validator(mode="after")
    def _layout(self) -> "ThroughputInput":
        if self.ep > self.gpus or self.gpus % self.ep:
            raise InputError("ep", f"must divide gpus ({self.gpus}) and be at most gpus (got {self.ep}).")
        overridden = (self.mem_eff, self.compute_eff, self.step_overhead_ms) != (None, None, None)
        if self.profile is not None and overridden:
            raise InputError(
                "profile", "a profile sets mem_eff, compute_eff and step_overhead_ms; give either the profile or those."
            )
        return self


class SweepPoint(BaseModel):
    batch: int
    tokens_per_s_per_accelerator: float
    tokens_per_s_per_user: float
    bound: str


class ThroughputResult(Worked):
    model: str
    chip: str
    gpus: int
    batch: int
    figure_kind: str = Field(
        description="'roofline bound', 'default estimate', 'calibrated estimate (profile ...)' or 'custom estimate'."
    )
    decode_tokens_per_s: float = Field(description="Whole replica, at the final length (prompt + output).")
    decode_tokens_per_s_per_accelerator: float = Field(description="Per decode GPU.")
    tokens_per_s_per_user: float
    decode_tokens_per_s_avg_length: float = Field(
        description="Replica tokens/s at the average length prompt + output/2."
    )
    tokens_per_s_per_user_avg_length: float
    step_time_s: float = Field(description="max(memory, compute) + overhead + communication, at the final length.")
    memory_time_s: float
    compute_time_s: float
    overhead_s: float = Field(description="Fixed per-step cost (kernel launches, synchronisation).")
    communication_s: float = Field(description="All-reduce or all-to-all time of one step across the replica.")
    bound: str = Field(description="'memory' or 'compute': which roofline limits the decode step.")
    ttft_s: float = Field(description="Prefill time of one request's prompt, seconds (on the prefill GPUs when given).")
    request_latency_s: float = Field(description="ttft + output tokens x step time / mtp_accept, seconds.")
    prefill_batch_s: float = Field(description="Prefill time of all batch prompts together, seconds.")
    weights_read_bytes_per_step: int = Field(
        description="Weight bytes read per decode step, whole replica (per GPU x gpus)."
    )
    kv_bytes_per_gpu: float = Field(description="KV cache bytes the busiest GPU holds at the final length.")
    cost_per_million_tokens: float | None = Field(
        None,
        description="usd_per_gpu_hour x (gpus + prefill_gpus) / (decode_tokens_per_s x 3600) x 10^6, final length.",
    )
    cost_per_million_tokens_avg_length: float | None = Field(None, description="The same at the average length.")
    peak_tflops_used: float
    bandwidth_tbps: float
    weights_ceiling_tokens_per_s: float = Field(
        description="The textbook batch-1 ceiling: gpus x datasheet bandwidth / (parameters used per token x bytes per "
        "weight); all parameters of a dense model, the active ones of an MoE, embeddings included, no KV read, no "
        "efficiency or overhead. Tokens/s per sequence (at batch b the replica makes b x this, weights read once)."
    )
    sweep: list[SweepPoint] = Field(description="Batch -> tokens/s per accelerator and per user (final length).")


def _peak_tflops(chip: Accelerator, dtype: str) -> tuple[float, str]:
    for column in FLOPS_COLUMNS[dtype]:
        value = getattr(chip, column)
        if value:
            return value, column
    raise InputError(
        "chip",
        f"{chip.name} has no published dense FLOPS in the catalog (columns {', '.join(FLOPS_COLUMNS[dtype])} are blank), "
        "so its compute roofline cannot be drawn; choose a chip with a FLOPS figure.",
    )


def _bandwidth(chip: Accelerator) -> float:
    """Datasheet memory bandwidth, bytes per second (decimal TB/s x 10^12)."""
    return chip.mem_bw_tbps * 1e12


def _settings(inp: ThroughputInput, spec: ModelSpec) -> tuple[float, float, float, str, CalibrationProfile | None]:
    """(mem_eff, compute_eff, overhead seconds, figure kind, profile) from the input, a profile or the defaults."""
    if inp.profile is not None:
        prof = load_profile(inp.profile, inp.profile_dir)
        return prof.mem_eff, prof.compute_eff, prof.overhead_us_per_layer * spec.n_layers * 1e-6, prof.label(), prof
    mem = DEFAULT_MEM_EFF if inp.mem_eff is None else inp.mem_eff
    comp = DEFAULT_COMPUTE_EFF if inp.compute_eff is None else inp.compute_eff
    if inp.step_overhead_ms is not None:
        overhead = inp.step_overhead_ms / 1000
    else:
        overhead = 0.0 if mem == comp == 1 else default_overhead_s(spec, inp.gpus)
    untouched = inp.mem_eff is None and inp.compute_eff is None and inp.step_overhead_ms is None
    kind = ROOFLINE if mem == comp == 1 and overhead == 0 else DEFAULT if untouched else CUSTOM
    return mem, comp, overhead, kind, None


def deployment(inp: ThroughputInput) -> tuple[Deployment, str, str, CalibrationProfile | None]:
    """(the deployment a step needs, the FLOPS column used, the figure kind, the profile or None)."""
    spec = find_model(inp.model)
    chip = find_accelerator(inp.chip)
    if inp.dp_attention and inp.gpus < 2:
        raise InputError("dp_attention", "attention data-parallel needs gpus >= 2.")
    apply_release_default(inp)
    kv_dtype = inp.kv_dtype or default_kv_dtype(inp, inp.weights_dtype, BYTES_PER_VALUE[inp.weights_dtype])
    peak, peak_column = _peak_tflops(chip, inp.weights_dtype)
    mem, comp, overhead, kind, prof = _settings(inp, spec)
    d = Deployment(
        spec=spec, chip=chip, shape=KVShape.of(spec), gpus=inp.gpus, weights_dtype=inp.weights_dtype, kv_dtype=kv_dtype,
        peak_tflops=peak, mem_eff=mem, compute_eff=comp, overhead_s=overhead, dp_attention=inp.dp_attention,
        accept=inp.mtp_accept, datasheet_bandwidth=_bandwidth(chip),
    )  # fmt: skip
    return d, peak_column, kind, prof


def _held_per_gpu(d: Deployment, batch: int, length: int) -> float:
    """Weights and KV one GPU holds: weights / N (attention replicated under dp_attention) + KV per GPU."""
    total, _ = total_parameters(d.spec)
    split = weight_split(d.spec)
    replicated = split.attention if (d.dp_attention and split is not None) else 0
    weights = (replicated + (total - replicated) / d.gpus) * BYTES_PER_VALUE[d.weights_dtype]
    return weights + kv_bytes_per_gpu(d, batch, length)


def _assumptions(
    inp: ThroughputInput, d: Deployment, kind: str, peak_column: str, step: Step, final: int, avg: int
) -> list[str]:
    spec, chip = d.spec, d.chip
    total, params_how = total_parameters(spec)
    comm = communication(spec, chip, d.gpus, step.tokens, d.dp_attention)
    kind_note = KIND_NOTES.get(kind, "efficiencies and overhead from the saved profile")
    out = [
        *default_gpus_note(inp),
        f"Figure kind: {kind}, {kind_note}.",
        f"Efficiency: {d.mem_eff:g} of datasheet bandwidth, {d.compute_eff:g} of peak FLOPS (1.0 = pure roofline).",
        f"Overhead {d.overhead_s * 1000:.3g} ms per step (fixed cost; --step-overhead-ms; 0 for the roofline bound).",
        f"Communication {comm.kind}: {comm.collectives} collectives per step, {step.communication_s * 1000:.3g} ms.",
        f"Peak {d.peak_tflops:g} TFLOPS dense from the '{peak_column}' column for {inp.weights_dtype} weights.",
        f"Bandwidth {chip.mem_bw_tbps:g} TB/s (decimal, datasheet) per accelerator, {d.gpus} decode accelerator(s).",
        f"Decode figures at the final KV length {final:,} tokens (prompt + output); "
        f"also given at the average length {avg:,}; sliding-window layers attend to at most their window.",
        f"Parameters: {total:,} ({params_how}); the input embedding table is not read per step.",
        f"KV cache in {d.kv_dtype}.",
        f"Textbook ceiling at batch 1: {chip.mem_bw_tbps:g} TB/s x {d.gpus} / ({_per_token_label(spec)} per token x "
        f"{BYTES_PER_VALUE[d.weights_dtype]:g} B per weight) = {weights_ceiling(d):.4g} tokens/s per sequence "
        "(embeddings included, no KV, no efficiency).",
    ]
    release = release_note(inp)
    if release:
        out.append(release)
    if peak_column != FLOPS_COLUMNS[inp.weights_dtype][0]:
        out.append(
            f"{chip.name} publishes no {FLOPS_COLUMNS[inp.weights_dtype][0]} figure: {inp.weights_dtype} weights are "
            f"assumed to compute at the {peak_column} peak (weight-only quantisation)."
        )
    note = layout_note(spec)
    if note:
        out.append(note)
    if inp.ep > 1:
        out.append(
            f"Experts sharded over {inp.ep} GPUs: the mean GPU reads its share of the touched experts "
            "(the busiest reads more)."
        )
    if inp.mtp_accept > 1:
        out.append(
            f"Multi-token prediction: {inp.mtp_accept:g} tokens accepted per step; draft-model weights not counted."
        )
    if inp.prefill_gpus:
        out.append(
            f"Disaggregated: prefill on {inp.prefill_gpus} separate GPUs; decode figures per decode GPU; "
            "cost counts both."
        )
    out += _layout_warnings(inp, d, final)
    if inp.usd_per_gpu_hour is not None:
        out.append(
            f"Cost: {inp.usd_per_gpu_hour:g} USD per accelerator-hour x {d.gpus + inp.prefill_gpus} accelerator(s), "
            "decode tokens only."
        )
    return out


def _layout_warnings(inp: ThroughputInput, d: Deployment, final: int) -> list[str]:
    out = []
    if d.shape.attention == "mla" and d.gpus > 1 and not d.dp_attention:
        out.append(f"MLA latent cache replicated on each of the {d.gpus} GPUs (--dp-attention keeps one copy).")
    elif d.gpus > d.shape.kv_heads and not d.dp_attention:
        out.append(
            f"{d.gpus} GPUs > {d.shape.kv_heads} KV heads: heads replicated, "
            "the KV read per GPU does not shrink further."
        )
    held = _held_per_gpu(d, inp.batch, final)
    if held > d.chip.memory_gb * GIB:
        out.append(
            f"WARNING: weights + KV of the batch need {held / GB:,.1f} GB per GPU (replication included), "
            "more than the "
            f"{d.chip.memory_gb:g} GB of one {d.chip.name}; no such deployment exists (check with memory_fit)."
        )
    too_long = context_note(d.spec, final)
    if too_long:
        out.append(too_long)
    return out


def throughput(inp: ThroughputInput) -> ThroughputResult:
    """Decode/prefill speed (formulas in the module docstring and tools/decode_step.py)."""
    d, peak_column, kind, _ = deployment(inp)
    final, avg = inp.prompt + inp.output, inp.prompt + inp.output // 2
    step = decode_step(d, inp.batch, final)
    step_avg = decode_step(d, inp.batch, avg)
    tps = inp.batch * inp.mtp_accept / step.seconds
    tps_avg = inp.batch * inp.mtp_accept / step_avg.seconds
    prefill_n = inp.prefill_gpus or inp.gpus
    ttft = prefill_seconds(d, 1, inp.prompt, prefill_n)
    price, all_gpus = inp.usd_per_gpu_hour, inp.gpus + inp.prefill_gpus

    def cost(tokens_per_s: float) -> float | None:
        return None if price is None else price * all_gpus / (tokens_per_s * 3600) * 1e6

    sweep = []
    for b in sorted({*SWEEP_BATCHES, inp.batch}):
        s = decode_step(d, b, final)
        t = b * inp.mtp_accept / s.seconds
        sweep.append(
            SweepPoint(batch=b, tokens_per_s_per_accelerator=t / inp.gpus, tokens_per_s_per_user=t / b, bound=s.bound)
        )
    return ThroughputResult(
        formula=(
            "step = max((weights_read + KV(len)) per GPU / (BW x mem_eff), "
            "(2 x active_params x tokens + attention) / (N x peak x compute_eff)) + overhead + communication; "
            "tokens/s = batch x mtp_accept / step; "
            "TTFT = prefill compute (or one weight read) + overhead + communication"
        ),
        inputs={
            **inp.model_dump(exclude={"profile_dir"}),
            **{"kv_dtype": d.kv_dtype, "model": d.spec.name, "chip": d.chip.name, "mem_eff": d.mem_eff},
            **{"compute_eff": d.compute_eff, "step_overhead_ms": d.overhead_s * 1000},
        },
        assumptions=_assumptions(inp, d, kind, peak_column, step, final, avg),
        sources=[f"{d.spec.name}: {s}" for s in d.spec.sources]
        + ([f"{d.spec.name} experts: {d.spec.moe.source}"] if d.spec.moe else [])
        + [f"{d.chip.name}: {s}" for s in d.chip.sources],
        model=d.spec.name,
        chip=d.chip.name,
        gpus=inp.gpus,
        batch=inp.batch,
        figure_kind=kind,
        decode_tokens_per_s=tps,
        decode_tokens_per_s_per_accelerator=tps / inp.gpus,
        tokens_per_s_per_user=tps / inp.batch,
        decode_tokens_per_s_avg_length=tps_avg,
        tokens_per_s_per_user_avg_length=tps_avg / inp.batch,
        step_time_s=step.seconds,
        memory_time_s=step.memory_s,
        compute_time_s=step.compute_s,
        overhead_s=step.overhead_s,
        communication_s=step.communication_s,
        bound=step.bound,
        ttft_s=ttft,
        prefill_batch_s=prefill_seconds(d, inp.batch, inp.prompt, prefill_n),
        weights_read_bytes_per_step=math.ceil(step.weight_bytes_per_gpu * inp.gpus),
        kv_bytes_per_gpu=step.kv_bytes_per_gpu,
        cost_per_million_tokens=cost(tps),
        cost_per_million_tokens_avg_length=cost(tps_avg),
        request_latency_s=ttft + inp.output * step.seconds / inp.mtp_accept,
        peak_tflops_used=d.peak_tflops,
        bandwidth_tbps=d.chip.mem_bw_tbps,
        weights_ceiling_tokens_per_s=weights_ceiling(d),
        sweep=sweep,
    )


def _per_token_label(spec: ModelSpec) -> str:
    """ "37B params (active)" for an MoE, "70.6B params" for a dense model: the parameters a token reads."""
    return f"{spec.active_params_b:g}B params (active)" if spec.active_params_b else f"{spec.params_b:g}B params"


def weights_ceiling(d: Deployment) -> float:
    """gpus x datasheet B/s / (params per token x bytes per weight): the batch-1 bound analysts write by hand.

    Check: Llama-3.1-8B (8.03e9 params) bf16 on one H100 SXM (3.35 TB/s): 3.35e12 / 16.06e9 = 208.6 tokens/s."""
    per_gpu = d.chip.mem_bw_tbps * 1e12 if d.datasheet_bandwidth is None else d.datasheet_bandwidth
    params = (d.spec.active_params_b or d.spec.params_b) * 1e9
    return d.gpus * per_gpu / (params * BYTES_PER_VALUE[d.weights_dtype])
