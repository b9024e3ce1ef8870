"""Calculator warnings that reach the answer: a capex sum over guidance on two bases says so."""

from __future__ import annotations

from types import SimpleNamespace

from agent.ask import ask
from agent.result_warnings import result_warnings
from tools.registry import get


def test_guidance_on_two_lease_bases_is_a_warning() -> None:
    result = get("capex").run({"company": ["Alphabet", "Meta"], "method": "guidance"}).model_dump()
    warnings = result_warnings([SimpleNamespace(name="capex", result=result)])
    assert any("2026 guidance is on two bases: Meta includes finance leases, Alphabet does not" in w for w in warnings)


def test_guidance_on_one_basis_is_not() -> None:
    result = get("capex").run({"company": ["Alphabet", "Amazon"], "method": "guidance"}).model_dump()
    assert not [w for w in result_warnings([SimpleNamespace(name="capex", result=result)]) if "two bases" in w]


def test_the_offline_sum_of_guidance_says_it_mixes_bases() -> None:
    answer = ask("add up the 2026 capex guidance for Alphabet, Amazon and Meta", model="offline")
    assert "Meta includes finance leases" in answer.answer
