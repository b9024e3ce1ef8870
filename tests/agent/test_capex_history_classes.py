"""Capex history classes: apostrophe quarters, the cash series when leases are excluded, a year's actual
against its guidance, two years for each of several companies, and a sum of fiscal quarters (set H classes,
written in other words)."""

from __future__ import annotations

import pytest

from agent.offline.capex_compare import asks_each, asks_vs_guidance
from agent.offline.capex_quarter import summed_quarters


def test_apostrophe_quarters_are_read_whole(chat) -> None:  # type: ignore[no-untyped-def]
    # capex_quarterly.csv Amazon Q2 2025 32.18 vs Q2 2024 17.62 -> +82.65%
    answer = chat("amzn Q2'25 capex vs Q2'24, growth?").answer
    assert "+82.65%" in answer


def test_excluding_finance_leases_keeps_the_cash_series(chat) -> None:  # type: ignore[no-untyped-def]
    # capex.csv Microsoft additions to P&E FY2025 64.551 vs FY2024 44.477 -> +45.13% (not the 88.2 lease row)
    answer = chat("msft FY2025 vs FY2024 capex, excl. finance leases: % change").answer
    assert "+45.13% of 2024" in answer and "88.20" not in answer


def test_a_years_actual_against_its_guidance(chat) -> None:  # type: ignore[no-untyped-def]
    # capex.csv Alphabet 2025: 91.45 reported vs 92 guidance -> -$0.55B, -0.598%
    answer = chat("did googl's 2025 capex beat or miss its guidance? by how much").answer
    assert "-$550.00 million" in answer and "-0.598%" in answer


def test_a_stated_guidance_equal_to_the_table_is_used(chat) -> None:  # type: ignore[no-untyped-def]
    # capex.csv Alphabet 2025 guidance 92: the analyst's "$92B guide" is that row
    answer = chat("googl 2025 capex actual vs their $92B guide, miss in $ and %?").answer
    assert "-0.598%" in answer


def test_two_years_for_each_company(chat) -> None:  # type: ignore[no-untyped-def]
    # capex.csv Microsoft 44.477 / 23.886 -> +86.21%; Meta 37.256 / 31.186 -> +19.46% (not their sum)
    answer = chat("msft and meta capex fy2024 vs fy2022, % change for each").answer
    assert "+86.21% of 2022" in answer and "(sum)" not in answer


def test_a_sum_of_fiscal_quarters(chat) -> None:  # type: ignore[no-untyped-def]
    # capex_quarterly.csv Meta Q1 2025 12.94 + Q2 2025 16.54 = 29.48
    answer = chat("meta capex, first two quarters of 2025, total").answer
    assert "$29.48 billion" in answer


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first three quarters of fy2026 summed", [(2026, 1), (2026, 2), (2026, 3)]),
        ("total q2 through q4 fy25", [(2025, 2), (2025, 3), (2025, 4)]),
        ("first 3 quarters of fy26 growth", []),
    ],
)
def test_the_quarters_a_sum_adds(text: str, expected: object) -> None:
    assert summed_quarters(text) == expected


def test_readings_of_guidance_and_each() -> None:
    assert asks_vs_guidance("orcl fy26 capex vs the guide")
    assert not asks_vs_guidance("orcl capex guidance for 2027")
    assert asks_each("growth for googl and amzn respectively") and not asks_each("googl and amzn combined")


def _sums(question: str) -> list[float]:
    from agent.offline.quote_arithmetic import stated_sums
    from tools.arithmetic import evaluate

    return [evaluate(s.expression).value for s in stated_sums(question)]


def test_money_per_concurrent_user() -> None:
    assert _sums("guest's $240k box handling 128 users on 70b: capex per concurrent user?") == [1875]


def test_a_cut_count_and_money_per_user_on_it() -> None:
    # 512 users cut to 1/8 -> 64; $480k / 64 = $7,500 per user
    question = "with long reasoning he says seats per node drop to 1/8 of usual. his 512 number: seats, and $ per seat on a $480k node?"
    assert _sums(question) == [64, 7500]


def test_cost_from_revenue_at_a_gm_range() -> None:
    # $4B at 40-60% GM: cost 4 x 0.4 = 1.6 to 4 x 0.6 = 2.4 ($B)
    assert [round(v) for v in _sums("$4B of api revenue at a 40-60% GM - what's the cost, low and high?")] == [
        1_600_000_000,
        2_400_000_000,
    ]


def test_an_hourly_rent_over_a_term_against_a_purchase() -> None:
    # $1.50/h x 8,760 h x 3 years = 39,420; less a $30k purchase = 9,420
    question = "renting a b200 at $1.50/hr on a 3-year contract, total cost? vs buying one for $30k"
    assert _sums(question) == [39_420, 9_420]
