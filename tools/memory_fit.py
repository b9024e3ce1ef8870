"""Does a model fit on N accelerators, and how many requests run at once.

Convention: accelerator capacity is the marketed figure read as GiB (``memory_gb x 2^30``
bytes), as the driver exposes it (an "80 GB" H100 shows about 80 GiB); ``capacity_unit="GB"``
reads it as decimal GB (``memory_gb x 10^9``) instead. Weights and KV are counted in bytes and
printed in decimal GB (10^9) unless a field says GiB.

    usable/GPU      = capacity x gpu_mem_util - reserve
    weights/GPU     = parameters x bytes(weights_dtype) / N
    kv_budget/GPU   = usable/GPU - weights/GPU
    max_concurrent  = floor(kv_budget/GPU / KV/GPU(prompt + output))      (peak reservation)
    avg_concurrent  = floor(kv_budget/GPU / KV/GPU(prompt + output / 2))  (time-averaged)
    memory_one_request = weights + KV(prompt + output) of a single request  (whole replica)

Tensor parallel over N shards weights and KV heads; the busiest GPU holds ``ceil(kv_heads / N)``
heads, so heads are replicated when N exceeds them (vLLM's ``max(1, kv_heads // N)``) and the
KV per GPU does not shrink past that point. MLA's latent is replicated on every GPU. MoE
models hold every expert: weights use the total parameter count. Sliding-window layers hold
at most their window (see :mod:`tools.kv_cache`).

The three capacity conventions of docs/peers.md case 4 (Llama-3.1-70B bf16, 8 x H100, 1k + 1k):
``capacity_unit="GB", gpu_mem_util=1`` gives 761 (decimal GB, 100 %); ``gpu_mem_util=1``
gives 833 (GiB, 100 %, as llm-analysis and GenZ); the defaults give 728 (GiB x 0.9, vLLM).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field

from tools.catalog import find_accelerator, find_model
from tools.dtypes import BYTES_PER_VALUE, GB, GIB, DType
from tools.kv_cache import KVDType, KVShape, context_note, heads_per_gpu, sequence_bytes
from tools.params import total_parameters
from tools.results import Worked

#: vLLM's default ``gpu_memory_utilization`` (vllm/engine/arg_utils.py); the 10% it holds back
#: covers activations, CUDA graphs and the runtime, which vLLM profiles inside that margin.
DEFAULT_GPU_MEM_UTIL = 0.90
#: Extra per-accelerator reserve in GiB on top of the utilization margin; 0 by default because
#: vLLM's profiled activations already sit inside the 10% margin above.
DEFAULT_RESERVE_GB = 0.0
MAX_SEARCH_ACCELERATORS = 100_000


class MemoryFitInput(BaseModel):
    """Check whether a model's weights and KV cache fit on a set of accelerators."""

    model: str = Field(description="Catalog model name, e.g. 'llama-3.1-405b'.")
    chip: str = Field(description="Catalog accelerator name, e.g. 'h100'.")
    gpus: int = Field(8, ge=1, description="Accelerators serving one model replica (tensor parallel).")
    weights_dtype: DType = Field("bf16", description="Weight format: fp32, fp16, bf16, fp8, int8, int4, fp4.")
    kv_dtype: KVDType | None = Field(
        None,
        description="KV-cache format; defaults to the weight format (16-bit for 4-bit weights); fp8_ds_mla for DeepSeek MLA (vLLM).",
    )
    prompt: int = Field(1000, ge=1, description="Prompt (input) tokens per request.")
    output: int = Field(1000, ge=0, description="Output tokens per request, reasoning tokens included.")
    gpu_mem_util: float = Field(
        DEFAULT_GPU_MEM_UTIL, gt=0, le=1, description="Fraction of accelerator memory the server may use (vLLM default 0.9)."
    )
    reserve_gb: float = Field(DEFAULT_RESERVE_GB, ge=0, description="Extra runtime reserve per accelerator, GiB.")
    capacity_unit: Literal["GiB", "GB"] = Field(
        "GiB", description="Read the marketed memory size as GiB (driver-visible, default) or decimal GB (10^9 B)."
    )


class MemoryFitResult(Worked):
    model: str
    chip: str
    gpus: int
    fits: bool = Field(description="True when weights plus at least one full-length request fit.")
    verdict: str
    parameters: int
    weights_bytes: int = Field(description="All weights, bytes.")
    weights_bytes_per_gpu: int
    capacity_bytes_per_gpu: int = Field(description="memory_gb x 2^30 (capacity_unit GiB) or x 10^9 (GB).")
    usable_bytes_per_gpu: int
    kv_budget_bytes: int = Field(description="KV budget over all GPUs (can be negative when weights do not fit).")
    kv_bytes_per_sequence_peak: int = Field(description="KV of one request at prompt + output, all GPUs.")
    kv_bytes_per_sequence_avg: int = Field(description="KV of one request at prompt + output/2, all GPUs.")
    memory_one_request_bytes: int = Field(
        description="Weights + KV of one request at prompt + output: total memory to serve a single request (all GPUs)."
    )
    max_concurrent_sequences: int = Field(description="Requests that fit when each reserves its final length.")
    avg_concurrent_sequences: int = Field(description="Time-averaged requests under continuous batching.")
    kv_tokens_capacity: int = Field(description="Tokens of KV the budget holds (per replica).")
    min_accelerators: int = Field(description="Fewest accelerators holding the weights plus one full-length request.")
    min_accelerators_power_of_two: int = Field(description="The same rounded up to a power of two (tensor-parallel sizes).")


def _kv_budget_per_gpu(capacity: float, util: float, reserve: float, weights: float, n: int) -> float:
    return capacity * util - reserve - weights / n


def _tp_note(shape: KVShape, n: int) -> str:
    if shape.attention == "mla":
        return f"Tensor parallel over {n}: weights split {n} ways; the MLA latent cache is replicated on every GPU."
    return (
        f"Tensor parallel over {n}: KV heads on the busiest GPU = ceil({shape.kv_heads} / {n}) = "
        f"{heads_per_gpu(shape.kv_heads, n)}"
        + (" (heads replicated: more GPUs than KV heads)." if n > shape.kv_heads else ".")
        + (
            " Uneven split: vLLM requires the GPU count to divide the KV heads or be a multiple of them."
            if shape.kv_heads % n and n % shape.kv_heads
            else ""
        )
    )


def memory_fit(inp: MemoryFitInput) -> MemoryFitResult:
    """Fit and concurrency for ``inp.model`` on ``inp.gpus`` x ``inp.chip`` (formulas in the module docstring)."""
    spec = find_model(inp.model)
    chip = find_accelerator(inp.chip)
    kv_dtype = inp.kv_dtype or ("bf16" if BYTES_PER_VALUE[inp.weights_dtype] < 1 else inp.weights_dtype)
    shape = KVShape.of(spec)
    params, params_how = total_parameters(spec)
    weights = params * BYTES_PER_VALUE[inp.weights_dtype]
    capacity = chip.memory_gb * (GIB if inp.capacity_unit == "GiB" else GB)
    reserve = inp.reserve_gb * GIB
    usable = capacity * inp.gpu_mem_util - reserve
    n = inp.gpus
    budget_gpu = _kv_budget_per_gpu(capacity, inp.gpu_mem_util, reserve, weights, n)
    peak_tokens = inp.prompt + inp.output
    avg_tokens = inp.prompt + inp.output / 2
    peak_gpu = sequence_bytes(shape, peak_tokens, kv_dtype, tp=n)
    avg_gpu = sequence_bytes(shape, math.ceil(avg_tokens), kv_dtype, tp=n)
    per_token_gpu = sequence_bytes(shape, 1, kv_dtype, tp=n)

    max_seq = max(0, math.floor(budget_gpu / peak_gpu)) if budget_gpu > 0 else 0
    avg_seq = max(0, math.floor(budget_gpu / avg_gpu)) if budget_gpu > 0 else 0
    fits = max_seq >= 1

    def holds_one(k: int) -> bool:
        return _kv_budget_per_gpu(capacity, inp.gpu_mem_util, reserve, weights, k) >= sequence_bytes(
            shape, peak_tokens, kv_dtype, tp=k
        )

    gb = lambda b: f"{b / GB:,.1f} GB"
    min_n = next((k for k in range(1, MAX_SEARCH_ACCELERATORS + 1) if holds_one(k)), 0)
    min_pow2 = 1 << (min_n - 1).bit_length() if min_n else 0
    kv_floor = sequence_bytes(shape, peak_tokens, kv_dtype, tp=MAX_SEARCH_ACCELERATORS)
    if min_n:
        need = f"at least {min_n} accelerators are needed ({min_pow2} as a tensor-parallel group)"
    elif kv_floor >= usable:
        need = (
            f"no tensor-parallel group fits one {peak_tokens:,}-token request: its KV cache needs at least "
            f"{gb(kv_floor)} on every accelerator (KV heads cannot be split further), more than the {gb(usable)} usable on one"
        )
    else:
        need = f"more than {MAX_SEARCH_ACCELERATORS:,} accelerators would be needed"
    one_request = weights + peak_gpu * n

    if fits:
        verdict = (
            f"Fits: {gb(weights)} of weights on {n} x {chip.name}; {max_seq:,} requests of "
            f"{peak_tokens:,} tokens at once (peak reservation), about {avg_seq:,} time-averaged."
        )
    elif budget_gpu <= 0:
        verdict = (
            f"Does not fit: {gb(weights)} of weights need more than the {gb(usable * n)} usable on {n} x {chip.name}; "
            f"{need}."
        )
    else:
        verdict = (
            f"Does not fit: the weights fit but not one {peak_tokens:,}-token request; "
            f"{need}."
        )
    unit = "GiB (driver-visible binary units)" if inp.capacity_unit == "GiB" else "decimal GB (10^9 B)"
    assumptions = [
        f"Capacity read as {chip.memory_gb:g} {unit} per accelerator; results in decimal GB.",
        f"gpu_mem_util {inp.gpu_mem_util:g} (vLLM default 0.9) and reserve {inp.reserve_gb:g} GiB per accelerator.",
        f"Parameters: {params:,} ({params_how}), weights in {inp.weights_dtype}, KV cache in {kv_dtype}.",
        _tp_note(shape, n),
        "Peak: every request reserves prompt + output tokens (admission control). Average: continuous batching, "
        "a request holds prompt + output/2 tokens on average over its life.",
    ]
    if spec.is_moe:
        assumptions.append(
            f"MoE: every expert is held in memory ({params:,} total parameters; {spec.active_params_b:g} B active per token)."
        )
    if shape.window and shape.windowed_layers:
        assumptions.append(
            f"{shape.windowed_layers} of {shape.layers} layers keep at most {shape.window:,} tokens (sliding window)."
        )
    too_long = context_note(spec, peak_tokens)
    if too_long:
        assumptions.append(too_long)
    return MemoryFitResult(
        formula=(
            "usable/GPU = capacity x gpu_mem_util - reserve; kv_budget/GPU = usable/GPU - weights/N; "
            "max_concurrent = floor(kv_budget/GPU / KV/GPU(prompt + output)); "
            "avg_concurrent = floor(kv_budget/GPU / KV/GPU(prompt + output/2))"
        ),
        inputs={**inp.model_dump(), "kv_dtype": kv_dtype, "model": spec.name, "chip": chip.name},
        assumptions=assumptions,
        sources=[f"{spec.name}: {s}" for s in spec.sources] + [f"{chip.name}: {s}" for s in chip.sources],
        model=spec.name,
        chip=chip.name,
        gpus=n,
        fits=fits,
        verdict=verdict,
        parameters=params,
        weights_bytes=math.ceil(weights),
        weights_bytes_per_gpu=math.ceil(weights / n),
        capacity_bytes_per_gpu=math.floor(capacity),
        usable_bytes_per_gpu=math.floor(usable),
        kv_budget_bytes=math.floor(budget_gpu * n),
        kv_bytes_per_sequence_peak=math.ceil(peak_gpu * n),
        kv_bytes_per_sequence_avg=math.ceil(avg_gpu * n),
        memory_one_request_bytes=math.ceil(one_request),
        max_concurrent_sequences=max_seq,
        avg_concurrent_sequences=avg_seq,
        kv_tokens_capacity=max(0, math.floor(budget_gpu / per_token_gpu)) if per_token_gpu else 0,
        min_accelerators=min_n,
        min_accelerators_power_of_two=min_pow2,
    )
