"""Chip spec sheets and model cards: one short document per catalog row, with units and sources.

Written from :mod:`tools.catalog` (``accelerators.csv``, ``models.csv``) so that "H200 memory
bandwidth" retrieves the H200 row and its citation. Every figure in a document is the row's
own value with its unit; nothing is computed here except the bandwidth/capacity rewritten in
words ("4.8 TB/s memory bandwidth").
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.catalog import (
    Accelerator,
    ModelSpec,
    accelerators,
    default_price_row,
    models,
)


@dataclass(frozen=True)
class SpecDoc:
    """A catalog row as a document: id, title (the citation's source), text and source URLs."""

    chunk_id: str
    title: str
    text: str
    source_urls: tuple[str, ...]


def _num(value: float | None, unit: str) -> str | None:
    if value is None:
        return None
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{text} {unit}"


def accelerator_doc(row: Accelerator) -> SpecDoc:
    """Spec sheet text for one chip."""
    facts = [
        f"{row.name} ({row.vendor}, {row.year}); also called {', '.join(row.aliases)}.",
        f"Memory: {_num(row.memory_gb, 'GB')} of {row.memory_type}; memory bandwidth {_num(row.mem_bw_tbps, 'TB/s')}.",
    ]
    if row.preliminary:
        facts.insert(1, f"PRELIMINARY: announced, not shipped; vendor figures as of {row.source_date}, may change.")
    compute = [
        f"{label} {v}"
        for label, v in (
            ("BF16", _num(row.bf16_dense_tflops, "TFLOPS dense")),
            ("FP8", _num(row.fp8_dense_tflops, "TFLOPS dense")),
            ("FP4", _num(row.fp4_dense_tflops, "TFLOPS dense")),
        )
        if v
    ]
    if compute:
        facts.append("Compute: " + "; ".join(compute) + ".")
    if row.tdp_w is not None:
        facts.append(f"Power (TDP): {_num(row.tdp_w, 'W')}.")
    facts.append(f"Scale-up domain: {row.scale_up_domain}.")
    if row.interconnect_GBps_per_chip is not None:
        facts.append(f"Scale-up interconnect: {_num(row.interconnect_GBps_per_chip, 'GB/s')} per chip (bidirectional).")
    price = default_price_row(row.name)
    if price is not None and price.basis == "rental_per_hour":
        facts.append(
            f"Rental price: ${price.price_usd:,.4g} per accelerator-hour ({price.price_date}; {price.confidence} confidence)."
        )
    elif price is not None:
        # "Estimated price: $X per chip (...)" is the form the offline planner reads; the basis says what X covers.
        facts.append(
            f"Estimated price: ${price.price_usd:,.0f} per chip (basis: {price.basis.replace('_', ' ')}, dated "
            f"{price.price_date}, {price.confidence} confidence)."
        )
    facts.append(f"Notes: {row.notes}")
    return SpecDoc(row_doc_id(row), f"Spec sheet: {row.name}", " ".join(facts), tuple(row.sources))


def model_doc(row: ModelSpec) -> SpecDoc:
    """Model card text for one language model."""
    size = f"{_num(row.params_b, 'B')} parameters"
    if row.active_params_b is not None:
        size += f" ({_num(row.active_params_b, 'B')} active per token, mixture of experts)"
    facts = [
        f"{row.name} language model; also called {', '.join(row.aliases)}.",
        f"Size: {size}.",
        f"Architecture: {row.n_layers} layers, hidden size {row.hidden_size}, {row.n_heads} attention heads, "
        f"{row.n_kv_heads} KV heads, head dimension {row.head_dim}, attention {row.attention}.",
        f"Context window: {row.max_context:,} tokens; vocabulary {row.vocab:,} tokens.",
    ]
    if row.kv_lora_rank is not None:
        facts.append(f"MLA latent KV rank {row.kv_lora_rank}, RoPE head dimension {row.qk_rope_head_dim}.")
    if row.sliding_window is not None:
        facts.append(f"Sliding window {row.sliding_window:,} tokens on {row.sliding_layers} layers.")
    facts.append(f"Notes: {row.notes}")
    return SpecDoc(row_doc_id(row), f"Model card: {row.name}", " ".join(facts), tuple(row.sources))


def row_doc_id(row: Accelerator | ModelSpec) -> str:
    """The chunk id of a catalog row's document: 'spec:nvidia-h200-sxm-141gb', 'model:llama-3-1-405b'."""
    return f"{'model' if isinstance(row, ModelSpec) else 'spec'}:{_key(row.name)}"


def _key(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


def spec_docs() -> list[SpecDoc]:
    """Every catalog row as a document: accelerators first, then models."""
    return [accelerator_doc(a) for a in accelerators()] + [model_doc(m) for m in models()]
