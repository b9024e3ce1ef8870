"""Units and natural-reading formats for calculator fields, shared by the brief answer, Slack and exports.

:func:`unit_of` names the unit of a field from its name (the calculators' naming rules:
``*_usd`` is USD, ``*_usd_b`` USD billion, ``*_bytes`` bytes, ``*_s`` seconds, ...), so an
export header reads ``cost_per_used_hour (USD/h)``. :func:`money` writes large USD amounts in
words ("$1.20 trillion", "$55.73 billion"); :func:`figure` writes any field's value for reading.
"""

from __future__ import annotations

from typing import Any

#: Fields whose unit the name alone does not say.
_UNITS: dict[str, str] = {
    "cost_per_accelerator_hour": "USD/h",
    "cost_per_used_hour": "USD/h",
    "reference_cost_per_hour": "USD/h",
    "margin_per_used_hour": "USD/h",
    "rental_price": "USD/h",
    "usd_per_gpu_hour": "USD/h",
    "cost_per_million_tokens": "USD/Mtok",
    "cost_per_million_tokens_avg_length": "USD/Mtok",
    "rental_cost_per_million_tokens": "USD/Mtok",
    "capex_per_accelerator": "USD",
    "facility_capex_per_mw": "USD/MW",
    "colo": "USD/kW-month",
    "electricity": "USD/kWh",
    "power_kw": "kW",
    "power_kw_per_accelerator": "kW",
    "it_power_mw": "MW",
    "gw": "GW",
    "cumulative_gw": "GW",
    "energy_mwh_per_year": "MWh/yr",
    "years": "years",
    "facility_life_years": "years",
    "tokens_per_s": "tokens/s",
    "tokens_per_s_per_accelerator": "tokens/s",
    "tokens_per_s_per_user": "tokens/s",
    "tokens_per_s_per_mw": "tokens/s/MW",
    "decode_tokens_per_s": "tokens/s",
    "decode_tokens_per_s_avg_length": "tokens/s",
    "decode_tokens_per_s_per_accelerator": "tokens/s",
    "tokens_per_dollar": "tokens/USD",
    "hbm_gb_per_1k_usd": "GB per $1k",
    "mem_bw_gbps_per_1k_usd": "GB/s per $1k",
    "total_gb": "GB",
    "total_gib": "GiB",
    "reserve_gb": "GiB",
    "bandwidth_tbps": "TB/s",
    "peak_tflops_used": "TFLOPS",
    "context": "tokens",
    "prompt": "tokens",
    "output": "tokens",
    "tokens_per_sequence": "tokens",
    "kv_tokens_capacity": "tokens",
    "max_concurrent_sequences": "requests",
    "avg_concurrent_sequences": "requests",
    "min_accelerators": "accelerators",
    "min_accelerators_power_of_two": "accelerators",
    "accelerators": "accelerators",
    "cumulative_accelerators": "accelerators",
}
#: Fields that are fractions (0.8 = 80 %).
_FRACTIONS = {
    "utilization",
    "networking_fraction",
    "cost_of_capital",
    "maintenance",
    "gpu_mem_util",
    "mem_eff",
    "compute_eff",
    "margin_fraction",
    "break_even_utilization",
    "difference_vs_reference",
    "growth_rate",
    "low_rate",
    "high_rate",
    "ai_share",
    "growth",
    "low",
    "high",
}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_MONEY_UNITS = ("USD", "USD/h", "USD/Mtok", "USD/yr", "USD/MW", "USD billion")


def unit_of(name: str) -> str:
    """The unit of a calculator field ("" when it has none: names, counts, flags)."""
    if name in _UNITS:
        return _UNITS[name]
    if name in _FRACTIONS:
        return "fraction"
    if name.endswith("_usd_b"):
        return "USD billion"
    if (
        name.endswith("_per_year_usd")
        or name.endswith("annual_cost_usd")
        or (name.startswith("annual_") and name.endswith("_usd"))
    ):
        return "USD/yr"
    if name.endswith("_usd"):
        return "USD"
    if name.endswith("_bytes") or name.startswith("bytes_per") or "_bytes_" in name:
        return "bytes"
    if name.endswith("_s"):
        return "s"
    return ""


def header(name: str) -> str:
    """A column header with its unit: ``cost_per_used_hour (USD/h)``."""
    unit = unit_of(name)
    return f"{name} ({unit})" if unit else name


def money(x: float, *, trillions: bool = True) -> str:
    """USD for reading: '$1.20 trillion', '$55.73 billion', '$12.50 million', '$33,600', '$1.50', '$0.452'.

    ``trillions=False`` stops at billions ('$1,022.12 billion'), as :func:`usd` writes them.
    """
    ax = abs(x)
    for scale, word in _SCALES if trillions else _SCALES[1:]:
        if ax >= scale:
            return f"${x / scale:,.2f} {word}"
    if ax >= 100:
        return f"${x:,.0f}"
    if ax >= 1:
        return f"${x:,.2f}"
    return f"${x:.3g}"


def usd(x: float) -> str:
    """Money up to billions: '$2.28', '$30,000', '$47.06 billion', '$1,022.12 billion' (the offline planner's
    answers, whose capex sums stay in the billions the capex table reports)."""
    return money(x, trillions=False)


def pct(fraction: float) -> str:
    """A fraction as a percentage: 0.853 -> '85.3%'."""
    return f"{fraction * 100:.1f}%"


def num(x: float) -> str:
    """A figure rounded for reading: 68 -> '68', 148.27 -> '148.3', 0.01234 -> '0.0123'; booleans as yes/no."""
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int) or float(x).is_integer() and abs(x) >= 1:
        return f"{int(round(x)):,}"
    ax = abs(x)
    if ax >= 1000:
        return f"{x:,.0f}"
    if ax >= 100:
        return f"{x:,.1f}"
    if ax >= 1:
        return f"{x:,.2f}"
    return f"{x:.3g}"


def nbytes(b: float) -> str:
    """Bytes in decimal units: 83886080000 -> '83.89 GB'."""
    for scale, unit in ((1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")):
        if abs(b) >= scale:
            return f"{b / scale:,.2f} {unit}"
    return f"{b:,.0f} B"


def figure(name: str, value: Any) -> str:
    """A field's value in natural units: money in words, bytes in GB, fractions in %, units after numbers."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if not isinstance(value, (int, float)):
        return str(value)
    unit = unit_of(name)
    if unit == "USD billion":
        return money(value * 1e9)
    if unit in _MONEY_UNITS:
        suffix = {"USD/h": "/h", "USD/Mtok": "/Mtok", "USD/yr": "/yr", "USD/MW": "/MW"}.get(unit, "")
        return money(value) + suffix
    if unit == "USD/kWh":
        return f"${value:.4g}/kWh"
    if unit == "fraction":
        return pct(value)
    if unit == "bytes":
        return nbytes(value)
    if isinstance(value, int) and ("year" in name or name in {"through", "backtest_from"}):
        return str(value)
    text = num(value)
    return f"{text} {unit}" if unit and unit not in ("requests", "accelerators", "tokens") else text
