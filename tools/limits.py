"""Sanity ceilings for numeric calculator inputs, applied centrally by :func:`tools.registry.validate_input`.

Every numeric input must be a finite number; a field without its own upper bound (``le``/``lt`` in
its input model) is capped here by name. These are not data: each ceiling is an ASSUMPTION chosen
one to three orders of magnitude above anything real, so that a typo or an overflow (``1e308``,
``inf``) is refused with one line instead of printing an absurd figure. The reason is in the
comment beside each group. A field not named here gets :data:`GENERIC_CEILING`.
"""

from __future__ import annotations

import math
from typing import Any

#: ASSUMPTION: any numeric field not listed below (no calculator input is meaningful past 10^15).
GENERIC_CEILING = 1e15

CEILINGS: dict[str, float] = {
    # Token counts. ASSUMPTION: published context windows reach about 10M tokens; 100M leaves 10x headroom.
    **dict.fromkeys(("context", "prompt", "output", "window"), 100_000_000),
    # Model shape. ASSUMPTION: the largest published models have under 200 layers and head dims under 1,000.
    **dict.fromkeys(("layers", "kv_heads", "head_dim", "kv_lora_rank", "rope_dim", "block_size"), 1_000_000),
    # Accelerators and sequences. ASSUMPTION: the largest announced clusters hold about 1M accelerators.
    **dict.fromkeys(("gpus", "count", "tp", "batch"), 10_000_000),
    # Power. ASSUMPTION: world generating capacity is about 9,000 GW; one campus of 1,000 GW is already absurd.
    "gw": 1_000.0,
    "power_kw": 1_000.0,  # ASSUMPTION: about 1-2 kW per accelerator today; 1 MW each is absurd.
    "pue": 10.0,  # ASSUMPTION: real facilities run at 1.05-2.
    "electricity": 10.0,  # USD per kWh. ASSUMPTION: real industrial prices are 0.03-0.40.
    # Years. ASSUMPTION: depreciation and facility lives are 3-40 years.
    **dict.fromkeys(("years", "facility_life_years"), 100.0),
    # Rates and fractions (1 = 100 %). ASSUMPTION: 1,000 % a year is past any real rate.
    **dict.fromkeys(("cost_of_capital", "maintenance", "networking_fraction", "growth", "low", "high"), 10.0),
    # Money, USD. ASSUMPTION: one accelerator costs under $100k; a rental under $100 an hour.
    "capex_per_accelerator": 1e9,
    "facility_capex_per_mw": 1e12,
    **dict.fromkeys(("colo", "rental_price", "usd_per_gpu_hour"), 1e6),
    "reserve_gb": 1e6,  # GiB per accelerator. ASSUMPTION: accelerators hold under 1 TB today.
    "tokens_per_s": 1e12,
    # Calendar years. ASSUMPTION: forecasts past 2200 mean a typo.
    **dict.fromkeys(("through", "backtest_from"), 2200),
}

#: Smallest positive value a divisor-like field may take. ASSUMPTION: below these, a result (accelerators per
#: GW, cost per token) runs past any real figure; each is 100x to 1,000x below anything real.
FLOORS: dict[str, float] = {
    "power_kw": 0.001,  # 1 W per accelerator
    "gw": 1e-6,  # 1 kW of facility power
    "tokens_per_s": 1e-3,
    "capex_per_accelerator": 1.0,  # USD
    **dict.fromkeys(("years", "facility_life_years"), 0.01),
}


def _upper(info: Any) -> float | None:
    """The field's own upper bound (``le``/``lt``), or None."""
    for meta in getattr(info, "metadata", ()):
        for attr in ("le", "lt"):
            bound = getattr(meta, attr, None)
            if bound is not None:
                return float(bound)
    return None


def _format(bound: float) -> str:
    return f"{bound:,.0f}" if bound >= 1 and float(bound).is_integer() and bound < 1e9 else f"{bound:g}"


def check_number(name: str, value: Any, info: Any = None) -> str | None:
    """Why ``value`` (one field's value, or a list of them) is not allowed, or None when it is."""
    values = value if isinstance(value, (list, tuple)) else [value]
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            return f"must be a finite number (got {v})."
        floor = FLOORS.get(name)
        if floor is not None and 0 < v < floor:
            return f"must be at least {floor:g} (got {v:g}); a smaller value is not a real deployment."
        if _upper(info) is not None:
            continue
        ceiling = CEILINGS.get(name, GENERIC_CEILING)
        if abs(v) > ceiling:
            return f"must be at most {_format(ceiling)} (got {v:g}); a larger value is not a real deployment."
    return None


def first_non_finite(obj: Any, path: str = "") -> str | None:
    """The dotted path of the first inf/nan float anywhere in ``obj`` (a dict/list tree), or None."""
    if isinstance(obj, float):
        return None if math.isfinite(obj) else (path or "result")
    if isinstance(obj, dict):
        items: Any = obj.items()
    elif isinstance(obj, (list, tuple)):
        items = enumerate(obj)
    else:
        return None
    for key, value in items:
        found = first_non_finite(value, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None
