"""The offline planner's readers: catalog names, numbers with units, intents, arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.offline.entities import find_companies, find_mentions, unknown_names
from agent.offline.expressions import arithmetic_expression
from agent.offline.intents import detect
from agent.offline.parse import normalise_text, parse


@pytest.mark.parametrize(
    ("question", "model", "chip", "count"),
    [
        ("how many users fit on 8xH100 for 405b fp8", "Llama-3.1-405B", "NVIDIA H100 SXM5 80GB", 8),
        ("Llama 3.1 70B on 8x H100", "Llama-3.1-70B", "NVIDIA H100 SXM5 80GB", 8),
        ("lama 405b on h100 x8", "Llama-3.1-405B", "NVIDIA H100 SXM5 80GB", 8),
        ("deepseek r1 on 16 mi300x", "DeepSeek-V3 / DeepSeek-R1", "AMD Instinct MI300X", 16),
        ("gpt-oss-20b on 2 b200s", "GPT-OSS-20B", "NVIDIA B200 (HGX B200)", 2),
        ("mixtral 8x7b on 1,024 h200s", "Mixtral-8x7B-v0.1", "NVIDIA H200 SXM 141GB", 1024),
    ],
)
def test_catalog_names_and_counts(question: str, model: str, chip: str, count: int) -> None:
    p = parse(question)
    assert [m.name for m in p.models] == [model]
    assert [m.name for m in p.chips] == [chip]
    assert p.count == count


def test_plural_chip_and_bare_size() -> None:
    assert [m.name for m in find_mentions("what about on H200s?", "chip")] == ["NVIDIA H200 SXM 141GB"]
    (seventy,) = find_mentions("and for 70b?", "model")
    assert seventy.name is None and seventy.candidates == ["Llama-2-70B", "Llama-3.1-70B"]
    # "20b" is a word of GPT-OSS-20B only, not a substring match into GPT-OSS-120B
    assert [m.name for m in find_mentions("20b please", "model")] == ["GPT-OSS-20B"]


def test_family_word_alone_is_not_a_model() -> None:
    assert find_mentions("llama2 is old", "model") == []


def test_unknown_names_are_kept_for_the_calculator_to_reject() -> None:
    text = "how many users fit for llama 5 on an h300 or an rtx 4090"
    assert unknown_names(text, "model", find_mentions(text, "model")) == ["llama 5"]
    assert unknown_names(text, "chip", find_mentions(text, "chip")) == ["h300", "rtx 4090"]


def test_companies() -> None:
    assert find_companies("msft vs goog capex") == ["Microsoft", "Alphabet"]
    assert find_companies("hyperscaler capex") == ["Microsoft", "Alphabet", "Amazon", "Meta", "Oracle"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("12k-token requests", {"total": 12000}),
        ("with 10,000 reasoning tokens", {"reasoning": 10000}),
        ("10k tokens of reasoning on a 2k prompt", {"reasoning": 10000, "prompt": 2000}),
        ("1k in + 10k reasoning + 1k out", {"prompt": 1000, "reasoning": 10000, "output": 1000}),
        ("ctx 8k bs=32", {"total": 8000, "batch": 32}),
        ("at 32k context, batch 64", {"total": 32000, "batch": 64}),
        ("prompt 2000 output 500", {"prompt": 2000, "output": 500}),
        ("$0.08/kWh over 5 years", {"electricity": 0.08, "years": 5}),
        ("8 cents/kwh", {"electricity": 0.08}),
        ("2 GW campus", {"gw": 2}),
        ("300 MW", {"mw": 300}),
        ("30%/yr", {"growth": [0.3]}),
        ("$2/hr rental", {"rental_price": 2}),
        ("$30k per GPU", {"capex_per_accelerator": 30000}),
        ("10% WACC, 60% utilization, PUE 1.2", {"cost_of_capital": 0.1, "utilization": 0.6, "pue": 1.2}),
        ("1.2 kW each", {"power_kw": 1.2}),
        ("700 W per chip", {"power_kw": 0.7}),
        ("at 1,000 tok/s", {"tokens_per_s": 1000}),
        ("through 2027", {"through": 2027}),
        ("fp8", {"weights_dtype": "fp8"}),
        ("bf16 weights, fp8 kv", {"weights_dtype": "bf16", "kv_dtype": "fp8"}),
        ("4-bit", {"weights_dtype": "int4"}),
        ("pure roofline", {"roofline": True}),
    ],
)
def test_numbers_with_units(question: str, expected: dict) -> None:
    stated = parse(question).stated()
    for key, value in expected.items():
        assert stated.get(key) == pytest.approx(value), (key, stated)


def test_model_sizes_are_not_numbers() -> None:
    stated = parse("405b on 8 h100s").stated()
    assert stated == {"count": 8}
    assert parse("mixtral 8x7b, batch 4").batch == 4


def test_prices_are_not_gpu_counts() -> None:
    p = parse("a $30k gpu at 1 kW")
    assert p.capex_per_accelerator == 30000 and p.count is None


@given(st.integers(min_value=1, max_value=10**6))
def test_batch_and_context_read_back(n: int) -> None:
    assert parse(f"bs={n}").batch == n
    assert parse(f"batch {n:,}").batch == n
    assert parse(f"ctx {n}").total == n


def test_normalise_splits_glued_counts() -> None:
    assert normalise_text("8xH100") == "8 x h100"
    assert normalise_text("H100x8") == "h100 x 8"
    assert normalise_text("mixtral 8x7b") == "mixtral 8x7b"


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("whats 1,024 GPUs x $2 x 8,760 h", "1024 * 2 * 8760"),
        ("what is (2+3)*4", "(2+3)*4"),
        ("1.5k * 3", "1500 * 3"),
        ("tok/s for 70b on h100 x 8 bs=32", None),
        ("mixtral 8x7b on 2 a100s", None),
        ("30% of 2 GW", None),
    ],
)
def test_arithmetic_expression(text: str, expr: str | None) -> None:
    assert arithmetic_expression(normalise_text(text)) == expr


@pytest.mark.parametrize(
    ("question", "intents"),
    [
        ("kv cache for 70b at 32k", ["kv"]),
        ("how many users fit on 8xh100", ["fit"]),
        ("tok/s for 70b", ["speed"]),
        ("what does an h100 cost per hour", ["cost"]),
        ("what would a 2 gw campus cost", ["buildout"]),
        ("msft capex through 2027", ["capex"]),
        ("what did dylan say about hbm", ["search"]),
        ("is it true that reasoning cuts users to a fifth?", ["claim"]),
        ("should we buy h100s or wait", []),
    ],
)
def test_intents(question: str, intents: list[str]) -> None:
    text = question.lower()
    assert detect(text, has_companies=bool(find_companies(text))) == intents
