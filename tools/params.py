"""Parameter counts: exact for dense Llama-style checkpoints, catalog figure otherwise.

Exact count for a decoder with gated MLP and no biases (Llama, Mistral):

    embeddings = vocab x hidden x (1 if tied else 2)
    per layer  = hidden x (n_heads x head_dim)            (Q)
               + 2 x hidden x (n_kv_heads x head_dim)     (K, V)
               + (n_heads x head_dim) x hidden            (O)
               + 3 x hidden x intermediate                (gate, up, down)
               + 2 x hidden                               (two RMSNorm weights)
    total      = embeddings + layers x per_layer + hidden (final norm)

Llama-2-7B gives 6,738,415,616; Llama-3.1-70B 70,553,706,496; Llama-3.1-405B
405,853,388,800: the published checkpoint totals.

Convention for other rows: a catalog row without ``intermediate_size`` (OPT, GPT-3, MoE models,
Qwen, Gemma, DeepSeek) uses its model-card ``params_b``. For OPT-13B that is 12.85 B against the
exact 12,853,473,280 of docs/peers.md case 1 (learned positions, biases, a 4h non-gated MLP, tied
lm_head), 0.03 % low; for DeepSeek-V3 it is the published 671 B main model (the 14 B MTP module
excluded). Peers differ by convention, not by bug, when they count the embedding once
(llm-analysis: Llama-3.1-70B 69.50 B) or leave out the input embedding (LLM-Viewer).
"""

from __future__ import annotations

from tools.catalog import ModelSpec


def exact_parameter_count(spec: ModelSpec) -> int | None:
    """Exact parameters of a gated-MLP, bias-free decoder, or None when the catalog lacks the MLP width."""
    if spec.intermediate_size is None or spec.tie_word_embeddings is None:
        return None
    h, q = spec.hidden_size, spec.n_heads * spec.head_dim
    kv = spec.n_kv_heads * spec.head_dim
    per_layer = h * q + 2 * h * kv + q * h + 3 * h * spec.intermediate_size + 2 * h
    embeddings = spec.vocab * h * (1 if spec.tie_word_embeddings else 2)
    return embeddings + spec.n_layers * per_layer + h


def total_parameters(spec: ModelSpec) -> tuple[int, str]:
    """All parameters, and how the figure was obtained."""
    exact = exact_parameter_count(spec)
    if exact is not None:
        return exact, "exact count from the architecture (embeddings, attention, gated MLP, norms)"
    return round(spec.params_b * 1e9), f"model card figure {spec.params_b:g} B"


def input_embedding_parameters(spec: ModelSpec) -> int:
    """The input embedding table (vocab x hidden): held in memory, not read in full per decode step."""
    return spec.vocab * spec.hidden_size


def active_parameters(spec: ModelSpec) -> int:
    """Parameters used per token: the MoE active count, else all parameters."""
    if spec.active_params_b is not None:
        return round(spec.active_params_b * 1e9)
    return total_parameters(spec)[0]
