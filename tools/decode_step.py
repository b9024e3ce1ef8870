"""One decode step and one prefill, per GPU of a replica: the roofline plus overhead and communication.

Decode step over ``batch`` sequences at KV length ``length``, ``accept`` tokens per sequence per step
(multi-token prediction; 1 without it), ``tokens = batch x accept``, per GPU of a replica of N:

    memory time  = (weight bytes read per GPU + KV bytes per GPU) / (bandwidth x mem_eff)
    compute time = (2 x active params x tokens + attention FLOPs) / (N x peak FLOPS x compute_eff)
    attention    = FLOPs per key (4 x n_heads x head_dim; MLA: absorbed latent form) x (sum over layers of
                   keys attended) x tokens
    step time    = max(memory time, compute time) + overhead + communication
    tokens/s     = batch x accept / step time

Weight bytes read per GPU: :func:`tools.moe.params_read_per_gpu` x bytes per weight (dense: all
weights less the input embedding; MoE: non-expert weights once plus the distinct experts touched).
KV bytes per GPU follow :mod:`tools.kv_cache`: under tensor parallelism the busiest GPU holds
``ceil(kv_heads / N)`` heads of every sequence (an MLA latent is replicated in full on every GPU);
with attention data-parallel each GPU holds only its own ``batch / N`` sequences, whole.
Overhead and communication: :mod:`tools.step_time`.

Prefill of ``prompt`` tokens on ``N`` GPUs (the decode GPUs, or the separate prefill GPUs):
``max((2 x active params x prompt + causal attention) / (N x peak x compute_eff), one read of the
weights) + overhead + communication(prompt tokens)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.catalog import Accelerator, ModelSpec
from tools.dtypes import BYTES_PER_VALUE
from tools.kv_cache import KVShape, cached_token_layers, sequence_bytes
from tools.moe import params_read_per_gpu
from tools.params import active_parameters, input_embedding_parameters, total_parameters
from tools.step_time import communication


@dataclass(frozen=True)
class Deployment:
    """What a step needs besides batch and length: model, chip, layout, formats, efficiencies."""

    spec: ModelSpec
    chip: Accelerator
    shape: KVShape
    gpus: int
    weights_dtype: str
    kv_dtype: str
    peak_tflops: float
    mem_eff: float
    compute_eff: float
    overhead_s: float
    dp_attention: bool = False
    accept: float = 1.0
    datasheet_bandwidth: float | None = None  # B/s per GPU; None: the catalog's mem_bw_tbps x 10^12

    @property
    def bandwidth(self) -> float:
        """Bytes per second per GPU at the given efficiency."""
        peak = self.chip.mem_bw_tbps * 1e12 if self.datasheet_bandwidth is None else self.datasheet_bandwidth
        return peak * self.mem_eff

    def flops_per_s(self, gpus: int) -> float:
        return gpus * self.peak_tflops * 1e12 * self.compute_eff


@dataclass(frozen=True)
class Step:
    """One decode step, seconds, and what it moved."""

    memory_s: float
    compute_s: float
    overhead_s: float
    communication_s: float
    weight_bytes_per_gpu: float
    kv_bytes_per_gpu: float
    tokens: float

    @property
    def seconds(self) -> float:
        return max(self.memory_s, self.compute_s) + self.overhead_s + self.communication_s

    @property
    def bound(self) -> str:
        return "memory" if self.memory_s >= self.compute_s else "compute"


def compute_params(spec: ModelSpec) -> int:
    """Parameters in matmuls per token: active parameters minus the input embedding lookup."""
    return active_parameters(spec) - input_embedding_parameters(spec)


def attention_flops_per_key(spec: ModelSpec) -> int:
    """FLOPs per query token per cached key, summed over heads, one layer: QK^T and AV at 2 FLOPs each.
    Multi-head attention: 4 x heads x head_dim. MLA decode with the up-projections absorbed (as vLLM,
    SGLang and TensorRT-LLM run it) scores against the latent and rope parts and sums the latent:
    heads x (2 x (kv_lora_rank + qk_rope_head_dim) + 2 x kv_lora_rank); DeepSeek-V3: 128 x 2,176."""
    if spec.is_mla and spec.kv_lora_rank:
        return spec.n_heads * (2 * (spec.kv_lora_rank + (spec.qk_rope_head_dim or 0)) + 2 * spec.kv_lora_rank)
    return 4 * spec.n_heads * spec.head_dim


def kv_bytes_per_gpu(d: Deployment, batch: int, length: int) -> float:
    """KV bytes the busiest GPU holds (and reads) for ``batch`` sequences of ``length`` tokens."""
    if d.dp_attention:
        return sequence_bytes(d.shape, length, d.kv_dtype, tp=1) * batch / d.gpus
    return sequence_bytes(d.shape, length, d.kv_dtype, tp=d.gpus) * batch


def decode_step(d: Deployment, batch: int, length: int) -> Step:
    """Memory, compute, overhead and communication time of one decode step (module docstring)."""
    tokens = batch * d.accept
    weights = params_read_per_gpu(d.spec, tokens, d.gpus, d.dp_attention) * BYTES_PER_VALUE[d.weights_dtype]
    kv = kv_bytes_per_gpu(d, batch, length)
    attn = attention_flops_per_key(d.spec) * cached_token_layers(d.shape, length) * tokens
    flops = 2 * compute_params(d.spec) * tokens + attn
    comm = communication(d.spec, d.chip, d.gpus, tokens, d.dp_attention).seconds
    return Step(
        memory_s=(weights + kv) / d.bandwidth,
        compute_s=flops / d.flops_per_s(d.gpus),
        overhead_s=d.overhead_s,
        communication_s=comm,
        weight_bytes_per_gpu=weights,
        kv_bytes_per_gpu=kv,
        tokens=tokens,
    )


def causal_pairs(shape: KVShape, prompt: int) -> float:
    """Query-key pairs of causal prefill summed over layers: prompt^2 / 2 per full layer; a windowed
    layer attends to at most ``window`` keys per query (w^2 / 2 + (prompt - w) x w once prompt > w)."""
    full = prompt**2 / 2
    w = shape.window
    windowed_layers = shape.windowed_layers if w else 0
    windowed = full if not w or prompt <= w else w**2 / 2 + (prompt - w) * w
    return (shape.layers - windowed_layers) * full + windowed_layers * windowed


def prefill_seconds(d: Deployment, prompts: int, prompt: int, gpus: int) -> float:
    """Prefill of ``prompts`` prompts of ``prompt`` tokens together on ``gpus`` GPUs (module docstring)."""
    attention = 4 * d.spec.n_heads * d.spec.head_dim * causal_pairs(d.shape, prompt)  # MLA prefill: unabsorbed heads
    flops = prompts * (2 * compute_params(d.spec) * prompt + attention)
    total, _ = total_parameters(d.spec)
    read = (total - input_embedding_parameters(d.spec)) * BYTES_PER_VALUE[d.weights_dtype] / (gpus * d.bandwidth)
    comm = communication(d.spec, d.chip, gpus, prompts * prompt, dp_attention=False).seconds
    return max(flops / d.flops_per_s(gpus), read) + d.overhead_s + comm
