"""Roofline estimate of serving speed: decode tokens/s, time to first token, batch sweep.

Decode step (one token for each of ``batch`` sequences), per tensor-parallel group of N:

    memory time  = (weight bytes read per step / N + batch x KV bytes per GPU at the current length)
                   / (bandwidth x mem_eff)
    compute time = (2 x active params x batch + attention FLOPs) / (N x peak FLOPS x compute_eff)
    attention    = 4 x n_heads x head_dim x (sum over layers of keys attended) x batch
                   (QK^T and AV, 2 FLOPs each; a sliding-window layer attends to at most its window)
    step time    = max(memory time, compute time);  tokens/s = batch / step time

Weight bytes read per step exclude the input embedding table (a lookup, not a matmul) and
include the lm_head (``weights_read_bytes_per_step``). KV bytes per GPU follow
:mod:`tools.kv_cache`: the busiest GPU holds ``ceil(kv_heads / N)`` heads, so past N = kv_heads
the heads are replicated and the KV read per GPU stops shrinking; an MLA latent is read in
full on every GPU. MoE: compute uses the active parameters (less the embedding); weights read
per step are approximated as min(all weights, active weights x batch) since a large batch
touches every expert.
Prefill (time to first token for one request) is compute-bound:
``(2 x active params x prompt + attention) / (N x peak x compute_eff)``, never faster than one
read of the weights; ``prefill_batch_s`` is the same for all ``batch`` prompts together.
Cost, when ``usd_per_gpu_hour`` is given (as llm-analysis and docs/peers.md case 5):
``$/Mtok = usd_per_gpu_hour x N / (tokens/s x 3600) x 10^6``.

Bandwidth is the datasheet's decimal TB/s (10^12 B/s). With efficiencies 1.0, Llama-2-7B
fp16 at batch 1 (KV length 1024) decodes at about 244 tokens/s on an H100 SXM (3.35 TB/s)
and 148 on an A100-80GB (2.039 TB/s); at $2 per GPU-hour that is 2.28 and 3.75 $/Mtok.
A context beyond the model's ``max_context`` is computed as asked and flagged in ``assumptions``.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from tools.catalog import Accelerator, ModelSpec, find_accelerator, find_model
from tools.dtypes import BYTES_PER_VALUE, FLOPS_COLUMNS, GB, GIB, DType
from tools.errors import InputError
from tools.kv_cache import KVDType, KVShape, cached_token_layers, context_note, sequence_bytes
from tools.params import active_parameters, input_embedding_parameters, total_parameters
from tools.results import Worked

#: Realistic fractions of datasheet peak. llm-analysis (cli99) notes 0.6-0.7 of HBM bandwidth is
#: typical in inference; about half of peak tensor FLOPS is commonly reached by large GEMMs.
#: Set both to 1.0 for the pure roofline.
DEFAULT_MEM_EFF = 0.7
DEFAULT_COMPUTE_EFF = 0.5
SWEEP_BATCHES = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)


class ThroughputInput(BaseModel):
    """Estimate decode and prefill speed for a model served on accelerators."""

    model: str = Field(description="Catalog model name, e.g. 'llama-3.1-70b'.")
    chip: str = Field(description="Catalog accelerator name, e.g. 'h100'.")
    gpus: int = Field(1, ge=1, description="Accelerators in the tensor-parallel group serving one replica.")
    weights_dtype: DType = Field("bf16", description="Weight format: fp32, fp16, bf16, fp8, int8, int4, fp4.")
    kv_dtype: KVDType | None = Field(
        None,
        description="KV-cache format; defaults to the weight format (16-bit for 4-bit weights); fp8_ds_mla for DeepSeek MLA (vLLM).",
    )
    batch: int = Field(1, ge=1, description="Sequences decoded together.")
    prompt: int = Field(1000, ge=1, description="Prompt tokens per request.")
    output: int = Field(1000, ge=1, description="Output tokens per request.")
    mem_eff: float = Field(DEFAULT_MEM_EFF, gt=0, le=1, description="Fraction of datasheet memory bandwidth achieved.")
    compute_eff: float = Field(DEFAULT_COMPUTE_EFF, gt=0, le=1, description="Fraction of datasheet peak FLOPS achieved.")
    usd_per_gpu_hour: float | None = Field(
        None, ge=0, description="Price of one accelerator-hour, USD; adds decode cost per million tokens."
    )


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
    decode_tokens_per_s: float = Field(description="Whole deployment, at the final length (prompt + output).")
    decode_tokens_per_s_per_accelerator: float
    tokens_per_s_per_user: float
    decode_tokens_per_s_avg_length: float = Field(description="Deployment tokens/s at the average length prompt + output/2.")
    step_time_s: float
    memory_time_s: float
    compute_time_s: float
    bound: str = Field(description="'memory' or 'compute': which roofline limits the decode step.")
    ttft_s: float = Field(description="Prefill time of one request's prompt, seconds.")
    request_latency_s: float = Field(description="ttft + output tokens x step time, seconds.")
    prefill_batch_s: float = Field(description="Prefill time of all batch prompts together, seconds.")
    weights_read_bytes_per_step: int = Field(
        description="Weight bytes read per decode step, whole deployment: all weights less the input embedding (lm_head included)."
    )
    cost_per_million_tokens: float | None = Field(
        None, description="usd_per_gpu_hour x gpus / (decode_tokens_per_s x 3600) x 10^6, at the final length."
    )
    cost_per_million_tokens_avg_length: float | None = Field(None, description="The same at the average length.")
    peak_tflops_used: float
    bandwidth_tbps: float
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


def _read_params(spec: ModelSpec, batch: int) -> int:
    """Parameters read per decode step: all less the input embedding; MoE: at most active x batch."""
    total, _ = total_parameters(spec)
    read = total - input_embedding_parameters(spec)
    if spec.is_moe:
        read = min(read, _compute_params(spec) * batch)
    return read


def _step(
    spec: ModelSpec, chip: Accelerator, shape: KVShape, inp: ThroughputInput, batch: int, length: int, peak: float, kv_dtype: str
) -> tuple[float, float]:
    """(memory_s, compute_s) of one decode step for ``batch`` sequences at KV ``length``."""
    n = inp.gpus
    bpv = BYTES_PER_VALUE[inp.weights_dtype]
    kv_per_gpu = sequence_bytes(shape, length, kv_dtype, tp=n) * batch
    memory_s = (_read_params(spec, batch) * bpv / n + kv_per_gpu) / (inp.mem_eff * _bandwidth(chip))
    attn = 4 * spec.n_heads * spec.head_dim * cached_token_layers(shape, length) * batch
    flops = 2 * _compute_params(spec) * batch + attn
    compute_s = flops / (n * peak * 1e12 * inp.compute_eff)
    return memory_s, compute_s


def _causal_pairs(shape: KVShape, prompt: int) -> float:
    """Query-key pairs of causal prefill summed over layers: prompt^2 / 2 per full layer; a windowed
    layer attends to at most ``window`` keys per query (w^2 / 2 + (prompt - w) x w once prompt > w)."""
    full = prompt**2 / 2
    w = shape.window
    windowed_layers = shape.windowed_layers if w else 0
    windowed = full if not w or prompt <= w else w**2 / 2 + (prompt - w) * w
    return (shape.layers - windowed_layers) * full + windowed_layers * windowed


def _compute_params(spec: ModelSpec) -> int:
    """Parameters in matmuls per token: active parameters minus the input embedding lookup."""
    return active_parameters(spec) - input_embedding_parameters(spec)


def _bandwidth(chip: Accelerator) -> float:
    return chip.mem_bw_tbps * 1e12


def throughput(inp: ThroughputInput) -> ThroughputResult:
    """Roofline decode/prefill speed (formulas in the module docstring)."""
    spec = find_model(inp.model)
    chip = find_accelerator(inp.chip)
    kv_dtype = inp.kv_dtype or ("bf16" if BYTES_PER_VALUE[inp.weights_dtype] < 1 else inp.weights_dtype)
    peak, peak_column = _peak_tflops(chip, inp.weights_dtype)
    shape = KVShape.of(spec)
    final = inp.prompt + inp.output
    avg = inp.prompt + inp.output // 2

    def tokens_per_s(batch: int, length: int) -> tuple[float, str, float, float]:
        mem, comp = _step(spec, chip, shape, inp, batch, length, peak, kv_dtype)
        step = max(mem, comp)
        return batch / step, ("memory" if mem >= comp else "compute"), mem, comp

    tps, bound, mem_s, comp_s = tokens_per_s(inp.batch, final)
    tps_avg = tokens_per_s(inp.batch, avg)[0]
    step = inp.batch / tps

    prefill_flops = 2 * _compute_params(spec) * inp.prompt + 4 * spec.n_heads * spec.head_dim * _causal_pairs(shape, inp.prompt)
    total, params_how = total_parameters(spec)
    weight_read_s = (total - input_embedding_parameters(spec)) * BYTES_PER_VALUE[inp.weights_dtype] / (
        inp.gpus * inp.mem_eff * _bandwidth(chip)
    )
    ttft = max(prefill_flops / (inp.gpus * peak * 1e12 * inp.compute_eff), weight_read_s)
    prefill_batch = max(inp.batch * prefill_flops / (inp.gpus * peak * 1e12 * inp.compute_eff), weight_read_s)
    price = inp.usd_per_gpu_hour

    def cost(tokens_per_s: float) -> float | None:
        return None if price is None else price * inp.gpus / (tokens_per_s * 3600) * 1e6

    sweep = []
    for b in sorted({*SWEEP_BATCHES, inp.batch}):
        t, bnd, _, _ = tokens_per_s(b, final)
        sweep.append(SweepPoint(batch=b, tokens_per_s_per_accelerator=t / inp.gpus, tokens_per_s_per_user=t / b, bound=bnd))

    assumptions = [
        f"Efficiency: {inp.mem_eff:g} of datasheet bandwidth, {inp.compute_eff:g} of peak FLOPS (1.0 = pure roofline).",
        f"Peak {peak:g} TFLOPS dense from the '{peak_column}' column for {inp.weights_dtype} weights.",
        f"Bandwidth {chip.mem_bw_tbps:g} TB/s (decimal, datasheet) per accelerator, {inp.gpus} accelerator(s), "
        "tensor-parallel communication not modelled.",
        f"Decode figures at the final KV length {final:,} tokens (prompt + output); "
        f"also given at the average length {avg:,}; sliding-window layers attend to at most their window.",
        f"Parameters: {total:,} ({params_how}); the input embedding table is not read per step.",
        f"KV cache in {kv_dtype}.",
    ]
    if peak_column != FLOPS_COLUMNS[inp.weights_dtype][0]:
        assumptions.append(
            f"{chip.name} publishes no {FLOPS_COLUMNS[inp.weights_dtype][0]} figure: {inp.weights_dtype} weights are "
            f"assumed to compute at the {peak_column} peak (weight-only quantisation)."
        )
    if spec.is_moe:
        assumptions.append("MoE: compute uses active parameters; weights read per step = min(all, active x batch).")
    if shape.attention == "mla" and inp.gpus > 1:
        assumptions.append(f"MLA latent cache replicated on each of the {inp.gpus} GPUs: every GPU reads it in full.")
    elif inp.gpus > shape.kv_heads:
        assumptions.append(
            f"{inp.gpus} GPUs > {shape.kv_heads} KV heads: heads replicated, the KV read per GPU does not shrink further."
        )
    held = total * BYTES_PER_VALUE[inp.weights_dtype] + sequence_bytes(shape, final, kv_dtype) * inp.batch
    if held > inp.gpus * chip.memory_gb * GIB:
        assumptions.append(
            f"WARNING: weights + KV of the batch = {held / GB:,.1f} GB exceed the {inp.gpus} x {chip.memory_gb:g} GB of "
            "memory; no such deployment exists (check with memory_fit)."
        )
    too_long = context_note(spec, final)
    if too_long:
        assumptions.append(too_long)
    if price is not None:
        assumptions.append(f"Cost: {price:g} USD per accelerator-hour x {inp.gpus} accelerator(s), decode tokens only.")
    return ThroughputResult(
        formula=(
            "step = max((weights_read + batch x KV(len)) / (N x BW x mem_eff), "
            "(2 x active_params x batch + 4 x layers x heads x head_dim x len x batch) / (N x peak x compute_eff)); "
            "tokens/s = batch / step; TTFT = 2 x active_params x prompt (+ attention) / (N x peak x compute_eff)"
        ),
        inputs={**inp.model_dump(), "kv_dtype": kv_dtype, "model": spec.name, "chip": chip.name},
        assumptions=assumptions,
        sources=[f"{spec.name}: {s}" for s in spec.sources] + [f"{chip.name}: {s}" for s in chip.sources],
        model=spec.name,
        chip=chip.name,
        gpus=inp.gpus,
        batch=inp.batch,
        decode_tokens_per_s=tps,
        decode_tokens_per_s_per_accelerator=tps / inp.gpus,
        tokens_per_s_per_user=tps / inp.batch,
        decode_tokens_per_s_avg_length=tps_avg,
        step_time_s=step,
        memory_time_s=mem_s,
        compute_time_s=comp_s,
        bound=bound,
        ttft_s=ttft,
        prefill_batch_s=prefill_batch,
        weights_read_bytes_per_step=math.ceil(_read_params(spec, inp.batch) * BYTES_PER_VALUE[inp.weights_dtype]),
        cost_per_million_tokens=cost(tps),
        cost_per_million_tokens_avg_length=cost(tps_avg),
        request_latency_s=ttft + inp.output * step,
        peak_tflops_used=peak,
        bandwidth_tbps=chip.mem_bw_tbps,
        sweep=sweep,
    )
