"""Which kind of quantity each calculator argument holds, so a stated quantity counts as used only where it fits.

Input accounting (:mod:`agent.input_accounting`) asks whether a quantity the analyst wrote reached a
tool call. Matching a number against *any* argument lets coincidences through: "a 10% residual value"
is not used by ``server_kw=10``, "2 bytes per parameter" is not used by ``gpus=2``, "$4 per M tokens"
is not a ``capex_per_accelerator`` of 4. This table names, for each argument name the calculators
take (:mod:`tools.registry`), the quantity units (:mod:`tools.quantities`) it can hold. A plain count
(unit ``""``) is read as any argument; an argument not listed here (a catalog name, a string such as a
``calculate`` expression or a search query) takes any quantity. A dtype argument ("bf16") also
reads as its bytes per value (``bytes_per_value``), which "x 2 bytes" per parameter states.
"""

from __future__ import annotations

_COUNT = ("",)
_TOKENS = ("tokens", "")
_FRACTION = ("fraction", "fraction/year", "")

#: Argument name -> the quantity units it holds (module docstring). The planner's own readings
#: ("year", "years" of a capex question) are calendar years.
FIELD_UNITS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("context", "prompt", "output", "window", "output_tokens_per_query"), _TOKENS),
    **dict.fromkeys(("prompt_tokens_per_query", "prompt+output"), _TOKENS),
    **dict.fromkeys(
        ("tokens_per_s", "tokens_per_s_per_stream", "tokens_per_s_per_replica", "prefill_tokens_per_s_per_replica"),
        ("tokens/s",),
    ),
    **dict.fromkeys(
        (
            "layers",
            "kv_heads",
            "head_dim",
            "kv_lora_rank",
            "rope_dim",
            "batch",
            "block_size",
            "tp",
            "gpus",
            "count",
            "gpus_per_server",
            "accelerators",
            "gpus_per_rack",
            "accelerators_per_replica",
            "concurrent_streams",
            "ep",
            "prefill_gpus",
            "limit",
        ),
        _COUNT,
    ),
    "pue": ("", "x"),
    "params": ("params", ""),
    **dict.fromkeys(("capacity_gb", "reserve_gb"), ("bytes",)),
    **dict.fromkeys(
        (
            "gpu_mem_util",
            "reserve_frac",
            "mem_eff",
            "compute_eff",
            "networking_fraction",
            "cost_of_capital",
            "maintenance",
            "utilization",
            "sold_fraction",
            "ai_share",
            "mtp_accept",
            "growth",
        ),
        _FRACTION,
    ),
    "years": ("years", "months", "year"),  # a duration, or the calendar years the planner reads for capex
    "facility_life_years": ("years", "months"),
    **dict.fromkeys(("server_kw", "power_kw", "kw_all_in", "gw", "it_gw"), ("W",)),
    **dict.fromkeys(
        ("capex_per_accelerator", "server_price", "accelerator_price", "other_capex_per_accelerator"), ("usd",)
    ),
    **dict.fromkeys(("rental_price", "usd_per_gpu_hour", "price_per_accelerator_hour"), ("usd/hour",)),
    "electricity": ("usd/kwh", "usd"),  # "@ 8 cents" with no /kWh
    "bytes_per_value": ("bytes",),  # the size a dtype argument stands for: bf16 is "2 bytes" per value
    "facility_capex_per_mw": ("usd/mw",),
    "other_opex_per_year": ("usd/year", "usd"),
    "colo": ("usd/kw-month", "usd"),  # "colo $0"
    "step_overhead_ms": ("s",),
    "rate": ("fraction/year", "fraction", "x"),
    "multiplier": ("x", ""),
    "steps": ("", "years"),  # "3x per year for 4 years": a step a year
    **dict.fromkeys(("through", "from_", "to", "year", "sum_years", "extend"), ("year", "")),
}


def holds(field: str | None, unit: str) -> bool:
    """Whether argument ``field`` can hold a quantity of ``unit`` (a plain count and an unlisted field: always)."""
    if field is None or unit == "":
        return True
    allowed = FIELD_UNITS.get(field)
    return allowed is None or unit in allowed


#: Words that change a calculation without a number, and the argument values that carry them: (regex, values).
#: An analyst's "ignore KV reads" that no call carries (no throughput argument drops the KV reads) is an input
#: not used, like a number; "a 10% residual value" has no argument at all, so its words are never carried.
#: A word that leaves a cost out, up to 50 characters before what it leaves out ("ignore networking, maintenance
#: and facility capex", "no networking/maintenance", "excluding the facility").
EXCLUDED = r"(?:\bno\b|\bignor\w*|\bexclud\w*|\bwithout\b|\bzero\b|\bskip\w*|\bdrop\w*|w/o)[^.;?]{0,50}?"
#: Cost adders an analyst leaves out, each with the regex that says so and the field value that does it.
EXCLUSIONS: tuple[tuple[str, str, object], ...] = (
    ("networking_fraction", EXCLUDED + r"\bnetwork\w*", 0.0),
    ("maintenance", EXCLUDED + r"\bmaint\w*", 0.0),
    ("facility", EXCLUDED + r"\bfacilit(?:y|ies)\b", "none"),
)
CONDITIONS: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = (
    (r"ignor\w* (?:the )?kv\b(?: cache)?(?: reads?)?|\bno kv\b(?: cache)?|weights? only", (("weights_only", True),)),
    (r"straight[- ]?line|no financing|without financing|zero cost of capital", (("cost_of_capital", 0.0),)),
    (
        r"pue (?:is )?(?:already )?(?:in there|included|baked in)|includ(?:es|ing) cooling|cooling included",
        (("pue", 1.0),),
    ),
    (
        r"(?:all|fully|entirely) usable|no (?:reserve|headroom)|(?:use|using) (?:all of it|the whole card)|"
        r"bytes?, all of it\b",
        (("gpu_mem_util", 1.0),),
    ),
    (r"ignor\w* (?:the )?(?:comms|communication|all-?reduce|interconnect)", ()),
    (r"(?:residual|salvage|resale|terminal) value", ()),
    *((pattern, ((field, value),)) for field, pattern, value in EXCLUSIONS),
)
