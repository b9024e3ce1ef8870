"""Numbers that describe rather than ask are set aside and named, not used and not blocking the answer."""

from __future__ import annotations

from agent.input_accounting import account, stated_quantities
from agent.set_aside import set_aside


def _aside(question: str) -> list[str]:
    quantities = stated_quantities(question)
    return [quantities[i].text for i in set_aside(question, quantities)]


def test_a_ruled_out_number_is_set_aside() -> None:
    question = "deepseek r1 kv cache per token (bf16)? its MLA right, so not the 128-head number"
    assert _aside(question) == ["128"]
    unused, aside = account(question, [{"model": "DeepSeek-V3 / DeepSeek-R1", "kv_dtype": "bf16"}], "")
    assert unused == [] and aside == ["128 (you said not this)"]


def test_a_catalog_fact_in_a_describing_phrase_is_set_aside() -> None:
    assert _aside("GLM-4.5 (the 355B one) - KV bytes per token bf16") == ["355B"]
    assert _aside("mistral 7b v0.1 at 32768 tokens (it has the 4k sliding window)") == ["4k"]


def test_the_same_fact_stated_as_an_input_is_not_set_aside() -> None:
    # "assume 37e9 active params" and "(128 heads, 61 layers)" are inputs: they must reach a calculation
    assert _aside("DeepSeek-V3: assume only the 37e9 active params are read per token") == []
    assert _aside("DeepSeek-V3 expanded K/V (128 heads, 61 layers, bf16)") == []
    # a fact of another model is no description of this one
    assert _aside("GLM-4.5 (the 70B one)") == []


def test_a_format_restated_in_bytes_and_the_year_of_a_stepped_rate() -> None:
    assert _aside("int4 llama 70b (70.6B params at 0.5 byte) on one GPU") == ["0.5 byte"]
    assert _aside("gpt-oss-120b with fp4 weights (116.8B params x 0.5 B)") == ["0.5 B"]
    assert _aside("base 100 in 2025; +40% in 2026, +30% in 2027, then 20%/yr") == ["2026", "2027"]


def test_a_used_number_is_not_listed_as_set_aside() -> None:
    question = "llama 3.1 8b (8.03B, bf16) on one 80e9 B gpu"
    unused, aside = account(question, [{"params": 8.03e9, "capacity_gb": 80, "gpus": 1}], "")
    assert unused == [] and aside == []


def test_the_answer_says_what_was_set_aside() -> None:
    from agent.ask import ask

    answer = ask("deepseek r1 kv cache per token (bf16)? its MLA right, so not the 128-head number", model="offline")
    assert "70,272 bytes" in answer.answer
    assert "**Set aside:** 128 (you said not this)." in answer.answer
    assert answer.unused_inputs == []


def test_a_company_group_number_is_a_name() -> None:
    from agent.input_accounting import stated_quantities as stated

    assert [q.text for q in stated("big 4 combined capex in 2024 (msft+googl+amzn+meta)")] == ["2024"]
