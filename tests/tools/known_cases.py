"""The what-if known cases (analyst-stated numbers), each with its hand derivation, as (tool, CLI flags, registry args, expected fields).

Shared by the tests (CLI ``--json`` and ``tools.registry.get(name).run(args)`` must both give the values) and kept
beside the eval suite's copies in ``evals/suites/tools.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Known:
    id: str
    derivation: str
    tool: str
    args: dict[str, Any]
    expect: dict[str, float]
    #: Decimal places each figure is stated to (compared after rounding); None = exact.
    places: dict[str, int | None]


KNOWN = (
    Known(
        "tco-server-straight-line",
        "240,000 / 8 GPUs / 4 years / 8,760 h = 0.856164 $/h of capital; 10 kW / 8 = 1.25 kW x PUE 1.25 x $0.07 = "
        "0.109375 $/h of power; no networking, maintenance or facility; utilization 1 -> 0.96554 $/GPU-hour",
        "tco",
        {
            "server_price": 240000,
            "gpus_per_server": 8,
            "server_kw": 10,
            "pue": 1.25,
            "electricity": 0.07,
            "years": 4,
            "cost_of_capital": 0,
            "networking_fraction": 0,
            "maintenance": 0,
            "facility": "none",
            "utilization": 1,
        },
        {"cost_per_accelerator_hour": 0.96554},
        {"cost_per_accelerator_hour": 5},
    ),
    Known(
        "tco-payback",
        "512 x $2.20 x 8,760 h x 0.65 sold = 6,413,721.60 $/yr revenue; minus $1.5M other opex (no power bill, "
        "maintenance or facility) = 4,913,721.60 net; $20M / that = 4.0702 years",
        "tco",
        {
            "chip": ["h100"],
            "count": 512,
            "capex_per_accelerator": 20e6 / 512,
            "networking_fraction": 0,
            "facility": "none",
            "electricity": 0,
            "maintenance": 0,
            "rental_price": 2.2,
            "sold_fraction": 0.65,
            "other_opex_per_year": 1.5e6,
        },
        {
            "annual_revenue_usd": 6413721.60,
            "annual_net_cash_flow_usd": 4913721.60,
            "payback_years": 4.0702,
            "fleet_capex_usd": 20e6,
        },
        {"annual_revenue_usd": 2, "annual_net_cash_flow_usd": 2, "payback_years": 4, "fleet_capex_usd": 2},
    ),
    Known(
        "serving-cost-64-streams",
        "$2 x 8 = $16 per replica-hour; 64 x 25 = 1,600 tok/s = 5.76 M tok/h -> 16 / 5.76 = $2.7778 per million; "
        "1,500 / 1,600 = 0.9375 replica-s per query -> 3,840 queries/h -> 16 / 3,840 = $0.0041667 per query",
        "serving_cost",
        {
            "price_per_accelerator_hour": 2.0,
            "accelerators_per_replica": 8,
            "concurrent_streams": 64,
            "tokens_per_s_per_stream": 25,
            "output_tokens_per_query": 1500,
            "utilization": 1,
        },
        {
            "cost_per_million_tokens": 2.7778,
            "cost_per_query": 0.0041667,
            "queries_per_hour": 3840,
            "cost_per_1k_queries": 4.1667,
        },
        {"cost_per_million_tokens": 4, "cost_per_query": 7, "queries_per_hour": 6, "cost_per_1k_queries": 4},
    ),
    Known(
        "growth-through",
        "100 x 1.25 = 125, x 1.25 = 156.25, x 1.25 = 195.3125 in 2027; 100 + 125 + 156.25 + 195.3125 = 576.5625",
        "growth",
        {"base": "2024=100", "rate": [0.25], "through": 2027},
        {"final_year": 2027, "final_value": 195.3125, "cumulative": 576.5625},
        {"final_year": None, "final_value": 10, "cumulative": 10},
    ),
    Known(
        "growth-cagr",
        "(120 / 50)^(1/3) - 1 = 2.4^(1/3) - 1 = 0.338866",
        "growth",
        {"from": "2021=50", "to": "2024=120"},
        {"cagr": 0.338866},
        {"cagr": 6},
    ),
    Known(
        "growth-until",
        "200 x 1.3^6 = 965.36 < 1000 <= 200 x 1.3^7 = 1,254.97: first reached in 2025 + 7 = 2032",
        "growth",
        {"base": "2025=200", "rate": [0.3], "until": 1000},
        {"until_year": 2032, "until_value": 1254.97},
        {"until_year": None, "until_value": 2},
    ),
    Known(
        "buildout-kw-all-in",
        "1 GW = 1,000,000 kW of facility power / 2.5 kW all-in (PUE included, not applied again) = 400,000",
        "buildout",
        {"gw": 1, "kw_all_in": 2.5, "capex_per_accelerator": 30000},
        {"accelerators": 400000},
        {"accelerators": None},
    ),
    Known(
        "buildout-facility-pue",
        "1 GW facility / PUE 1.25 = 800 MW IT; 800,000 kW / 1.5 kW = 533,333.3 -> 533,333",
        "buildout",
        {"gw": 1, "power_kw": 1.5, "pue": 1.25, "capex_per_accelerator": 30000},
        {"accelerators": 533333, "it_power_mw": 800},
        {"accelerators": None, "it_power_mw": 6},
    ),
    Known(
        "buildout-it-racks",
        "0.5 GW of IT load (no PUE) = 500,000 kW / 1.25 kW = 400,000; 400,000 / 72 = 5,555.6 -> 5,555 whole racks",
        "buildout",
        {"it_gw": 0.5, "power_kw": 1.25, "gpus_per_rack": 72, "capex_per_accelerator": 30000},
        {"accelerators": 400000, "racks": 5555},
        {"accelerators": None, "racks": None},
    ),
    Known(
        "buildout-accelerators",
        "100,000 x 1.2 kW = 120,000 kW = 120 MW IT; x PUE 1.3 = 156 MW facility",
        "buildout",
        {"accelerators": 100000, "power_kw": 1.2, "pue": 1.3, "capex_per_accelerator": 30000},
        {"it_power_mw": 120, "facility_power_mw": 156},
        {"it_power_mw": 6, "facility_power_mw": 6},
    ),
    Known(
        "memory-fit-8b-reserve",
        "8e9 params x 2 B (bf16) = 16e9 B; 80e9 B x (1 - 0.10) = 72e9 B usable; KV fp16 = 2 x 32 layers x 8 heads x "
        "128 x 2 B = 131,072 B/token x 8,192 tokens = 1,073,741,824 B; (72e9 - 16e9) / that = 52.15 -> 52",
        "memory_fit",
        {
            "model": "llama-3.1-8b",
            "params": 8e9,
            "weights_dtype": "bf16",
            "kv_dtype": "fp16",
            "gpus": 1,
            "capacity_gb": 80,
            "gpu_mem_util": 1,
            "reserve_frac": 0.1,
            "prompt": 4096,
            "output": 4096,
        },
        {"max_concurrent_sequences": 52},
        {"max_concurrent_sequences": None},
    ),
)


def flags(args: dict[str, Any]) -> list[str]:
    """Registry args -> CLI flags (lists repeat the flag; ``from`` stays ``--from``)."""
    out: list[str] = []
    for name, value in args.items():
        flag = "--" + name.rstrip("_").replace("_", "-")
        for v in value if isinstance(value, list) else [value]:
            out += [flag, str(v)]
    return out


def matches(data: dict[str, Any], case: Known) -> None:
    """Assert every expected figure, rounded to the places it is stated to."""
    for field, want in case.expect.items():
        got = data[field]
        places = case.places[field]
        if places is None:
            assert got == want, (case.id, field, got, want)
        else:
            assert round(got, places) == round(want, places), (case.id, field, got, want)
