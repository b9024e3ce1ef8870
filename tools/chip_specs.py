"""``chip_specs``: catalog rows for named chips, or every chip ranked by one field.

Answers "which chip has the most HBM?" or "compare H200 and MI325X bandwidth" from the typed
catalog (:func:`tools.catalog.accelerators`), never from indexed prose: each row is the
catalog's own :class:`~tools.catalog.Accelerator` with its sources.

Ranking: ``sort`` names a numeric field (``memory_gb``) or a short name for it (``memory``,
``hbm``, ``bandwidth``, ``bf16``, ``fp8``, ``fp4``, ``power``, ``price``, ``interconnect``,
``year``); rows are ordered largest first (``ascending`` reverses), rows without a value last.

>>> r = chip_specs(ChipSpecsInput(sort="memory", limit=1))
>>> r.rows[0].memory_gb >= max(c.memory_gb for c in r.rows)
True
"""

from __future__ import annotations

import types
import typing
from functools import cache

from pydantic import BaseModel, Field

from tools.catalog import Accelerator, accelerators, find_accelerator, row_warnings
from tools.errors import InputError

#: Short names analysts use for the catalog's numeric fields.
SORT_ALIASES: dict[str, str] = {
    "memory": "memory_gb",
    "hbm": "memory_gb",
    "capacity": "memory_gb",
    "bandwidth": "mem_bw_tbps",
    "bw": "mem_bw_tbps",
    "bf16": "bf16_dense_tflops",
    "fp8": "fp8_dense_tflops",
    "fp4": "fp4_dense_tflops",
    "power": "tdp_w",
    "tdp": "tdp_w",
    "price": "est_price_usd",
    "interconnect": "interconnect_GBps_per_chip",
    "nvlink": "interconnect_GBps_per_chip",
}


def _is_number(annotation: object) -> bool:
    if annotation in (int, float):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return bool(args) and all(a in (int, float) for a in args)
    return False


@cache
def sortable_fields() -> tuple[str, ...]:
    """The catalog's numeric fields, in declaration order."""
    return tuple(n for n, f in Accelerator.model_fields.items() if _is_number(f.annotation))


class ChipSpecsInput(BaseModel):
    """Catalog rows for the named chips, or all chips ranked by one field."""

    chips: list[str] = Field(
        default_factory=list, description="Chip names or aliases (e.g. 'h200', 'mi325x'); empty = every chip."
    )
    sort: str | None = Field(
        None,
        description="Rank by this field, largest first: memory, bandwidth, bf16, fp8, fp4, power, price, "
        "interconnect, year, or any numeric catalog field name.",
    )
    ascending: bool = Field(False, description="Rank smallest first instead.")
    limit: int | None = Field(None, ge=1, le=100, description="Keep only the first N rows.")


class ChipSpecsResult(BaseModel):
    rows: list[Accelerator] = Field(description="Catalog rows, ranked when a sort field was given.")
    sorted_by: str | None = Field(description="The catalog field the rows are ranked by, if any.")
    ascending: bool = Field(description="True when ranked smallest first.")
    missing_values: list[str] = Field(description="Chips that have no value for the sort field (listed last).")
    assumptions: list[str]
    sources: list[str]
    warnings: list[str] = Field(default_factory=list)


def sram_only(chip: Accelerator) -> bool:
    """True for a chip whose memory is on-chip SRAM with no HBM (Groq): its ``memory_gb`` is SRAM, not HBM.

    >>> sram_only(find_accelerator("groq")), sram_only(find_accelerator("h100"))
    (True, False)
    """
    kind = chip.memory_type.upper()
    return "SRAM" in kind and ("NO HBM" in kind or "HBM" not in kind)


def memory_notes(rows: list[Accelerator]) -> list[str]:
    """One line per SRAM-only chip saying its memory figure is on-chip SRAM, not HBM."""
    return [
        f"{r.name} has no HBM: its {r.memory_gb:g} GB is on-chip SRAM; a model is held only by sharding it over "
        "many chips."
        for r in rows
        if sram_only(r)
    ]


def sort_field(value: str) -> str:
    """The catalog field ``value`` names (a short name or the field itself), or ``InputError`` naming ``sort``."""
    key = SORT_ALIASES.get(value.strip().lower(), value.strip())
    if key in sortable_fields():
        return key
    from rapidfuzz import process

    options = [*SORT_ALIASES, *sortable_fields()]
    near = [m for m, _s, _ in process.extract(value, options, limit=3)]
    raise InputError("sort", f"unknown field {value!r}; allowed: {', '.join(options)}.", suggestions=near)


def chip_specs(inp: ChipSpecsInput) -> ChipSpecsResult:
    """The catalog rows asked for: named chips in the order given, or all chips; ranked by ``inp.sort``."""
    rows = [find_accelerator(name, field="chips") for name in inp.chips] if inp.chips else list(accelerators())
    missing: list[str] = []
    field = sort_field(inp.sort) if inp.sort else None
    if field:
        have = [r for r in rows if getattr(r, field) is not None]
        missing = [r.name for r in rows if getattr(r, field) is None]
        have.sort(key=lambda r: getattr(r, field), reverse=not inp.ascending)
        rows = have + [r for r in rows if getattr(r, field) is None]
    if inp.limit:
        rows = rows[: inp.limit]
    sources = list(dict.fromkeys(s for r in rows for s in r.sources))
    return ChipSpecsResult(
        rows=rows,
        sorted_by=field,
        ascending=inp.ascending,
        missing_values=missing,
        assumptions=[
            *row_warnings(rows),
            *memory_notes(rows),
            "Memory is as marketed in GB (the driver exposes about that many GiB); bandwidth in TB/s (10^12 B/s); "
            "TFLOPS are dense (no sparsity).",
        ],
        sources=sources,
    )
