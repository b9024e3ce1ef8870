"""The sourced catalogs (``knowledge/data/*.csv``) loaded once into typed rows, with forgiving lookup.

Every row carries its sources; a row without one is rejected at load time. Lookup accepts
the canonical name or any alias written in the CSV, ignoring case, punctuation and vendor
words ("nvidia h100", "H100 SXM", "llama-3.1-405b", "405b"). An unknown or ambiguous name
raises :class:`~tools.errors.InputError` with the closest matches.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, Field

from tools.errors import InputError

_VENDOR_WORDS = {"nvidia", "amd", "google", "aws", "amazon", "intel", "meta", "instinct", "the"}


def _normalise(name: str) -> str:
    """Lower-case, drop vendor words, keep letters, digits and dots: 'NVIDIA H100 SXM' -> 'h100sxm'."""
    words = re.findall(r"[a-z0-9.]+", name.lower())
    return "".join(w for w in words if w not in _VENDOR_WORDS).replace(".", "")


def _opt_float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _opt_int(value: str) -> int | None:
    return int(value) if value.strip() else None


class Accelerator(BaseModel):
    """One chip as its vendor specifies it (dense FLOPS, decimal units)."""

    name: str
    aliases: tuple[str, ...]
    vendor: str
    year: int
    memory_gb: float = Field(description="HBM capacity as marketed, GB (the driver exposes about this many GiB).")
    memory_type: str
    mem_bw_tbps: float = Field(description="Memory bandwidth, TB/s (10^12 B/s, datasheet).")
    bf16_dense_tflops: float | None
    fp8_dense_tflops: float | None
    fp4_dense_tflops: float | None
    tdp_w: float | None
    scale_up_domain: str
    interconnect_GBps_per_chip: float | None
    est_price_usd: float | None = Field(description="Public street/list estimate per chip, low confidence.")
    source_urls: str
    notes: str

    @property
    def sources(self) -> list[str]:
        return [s.strip() for s in self.source_urls.split(";") if s.strip()]


class MoELayout(BaseModel):
    """Mixture-of-experts columns of ``model_moe.csv`` (HF config names in brackets)."""

    n_routed_experts: int = Field(description="Routed experts per MoE layer (n_routed_experts / num_local_experts).")
    experts_per_token: int = Field(description="Routed experts each token uses (num_experts_per_tok).")
    n_shared_experts: int = Field(description="Always-on shared experts per MoE layer.")
    moe_intermediate_size: int = Field(description="FFN width of one expert (moe_intermediate_size).")
    dense_ffn_size: int | None = Field(description="FFN width of the dense (non-MoE) layers (intermediate_size).")
    first_dense_layers: int = Field(description="Leading dense layers (first_k_dense_replace).")
    moe_layer_step: int = Field(description="Every n-th layer after those is MoE (interleave_moe_layer_step).")
    source: str


class ModelSpec(BaseModel):
    """One language model's architecture, as its config or paper gives it."""

    name: str
    aliases: tuple[str, ...]
    params_b: float = Field(description="Total parameters, billions (model card).")
    active_params_b: float | None = Field(description="Parameters used per token for MoE, billions.")
    n_layers: int
    hidden_size: int
    n_heads: int
    n_kv_heads: int
    head_dim: int
    attention: str
    kv_lora_rank: int | None
    qk_rope_head_dim: int | None
    max_context: int
    vocab: int
    intermediate_size: int | None = Field(description="MLP width (gated, no biases) when the exact count is derivable.")
    tie_word_embeddings: bool | None
    sliding_window: int | None = Field(description="Tokens a windowed layer keeps.")
    sliding_layers: int = Field(description="How many of the layers are windowed (0 = none).")
    source: str
    notes: str
    moe: MoELayout | None = Field(None, description="Expert layout from model_moe.csv, when the model has a row there.")

    @property
    def is_mla(self) -> bool:
        return self.attention.upper().startswith("MLA")

    @property
    def is_moe(self) -> bool:
        return self.active_params_b is not None

    @property
    def sources(self) -> list[str]:
        return [s.strip() for s in self.source.split(";") if s.strip()]


def _read_csv(filename: str) -> list[dict[str, str]]:
    path = resources.files("knowledge") / "data" / filename
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if not (row.get("source_urls") or row.get("source") or "").strip():
            raise ValueError(f"{filename}: row {row.get('name')!r} has no source; unsourced rows are not allowed")
    return rows


def _aliases(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(a.strip() for a in row.get("aliases", "").split(";") if a.strip())


@cache
def accelerators() -> tuple[Accelerator, ...]:
    """All chips in ``accelerators.csv``, loaded once."""
    out = []
    for r in _read_csv("accelerators.csv"):
        out.append(
            Accelerator(
                name=r["name"],
                aliases=_aliases(r),
                vendor=r["vendor"],
                year=int(r["year"]),
                memory_gb=float(r["memory_gb"]),
                memory_type=r["memory_type"],
                mem_bw_tbps=float(r["mem_bw_tbps"]),
                bf16_dense_tflops=_opt_float(r["bf16_dense_tflops"]),
                fp8_dense_tflops=_opt_float(r["fp8_dense_tflops"]),
                fp4_dense_tflops=_opt_float(r["fp4_dense_tflops"]),
                tdp_w=_opt_float(r["tdp_w"]),
                scale_up_domain=r["scale_up_domain"],
                interconnect_GBps_per_chip=_opt_float(r["interconnect_GBps_per_chip"]),
                est_price_usd=_opt_float(r["est_price_usd"]),
                source_urls=r["source_urls"],
                notes=r["notes"],
            )
        )
    return tuple(out)


@cache
def models() -> tuple[ModelSpec, ...]:
    """All language models in ``models.csv``, loaded once."""
    out = []
    for r in _read_csv("models.csv"):
        out.append(
            ModelSpec(
                name=r["name"],
                aliases=_aliases(r),
                params_b=float(r["params_b"]),
                active_params_b=_opt_float(r["active_params_b"]),
                n_layers=int(r["n_layers"]),
                hidden_size=int(r["hidden_size"]),
                n_heads=int(r["n_heads"]),
                n_kv_heads=int(r["n_kv_heads"]),
                head_dim=int(r["head_dim"]),
                attention=r["attention"],
                kv_lora_rank=_opt_int(r["kv_lora_rank"]),
                qk_rope_head_dim=_opt_int(r["qk_rope_head_dim"]),
                max_context=int(r["max_context"]),
                vocab=int(r["vocab"]),
                intermediate_size=_opt_int(r["intermediate_size"]),
                tie_word_embeddings={"y": True, "n": False}.get(r["tie_word_embeddings"].strip()),
                sliding_window=_opt_int(r["sliding_window"]),
                sliding_layers=_opt_int(r["sliding_layers"]) or 0,
                source=r["source"],
                notes=r["notes"],
                moe=_moe_layout(r["name"], _aliases(r)),
            )
        )
    return tuple(out)


@cache
def _moe_rows() -> dict[str, MoELayout]:
    """``model_moe.csv`` keyed by normalised model name; rows for models not in ``models.csv`` are kept unused."""
    out = {}
    for r in _read_csv("model_moe.csv"):
        out[_normalise(r["name"])] = MoELayout(
            n_routed_experts=int(r["n_routed_experts"]),
            experts_per_token=int(r["experts_per_token"]),
            n_shared_experts=int(r["n_shared_experts"]),
            moe_intermediate_size=int(r["moe_intermediate_size"]),
            dense_ffn_size=_opt_int(r["dense_ffn_size"]),
            first_dense_layers=int(r["first_dense_layers"]),
            moe_layer_step=int(r["moe_layer_step"]),
            source=r["source"],
        )
    return out


def _moe_layout(name: str, aliases: tuple[str, ...]) -> MoELayout | None:
    """The MoE row whose name is the model's name, else one of its aliases."""
    rows = _moe_rows()
    for label in (name, *aliases):
        if _normalise(label) in rows:
            return rows[_normalise(label)]
    return None


Row = TypeVar("Row", Accelerator, ModelSpec)


def _lookup(query: str, rows: tuple[Row, ...], field: str, kind: str) -> Row:
    """Exact name/alias match, then a unique row with the query as whole words of a name or alias, else an error
    ("unknown ... did you mean" with the closest names: a near miss never silently becomes another product)."""
    q = _normalise(query)
    if not q:
        raise InputError(field, f"empty {kind} name; allowed: {', '.join(r.name for r in rows)}.")
    for row in rows:
        if q == _normalise(row.name) or q in {_normalise(a) for a in row.aliases}:
            return row
    containing = [r for r in rows if any(q in _token_runs(label) for label in (r.name, *r.aliases))]
    if len(containing) == 1:
        return containing[0]
    if len(containing) > 1:
        raise InputError(field, f"{query!r} matches several {kind}s.", suggestions=[r.name for r in containing[:5]])
    raise InputError(field, f"unknown {kind} {query!r}.", suggestions=closest(query, rows))


def _token_runs(label: str) -> set[str]:
    """Every run of whole consecutive words of ``label``, normalised: 'Llama-3.1-405B' -> {'llama', '31', '405b',
    'llama31', '31405b', 'llama31405b'}. A query matches a row only as whole words, so 'h20' never becomes
    'H200' and 'x' never becomes 'Mixtral'."""
    words = [w.replace(".", "") for w in re.findall(r"[a-z0-9.]+", label.lower()) if w not in _VENDOR_WORDS]
    return {"".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


def closest(query: str, rows: tuple[Row, ...], limit: int = 3) -> list[str]:
    """The catalog names nearest to ``query`` (rapidfuzz WRatio over names and aliases)."""
    from rapidfuzz import fuzz, process

    choices: dict[str, str] = {}
    for r in rows:
        for label in (r.name, *r.aliases):
            choices[label] = r.name
    picked: list[str] = []
    for label, _score, _ in process.extract(query, list(choices), scorer=fuzz.WRatio, limit=limit * 4):
        name = choices[label]
        if name not in picked:
            picked.append(name)
    return picked[:limit]


def find_accelerator(name: str, field: str = "chip") -> Accelerator:
    """The chip called ``name`` (forgiving), or ``InputError`` with the closest names."""
    return _lookup(name, accelerators(), field, "chip")


def find_model(name: str, field: str = "model") -> ModelSpec:
    """The model called ``name`` (forgiving), or ``InputError`` with the closest names."""
    return _lookup(name, models(), field, "model")
