"""The same fit under the other capacity conventions, for a question that does not fix one.

An "80 GB" accelerator is read three ways by serving calculators (docs/peers.md, case 4): the
default here, GiB x vLLM's ``gpu_memory_utilization`` 0.9; GiB with all of it usable (llm-analysis,
GenZ); and decimal GB with all of it usable (a spec-sheet reading). When the analyst names none
of gpu_mem_util, reserve_frac or reserve_gb, the result also carries the all-usable readings (both
units; only the analyst's when capacity_unit or capacity_gb is given); when the analyst states the usable
share but not the unit, the decimal-GB reading at that share. An MLA model on N > 1 GPUs also gets the count
with its latent cache kept once across the GPUs; a KV format read from 8-bit weights (none given), the count
with a bf16 cache. So an answer can say which convention its headline uses and
what the others give:

    capacity/GPU  = memory_gb x 2^30 (GiB) or x 10^9 (GB), all usable
    capacity      = capacity/GPU x N                                             bytes
    weights only  = ceil(weights / usable/GPU) accelerators
    free after weights (replica) = (capacity/GPU - weights / N) x N               bytes
    max_concurrent = floor((capacity/GPU - weights / N) / KV/GPU(prompt + output))

Check: Llama-3.1-70B bf16 (141.1e9 B) on 8 x H100 (80 GB), 1k + 1k tokens, 327,680 B of KV per
token: GB all usable -> (80e9 - 17.64e9) / (2,000 x 40,960) = 761; GiB all usable -> 833.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from tools.dtypes import GB, GIB
from tools.kv_cache import sequence_bytes

if TYPE_CHECKING:
    from tools.memory_fit import KV

#: Fields whose presence means the analyst chose how much memory is usable (then no alternatives are shown).
USABLE_FIELDS = frozenset({"gpu_mem_util", "reserve_frac", "reserve_gb"})


class CapacityConvention(BaseModel):
    """One other reading of the accelerator's memory, all of it usable."""

    label: str
    capacity_unit: Literal["GiB", "GB"]
    gpu_mem_util: float = 1.0
    capacity_bytes: int = Field(description="memory per accelerator in this reading x N (before any usable share).")
    usable_bytes: int = Field(description="(capacity/GPU x usable share - bytes held back) x N.")
    min_accelerators_weights_only: int = Field(description="ceil(weights / usable per accelerator).")
    free_after_weights_bytes: int = Field(description="(capacity/GPU - weights/N) x N: memory left after the weights.")
    max_concurrent_sequences: int | None = Field(
        None, description="floor(free per GPU / KV per GPU of one full-length request); None for weights only."
    )
    max_concurrent_sequences_pooled: int | None = Field(
        None,
        description="MLA on N > 1: floor(free over all GPUs / one request's whole latent cache), the cache kept once "
        "across the GPUs (attention data-parallel); None otherwise.",
    )


def other_conventions(
    memory_gb: float,
    n: int,
    weights: float,
    kv_peak_per_gpu: float | None,
    units: tuple[str, ...] = ("GB", "GiB"),
    usable: tuple[float, float] = (1.0, 0.0),
    kv_request_pooled: float | None = None,
) -> list[CapacityConvention]:
    """Readings of ``memory_gb`` per accelerator in ``units`` (see the module docstring). ``usable`` = (share of
    the memory usable, bytes held back per accelerator): all of it by default, or the analyst's stated share when
    only the unit is open. ``kv_request_pooled``: an MLA request's whole latent cache in bytes when the cache can
    be kept once across the GPUs (attention data-parallel), for ``max_concurrent_sequences_pooled``."""
    share, held = usable
    what = "all usable" if (share, held) == (1.0, 0.0) else "the same usable share"
    out = []
    for unit, scale, label in (
        ("GB", GB, f"{memory_gb:g} GB read as decimal GB (10^9 B), {what}"),
        ("GiB", GIB, f"{memory_gb:g} GB read as GiB (2^30 B), {what}"),
    ):
        if unit not in units:
            continue
        usable_gpu = memory_gb * scale * share - held
        free_gpu = usable_gpu - weights / n
        seqs = math.floor(free_gpu / kv_peak_per_gpu) if kv_peak_per_gpu and free_gpu > 0 else 0
        pooled = math.floor(free_gpu * n / kv_request_pooled) if kv_request_pooled and free_gpu > 0 else None
        out.append(
            CapacityConvention(
                label=label,
                capacity_unit=unit,  # type: ignore[arg-type]
                gpu_mem_util=share,
                capacity_bytes=math.floor(memory_gb * scale * n),
                usable_bytes=math.floor(usable_gpu * n),
                min_accelerators_weights_only=math.ceil(weights / usable_gpu) if usable_gpu > 0 else 0,
                free_after_weights_bytes=math.floor(free_gpu * n),
                max_concurrent_sequences=seqs if kv_peak_per_gpu else None,
                max_concurrent_sequences_pooled=pooled,
            )
        )
    return out


def bf16_kv_count(kv_dtype_given: str | None, kv: KV | None, budget_gpu: float, n: int) -> int | None:
    """The KV format was not given and the cache was read in the weights' 8-bit format: the peak count with the
    cache in bf16 instead, floor(budget/GPU / KV/GPU(prompt + output) at 2 B per value); None otherwise."""
    if kv_dtype_given is not None or kv is None or kv.dtype == "bf16":
        return None
    per_request = sequence_bytes(kv.shape, kv.peak_tokens, "bf16", tp=n)
    return math.floor(budget_gpu / per_request) if budget_gpu > 0 else 0
