"""KV-cache size: bytes per token, per sequence and for a batch.

Formulas (bytes, decimal units when printed as GB):

* MHA/GQA/MQA: ``2 (K and V) x layers x kv_heads x head_dim x bytes_per_value`` per token.
* MLA (DeepSeek-V2/V3/R1): ``layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_value``;
  the compressed latent and the shared RoPE key are cached once, so no factor 2.
* Sliding-window layers hold at most ``window`` tokens; hybrid models (Gemma-2, GPT-OSS)
  count windowed and global layers separately.
* Tensor parallel over ``tp`` GPUs: each GPU holds ``max(1, kv_heads // tp)`` heads (heads are
  replicated when tp > kv_heads, as vLLM does); MLA's single latent is replicated on every GPU.
* Paged attention: each sequence is rounded up to whole blocks of ``block_size`` tokens.

Known values reproduced exactly: OPT-13B fp16 819,200 B/token (vLLM paper, "800 KB");
Llama-2-7B 524,288; Llama-3.1-70B 327,680; Llama-3.1-405B 516,096; DeepSeek-V3 70,272.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tools.catalog import ModelSpec, find_model
from tools.dtypes import BYTES_PER_VALUE, GB, DType
from tools.errors import InputError
from tools.results import Worked

Attention = Literal["mha", "gqa", "mqa", "mla"]


class KVShape(BaseModel):
    """The cache geometry of one model, from the catalog or given by hand."""

    name: str
    layers: int
    kv_heads: int
    head_dim: int
    attention: Attention
    kv_lora_rank: int | None = None
    rope_dim: int | None = None
    window: int | None = None
    windowed_layers: int = 0

    @classmethod
    def of(cls, spec: ModelSpec) -> "KVShape":
        kind = "mla" if spec.is_mla else ("mha" if spec.n_kv_heads == spec.n_heads else "gqa")
        return cls(
            name=spec.name,
            layers=spec.n_layers,
            kv_heads=spec.n_kv_heads,
            head_dim=spec.head_dim,
            attention=kind,
            kv_lora_rank=spec.kv_lora_rank,
            rope_dim=spec.qk_rope_head_dim,
            window=spec.sliding_window,
            windowed_layers=spec.sliding_layers,
        )


def values_per_token_per_layer(shape: KVShape, tp: int = 1) -> int:
    """Cached values per token in one layer on one GPU (MLA: latent + RoPE key; else 2 x heads x dim)."""
    if shape.attention == "mla":
        return (shape.kv_lora_rank or 0) + (shape.rope_dim or 0)
    heads = 1 if shape.attention == "mqa" else shape.kv_heads
    return 2 * max(1, heads // tp) * shape.head_dim


def cached_token_layers(shape: KVShape, tokens: int) -> int:
    """Sum over layers of tokens held: global layers hold all ``tokens``, windowed ones at most the window."""
    windowed = shape.windowed_layers if shape.window else 0
    held_windowed = min(tokens, shape.window) if shape.window else tokens
    return (shape.layers - windowed) * tokens + windowed * held_windowed


def sequence_bytes(shape: KVShape, tokens: int, kv_dtype: str, tp: int = 1, block_size: int | None = None) -> float:
    """KV bytes one sequence of ``tokens`` holds on one GPU (the whole model when tp = 1)."""
    if block_size:
        tokens = math.ceil(tokens / block_size) * block_size
    return cached_token_layers(shape, tokens) * values_per_token_per_layer(shape, tp) * BYTES_PER_VALUE[kv_dtype]


class KVCacheInput(BaseModel):
    """Size the KV cache for a model (catalog name) or an explicit shape."""

    model: str | None = Field(None, description="Catalog model name, e.g. 'llama-3.1-70b'. Or give layers/kv_heads/head_dim.")
    layers: int | None = Field(None, ge=1, description="Transformer layers (explicit shape).")
    kv_heads: int | None = Field(None, ge=1, description="KV heads per layer (explicit shape).")
    head_dim: int | None = Field(None, ge=1, description="Dimension per head (explicit shape).")
    attention: Attention | None = Field(None, description="Attention kind for an explicit shape: mha, gqa, mqa or mla.")
    kv_lora_rank: int | None = Field(None, ge=1, description="MLA latent rank (explicit MLA shape).")
    rope_dim: int | None = Field(None, ge=1, description="MLA decoupled RoPE key dimension (explicit MLA shape).")
    window: int | None = Field(None, ge=1, description="Sliding window in tokens, applied to every layer of an explicit shape.")
    kv_dtype: DType = Field("bf16", description="Format of the cached values: fp32, fp16, bf16, fp8, int8, int4, fp4.")
    context: int | None = Field(None, ge=1, description="Tokens per sequence; or give prompt and output.")
    prompt: int | None = Field(None, ge=1, description="Prompt tokens per sequence.")
    output: int | None = Field(None, ge=0, description="Generated tokens per sequence (reasoning included).")
    batch: int = Field(1, ge=1, description="Concurrent sequences.")
    block_size: int | None = Field(None, ge=1, description="Paged-attention block size in tokens (vLLM default 16).")
    tp: int = Field(1, ge=1, description="Tensor-parallel degree: report the per-GPU share.")

    @model_validator(mode="after")
    def _one_shape(self) -> "KVCacheInput":
        explicit = self.attention == "mla" or (self.kv_heads and self.head_dim)
        if self.model is None and not (self.layers and explicit):
            raise InputError("model", "give a catalog model name, or --layers, --kv-heads and --head-dim.")
        if self.attention == "mla" and self.model is None and not (self.kv_lora_rank and self.rope_dim):
            raise InputError("kv_lora_rank", "an explicit MLA shape needs --kv-lora-rank and --rope-dim.")
        return self

    def tokens(self) -> int:
        """Tokens per sequence: ``context``, else ``prompt + output``, else the model's max context."""
        if self.context is not None:
            return self.context
        if self.prompt is not None:
            return self.prompt + (self.output or 0)
        raise InputError("context", "give --context N or --prompt N [--output N] (tokens per sequence, >= 1).")


class KVCacheResult(Worked):
    model: str
    attention: str
    kv_dtype: str
    tokens_per_sequence: int
    batch: int
    tp: int
    values_per_token_per_layer: int = Field(description="Cached values per token per layer on one GPU.")
    bytes_per_token: int = Field(description="KV bytes per token (all layers; per GPU when tp > 1), at full context.")
    bytes_per_sequence: int = Field(description="KV bytes one sequence holds (window caps and block rounding applied).")
    total_bytes: int = Field(description="bytes_per_sequence x batch.")
    total_gb: float = Field(description="total_bytes / 10^9.")
    total_gib: float = Field(description="total_bytes / 2^30.")


def kv_cache(inp: KVCacheInput) -> KVCacheResult:
    """KV-cache bytes per token, per sequence and per batch (see module docstring for formulas)."""
    if inp.model is not None:
        spec = find_model(inp.model)
        shape = KVShape.of(spec)
        sources = [f"{spec.name}: {s}" for s in spec.sources]
    else:
        kind = inp.attention or "gqa"
        shape = KVShape(
            name="custom",
            layers=inp.layers or 0,
            kv_heads=inp.kv_heads or 1,
            head_dim=inp.head_dim or 0,
            attention=kind,
            kv_lora_rank=inp.kv_lora_rank,
            rope_dim=inp.rope_dim,
            window=inp.window,
            windowed_layers=(inp.layers or 0) if inp.window else 0,
        )
        sources = ["shape given by the user"]
    tokens = inp.tokens()
    per_layer = values_per_token_per_layer(shape, inp.tp)
    bpv = BYTES_PER_VALUE[inp.kv_dtype]
    per_token = shape.layers * per_layer * bpv
    per_seq = sequence_bytes(shape, tokens, inp.kv_dtype, inp.tp, inp.block_size)
    total = per_seq * inp.batch

    if shape.attention == "mla":
        formula = "bytes/token = layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_value"
    else:
        formula = "bytes/token = 2 (K,V) x layers x kv_heads x head_dim x bytes_per_value"
    formula += "; bytes/sequence = bytes/token x tokens; total = bytes/sequence x batch"
    assumptions = [f"KV cache stored as {inp.kv_dtype} ({bpv:g} B per value), independent of weight format."]
    if shape.window and shape.windowed_layers:
        assumptions.append(
            f"{shape.windowed_layers} of {shape.layers} layers use a {shape.window}-token sliding window and hold at most "
            f"{shape.window} tokens; bytes_per_token counts every layer at full context."
        )
    if inp.tp > 1:
        heads = "MLA latent replicated on every GPU" if shape.attention == "mla" else (
            f"max(1, {shape.kv_heads} // {inp.tp}) = {max(1, shape.kv_heads // inp.tp)} KV heads per GPU"
        )
        assumptions.append(f"Per-GPU share under tensor parallel {inp.tp}: {heads}.")
    if inp.block_size:
        assumptions.append(f"Each sequence rounded up to whole {inp.block_size}-token blocks (paged attention).")
    return KVCacheResult(
        formula=formula,
        inputs={**inp.model_dump(exclude_none=True), "tokens_per_sequence": tokens},
        assumptions=assumptions,
        sources=sources,
        model=shape.name,
        attention=shape.attention,
        kv_dtype=inp.kv_dtype,
        tokens_per_sequence=tokens,
        batch=inp.batch,
        tp=inp.tp,
        values_per_token_per_layer=per_layer,
        bytes_per_token=math.ceil(per_token),
        bytes_per_sequence=math.ceil(per_seq),
        total_bytes=math.ceil(total),
        total_gb=total / GB,
        total_gib=total / 2**30,
    )
