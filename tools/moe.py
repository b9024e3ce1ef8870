"""Weights a decode step reads, for dense and mixture-of-experts models, per GPU.

A dense model reads all its weights once per step except the input embedding table (a lookup):

    read = total params - vocab x hidden

A mixture-of-experts model with a ``model_moe.csv`` row (``spec.moe``) splits its parameters into

    expert       = 3 x hidden x moe_intermediate_size        (gate, up, down of one expert)
    MoE layers   = layers i >= first_dense_layers with (i + 1) % moe_layer_step == 0
    routed       = MoE layers x routed experts x expert
    shared       = MoE layers x shared experts x expert
    dense FFN    = (layers - MoE layers) x 3 x hidden x dense_ffn_size
    non-expert   = total - routed    (attention, shared experts, dense layers, lm_head, norms, router)

and one step over ``tokens`` tokens (batch x tokens per sequence) reads the non-expert weights once
(less the input embedding) plus the distinct routed experts the tokens touch. Under uniform routing,
E experts and k per token, the expected number of distinct experts per MoE layer is

    E x (1 - (1 - k / E) ^ tokens)

(batch 1: k experts; a large batch: all E). DeepSeek-V3 (E = 256, k = 8) touches 8 experts per layer at
one token, 57.9 at 8 tokens and 255.9 at 256 tokens.

Per GPU of a group of N: tensor parallelism (and expert parallelism, which shards whole experts over
the N GPUs) divides these bytes by N (expert parallelism: the mean GPU; the busiest reads more).
With attention data-parallel (``dp_attention``) each GPU holds and reads the attention weights in
full (they are not sharded), while the lm_head, shared experts and dense FFN stay sharded.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.catalog import ModelSpec
from tools.params import active_parameters, input_embedding_parameters, total_parameters


@dataclass(frozen=True)
class WeightSplit:
    """Parameter groups of a model (counts, not bytes)."""

    total: int
    input_embedding: int
    lm_head: int
    routed_expert: int = 0  # one routed expert, one layer
    moe_layers: int = 0
    n_routed: int = 0
    experts_per_token: int = 0
    shared: int = 0
    dense_ffn: int = 0

    @property
    def routed(self) -> int:
        return self.moe_layers * self.n_routed * self.routed_expert

    @property
    def attention(self) -> int:
        """Attention, norms and router: what is left after embeddings, experts and dense FFNs."""
        return self.total - self.input_embedding - self.lm_head - self.routed - self.shared - self.dense_ffn


def moe_layer_count(spec: ModelSpec) -> int:
    """Layers with experts: index i >= first_dense_layers and (i + 1) % moe_layer_step == 0."""
    if spec.moe is None:
        return 0
    step = spec.moe.moe_layer_step
    return sum(1 for i in range(spec.moe.first_dense_layers, spec.n_layers) if (i + 1) % step == 0)


def weight_split(spec: ModelSpec) -> WeightSplit | None:
    """The model's parameter groups, or None for an MoE model without a usable ``model_moe.csv`` row
    (no row, or a row whose experts alone exceed the catalog's total parameters)."""
    total, _ = total_parameters(spec)
    embed = input_embedding_parameters(spec)
    lm_head = 0 if spec.tie_word_embeddings else spec.vocab * spec.hidden_size
    if spec.moe is None:
        return None if spec.is_moe else WeightSplit(total=total, input_embedding=embed, lm_head=lm_head)
    m = spec.moe
    layers = moe_layer_count(spec)
    expert = 3 * spec.hidden_size * m.moe_intermediate_size
    dense = (spec.n_layers - layers) * 3 * spec.hidden_size * (m.dense_ffn_size or 0)
    split = WeightSplit(
        total=total,
        input_embedding=embed,
        lm_head=lm_head,
        routed_expert=expert,
        moe_layers=layers,
        n_routed=m.n_routed_experts,
        experts_per_token=m.experts_per_token,
        shared=layers * m.n_shared_experts * expert,
        dense_ffn=dense,
    )
    return split if split.attention > 0 else None


def distinct_experts(n_experts: int, per_token: int, tokens: float) -> float:
    """Expected distinct experts touched per MoE layer by ``tokens`` tokens, uniform routing."""
    if n_experts <= 0:
        return 0.0
    return n_experts * (1 - (1 - per_token / n_experts) ** max(tokens, 0.0))


def params_read_per_gpu(spec: ModelSpec, tokens: float, gpus: int, dp_attention: bool = False) -> float:
    """Parameters one GPU of ``gpus`` reads in a decode step over ``tokens`` tokens (formulas in the module
    docstring). An MoE model without a usable layout falls back to min(all, active x tokens) / gpus."""
    split = weight_split(spec)
    if split is None:
        total, _ = total_parameters(spec)
        compute = active_parameters(spec) - input_embedding_parameters(spec)
        return min(total - input_embedding_parameters(spec), compute * max(tokens, 1.0)) / gpus
    experts = split.moe_layers * distinct_experts(split.n_routed, split.experts_per_token, tokens) * split.routed_expert
    sharded = split.lm_head + split.shared + split.dense_ffn + experts
    if dp_attention:
        return split.attention + sharded / gpus
    return (split.attention + sharded) / gpus


def layout_note(spec: ModelSpec) -> str | None:
    """One line describing the MoE read model for the assumptions list (None for dense models)."""
    split = weight_split(spec)
    if split is None:
        if not spec.is_moe:
            return None
        return (
            "MoE without an expert layout in model_moe.csv: weights read per step approximated as "
            "min(all, active x batch)."
        )
    if split.moe_layers == 0:
        return None
    return (
        f"MoE: {split.moe_layers} expert layers x {split.n_routed} routed experts "
        f"({split.experts_per_token} per token) of {split.routed_expert / 1e6:,.1f} M params; "
        f"non-expert weights ({(split.total - split.routed) / 1e9:,.2f} B, incl. "
        f"shared experts and dense layers) read once per step, plus the expected distinct routed experts "
        "E x (1 - (1 - k/E)^tokens) per layer (uniform routing)."
    )
