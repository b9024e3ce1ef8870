"""Words that set a calculator's field without a number ("straight line" is a cost of capital of 0, "weights only",
"90% usable (decimal GB)", "treat the 180 as GiB"), as data: (tool, field, value, regex on the lower-cased
question). Used by :func:`agent.offline.slots.assign` after the numeric fields are filled."""

from __future__ import annotations

from typing import Any

from agent.field_units import EXCLUSIONS

#: "memory is", "hbm in": words before the unit a chip's memory size is read in.
_MEMORY_IN = r"\b(?:memory|hbm|vram|capacity|sizes?)\s+(?:is|are|in|as)\s+(?:in\s+)?"
#: "read as", "treat the 180 as", "count it as": words before the unit the analyst reads a memory size in.
_TREAT_AS = r"\b(?:read|treat|take|count)\w*\s+(?:(?:the|it|that|them|each)\s+)?(?:[\d.]+\s*(?:gi?b)?\s+)?as\s+"

#: Words that set a field with no number: (tool, field, value, regex).
FLAGS: tuple[tuple[str, str, Any, str], ...] = (
    ("tco", "cost_of_capital", 0.0, r"straight[- ]?line|no financing|without financing|zero cost of capital"),
    ("tco", "facility", "none", r"no facility|ignore (?:the )?facility|no colo"),
    *(("tco", field, value, pattern) for field, pattern, value in EXCLUSIONS),
    (
        "capex",
        "include_leases",
        True,
        # "ex finance leases", "excluding finance leases": the cash series, not the lease-inclusive one
        r"(?<!\bex )(?<!\bex-)(?<!excl\. )(?<!excl )(?<!excluding )(?<!without )(?<!net of )(?<!\bless )"
        r"financ\w*[- ]leases?|incl\w*\.? (?:finance[- ])?leases|lease[- ]inclusive|with leases",
    ),
    ("tco", "electricity", 0.0, r"ignor(?:e|ing) (?:the )?power|excluding power|no power (?:cost|bill)|without power"),
    (
        "tco",
        "pue",
        1.0,
        r"pue (?:is )?(?:already )?(?:in there|included|baked in)|includ(?:es|ing) cooling|cooling included",
    ),
    (
        "memory_fit",
        "weights_only",
        True,
        r"weights? only|just (?:for |to hold )?(?:the )?weights|only the weights|just to hold\b|ignor\w* (?:the )?kv\b",
    ),
    (
        "memory_fit",
        "gpu_mem_util",
        1.0,
        r"no reserve|using all of it|use all of (?:it|the memory)|(?:whole|full|all the) memory|nothing held back"
        r"|(?:all|fully|entirely|whole(?: of it)?)(?: (?:the |of (?:the )?)?(?:memory|hbm|vram|capacity))? (?:is )?usable"
        r"|no (?:headroom|margin)|the whole card|bytes?, all of it\b",
    ),
    ("memory_fit", "reserve_frac", 0.0, r"no (?:reserve|headroom|margin)"),
    # "memory is GiB per google", "hbm in decimal GB": the unit the marketed memory size is read in
    # ... "treat the 180 as GiB", "GB = 1e9": the analyst's definition of the unit
    ("memory_fit", "capacity_unit", "GiB", rf"{_MEMORY_IN}gib\b|{_TREAT_AS}gib\b|\bgib\s*=\s*2\s*\^\s*30\b"),
    (
        "memory_fit",
        "capacity_unit",
        "GB",
        rf"{_MEMORY_IN}(?:decimal )?gb\b(?!\s*/)|\bdecimal gb\b|{_TREAT_AS}gb\b|\bgb\s*=\s*(?:1e9|10\s*\^\s*9)\b",
    ),
    ("kv_cache", "attention", "mla", r"\bmla\b|latent attention"),
    ("kv_cache", "attention", "mqa", r"\bmqa\b|multi[- ]query"),
    ("kv_cache", "attention", "gqa", r"\bgqa\b|grouped[- ]query"),
    ("kv_cache", "attention", "mha", r"\bmha\b|multi[- ]head attention"),
)
