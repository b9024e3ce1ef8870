"""The sourced catalogs (``knowledge/data/*.csv``) plus the analyst's own rows, loaded into typed rows.

Every row carries its sources; a shipped row without one is rejected at load time. Rows the analyst
added (``siliconomics catalog add-model|add-chip|add-price``) live in a JSON file in the data
directory (:mod:`tools.user_catalog`); :func:`use_user_catalog` points this module at that directory
(the front-ends pass their settings' data dir in; ``tools`` never reads settings). A user row with a
shipped row's name replaces it (it was added with ``--replace``); other user rows are appended.

Lookup accepts the canonical name or any alias, ignoring case, punctuation and vendor words
("nvidia h100", "H100 SXM", "llama-3.1-405b", "405b"). An unknown or ambiguous name raises
:class:`~tools.errors.InputError` with the closest matches.

While a calculator runs inside :func:`recording`, every row looked up is noted, so the registry can
add one warning per preliminary chip (announced, not shipped) and per user row to the result
(:func:`annotate`).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from tools import user_catalog
from tools.data_csv import knowledge_csv
from tools.errors import InputError

_VENDOR_WORDS = {"nvidia", "amd", "google", "aws", "amazon", "intel", "meta", "instinct", "the", "microsoft"}
#: Where a row comes from: the shipped CSVs or the analyst's own catalog.
SHIPPED = "shipped"
USER = "your catalog"


def _normalise(name: str) -> str:
    """Lower-case, drop vendor words, keep letters, digits and dots: 'NVIDIA H100 SXM' -> 'h100sxm'."""
    words = re.findall(r"[a-z0-9.]+", name.lower())
    return "".join(w for w in words if w not in _VENDOR_WORDS).replace(".", "")


def _opt_float(value: str | None) -> float | None:
    return float(value) if value is not None and str(value).strip() else None


def _opt_int(value: str | None) -> int | None:
    return int(value) if value is not None and str(value).strip() else None


class Accelerator(BaseModel):
    """One chip as its vendor specifies it (dense FLOPS, decimal units)."""

    name: str
    aliases: tuple[str, ...] = ()
    vendor: str
    year: int
    memory_gb: float = Field(gt=0, description="HBM capacity as the vendor states it (unit in memory_unit).")
    memory_unit: str = Field("GB", description="'GB' or 'GiB': the unit the vendor states the capacity in.")
    memory_type: str = ""
    mem_bw_tbps: float = Field(gt=0, description="Memory bandwidth, TB/s (10^12 B/s, datasheet).")
    bf16_dense_tflops: float | None = None
    fp8_dense_tflops: float | None = None
    fp4_dense_tflops: float | None = None
    tdp_w: float | None = None
    scale_up_domain: str = ""
    interconnect_GBps_per_chip: float | None = None
    est_price_usd: float | None = Field(
        None, description="The chip's default catalog price (basis and date in prices.csv)."
    )
    status: str = Field("shipping", description="'shipping', or 'preliminary' (announced, not shipped).")
    source_date: str = Field("", description="Date of the source the figures come from, YYYY-MM-DD.")
    source_urls: str
    notes: str = ""
    origin: str = SHIPPED

    @property
    def sources(self) -> list[str]:
        return [s.strip() for s in self.source_urls.split(";") if s.strip()]

    @property
    def preliminary(self) -> bool:
        return self.status.strip().lower() == "preliminary"


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
    aliases: tuple[str, ...] = ()
    params_b: float = Field(gt=0, description="Total parameters, billions (model card).")
    active_params_b: float | None = Field(None, description="Parameters used per token for MoE, billions.")
    n_layers: int = Field(ge=1)
    hidden_size: int = Field(ge=1)
    n_heads: int = Field(ge=1)
    n_kv_heads: int = Field(ge=1)
    head_dim: int = Field(ge=1)
    attention: str
    kv_lora_rank: int | None = None
    qk_rope_head_dim: int | None = None
    max_context: int = Field(ge=1)
    vocab: int = Field(ge=1)
    intermediate_size: int | None = Field(
        None, description="MLP width (gated, no biases) when the exact count is derivable."
    )
    tie_word_embeddings: bool | None = None
    sliding_window: int | None = Field(None, description="Tokens a windowed (sliding or chunked) layer keeps at most.")
    sliding_layers: int = Field(0, description="How many of the layers are windowed (0 = none).")
    window_kind: str = Field("", description="'sliding', 'chunked' (Llama-4 chunked local attention) or ''.")
    source_date: str = Field("", description="Date of the config or card the row comes from, YYYY-MM-DD.")
    release_weights_dtype: str = Field("", description="Format of the released checkpoint when not bf16 (e.g. fp8).")
    index_head_dim: int | None = Field(None, description="DeepSeek sparse-attention indexer key width (V3.2: 128).")
    source: str
    notes: str = ""
    moe: MoELayout | None = Field(None, description="Expert layout from model_moe.csv, when the model has a row there.")
    origin: str = SHIPPED

    @property
    def is_mla(self) -> bool:
        return self.attention.upper().startswith("MLA")

    @property
    def is_moe(self) -> bool:
        return self.active_params_b is not None

    @property
    def sources(self) -> list[str]:
        return [s.strip() for s in self.source.split(";") if s.strip()]


class PriceRow(BaseModel):
    """One dated price for one chip, with what it covers (basis) and where it comes from.

    Bases: ``server_all_in`` (server share per accelerator: what the TCO's capex means),
    ``chip`` (the accelerator alone), ``kit_per_chip`` (a baseboard kit / accelerators, no host),
    ``bom_per_accelerator`` (cost to build, no margin), ``rental_per_hour`` (USD per accelerator-hour).
    """

    chip: str
    price_usd: float = Field(gt=0)
    basis: str
    price_date: str
    default: bool = False
    confidence: str = ""
    source: str
    notes: str = ""
    origin: str = SHIPPED

    def describe(self) -> str:
        unit = "USD per accelerator-hour" if self.basis == "rental_per_hour" else "USD per accelerator"
        return f"{self.price_usd:,.4g} {unit} ({self.basis}, {self.price_date}; {self.origin}: {self.source})"


PRICE_BASES = ("server_all_in", "chip", "kit_per_chip", "bom_per_accelerator", "rental_per_hour")


def _read_csv(filename: str) -> list[dict[str, str]]:
    rows = knowledge_csv(filename)
    for row in rows:
        if not (row.get("source_urls") or row.get("source") or "").strip():
            raise ValueError(
                f"{filename}: row {row.get('name') or row.get('chip')!r} has no source; unsourced rows are not allowed"
            )
    return rows


def _aliases(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in text.split(";") if a.strip())


def accelerator_from_csv(r: dict[str, str]) -> Accelerator:
    """One ``accelerators.csv`` row as an :class:`Accelerator` (price filled in later)."""
    return Accelerator(
        name=r["name"],
        aliases=_aliases(r.get("aliases", "")),
        vendor=r["vendor"],
        year=int(r["year"]),
        memory_gb=float(r["memory_gb"]),
        memory_unit=r.get("memory_unit") or "GB",
        memory_type=r.get("memory_type", ""),
        mem_bw_tbps=float(r["mem_bw_tbps"]),
        bf16_dense_tflops=_opt_float(r.get("bf16_dense_tflops")),
        fp8_dense_tflops=_opt_float(r.get("fp8_dense_tflops")),
        fp4_dense_tflops=_opt_float(r.get("fp4_dense_tflops")),
        tdp_w=_opt_float(r.get("tdp_w")),
        scale_up_domain=r.get("scale_up_domain", ""),
        interconnect_GBps_per_chip=_opt_float(r.get("interconnect_GBps_per_chip")),
        status=r.get("status") or "shipping",
        source_date=r.get("source_date", ""),
        source_urls=r["source_urls"],
        notes=r.get("notes", ""),
    )


def model_from_csv(r: dict[str, str]) -> ModelSpec:
    """One ``models.csv`` row as a :class:`ModelSpec`."""
    return ModelSpec(
        name=r["name"],
        aliases=_aliases(r.get("aliases", "")),
        params_b=float(r["params_b"]),
        active_params_b=_opt_float(r.get("active_params_b")),
        n_layers=int(r["n_layers"]),
        hidden_size=int(r["hidden_size"]),
        n_heads=int(r["n_heads"]),
        n_kv_heads=int(r["n_kv_heads"]),
        head_dim=int(r["head_dim"]),
        attention=r["attention"],
        kv_lora_rank=_opt_int(r.get("kv_lora_rank")),
        qk_rope_head_dim=_opt_int(r.get("qk_rope_head_dim")),
        max_context=int(r["max_context"]),
        vocab=int(r["vocab"]),
        intermediate_size=_opt_int(r.get("intermediate_size")),
        tie_word_embeddings={"y": True, "n": False}.get((r.get("tie_word_embeddings") or "").strip()),
        sliding_window=_opt_int(r.get("sliding_window")),
        sliding_layers=_opt_int(r.get("sliding_layers")) or 0,
        window_kind=r.get("window_kind", ""),
        source_date=r.get("source_date", ""),
        release_weights_dtype=r.get("release_weights_dtype", ""),
        index_head_dim=_opt_int(r.get("index_head_dim")),
        source=r["source"],
        notes=r.get("notes", ""),
        moe=_moe_layout(r["name"], _aliases(r.get("aliases", ""))),
    )


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


@cache
def shipped_prices() -> tuple[PriceRow, ...]:
    """Every row of ``prices.csv``; a row naming no shipped chip, or an unknown basis, is rejected."""
    names = {r["name"] for r in _read_csv("accelerators.csv")}
    out = []
    for r in _read_csv("prices.csv"):
        if r["chip"] not in names:
            raise ValueError(f"prices.csv: chip {r['chip']!r} is not a row of accelerators.csv")
        if r["basis"] not in PRICE_BASES:
            raise ValueError(f"prices.csv: {r['chip']} basis {r['basis']!r} is not one of {', '.join(PRICE_BASES)}")
        out.append(PriceRow(**{**r, "price_usd": float(r["price_usd"]), "default": r["default"].strip() == "y"}))
    return tuple(out)


# --- the analyst's own catalog --------------------------------------------------------------------

_USER_DIR: Path | None = None


def use_user_catalog(data_dir: Path | str | None) -> None:
    """Read the analyst's rows from ``data_dir`` (None: shipped rows only)."""
    global _USER_DIR
    _USER_DIR = Path(data_dir) if data_dir is not None else None


def user_catalog_dir() -> Path | None:
    """The data directory whose user catalog is in use, if any."""
    return _USER_DIR


def _user_state() -> tuple[str, int]:
    """(catalog file, its mtime in ns) - the cache key of the merged rows; ('', 0) when none."""
    if _USER_DIR is None:
        return "", 0
    path = user_catalog.catalog_path(_USER_DIR)
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


@cache
def _merged(state: tuple[str, int]) -> tuple[tuple[Accelerator, ...], tuple[ModelSpec, ...], tuple[PriceRow, ...]]:
    data = user_catalog.read(Path(state[0]).parent) if state[0] else user_catalog.empty()
    user_prices = tuple(PriceRow(**{**p, "origin": USER}) for p in data["prices"])
    prices = shipped_prices() + user_prices
    chips = [accelerator_from_csv(r) for r in _read_csv("accelerators.csv")]
    chips = _overlay(chips, [Accelerator(**{**c, "origin": USER}) for c in data["chips"]])
    for i, chip in enumerate(chips):
        default = default_price_row(chip.name, prices)
        if default is not None and default.basis != "rental_per_hour":
            chips[i] = chip.model_copy(update={"est_price_usd": default.price_usd})
    models_ = [model_from_csv(r) for r in _read_csv("models.csv")]
    models_ = _overlay(models_, [ModelSpec(**{**m, "origin": USER}) for m in data["models"]])
    return tuple(chips), tuple(models_), prices


Row = TypeVar("Row", Accelerator, ModelSpec)


def _overlay(shipped: list[Row], user: list[Row]) -> list[Row]:
    """Shipped rows with user rows of the same name replacing them, then the other user rows."""
    by_name = {r.name: r for r in user}
    out = [by_name.pop(r.name, r) for r in shipped]
    return out + list(by_name.values())


def default_price_row(chip_name: str, prices: tuple[PriceRow, ...] | None = None) -> PriceRow | None:
    """The chip's default price: the last row marked default (a user default overrides a shipped one)."""
    rows = [p for p in (prices if prices is not None else price_rows()) if p.chip == chip_name and p.default]
    return rows[-1] if rows else None


def accelerators() -> tuple[Accelerator, ...]:
    """Every chip: ``accelerators.csv`` plus the analyst's own rows."""
    return _merged(_user_state())[0]


def models() -> tuple[ModelSpec, ...]:
    """Every language model: ``models.csv`` plus the analyst's own rows."""
    return _merged(_user_state())[1]


def price_rows() -> tuple[PriceRow, ...]:
    """Every price: ``prices.csv`` plus the analyst's own rows."""
    return _merged(_user_state())[2]


def prices_for(chip_name: str) -> list[PriceRow]:
    """All price rows of one chip (canonical name), shipped first."""
    return [p for p in price_rows() if p.chip == chip_name]


# --- lookup -------------------------------------------------------------------------------------------

_USED: contextvars.ContextVar[list[Any] | None] = contextvars.ContextVar("catalog_rows_used", default=None)


@contextlib.contextmanager
def recording() -> Iterator[list[Any]]:
    """Collect every row looked up inside the block (for :func:`annotate`)."""
    used: list[Any] = []
    token = _USED.set(used)
    try:
        yield used
    finally:
        _USED.reset(token)


def _note_use(row: Any) -> Any:
    used = _USED.get()
    if used is not None and row not in used:
        used.append(row)
    return row


def _lookup(query: str, rows: tuple[Row, ...], field: str, kind: str) -> Row:
    """Exact name/alias match, then a unique row with the query as whole words of a name or alias, else an error
    ("unknown ... did you mean" with the closest names: a near miss never silently becomes another product)."""
    q = _normalise(query)
    if not q:
        raise InputError(field, f"empty {kind} name; allowed: {', '.join(r.name for r in rows)}.")
    for row in rows:
        if q == _normalise(row.name) or q in {_normalise(a) for a in row.aliases}:
            return _note_use(row)
    containing = [r for r in rows if any(q in _token_runs(label) for label in _labels(r))]
    if len(containing) == 1:
        return _note_use(containing[0])
    if len(containing) > 1:
        raise InputError(field, f"{query!r} matches several {kind}s.", suggestions=[r.name for r in containing[:5]])
    raise InputError(field, f"unknown {kind} {query!r}.", suggestions=closest(query, rows))


def _labels(row: Accelerator | ModelSpec) -> tuple[str, ...]:
    """A row's name and its aliases."""
    return (row.name, *row.aliases)


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
        for label in _labels(r):
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


# --- warnings for results -------------------------------------------------------------------------------


def row_warnings(rows: list[Any]) -> list[str]:
    """One line per preliminary chip and per user row among ``rows``."""
    out = []
    for row in rows:
        if isinstance(row, Accelerator) and row.preliminary:
            out.append(
                f"WARNING: {row.name} figures are PRELIMINARY (announced, not shipped; vendor figures as of "
                f"{row.source_date or 'the announcement'}) and may change."
            )
        if getattr(row, "origin", SHIPPED) == USER:
            out.append(f"{row.name} comes from your catalog (added by you, not a shipped row): {_first(row)}.")
    return out


def _first(row: Any) -> str:
    sources = row.sources
    return sources[0].removeprefix(f"{USER}: ") if sources else "no source given"


def annotate(result: Any, rows: list[Any]) -> Any:
    """Put :func:`row_warnings` first in ``result.assumptions`` and user sources in ``result.sources``."""
    warnings = row_warnings(rows)
    if hasattr(result, "assumptions") and warnings:
        result.assumptions = [w for w in warnings if w not in result.assumptions] + list(result.assumptions)
    user = [f"{r.name}: {USER} - {_first(r)}" for r in rows if getattr(r, "origin", SHIPPED) == USER]
    if hasattr(result, "sources") and user:
        result.sources = list(result.sources) + [s for s in user if s not in result.sources]
    return result
