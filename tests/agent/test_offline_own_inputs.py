"""The analyst's own inputs answered as given: own cost models without default adders, power-only bills,
a missing price declined, quotes with their computation, unknown versions named, capex comparisons and sums."""

from __future__ import annotations

from agent.ask import ask
from agent.input_accounting import stated_quantities
from agent.offline.plan import make_plan
from agent.offline.slots import fill

OWN_MODEL = "$240k per 8-GPU server, 4-year straight line, 10 kW per box, PUE 1.25, 7c/kWh, no financing: per GPU-hour?"


def test_own_cost_model_runs_without_adders_and_with_them_beside() -> None:
    own, default = make_plan(OWN_MODEL).calls
    assert (own.name, default.name) == ("tco", "tco")
    assert own.args["networking_fraction"] == 0 and own.args["maintenance"] == 0 and own.args["facility"] == "none"
    assert not {"networking_fraction", "maintenance", "facility"} & set(default.args)
    answer = ask(OWN_MODEL, model="offline")
    # tools/tco.py docstring hand check: 240000 / 8 / 4 / 8760 + 10 / 8 x 1.25 x 0.07 = 0.96554 $ per GPU-hour
    assert answer.answer.startswith("**NVIDIA H100 SXM5 80GB: $0.966 per accelerator-hour to own**")
    assert "Costs you gave only" in answer.answer and answer.unused_inputs == []


def test_a_stated_adder_keeps_the_default_adders() -> None:
    question = "$240k per 8-GPU server, 4 years, 10 kW per box, PUE 1.25, 7c/kWh, with networking: per GPU-hour?"
    calls = make_plan(question).calls
    assert [c.name for c in calls] == ["tco"] and "networking_fraction" not in calls[0].args


def test_follow_up_keeps_the_own_cost_split() -> None:
    first = ask(OWN_MODEL, model="offline")
    history = [("user", OWN_MODEL), ("assistant", first.answer)]
    answer = ask("and with a 6-year life instead?", history=history, model="offline")
    # 30000 / (6 x 8760) + 1.25 x 1.25 x 0.07 = 0.57078 + 0.10938 = 0.68015
    assert answer.answer.startswith("**NVIDIA H100 SXM5 80GB: $0.68 per accelerator-hour to own**")


def test_unit_cost_with_neither_chip_nor_price_is_declined() -> None:
    for question in ("what's the cost per token?", "what's my cost per GPU-hour? PUE is 1.3"):
        plan = make_plan(question)
        assert plan.calls == [] and plan.reply is not None and "I need a chip or a price" in plan.reply


def test_power_cost_with_stated_power_and_no_price_is_computed_directly() -> None:
    question = "12 kW per 8-GPU server, $0.10/kWh, PUE 1.2. electricity cost per GPU-hour, and per GPU per year?"
    answer = ask(question, model="offline")
    assert {c.name for c in answer.tool_calls} == {"calculate"}  # no tco: no catalog chip's capital cost
    # 12 / 8 x 1.2 x 0.10 = 0.18 $/h; x 8,760 = 1,576.8 $/yr
    assert "**Power cost per accelerator-hour: $0.18 per hour**" in answer.answer
    assert "**Power cost per accelerator-year: $1,577 per year**" in answer.answer
    assert "No chip named" not in answer.answer


def test_power_cost_of_a_fleet() -> None:
    question = (
        "(a) facility MW for 10,000 B200 at 1.8 kW IT per GPU and PUE 1.25; (b) annual electricity bill at 6c/kWh"
    )
    answer = ask(question, model="offline")
    # 1.8 x 1.25 x 10,000 / 1000 = 22.5 MW; 1.8 x 1.25 x 8,760 x 0.06 x 10,000 = 11,826,000 $/yr
    assert "**Facility power for 10,000 accelerators: 22.50 MW**" in answer.answer
    assert "**Power bill for 10,000 accelerators: $11.83 million per year**" in answer.answer


def test_pue_already_included_sets_pue_one() -> None:
    args = fill(
        "tco",
        "1.1 kW per GPU all-in including cooling (PUE already in there), 9.5c/kWh",
        stated_quantities("1.1 kW per GPU all-in including cooling (PUE already in there), 9.5c/kWh"),
    )
    assert args["pue"] == 1.0


def test_cents_are_not_a_capex() -> None:
    question = "power bill 10k gpus @ 8 cents"
    assert "capex_per_accelerator" not in fill("tco", question, stated_quantities(question))


def test_quote_with_computation_gets_both_parts() -> None:
    question = (
        "dylan put the NVIDIA server at ~$300k. if that's 8 GPUs depreciated straight-line over 4 years, "
        "ignoring power, what's capex per GPU-hour?"
    )
    names = [c.name for c in make_plan(question).calls]
    assert names == ["search_knowledge", "calculate"]  # the analyst's own figures, no catalog-default TCO
    answer = ask(question, model="offline")
    assert "$1.070 per hour" in answer.answer  # 300000 / 8 / (4 x 8760) = 1.0702


def test_quote_with_a_build_out_naming_no_chip_counts_the_accelerators() -> None:
    answer = ask(
        "Dylan mentioned Zuck's 2 GW Louisiana build. at 1.5 kW all-in per GPU how many GPUs is that?", model="offline"
    )
    assert [c.name for c in answer.tool_calls] == ["search_knowledge", "calculate"]
    assert "1,333,333" in answer.answer  # 2e9 W / 1,500 W all-in
    assert "assumed NVIDIA H100" not in answer.answer  # the count needs no chip, so none is assumed


def test_unknown_version_is_not_read_as_a_neighbouring_model() -> None:
    answer = ask("kv bytes per token for llama-9 70b?", model="offline")
    (call,) = answer.tool_calls
    assert call.args["model"] == "llama-9 70b" and "unknown model" in (call.error or "")
    assert "Did you mean" in answer.answer


def test_capex_years_compare_later_to_earlier_with_ratio() -> None:
    answer = ask("oracle capex FY24 -> FY25, how many x?", model="offline")
    # capex.csv Oracle FY2024 6.866, FY2025 21.21 -> 3.089x
    assert "2025 / 2024: 3.09x" in answer.answer


def test_capex_cagr_and_extrapolation() -> None:
    answer = ask("msft additions to PP&E CAGR FY23 -> FY25, and FY26 if it grows at that same rate?", model="offline")
    # capex.csv Microsoft FY2023 28.107, FY2025 64.551: (64.551 / 28.107)^(1/2) - 1 = 51.55%; x 1.5155 = 97.82 $B
    assert "CAGR 2023 to 2025: 51.55%" in answer.answer and "2026 at that growth rate: $97.82 billion" in answer.answer


def test_capex_sum_over_a_range_of_years() -> None:
    answer = ask("sum of Amazon purchases of property & equipment 2021-2024?", model="offline")
    # capex.csv Amazon 61.053 + 63.645 + 52.729 + 82.999 = 260.426 $B
    assert answer.answer.startswith("**Sum: $260.43 billion**") and answer.unused_inputs == []


def test_finance_leases_flag() -> None:
    plan = make_plan("Meta capex incl. finance-lease principal: growth 2024 -> 2025 in %?")
    assert plan.calls[0].args.get("include_leases") is True
