"""Roofline estimate of serving speed: decode tokens/s, time to first token, batch sweep.

Decode step (one token for each of ``batch`` sequences), per tensor-parallel group of N:

    memory time  = (weight bytes read per step + batch x KV bytes at the current length)
                   / (N x bandwidth x mem_eff)
    compute time = (2 x active params x batch + attention FLOPs) / (N x peak FLOPS x compute_eff)
    attention    = 4 x layers x n_heads x head_dim x length x batch   (QK^T and AV, 2 FLOPs each)
    step time    = max(memory time, compute time);  tokens/s = batch / step time

Weight bytes read per step exclude the input embedding table (a lookup, not a matmul).
MoE: compute uses the active parameters; weights read per step are approximated as
min(all weights, active weights x batch) since a large batch touches every expert.
Prefill (time to first token for one request) is compute-bound:
``(2 x active params x prompt + attention) / (N x peak x compute_eff)``, never faster than one
read of the weights.

Bandwidth is the datasheet's decimal TB/s (10^12 B/s). With efficiencies 1.0, Llama-2-7B
fp16 at batch 1 (KV length 1024) decodes at about 244 tokens/s on an H100 SXM (3.35 TB/s)
and 148 on an A100-80GB (2.039 TB/s).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.catalog import Accelerator, ModelSpec, find_accelerator, find_model
from tools.dtypes import BYTES_PER_VALUE, FLOPS_COLUMNS, DType
from tools.errors import InputError
from tools.kv_cache import KVShape, sequence_bytes
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
    kv_dtype: DType | None = Field(None, description="KV-cache format; defaults to the weight format (16-bit for 4-bit weights).")
    batch: int = Field(1, ge=1, description="Sequences decoded together.")
    prompt: int = Field(1000, ge=1, description="Prompt tokens per request.")
    output: int = Field(1000, ge=1, description="Output tokens per request.")
    mem_eff: float = Field(DEFAULT_MEM_EFF, gt=0, le=1, description="Fraction of datasheet memory bandwidth achieved.")
    compute_eff: float = Field(DEFAULT_COMPUTE_EFF, gt=0, le=1, description="Fraction of datasheet peak FLOPS achieved.")


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
    peak_tflops_used: float
    bandwidth_tbps: float
    sweep: list[SweepPoint] = Field(description="Batch -> tokens/s per accelerator and per user (final length).")


def _peak_tflops(chip: Accelerator, dtype: str) -> tuple[float, str]:
    for column in FLOPS_COLUMNS[dtype]:
        value = getattr(chip, column)
        if value:
            return value, column
    raise InputError("chip", f"{chip.name} has no published dense FLOPS for {dtype}; try weights_dtype bf16.")


def _step(
    spec: ModelSpec, chip: Accelerator, shape: KVShape, inp: ThroughputInput, batch: int, length: int, peak: float, kv_dtype: str
) -> tuple[float, float]:
    """(memory_s, compute_s) of one decode step for ``batch`` sequences at KV ``length``."""
    n = inp.gpus
    bpv = BYTES_PER_VALUE[inp.weights_dtype]
    total, _ = total_parameters(spec)
    read_params = total - input_embedding_parameters(spec)
    if spec.is_moe:
        read_params = min(read_params, active_parameters(spec) * batch)
    kv = sequence_bytes(shape, length, kv_dtype) * batch
    memory_s = (read_params * bpv + kv) / (n * inp.mem_eff * _bandwidth(chip))
    attn = 4 * spec.n_layers * spec.n_heads * spec.head_dim * length * batch
    flops = 2 * _compute_params(spec) * batch + attn
    compute_s = flops / (n * peak * 1e12 * inp.compute_eff)
    return memory_s, compute_s


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

    prefill_flops = 2 * _compute_params(spec) * inp.prompt + 2 * spec.n_layers * spec.n_heads * spec.head_dim * inp.prompt**2
    total, params_how = total_parameters(spec)
    weight_read_s = (total - input_embedding_parameters(spec)) * BYTES_PER_VALUE[inp.weights_dtype] / (
        inp.gpus * inp.mem_eff * _bandwidth(chip)
    )
    ttft = max(prefill_flops / (inp.gpus * peak * 1e12 * inp.compute_eff), weight_read_s)

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
        f"also given at the average length {avg:,}.",
        f"Parameters: {total:,} ({params_how}); the input embedding table is not read per step.",
        f"KV cache in {kv_dtype}.",
    ]
    if spec.is_moe:
        assumptions.append("MoE: compute uses active parameters; weights read per step = min(all, active x batch).")
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
        request_latency_s=ttft + inp.output * step,
        peak_tflops_used=peak,
        bandwidth_tbps=chip.mem_bw_tbps,
        sweep=sweep,
    )
