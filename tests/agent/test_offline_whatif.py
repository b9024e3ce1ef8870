"""The analyst's own numbers: fields filled by unit and cue, routing to the tool they fill, no speed for what
cannot run, bad numbers reaching the tool."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.input_accounting import stated_quantities
from agent.offline.plan import make_plan
from agent.offline.slots import FIELDS, fill


def _fill(tool: str, question: str) -> dict:
    return fill(tool, question, stated_quantities(question))


def test_every_declared_field_exists_on_its_tool() -> None:
    from tools.registry import get

    for tool, slots in FIELDS.items():
        fields = set(get(tool).input_model.model_fields)
        assert {s.field for s in slots} <= fields, tool


def test_server_level_inputs_fill_server_fields() -> None:
    args = _fill("tco", "$240k per 8-GPU server, 4-year straight line, 10 kW per box, PUE 1.25, 7c/kWh")
    assert args == {
        "server_price": 240_000,
        "gpus_per_server": 8,
        "years": 4,
        "server_kw": 10,
        "pue": 1.25,
        "electricity": 0.07,
        "cost_of_capital": 0.0,
    }


def test_a_power_of_a_site_is_not_a_power_per_accelerator() -> None:
    assert _fill("buildout", "how many GPUs fit in 500 MW") == {"gw": 0.5}
    assert _fill("buildout", "How many accelerators fit in 1 GW at 1.4 kW all-in each?") == {
        "gw": 1.0,
        "kw_all_in": 1.4,
    }


def test_growth_base_takes_its_year() -> None:
    args = _fill("growth", "$200B in 2025 growing 30% a year, when does it pass $1T?")
    assert args == {"base": "2025=200000000000", "rate": [0.3], "until": 1e12}


@pytest.mark.parametrize(
    ("question", "tool"),
    [
        (
            "$2/GPU-hr, 8 GPUs per replica, 64 streams at 25 tok/s each, 1,500 tokens per answer: $ per M tokens?",
            "serving_cost",
        ),
        ("$200B in 2025 growing 30% a year, when does it pass $1T?", "growth"),
        ("$240k per 8-GPU server, 4-year straight line, 10 kW per box, PUE 1.25, 7c/kWh: per GPU-hour?", "tco"),
    ],
)
def test_routed_to_the_tool_whose_fields_the_question_fills(question: str, tool: str) -> None:
    # an own-cost tco question gets a second tco call with the default adders beside it (test_offline_own_inputs.py)
    assert {c.name for c in make_plan(question).calls} == {tool}


def test_serving_cost_known_case_through_ask() -> None:
    # issue hand derivation: $16/h replica, 1,600 tok/s -> $2.7778 per million tokens, $0.0041667 per query
    answer = ask(
        "$2/GPU-hr, 8 GPUs per replica, 64 streams at 25 tok/s each, 1,500 tokens per answer: cost per query?",
        model="offline",
    )
    assert answer.answer.startswith("**$2.78 per million tokens**, $0.00417 per query")
    assert answer.unused_inputs == [] and answer.warnings == []


def test_no_speed_for_a_deployment_that_does_not_fit() -> None:
    answer = ask("how fast is llama 3.1 70b on 1 h100?", model="offline")
    assert "does not fit" in answer.answer and "tokens/s" not in answer.answer
    assert "throughput" not in [c.name for c in answer.tool_calls]
    assert "at least 2 accelerators" in answer.answer  # what would


def test_no_speed_at_a_batch_that_does_not_fit_and_the_largest_that_does() -> None:
    answer = ask("tok/s for llama 3.1 8b on one H100 at batch 5000000 with 4k ctx each?", model="offline")
    assert "tokens/s" not in answer.answer and "throughput" not in [c.name for c in answer.tool_calls]
    assert "does not fit" in answer.answer and "the largest batch that fits is" in answer.answer


def test_a_batch_beyond_any_deployment_is_refused_with_no_figure() -> None:
    answer = ask("tok/s for llama 3.1 8b on one H100 at batch 50000000 with 4k ctx each?", model="offline")
    assert all(c.error and c.error.startswith("batch:") for c in answer.tool_calls)  # the tool's own limit, by field
    assert "tokens/s" not in answer.answer.split("Tool calls")[0] and "No figure is given" in answer.answer


def test_a_fitting_deployment_gets_its_speed() -> None:
    answer = ask("how fast is llama 3.1 8b on 1 h100?", model="offline")
    assert [c.name for c in answer.tool_calls] == ["memory_fit", "throughput"]
    assert "tokens/s" in answer.answer


def test_a_bad_number_reaches_the_tool_and_no_figure_is_printed() -> None:
    answer = ask(
        "$2/GPU-hr, 8 GPUs per replica, 64 streams at 25 tok/s each, utilisation 150%: cost per million tokens?",
        model="offline",
    )
    (call,) = answer.tool_calls
    assert call.error is not None and "utilization" in call.error
    assert "per million tokens**" not in answer.answer


# --- fit overrides, custom KV shapes, growth without a year, build-out prices ------------------------------------


def test_fit_overrides_route_to_memory_fit_with_the_parsers_readings() -> None:
    # 8 x 80e9 B, 10 % free: 576e9 usable; 70e9 x 2 B weights; KV per request 4,096 x 327,680 B -> floor(324.8) = 324
    question = (
        "llama 3.1 70b, assume 70e9 params, bf16 weights + bf16 kv, 8 gpus w/ 80e9 bytes each, keep 10% free. "
        "2048 in / 2048 out. max concurrent reqs at peak?"
    )
    plan = make_plan(question)
    assert [c.name for c in plan.calls] == ["memory_fit"]
    args = plan.calls[0].args
    assert args["params"] == 70e9 and args["capacity_gb"] == 80 and args["reserve_frac"] == 0.1
    assert (args["gpus"], args["prompt"], args["output"], args["model"]) == (8, 2048, 2048, "Llama-3.1-70B")
    assert "**324 requests" in ask(question, model="offline").answer


def test_fit_counts_and_memory_words() -> None:
    assert _fill("memory_fit", "two 48e9-byte cards, use 100% of memory (no reserve)") == {
        "capacity_gb": 48.0,
        "gpu_mem_util": 1.0,
        "reserve_frac": 0.0,
    }
    assert _fill("memory_fit", "on 4 x 80e9 B, 10% reserve") == {"gpus": 4, "capacity_gb": 80.0, "reserve_frac": 0.1}
    # free memory is a KV budget, not an accelerator's capacity
    assert "capacity_gb" not in _fill("memory_fit", "how many sessions fit in 500e9 bytes of free memory?")


def test_a_stated_kv_shape_is_sized_without_a_catalog_model() -> None:
    # 27 x (512 + 64) x 2 B = 31,104 B per token
    question = "MLA shape like deepseek-v2-lite: 27 layers, kv_lora_rank 512, rope dim 64, bf16. kv bytes per token?"
    calls = make_plan(question).calls
    assert [c.name for c in calls] == ["kv_cache"] and "model" not in calls[0].args
    assert "31,104 bytes" in ask(question, model="offline").answer


def test_growth_without_a_company_or_a_year() -> None:
    assert _fill("growth", "$200B growing 25% a year for 4 years - where does it end up?") == {
        "base": "200e9",
        "rate": [0.25],
        "years": 4,
    }
    assert _fill("growth", "cagr from 40 in 2021 to 135 in 2025?") == {"from_": "2021=40", "to": "2025=135"}
    stepped = _fill("growth", "base 100 in 2025; +40% in 2026, +30% in 2027, then 20%/yr. value in 2029?")
    assert stepped == {"base": "2025=100", "rate": [0.4, 0.3, 0.2], "through": 2029}


def test_buildout_prices_and_it_level_all_in_power() -> None:
    assert _fill(
        "buildout", "300k accelerators at $30k chip + $12k rest-of-server/network each, 1.5 kW IT, PUE 1.3"
    ) == {
        "accelerators": 300_000,
        "accelerator_price": 30_000.0,
        "other_capex_per_accelerator": 12_000.0,
        "power_kw": 1.5,
        "pue": 1.3,
    }
    # "all-in IT" is IT power (PUE still applies); "ALL-IN (PUE already included)" is facility power
    assert _fill("buildout", "1 GW of facility power using 1.37 kW all-in IT per H100 and PUE 1.3")["power_kw"] == 1.37
    assert _fill("buildout", "2 GW with 2.2 kW per accelerator ALL-IN (PUE already included)")["kw_all_in"] == 2.2
    # a PUE stated beside an all-in kW applies on top of it: the all-in figure is IT (server + network share)
    args = _fill("buildout", "50k B200s, 1.9 kW per gpu all-in incl networking, PUE 1.25: facility MW?")
    assert args["power_kw"] == 1.9 and "kw_all_in" not in args
    assert "kw_all_in" in _fill("buildout", "1 GW at 1.6 kW all-in per GPU including cooling, PUE 1.3")


def test_a_campus_price_per_watt_is_not_a_price_per_accelerator() -> None:
    # "$11/W all-in" prices the whole campus per watt: no buildout field takes it; the capex is watts x $/W
    # (agent.offline.per_watt), never a catalog chip's build-out
    args = _fill("buildout", "1.2GW campus at $11/W all-in, what's the capex")
    assert "capex_per_accelerator" not in args and "facility_capex_per_mw" not in args
    answer = ask("800 MW site at $12 per watt all-in - capex?", model="offline")
    assert "$12 per watt" in answer.answer and "9,600,000,000 USD" in answer.answer and not answer.unused_inputs
    assert not any(c.name == "buildout" for c in answer.tool_calls)


def test_a_fallback_deployment_is_sized_beside_the_first() -> None:
    from agent.offline.whatif import alternatives

    question = "kimi k2 at fp8 on 8x H200 - does it fit? if not try 16 GPUs, 4000 in 4000 out"
    assert alternatives("memory_fit", {"gpus": 8, "model": "Kimi-K2"}, question) == [{"gpus": 16, "model": "Kimi-K2"}]
    assert alternatives("memory_fit", {"gpus": 8}, "does it fit on 8x H200?") == []


def test_an_hourly_price_paid_for_tokens_is_a_serving_price_not_a_rental() -> None:
    question = "we pay $2.10/hr per GPU; cost per million tokens at 1,500 tok/s per GPU?"
    assert "rental_price" not in _fill("tco", question)
    assert _fill("serving_cost", question) == {
        "price_per_accelerator_hour": 2.1,
        "tokens_per_s_per_replica": 1500.0,
        "accelerators_per_replica": 1,
    }
    answer = ask(question, model="offline")
    assert [c.name for c in answer.tool_calls] == ["serving_cost"]
    assert "$0.389 per million tokens" in answer.answer  # 2.10 / (1,500 x 3,600 / 1e6)
    assert _fill("tco", "owning vs renting at $2.10/hr per GPU: break-even?")["rental_price"] == 2.1


def test_a_per_token_cost_at_an_hourly_price_without_a_speed_is_declined() -> None:
    answer = ask("what does it cost per million tokens at $2/hr?", model="offline")
    assert answer.tool_calls == [] and "$2/hr" in answer.answer


def test_a_price_for_n_gpus_is_a_server_price() -> None:
    args = _fill("tco", "B200 server: $500k for 8 GPUs, 5-year straight line")
    assert args["server_price"] == 500_000 and args["gpus_per_server"] == 8
    assert "capex_per_accelerator" not in args


def test_a_multiplier_per_year_over_years_is_a_multiple() -> None:
    assert _fill("growth", "3x per year for 4 years is how many x?") == {"multiplier": 3.0, "steps": 4}
    assert "81x" in ask("3x per year for 4 years is how many x?", model="offline").answer
    with_base = _fill("growth", "$200B in 2025 growing 2x a year through 2028")
    assert with_base["rate"] == [1.0] and "multiplier" not in with_base


def test_all_usable_and_no_reserve_reach_the_fit() -> None:
    args = _fill("memory_fit", "weights only: MI355X (288e9 bytes each, all usable)")
    assert args["gpu_mem_util"] == 1.0 and args["capacity_gb"] == 288.0
    assert _fill("memory_fit", "2x h100, 80e9 bytes each, no reserve")["reserve_frac"] == 0.0
    assert _fill("memory_fit", "16 GB = 16e9 bytes of HBM")["capacity_gb"] == 16.0


def test_an_unqualified_power_only_a_chip_draws_is_the_chips() -> None:
    args = _fill("tco", "Gaudi 3 at $15,625 a chip, 900 W, PUE 1.25, $0.06/kWh, 4-year straight line: $/chip-hr?")
    assert args["power_kw"] == 0.9 and args["capex_per_accelerator"] == 15_625
    assert "power_kw" not in _fill("tco", "$300k, 10 kW, PUE 1.3")  # a server's draw, not read as one chip's


def test_a_fleet_counted_by_chip_name_and_all_in_it_power() -> None:
    args = _fill(
        "buildout", "100,000 H100s at 1.73 kW all-in IT per GPU (server + network share), PUE 1.2: facility MW?"
    )
    assert args == {"accelerators": 100_000, "power_kw": 1.73, "pue": 1.2}  # all-in IT power: PUE still applies
    assert "accelerators" not in _fill("buildout", "how many users fit on 8x H100?")
