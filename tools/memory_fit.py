"""Does a model fit on N accelerators, and how many requests run at once.

Convention: accelerator capacity is the marketed figure read as GiB (``memory_gb x 2^30``
bytes), as the driver exposes it (an "80 GB" H100 shows about 80 GiB); ``capacity_unit="GB"``
reads it as decimal GB (``memory_gb x 10^9``) instead. Weights and KV are counted in bytes and
printed in decimal GB (10^9) unless a field says GiB.

    usable/GPU      = capacity x gpu_mem_util - capacity x reserve_frac - reserve_gb
    weights/GPU     = parameters x bytes(weights_dtype) / N
    kv_budget/GPU   = usable/GPU - weights/GPU
    max_concurrent  = floor(kv_budget/GPU / KV/GPU(prompt + output))      (peak reservation)
    avg_concurrent  = floor(kv_budget/GPU / KV/GPU(prompt + output / 2))  (time-averaged)
    memory_one_request = weights + KV(prompt + output) of a single request  (whole replica)
    headroom        = (kv_budget/GPU - batch x KV/GPU(prompt + output)) x N    (negative: the batch does not fit)
    weights only    = ceil(weights / usable per GPU) accelerators just to hold the weights

The analyst's own numbers: ``params`` replaces the parameter count ("assume 70e9 params");
``capacity_gb`` replaces the memory per accelerator in decimal GB ("treat 80 GB as 80e9 bytes");
``reserve_frac`` keeps a fraction of each accelerator's memory free, and when it is given without
``gpu_mem_util`` the whole memory is the starting point (gpu_mem_util 1), so vLLM's margin is not
held back twice. Check (hand derivation): Llama-3.1-8B at 8e9 parameters in bf16 (16e9 B), fp16 KV
of 131,072 B per token (2 x 32 layers x 8 heads x 128 x 2 B), one accelerator of 80e9 B used fully
with 10 % reserved: (72e9 - 16e9) / (131,072 x 8,192) = 52.15 -> 52 sequences of 4,096 + 4,096 tokens.

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
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from tools.catalog import Accelerator, ModelSpec, find_accelerator, find_model
from tools.chip_specs import memory_notes, sram_only
from tools.dtypes import BYTES_PER_VALUE, GB, GIB
from tools.errors import InputError
from tools.fit_conventions import USABLE_FIELDS, CapacityConvention, bf16_kv_count, other_conventions
from tools.kv_cache import KVShape, context_note, heads_per_gpu, sequence_bytes
from tools.params import total_parameters
from tools.release_dtype import apply_release_default, default_kv_dtype, release_note
from tools.results import Worked, record_provenance
from tools.serving_shape import DEFAULT_OUTPUT, ServingShapeKV, default_gpus_note

#: vLLM's default ``gpu_memory_utilization`` (vllm/engine/arg_utils.py); the 10% it holds back
#: covers activations, CUDA graphs and the runtime, which vLLM profiles inside that margin.
DEFAULT_GPU_MEM_UTIL = 0.90
#: Extra per-accelerator reserve in GiB on top of the utilization margin; 0 by default because
#: vLLM's profiled activations already sit inside the 10% margin above.
DEFAULT_RESERVE_GB = 0.0
MAX_SEARCH_ACCELERATORS = 100_000


class MemoryFitInput(ServingShapeKV):
    """Check whether a model's weights and KV cache fit on a set of accelerators (serving shape: gpus, formats,
    prompt and output from :class:`tools.serving_shape.ServingShapeKV`)."""

    model: str | None = Field(
        None, description="Catalog model name, e.g. 'llama-3.1-405b' (optional with weights_only and params)."
    )
    chip: str | None = Field(None, description="Catalog accelerator name, e.g. 'h100' (optional with capacity_gb).")
    output: int = Field(
        DEFAULT_OUTPUT, ge=0, description="Output tokens per request, reasoning tokens included (0: the prompt only)."
    )
    batch: int | None = Field(
        None,
        ge=1,
        description="Concurrent requests wanted: headroom after them, and the largest batch that fits (default 1).",
    )
    params: float | None = Field(
        None, gt=0, description="Parameter count to assume, e.g. 70e9 (overrides the catalog count)."
    )
    capacity_gb: float | None = Field(
        None,
        gt=0,
        description="Memory per accelerator in decimal GB (x 10^9 B), overriding the chip's (and capacity_unit).",
    )
    gpu_mem_util: float = Field(
        DEFAULT_GPU_MEM_UTIL,
        gt=0,
        le=1,
        description="Fraction of accelerator memory the server may use (vLLM default 0.9; 1 when reserve_frac is "
        "given).",
    )
    reserve_gb: float = Field(DEFAULT_RESERVE_GB, ge=0, description="Extra runtime reserve per accelerator, GiB.")
    reserve_frac: float = Field(
        0.0, ge=0, lt=1, description="Fraction of each accelerator's memory kept free (activations, CUDA graphs)."
    )
    capacity_unit: Literal["GiB", "GB"] = Field(
        "GiB", description="Read the marketed memory size as GiB (driver-visible, default) or decimal GB (10^9 B)."
    )
    weights_only: bool = Field(False, description="Only ask how many accelerators hold the weights (no KV cache).")


class MemoryFitResult(Worked):
    model: str
    chip: str
    gpus: int
    fits: bool = Field(
        description="True when weights plus at least one full-length request fit (weights_only: the weights)."
    )
    verdict: str
    parameters: int
    weights_bytes: int = Field(description="All weights, bytes.")
    weights_bytes_per_gpu: int
    capacity_bytes_per_gpu: int = Field(
        description="memory_gb x 2^30 (capacity_unit GiB) or x 10^9 (GB, or capacity_gb)."
    )
    usable_bytes_per_gpu: int
    capacity_bytes_total: int = Field(0, description="capacity/GPU x N, bytes (before the usable share).")
    usable_bytes_total: int = Field(0, description="usable/GPU x N, bytes.")
    kv_budget_bytes: int = Field(description="KV budget over all GPUs (can be negative when weights do not fit).")
    kv_bytes_per_sequence_peak: int = Field(description="KV of one request at prompt + output, all GPUs.")
    kv_bytes_per_token: int = Field(0, description="The model's KV of one token, one copy (no tensor-parallel split).")
    kv_bytes_per_sequence_one_copy: int = Field(0, description="KV of one request at prompt + output, one copy.")
    kv_bytes_per_sequence_avg: int = Field(description="KV of one request at prompt + output/2, all GPUs.")
    memory_one_request_bytes: int = Field(
        description="Weights + KV of one request at prompt + output: total memory to serve a single request (all GPUs)."
    )
    max_concurrent_sequences: int = Field(description="Requests that fit when each reserves its final length.")
    avg_concurrent_sequences: int = Field(description="Time-averaged requests under continuous batching.")
    kv_tokens_capacity: int = Field(description="Tokens of KV the budget holds (per replica).")
    min_accelerators: int = Field(description="Fewest accelerators holding the weights plus one full-length request.")
    min_accelerators_power_of_two: int = Field(
        description="The same rounded up to a power of two (tensor-parallel sizes)."
    )
    weights_only: bool = False
    min_accelerators_weights_only: int = Field(
        description="Fewest accelerators holding the weights alone: ceil(weights / usable)."
    )
    weights_only_tp_group: int = Field(
        description="min_accelerators_weights_only rounded up to a power of two (a tensor-parallel group)."
    )
    batch: int = Field(1, description="Concurrent requests asked for (1 when not given).")
    headroom_bytes: int = Field(
        description="Memory left on the replica after the weights and the batch's peak KV (weights only: after the "
        "weights); "
        "negative when they do not fit."
    )
    batch_fits: bool = Field(description="True when the requested batch fits (weights_only: the weights fit).")
    largest_batch_that_fits: int | None = Field(
        None, description="When the requested batch does not fit: the largest that does."
    )
    max_concurrent_sequences_mla_pooled: int | None = Field(
        None,
        description="MLA on N > 1: requests that fit when the latent cache is kept once across the GPUs (attention "
        "data-parallel) instead of replicated on each: floor(kv_budget / KV(prompt + output)); None otherwise.",
    )
    max_concurrent_sequences_kv_bf16: int | None = Field(
        None, description="KV format not given and read as the weights' 8-bit one: the peak count with a bf16 cache."
    )
    other_conventions: list[CapacityConvention] = Field(
        default_factory=list,
        description="When the question fixes no capacity convention: the fit with the memory read as decimal GB and "
        "as GiB, all usable (tools.fit_conventions); empty otherwise.",
    )


@dataclass(frozen=True)
class Memory:
    """Per-accelerator memory after the analyst's overrides (bytes)."""

    capacity: float
    util: float
    reserve: float
    label: str

    @property
    def usable(self) -> float:
        return self.capacity * self.util - self.reserve

    def budget(self, weights: float, n: int) -> float:
        """KV budget per GPU when the weights are split over ``n``."""
        return _kv_budget_per_gpu(self.capacity, self.util, self.reserve, weights, n)


def _kv_budget_per_gpu(capacity: float, util: float, reserve: float, weights: float, n: int) -> float:
    """capacity x util - reserve - weights / n, bytes per GPU (all reserves in ``reserve``)."""
    return capacity * util - reserve - weights / n


def _memory(inp: MemoryFitInput, chip: Accelerator | None) -> Memory:
    util = 1.0 if inp.reserve_frac and "gpu_mem_util" not in inp.model_fields_set else inp.gpu_mem_util
    if inp.capacity_gb is not None:
        capacity, label = inp.capacity_gb * GB, f"{inp.capacity_gb:g} decimal GB (10^9 B, given)"
    elif chip is not None and sram_only(chip) and "capacity_unit" not in inp.model_fields_set:
        capacity = chip.memory_gb * GB  # the vendor's "230 MB" of SRAM is decimal; no driver rounds it to GiB
        label = f"{chip.memory_gb:g} decimal GB of on-chip SRAM (the chip has no HBM)"
    elif chip is not None:
        unit = "GiB (driver-visible binary units)" if inp.capacity_unit == "GiB" else "decimal GB (10^9 B)"
        capacity, label = chip.memory_gb * (GIB if inp.capacity_unit == "GiB" else GB), f"{chip.memory_gb:g} {unit}"
    else:
        raise InputError("chip", "give a catalog chip or capacity_gb (decimal GB per accelerator).")
    mem = Memory(capacity=capacity, util=util, reserve=capacity * inp.reserve_frac + inp.reserve_gb * GIB, label=label)
    if mem.usable <= 0:
        raise InputError(
            "reserve_frac", f"nothing is left to use: gpu_mem_util {util:g} minus the reserves leaves no memory."
        )
    return mem


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


def _gb(b: float) -> str:
    return f"{b / GB:,.1f} GB"


def _pooled_mla(kv: KV | None, budget_gpu: float, n: int) -> int | None:
    """MLA over ``n`` > 1 GPUs: requests that fit when each request's latent cache is held once (attention
    data-parallel, as SGLang and vLLM serve DeepSeek) rather than on every GPU: floor(budget x N / KV(request)).
    The weights stay sharded N ways (DP attention also replicates the attention weights; not counted here)."""
    if kv is None or kv.shape.attention != "mla" or n < 2 or budget_gpu <= 0:
        return None
    return math.floor(budget_gpu * n / kv.peak(1))


def _pow2(n: int) -> int:
    return 1 << (n - 1).bit_length() if n else 0


@dataclass(frozen=True)
class KV:
    """KV sizing of one model at the requested lengths (all bytes per GPU at tensor parallel ``n``)."""

    shape: KVShape
    dtype: str
    peak_tokens: int

    def peak(self, n: int) -> float:
        return sequence_bytes(self.shape, self.peak_tokens, self.dtype, tp=n)


def _min_accelerators(kv: KV | None, mem: Memory, weights: float) -> tuple[int, str]:
    """Fewest accelerators holding the weights plus one full-length request, and the sentence saying so."""
    if kv is None:
        n = math.ceil(weights / mem.usable)
        return n, f"at least {n} accelerators are needed ({_pow2(n)} as a tensor-parallel group)"
    n = next((k for k in range(1, MAX_SEARCH_ACCELERATORS + 1) if mem.budget(weights, k) >= kv.peak(k)), 0)
    if n:
        return n, f"at least {n} accelerators are needed ({_pow2(n)} as a tensor-parallel group)"
    floor = kv.peak(MAX_SEARCH_ACCELERATORS)
    if floor >= mem.usable:
        return 0, (
            f"no tensor-parallel group fits one {kv.peak_tokens:,}-token request: its KV cache needs at least "
            f"{_gb(floor)} on every accelerator (KV heads cannot be split further), more than the {_gb(mem.usable)} "
            f"usable on one"
        )
    return 0, f"more than {MAX_SEARCH_ACCELERATORS:,} accelerators would be needed"


def _verdict(
    inp: MemoryFitInput, chip_name: str, weights: float, mem: Memory, fits: bool, need: str, counts: tuple[int, int]
) -> str:
    n, (max_seq, avg_seq) = inp.gpus, counts
    peak_tokens = inp.prompt + inp.output
    if inp.weights_only:
        if fits:
            return (
                f"Weights fit: {_gb(weights)} of weights on {n} x {chip_name} ({_gb(mem.usable * n)} usable); "
                f"{need} just to hold them."
            )
        return (
            f"Weights do not fit: {_gb(weights)} need more than the {_gb(mem.usable * n)} usable on {n} x {chip_name}; "
            f"{need}."
        )
    if fits:
        return (
            f"Fits: {_gb(weights)} of weights on {n} x {chip_name}; {max_seq:,} requests of "
            f"{peak_tokens:,} tokens at once (peak reservation), about {avg_seq:,} time-averaged."
        )
    if mem.budget(weights, n) <= 0:
        return (
            f"Does not fit: {_gb(weights)} of weights need more than the {_gb(mem.usable * n)} usable on "
            f"{n} x {chip_name}; {need}."
        )
    return f"Does not fit: the weights fit but not one {peak_tokens:,}-token request; {need}."


def _sram_prefix(chip: Accelerator | None, fits: bool) -> str:
    """For an SRAM-only chip that does not fit: it has no HBM to hold the model in (said before the verdict)."""
    if chip is None or fits or not sram_only(chip):
        return ""
    return (
        f"{chip.name} has no HBM, only {chip.memory_gb:g} GB of on-chip SRAM per chip, so it cannot hold the model in "
        "HBM; the SRAM of many chips must hold it together. "
    )


def _parameters(inp: MemoryFitInput, spec: ModelSpec | None) -> tuple[int, str]:
    if inp.params is not None:
        return round(inp.params), "given"
    if spec is None:
        raise InputError("model", "give a catalog model, or params with weights_only (parameter count).")
    return total_parameters(spec)


def _assumptions(
    inp: MemoryFitInput,
    spec: ModelSpec | None,
    kv: KV | None,
    mem: Memory,
    params: tuple[int, str],
    chip: Accelerator | None = None,
) -> list[str]:
    count, how = params
    out = [
        *default_gpus_note(inp),
        f"Capacity read as {mem.label} per accelerator; results in decimal GB.",
        *(memory_notes([chip]) if chip is not None else []),
        f"gpu_mem_util {mem.util:g}"
        + (
            " (whole memory: reserve_frac replaces vLLM's 0.9 margin)"
            if mem.util == 1.0 and inp.reserve_frac
            else " (vLLM default 0.9)"
        )
        + f", reserve_frac {inp.reserve_frac:g} and reserve {inp.reserve_gb:g} GiB per accelerator.",
        f"Parameters: {count:,} ({how}), weights in {inp.weights_dtype}"
        + (f", KV cache in {kv.dtype}." if kv else "; no KV cache (weights only)."),
    ]
    release = release_note(inp)
    if release:
        out.append(release)
    if kv is not None:
        out.append(_tp_note(kv.shape, inp.gpus))
        out.append(
            "Peak: every request reserves prompt + output tokens (admission control). Average: continuous batching, "
            "a request holds prompt + output/2 tokens on average over its life."
        )
    if spec is not None and spec.is_moe:
        out.append(
            f"MoE: every expert is held in memory ({count:,} total parameters; {spec.active_params_b:g} B "
            f"active per token)."
        )
    if kv is not None and kv.shape.window and kv.shape.windowed_layers:
        out.append(
            f"{kv.shape.windowed_layers} of {kv.shape.layers} layers keep at most {kv.shape.window:,} tokens "
            f"(sliding window)."
        )
    too_long = context_note(spec, inp.prompt + inp.output) if spec is not None and kv is not None else None
    return out + ([too_long] if too_long else [])


def memory_fit(inp: MemoryFitInput) -> MemoryFitResult:
    """Fit and concurrency for ``inp.model`` on ``inp.gpus`` x ``inp.chip`` (formulas in the module docstring)."""
    spec = find_model(inp.model) if inp.model else None
    chip = find_accelerator(inp.chip) if inp.chip else None
    apply_release_default(inp)
    mem = _memory(inp, chip)
    params = _parameters(inp, spec)
    weights = params[0] * BYTES_PER_VALUE[inp.weights_dtype]
    kv_dtype = inp.kv_dtype or default_kv_dtype(inp, inp.weights_dtype, BYTES_PER_VALUE[inp.weights_dtype])
    if spec is None and not inp.weights_only:
        raise InputError("model", "give a catalog model for the KV cache, or weights_only with params.")
    kv = KV(KVShape.of(spec), kv_dtype, inp.prompt + inp.output) if spec is not None and not inp.weights_only else None
    n, batch = inp.gpus, inp.batch or 1
    budget_gpu = mem.budget(weights, n)
    peak_gpu = kv.peak(n) if kv else 0.0
    avg_gpu = sequence_bytes(kv.shape, math.ceil(inp.prompt + inp.output / 2), kv_dtype, tp=n) if kv else 0.0
    per_token_gpu = sequence_bytes(kv.shape, 1, kv_dtype, tp=n) if kv else 0.0
    max_seq = math.floor(budget_gpu / peak_gpu) if kv and budget_gpu > 0 else 0
    avg_seq = math.floor(budget_gpu / avg_gpu) if kv and budget_gpu > 0 else 0
    weights_min = math.ceil(weights / mem.usable)
    min_n, need = _min_accelerators(kv, mem, weights)
    fits = budget_gpu >= 0 if kv is None else max_seq >= 1
    pooled = _pooled_mla(kv, budget_gpu, n)
    headroom = (budget_gpu - batch * peak_gpu) * n
    chip_name = chip.name if chip else "custom"
    model_name = spec.name if spec else "custom"
    sources = [f"{spec.name}: {s}" for s in spec.sources] if spec else []
    sources += [f"{chip.name}: {s}" for s in chip.sources] if chip else []
    result = MemoryFitResult(
        formula=(
            "usable/GPU = capacity x gpu_mem_util - capacity x reserve_frac - reserve_gb; kv_budget/GPU = usable/GPU "
            "- weights/N; "
            "max_concurrent = floor(kv_budget/GPU / KV/GPU(prompt + output)); "
            "avg_concurrent = floor(kv_budget/GPU / KV/GPU(prompt + output/2)); "
            "headroom = (kv_budget/GPU - batch x KV/GPU(prompt + output)) x N"
        ),
        inputs={
            **inp.model_dump(),
            "kv_dtype": kv_dtype,
            "model": model_name,
            "chip": chip_name,
            "gpu_mem_util": mem.util,
            "params": params[0],
            "batch": batch,
        },
        assumptions=_assumptions(inp, spec, kv, mem, params, chip),
        sources=sources or ["sizes given by the user"],
        model=model_name,
        chip=chip_name,
        gpus=n,
        fits=fits,
        verdict=_sram_prefix(chip, fits)
        + _verdict(inp, chip_name, weights, mem, fits, need, (max_seq, avg_seq))
        + _pooled_note(pooled, n),
        parameters=params[0],
        weights_bytes=math.ceil(weights),
        weights_bytes_per_gpu=math.ceil(weights / n),
        capacity_bytes_per_gpu=math.floor(mem.capacity),
        usable_bytes_per_gpu=math.floor(mem.usable),
        capacity_bytes_total=math.floor(mem.capacity * n),
        usable_bytes_total=math.floor(mem.usable * n),
        kv_budget_bytes=math.floor(budget_gpu * n),
        kv_bytes_per_sequence_peak=math.ceil(peak_gpu * n),
        kv_bytes_per_token=math.ceil(sequence_bytes(kv.shape, 1, kv_dtype, tp=1)) if kv else 0,
        kv_bytes_per_sequence_one_copy=math.ceil(kv.peak(1)) if kv else 0,
        kv_bytes_per_sequence_avg=math.ceil(avg_gpu * n),
        memory_one_request_bytes=math.ceil(weights + peak_gpu * n),
        max_concurrent_sequences=max_seq,
        avg_concurrent_sequences=avg_seq,
        kv_tokens_capacity=max(0, math.floor(budget_gpu / per_token_gpu)) if per_token_gpu else 0,
        min_accelerators=min_n,
        min_accelerators_power_of_two=_pow2(min_n),
        weights_only=inp.weights_only,
        min_accelerators_weights_only=weights_min,
        weights_only_tp_group=_pow2(weights_min),
        batch=batch,
        headroom_bytes=math.floor(headroom),
        batch_fits=headroom >= 0 if kv is None else fits and batch <= max_seq,
        largest_batch_that_fits=max_seq if kv is not None and batch > max_seq else None,
        max_concurrent_sequences_mla_pooled=pooled,
        max_concurrent_sequences_kv_bf16=bf16_kv_count(inp.kv_dtype, kv, budget_gpu, n),
        other_conventions=_conventions(inp, chip, weights, kv),
    )
    return record_provenance(result, inp, unused=_unused(inp, spec, chip))  # type: ignore[return-value]


def _conventions(
    inp: MemoryFitInput, chip: Accelerator | None, weights: float, kv: KV | None
) -> list[CapacityConvention]:
    """The other readings of the memory (:mod:`tools.fit_conventions`): all of it usable when the analyst did not
    say how much is; the decimal-GB reading at the stated share when only the unit is open."""
    n = inp.gpus
    peak = kv.peak(n) if kv else None
    pooled = kv.peak(1) if kv and kv.shape.attention == "mla" and n > 1 else None
    if USABLE_FIELDS & inp.model_fields_set:
        if inp.capacity_gb is not None or "capacity_unit" in inp.model_fields_set or chip is None or sram_only(chip):
            return []
        mem = _memory(inp, chip)
        share = (mem.util - inp.reserve_frac, inp.reserve_gb * GIB)
        return other_conventions(chip.memory_gb, n, weights, peak, ("GB",), share, pooled)
    if inp.capacity_gb is not None:
        return other_conventions(inp.capacity_gb, n, weights, peak, units=("GB",), kv_request_pooled=pooled)
    if chip is None or sram_only(chip):
        return []
    units = (inp.capacity_unit,) if "capacity_unit" in inp.model_fields_set else ("GB", "GiB")
    return other_conventions(chip.memory_gb, n, weights, peak, units=units, kv_request_pooled=pooled)


def _pooled_note(pooled: int | None, n: int) -> str:
    if pooled is None:
        return ""
    return (
        f" That counts the MLA latent cache on each of the {n} GPUs (tensor parallel); kept once across them "
        f"(attention data-parallel), {pooled:,} requests fit."
    )


def _unused(inp: MemoryFitInput, spec: ModelSpec | None, chip: Accelerator | None) -> set[str]:
    """Inputs the result does not depend on or that follow from given ones (left out of defaults_used)."""
    out = {"model", "chip"}
    if inp.weights_only:
        out |= {"kv_dtype", "prompt", "output", "batch"}
    if inp.capacity_gb is not None:
        out.add("capacity_unit")
    if inp.params is None and spec is not None:
        out.add("params")
    return out
