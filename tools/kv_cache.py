"""KV-cache size: bytes per token, per sequence and for a batch.

Formulas (bytes, decimal units when printed as GB):

* MHA/GQA/MQA: ``2 (K and V) x layers x kv_heads x head_dim x bytes_per_value`` per token.
* MLA (DeepSeek-V2/V3/R1): ``layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_value``;
  the compressed latent and the shared RoPE key are cached once, so no factor 2.
* Sliding-window layers hold at most ``window`` tokens; hybrid models (Gemma-2, GPT-OSS)
  count windowed and global layers separately.
* ``fp8_ds_mla`` (vLLM's DeepSeek MLA fp8 cache, ``MLAAttentionSpec``): per token per layer
  ``kv_lora_rank`` fp8 bytes + one fp32 scale per 128-value tile of the latent + the RoPE key in
  bf16 = 512 + 4 x 4 + 64 x 2 = 656 B for DeepSeek-V3 (40,016 B/token over 61 layers). Only
  for MLA models; plain ``fp8`` (1 B per value, scales ignored) gives 576 B per layer.
* DeepSeek sparse attention (V3.2): the lightning indexer caches one key per token per layer, always
  fp8 with one fp32 scale per 128 values, whatever the MLA cache format (vLLM ``DeepseekV32IndexerCache``:
  ``index_head_dim + index_head_dim // 128 x 4`` bytes, one head, replicated under TP) = 128 + 4 = 132 B,
  so DeepSeek-V3.2 bf16 = 61 x (576 x 2 + 132) = 78,324 B/token (70,272 latent + 8,052 indexer).
* Tensor parallel over ``tp`` GPUs: the busiest GPU holds ``ceil(kv_heads / tp)`` heads. When
  tp divides kv_heads or is a multiple of it (the only layouts vLLM accepts) this is vLLM's
  ``max(1, kv_heads // tp)``: heads are replicated when tp > kv_heads. MLA's single latent is
  replicated on every GPU.
* Paged attention: each sequence is rounded up to whole blocks of ``block_size`` tokens.
* A context longer than the model's ``max_context`` is computed as asked (the formula holds)
  and flagged in ``assumptions``; the model was not trained or configured for it.

Known values reproduced exactly: OPT-13B fp16 819,200 B/token (vLLM paper, "800 KB");
Llama-2-7B 524,288; Llama-3.1-70B 327,680; Llama-3.1-405B 516,096; DeepSeek-V3 70,272
(bf16) and 40,016 (fp8_ds_mla, docs/peers.md case 6).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from tools.catalog import ModelSpec, find_model
from tools.dtypes import BYTES_PER_VALUE, GB, DType
from tools.errors import InputError
from tools.results import Worked, record_provenance

Attention = Literal["mha", "gqa", "mqa", "mla"]
#: Cache formats: every weight format, plus vLLM's MLA-only ``fp8_ds_mla`` (656 B/layer for DeepSeek-V3).
KVDType = Literal[DType, "fp8_ds_mla"]
FP8_DS_MLA = "fp8_ds_mla"
#: fp8_ds_mla keeps one fp32 scale per this many latent values (vLLM: 512 latent -> 4 scales).
FP8_DS_MLA_TILE = 128
#: The DeepSeek-V3.2 indexer key cache keeps one fp32 scale per this many fp8 key values (vLLM quant_block_size).
INDEXER_QUANT_BLOCK = 128


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
    index_head_dim: int | None = None

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
            index_head_dim=spec.index_head_dim,
        )


def indexer_bytes_per_token_per_layer(shape: KVShape) -> int:
    """Sparse-attention indexer key bytes per token per layer: fp8 values + one fp32 scale per 128 (0 without one).

    >>> indexer_bytes_per_token_per_layer(KVShape(name="v3.2", layers=61, kv_heads=1, head_dim=192, attention="mla",
    ...                                           index_head_dim=128))
    132
    """
    dim = shape.index_head_dim or 0
    return dim + math.ceil(dim / INDEXER_QUANT_BLOCK) * 4


def heads_per_gpu(kv_heads: int, tp: int) -> int:
    """KV heads on the busiest GPU: ``ceil(kv_heads / tp)`` (= vLLM's ``max(1, kv_heads // tp)`` for the
    layouts it accepts, where tp divides kv_heads or kv_heads divides tp)."""
    return math.ceil(kv_heads / tp)


def values_per_token_per_layer(shape: KVShape, tp: int = 1) -> int:
    """Cached values per token in one layer on one GPU (MLA: latent + RoPE key; else 2 x heads x dim)."""
    if shape.attention == "mla":
        return (shape.kv_lora_rank or 0) + (shape.rope_dim or 0)
    heads = 1 if shape.attention == "mqa" else shape.kv_heads
    return 2 * heads_per_gpu(heads, tp) * shape.head_dim


def bytes_per_token_per_layer(shape: KVShape, kv_dtype: str, tp: int = 1) -> float:
    """KV bytes per token in one layer on one GPU; ``fp8_ds_mla`` is vLLM's fixed MLA layout (see module doc)."""
    if kv_dtype == FP8_DS_MLA:
        if shape.attention != "mla":
            raise InputError(
                "kv_dtype",
                f"fp8_ds_mla is vLLM's cache format for MLA models (DeepSeek); {shape.name} uses "
                f"{shape.attention} attention. Allowed here: fp32, fp16, bf16, fp8, int8, int4, fp4.",
            )
        rank, rope = shape.kv_lora_rank or 0, shape.rope_dim or 0
        return rank * 1 + math.ceil(rank / FP8_DS_MLA_TILE) * 4 + rope * 2 + indexer_bytes_per_token_per_layer(shape)
    return values_per_token_per_layer(shape, tp) * BYTES_PER_VALUE[kv_dtype] + indexer_bytes_per_token_per_layer(shape)


def context_note(spec: ModelSpec, tokens: int) -> str | None:
    """An assumption line when ``tokens`` exceeds the model's configured ``max_context``, else None."""
    if tokens <= spec.max_context:
        return None
    return (
        f"WARNING: {tokens:,} tokens exceeds {spec.name}'s max_context {spec.max_context:,}; the KV arithmetic "
        "is shown as asked, but the model is not configured to serve that length."
    )


def cached_token_layers(shape: KVShape, tokens: int) -> int:
    """Sum over layers of tokens held: global layers hold all ``tokens``, windowed ones at most the window."""
    windowed = shape.windowed_layers if shape.window else 0
    held_windowed = min(tokens, shape.window) if shape.window else tokens
    return (shape.layers - windowed) * tokens + windowed * held_windowed


def sequence_bytes(shape: KVShape, tokens: int, kv_dtype: str, tp: int = 1, block_size: int | None = None) -> float:
    """KV bytes one sequence of ``tokens`` holds on one GPU (the whole model when tp = 1)."""
    if block_size:
        tokens = math.ceil(tokens / block_size) * block_size
    return cached_token_layers(shape, tokens) * bytes_per_token_per_layer(shape, kv_dtype, tp)


class KVCacheInput(BaseModel):
    """Size the KV cache for a model (catalog name) or an explicit shape."""

    model: str | None = Field(
        None, description="Catalog model name, e.g. 'llama-3.1-70b'. Or give layers/kv_heads/head_dim."
    )
    layers: int | None = Field(None, ge=1, description="Transformer layers (explicit shape).")
    kv_heads: int | None = Field(None, ge=1, description="KV heads per layer (explicit shape).")
    head_dim: int | None = Field(None, ge=1, description="Dimension per head (explicit shape).")
    attention: Attention | None = Field(None, description="Attention kind for an explicit shape: mha, gqa, mqa or mla.")
    kv_lora_rank: int | None = Field(None, ge=1, description="MLA latent rank (explicit MLA shape).")
    rope_dim: int | None = Field(None, ge=1, description="MLA decoupled RoPE key dimension (explicit MLA shape).")
    window: int | None = Field(
        None,
        ge=1,
        description="Sliding window in tokens: on every layer of an explicit shape; with a catalog model, on its "
        "windowed layers (every layer when the catalog has no window).",
    )
    kv_dtype: KVDType = Field(
        "bf16",
        description="Format of the cached values: fp32, fp16, bf16, fp8, int8, int4, fp4; fp8_ds_mla (vLLM, MLA only).",
    )
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

    def tokens(self) -> int | None:
        """Tokens per sequence: ``context``, else ``prompt + output``; None when neither is given (bytes per token only)."""
        if self.context is not None:
            return self.context
        if self.prompt is not None:
            return self.prompt + (self.output or 0)
        if self.output is not None:
            raise InputError(
                "prompt", "output needs prompt (tokens per sequence = prompt + output), or give --context N."
            )
        return None


class KVCacheResult(Worked):
    model: str
    attention: str
    kv_dtype: str
    tokens_per_sequence: int | None = Field(description="None when no length was given: bytes per token only.")
    batch: int
    tp: int
    values_per_token_per_layer: int = Field(description="Cached values per token per layer on one GPU.")
    bytes_per_token: int = Field(description="KV bytes per token (all layers; per GPU when tp > 1), at full context.")
    bytes_per_sequence: int | None = Field(
        description="KV bytes one sequence holds (window caps and block rounding applied)."
    )
    total_bytes: int | None = Field(description="bytes_per_sequence x batch.")
    total_gb: float | None = Field(description="total_bytes / 10^9.")
    total_gib: float | None = Field(description="total_bytes / 2^30.")


def _indexer_note(shape: KVShape, inp: KVCacheInput, tokens: int | None, indexer: int) -> str:
    """The MLA latent alone (indexer keys left out), then what the indexer key cache adds."""
    latent = shape.model_copy(update={"index_head_dim": None})
    alone = f"{math.ceil(shape.layers * bytes_per_token_per_layer(latent, inp.kv_dtype, inp.tp)):,} B per token"
    if tokens is not None:
        total = sequence_bytes(latent, tokens, inp.kv_dtype, inp.tp, inp.block_size) * inp.batch
        alone += f", {total / GB:.4g} GB ({total / 2**30:.4g} GiB) for {inp.batch} x {tokens:,} tokens"
    return (
        f"MLA latent alone (indexer keys left out): {alone}. Counted on top: the sparse-attention indexer key "
        f"cache, {indexer} B per token per layer ({shape.layers * indexer:,} B per token), always fp8 with fp32 "
        "scales (vLLM DeepseekV32IndexerCache), whatever the MLA cache format."
    )


def stated_window(shape: KVShape, window: int | None) -> KVShape:
    """A catalog shape with the analyst's sliding window: it replaces the catalog's window on the windowed layers,
    or caps every layer when the catalog has none ("llama 3.1 8b with a 4096 sliding window"). A window within
    2.5% of the catalog's is that window rounded ("the 4k window" of a 4,096-token one) and leaves it as it is."""
    if window is None or (shape.window and abs(window - shape.window) <= 0.025 * shape.window):
        return shape
    return shape.model_copy(update={"window": window, "windowed_layers": shape.windowed_layers or shape.layers})


def kv_cache(inp: KVCacheInput) -> KVCacheResult:
    """KV-cache bytes per token, per sequence and per batch (see module docstring for formulas)."""
    if inp.model is not None:
        spec = find_model(inp.model)
        shape = stated_window(KVShape.of(spec), inp.window)
        sources = [f"{spec.name}: {s}" for s in spec.sources]
        too_long = context_note(spec, inp.tokens() or 1)
    else:
        too_long = None
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
    per_token = shape.layers * bytes_per_token_per_layer(shape, inp.kv_dtype, inp.tp)
    per_seq = sequence_bytes(shape, tokens, inp.kv_dtype, inp.tp, inp.block_size) if tokens is not None else None
    total = per_seq * inp.batch if per_seq is not None else None

    stored = f"{inp.kv_dtype} ({BYTES_PER_VALUE.get(inp.kv_dtype, 0):g} B per value)"
    if inp.kv_dtype == FP8_DS_MLA:
        formula = (
            "bytes/token = layers x (kv_lora_rank x 1 B + ceil(kv_lora_rank / 128) x 4 B scales + qk_rope_head_dim x "
            "2 B)"
        )
        stored = "vLLM fp8_ds_mla (fp8 latent, fp32 tile scales, bf16 RoPE key)"
    elif shape.attention == "mla":
        formula = "bytes/token = layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_value"
    else:
        formula = "bytes/token = 2 (K,V) x layers x kv_heads x head_dim x bytes_per_value"
    indexer = indexer_bytes_per_token_per_layer(shape)
    if indexer:
        formula += f" + layers x indexer key ({shape.index_head_dim} fp8 + fp32 scale per 128 = {indexer} B)"
    formula += "; bytes/sequence = bytes/token x tokens; total = bytes/sequence x batch"
    assumptions = [f"KV cache stored as {stored}, independent of weight format."]
    if indexer:
        assumptions.append(_indexer_note(shape, inp, tokens, indexer))
    if too_long:
        assumptions.append(too_long)
    if shape.window and shape.windowed_layers:
        assumptions.append(
            f"{shape.windowed_layers} of {shape.layers} layers use a {shape.window}-token sliding window and hold at "
            f"most "
            f"{shape.window} tokens; bytes_per_token counts every layer at full context."
        )
    if inp.tp > 1:
        heads = (
            "MLA latent replicated on every GPU"
            if shape.attention == "mla"
            else (
                f"ceil({shape.kv_heads} / {inp.tp}) = {heads_per_gpu(shape.kv_heads, inp.tp)} KV heads on the busiest GPU"
                + (
                    ""
                    if shape.kv_heads % inp.tp == 0 or inp.tp % shape.kv_heads == 0
                    else " (uneven split: vLLM needs tp to divide kv_heads or be a multiple of it)"
                )
            )
        )
        assumptions.append(f"Per-GPU share under tensor parallel {inp.tp}: {heads}.")
    if tokens is None:
        assumptions.append(
            "No length given (context, or prompt + output): bytes per token only; give --context N for a sequence."
        )
    if inp.block_size:
        assumptions.append(f"Each sequence rounded up to whole {inp.block_size}-token blocks (paged attention).")
    result = KVCacheResult(
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
        bytes_per_sequence=math.ceil(per_seq) if per_seq is not None else None,
        total_bytes=math.ceil(total) if total is not None else None,
        total_gb=total / GB if total is not None else None,
        total_gib=total / 2**30 if total is not None else None,
    )
    unused = {"model"} | ({"batch", "block_size"} if tokens is None else set())
    return record_provenance(result, inp, unused=unused)  # type: ignore[return-value]
