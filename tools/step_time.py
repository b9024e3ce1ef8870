"""The parts of a decode step besides the roofline: fixed per-step overhead and communication.

    step time = max(memory time, compute time) + overhead + communication

**Overhead** (kernel launches, synchronisation, scheduling, sampling) is a fixed cost per step that a
roofline does not see; it is what holds batch-1 decode far below the bandwidth roofline. The default
is ``layers x (OVERHEAD_US_PER_LAYER + OVERHEAD_US_PER_LAYER_PER_TP_DOUBLING x log2(N))`` microseconds:
35 us per layer on one GPU, 95 us per layer at TP8 (DeepSeek-R1, 61 layers: 5.8 ms per step). Both
constants were fitted (with mem_eff) on the non-speculative DeepSeek-R1 points on H200 and B200 of
``knowledge/data/measured/`` (InferenceX, TP 4-16) and checked on the H100 and MI300X points (see
``tools/calibration.py`` and the README). ASSUMPTION beyond that data: the same cost per layer holds
for dense models and for one GPU, where it is an extrapolation. ``--step-overhead-ms`` overrides it
(0 for the pure roofline).

**Communication** across the N GPUs of one replica, from the catalog's scale-up bandwidth
(``interconnect_GBps_per_chip``, total bidirectional; half of it per direction):

* tensor parallel (N > 1, attention not data-parallel): two all-reduces per layer (after attention and
  after the FFN) of ``tokens x hidden x 2`` bytes (bf16 activations); a ring all-reduce moves
  ``2 (N - 1) / N`` of the message per GPU:
  ``t = layers x 2 x (latency + 2 (N-1)/N x message / per-direction bandwidth)``.
  DeepSeek-R1 at TP8: 122 all-reduces per step.
* attention data-parallel with the experts spread over the group: per layer one dispatch and one
  combine all-to-all; each GPU sends ``tokens/N x experts per token x hidden x 2`` bytes, ``(N-1)/N`` of
  it off-GPU: ``t = layers x 2 x (latency + (N-1)/N x bytes / per-direction bandwidth)``.

``COLLECTIVE_LATENCY_US`` (ASSUMPTION, 5 us per collective: the order of a small-message NVLink
all-reduce with the custom one-shot kernels vLLM and SGLang use; NCCL's ring is slower) is the only
latency term; the catalog holds no link latency. A chip without a scale-up bandwidth in the catalog
gets no communication term and a note saying so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tools.catalog import Accelerator, ModelSpec

#: ASSUMPTION: fixed cost of one collective (all-reduce or all-to-all), microseconds.
COLLECTIVE_LATENCY_US = 5.0
#: Fitted default overhead of a decode step per layer, microseconds, and its growth per doubling of the
#: tensor-parallel group (module docstring).
OVERHEAD_US_PER_LAYER = 35.0
OVERHEAD_US_PER_LAYER_PER_TP_DOUBLING = 20.0
#: Bytes per activation value exchanged between GPUs (bf16).
ACTIVATION_BYTES = 2


@dataclass(frozen=True)
class Communication:
    """Communication of one decode step: seconds, collectives and bytes sent per GPU."""

    seconds: float
    collectives: int
    bytes_per_gpu: float
    kind: str


def default_overhead_s(spec: ModelSpec, gpus: int) -> float:
    """Default fixed overhead of one decode step, seconds: layers x (35 + 20 x log2(gpus)) us."""
    return spec.n_layers * (OVERHEAD_US_PER_LAYER + OVERHEAD_US_PER_LAYER_PER_TP_DOUBLING * math.log2(gpus)) * 1e-6


def communication(
    spec: ModelSpec,
    chip: Accelerator,
    gpus: int,
    tokens: float,
    dp_attention: bool,
    latency_us: float = COLLECTIVE_LATENCY_US,
) -> Communication:
    """Communication time of one decode step over ``tokens`` tokens on ``gpus`` GPUs (module docstring)."""
    if gpus <= 1:
        return Communication(0.0, 0, 0.0, "none (one GPU)")
    if not chip.interconnect_GBps_per_chip:
        return Communication(0.0, 0, 0.0, f"not modelled ({chip.name} has no scale-up bandwidth in the catalog)")
    per_direction = chip.interconnect_GBps_per_chip / 2 * 1e9
    collectives = 2 * spec.n_layers
    if dp_attention:
        per_token = (spec.moe.experts_per_token if spec.moe else 1) * spec.hidden_size * ACTIVATION_BYTES
        sent = tokens / gpus * per_token * (gpus - 1) / gpus
        kind = "all-to-all (expert dispatch and combine)"
    else:
        sent = 2 * (gpus - 1) / gpus * tokens * spec.hidden_size * ACTIVATION_BYTES
        kind = "ring all-reduce (tensor parallel)"
    seconds = collectives * (latency_us * 1e-6 + sent / per_direction)
    return Communication(seconds, collectives, collectives * sent, kind)
