"""Weak spots listed at the end of .readme/agent.md, fixed by general rules and pinned here.

* arithmetic asked in a time unit ("... in hours") is converted by ``calculate`` and the unit stated;
* a capex comparison of two years or two companies leads with both history rows (with their
  metric) and the change, computed by ``calculate``;
* "capex per MW" with no size is a 1 MW build-out, stated as per MW of utility power.

The end-to-end versions, with expected figures and their sources, are the ``ws-*`` cases of
evals/suites/agent_offline.yaml.
"""

from __future__ import annotations

import pytest

from agent.offline.compose import compose
from agent.offline.expressions import arithmetic_expression
from agent.offline.plan import make_plan
from agent.offline.plan_types import PER_MW_GW, Call
from agent.offline.rounds import more_calls
from tools.arithmetic import evaluate
from tools.registry import get


def _answer(question: str) -> tuple[str, list[Call]]:
    """Run the plan and the second round through the real tools (calculate via the agent's evaluator)."""
    plan = make_plan(question)
    assert plan.reply is None, plan.reply
    done = [(c, _run(c)) for c in plan.calls]
    done += [(c, _run(c)) for c in more_calls(plan, done)]
    return compose(done, plan.notes, plan, question), [c for c, _ in done]


def _run(call: Call) -> str:
    if call.name == "calculate":
        return evaluate(call.args["expression"]).model_dump_json()
    return get(call.name).run(call.args).model_dump_json()


# --- 1. arithmetic in a unit -------------------------------------------------------------------


def test_token_counts_and_rates_are_operands() -> None:
    assert arithmetic_expression("1,000,000 tokens / 2,000 tok/s in hours") == "1000000 / 2000"
    assert arithmetic_expression("1B tokens / 2,000 tok/s in days") == "1000000000 / 2000"


@pytest.mark.parametrize(("unit", "divisor"), [("hours", 3600), ("minutes", 60), ("days", 86400)])
def test_the_requested_time_unit_is_applied_by_calculate(unit: str, divisor: int) -> None:
    plan = make_plan(f"1,000,000 tokens / 2,000 tok/s in {unit}")
    assert [(c.name, c.args) for c in plan.calls] == [("calculate", {"expression": f"(1000000 / 2000) / {divisor}"})]


def test_the_lead_states_the_unit_and_the_converted_value() -> None:
    text, _ = _answer("1,000,000 tokens / 2,000 tok/s in hours")
    first = text.splitlines()[0]
    assert "0.139 hours" in first and "seconds / 3,600" in first  # 500 s / 3,600 by hand
    assert "= 500**" not in text  # the seconds are not the answer


def test_no_rate_unit_is_read_as_seconds_and_said() -> None:
    plan = make_plan("what is 1000000 / 2000 in minutes")
    assert plan.calls[0].args == {"expression": "(1000000 / 2000) / 60"}
    assert any("read as seconds" in n for n in plan.notes)


def test_a_rate_per_hour_converts_from_hours() -> None:
    assert make_plan("1200 / 50 per hour in days").calls[0].args == {"expression": "(1200 / 50) / 24"}
    assert make_plan("what is 1200 / 50 per minute in hours").calls[0].args == {"expression": "(1200 / 50) / 60"}


def test_no_unit_asked_leaves_the_expression_alone() -> None:
    assert make_plan("1000000 / 2000").calls[0].args == {"expression": "1000000 / 2000"}


# --- 2. capex comparisons ----------------------------------------------------------------------


def test_two_years_lead_with_both_rows_and_the_change() -> None:
    text, calls = _answer("amazon capex 2025 vs 2024")
    # capex.csv: Amazon 2025 = 131.819 from the FY2025 10-K (replaced the press-reported 125); 2024 82.999
    assert ("calculate", {"expression": "131.819 - 82.999"}) in [(c.name, c.args) for c in calls]
    first = text.splitlines()[0]
    assert "2025 $131.82 billion (purchases_of_property_and_equipment)" in first
    assert "2024 $83.00 billion (purchases_of_property_and_equipment)" in first
    assert "+$48.82 billion" in first and "+58.82%" in first  # 48.820 and 48.820 / 82.999 by hand


def test_two_companies_one_year_lead_with_both_and_the_difference() -> None:
    text, calls = _answer("msft vs meta capex 2023")
    assert ("calculate", {"expression": "28.107 - 27.045"}) in [(c.name, c.args) for c in calls]
    first = text.splitlines()[0]
    assert "Microsoft $28.11 billion (additions_to_property_and_equipment)" in first
    assert "Meta $27.05 billion (purchases_of_property_and_equipment)" in first
    assert "+$1.06 billion" in first


def test_fiscal_year_shorthand_compares_two_years() -> None:
    assert make_plan("microsoft capex FY24 vs FY23").compare_years == [2024, 2023]


def test_a_year_without_a_filed_row_is_not_compared() -> None:
    # 2030 is past every history row: no pair, so no change is computed as if it were filed
    plan = make_plan("amazon capex 2030 vs 2024")
    done = [(c, _run(c)) for c in plan.calls]
    assert not [c for c in more_calls(plan, done) if c.name == "calculate"]


# --- 3. capex per MW with no size ---------------------------------------------------------------


@pytest.mark.parametrize(
    "question", ["capex per MW", "what's the capex per MW for a build-out", "cost per MW for mi300x"]
)
def test_per_mw_with_no_size_is_a_one_mw_buildout(question: str) -> None:
    plan = make_plan(question)
    assert [c.name for c in plan.calls] == ["buildout"]
    assert plan.calls[0].args["gw"] == PER_MW_GW
    assert any("per MW of utility power" in n for n in plan.notes)


def test_per_mw_lead_and_reading_are_stated() -> None:
    text, _ = _answer("capex per MW")
    lines = text.splitlines()
    # hand: floor(1000 / 1.3 / 1.37) = 561 H100s x $33,600 + 0.7692 MW x $11.7M = $27.85M
    assert lines[0].startswith("**Capex per MW of utility power") and "$27.85 million" in lines[0] and "561" in lines[0]
    assert "No size given" in text.split("**Build-out")[0]


def test_a_stated_size_is_kept() -> None:
    plan = make_plan("capex per MW of a 300 MW h100 campus")
    assert [(c.name, c.args.get("gw")) for c in plan.calls] == [("buildout", 0.3)]
