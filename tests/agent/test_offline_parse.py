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


def test_model_sizes_with_an_exact_count_beside_them_stay_names() -> None:
    # "qwen3 32b (32.8b params)": the size is part of the name; the exact count is an input of its own
    assert [m.name for m in parse("Qwen3 32B (32.8B params) fp8 weights").models] == ["Qwen3-32B"]
    assert [m.name for m in parse("gemma 2 27b bf16 (27.2B params)").models] == ["Gemma-2-27B"]


def test_request_lengths_written_as_a_sum_and_with_hyphens() -> None:
    p = parse("int4 llama 70b on a single 80e9 B GPU, 4000+1000 tokens")
    assert (p.prompt, p.output, p.count) == (4000, 1000, 1)
    p = parse("8xH200: how many 190k-prompt + 10k-output sessions fit?")
    assert (p.prompt, p.output) == (190_000, 10_000)
    assert parse("two 48e9-byte cards").count == 2


def test_tensor_parallel_and_a_full_window() -> None:
    p = parse("llama 3.1 70b kv per token per GPU when sharded TP=8, bf16")
    assert p.tp == 8
    assert parse("GPT-3 175B KV per token at fp16 and for its full 2048 window").total == 2048
    assert parse("kimi k2 64k ctx, bf16 MLA cache").kv_dtype == "bf16"


@pytest.mark.parametrize(
    ("question", "total", "batch"),
    [
        ("qwen3-235b bf16 on 4x mi300x: how many 32k (32768) seqs fit", 32768, None),
        ("llama 3.1 8b on one h100, how many concurrent 8k ctx sequences?", 8000, None),
        ("how many 4,096-token sequences fit for mistral 7b on an l40s", 4096, None),
        ("llama 70b on 8xh100 with 64 seqs at 2k context", 2000, 64),
    ],
)
def test_a_length_where_a_count_of_sequences_would_stand(question: str, total: int, batch: int | None) -> None:
    p = parse(question)
    assert (p.total, p.batch) == (total, batch)


def test_a_spaced_dash_is_punctuation_and_an_attached_minus_is_a_sign() -> None:
    from tools.quantities import lex

    assert [q.value for q in lex("405b fp8 on 8 x h100 - 80gb each")][-1] == 80e9
    assert [q.value for q in lex("context=-2048")] == [-2048]
    p = parse("kv cache for llama 3.1 70b with context=-2048")
    assert p.total == -2048 and p.year is None  # a bad length reaches the calculator, not a year


def test_a_server_named_with_its_gpu_count() -> None:
    assert parse("glm-4.5 fp8 on a single hgx b300 (8 gpus)").count == 8
    assert parse("llama 8b on a single h100").count == 1


def test_a_rate_with_its_kind_between_number_and_unit_is_a_rate() -> None:
    from tools.quantities import lex

    assert [(q.value, q.unit) for q in lex("~12k output tok/s, 900 decode tokens/s")] == [
        (12_000, "tokens/s"),
        (900, "tokens/s"),
    ]


def test_a_dollar_per_gpu_hour_question_is_a_cost_question() -> None:
    assert "cost" in detect("b200 box at $350k, 5 yrs, 14 kw, pue 1.2, 9c/kwh: $/gpu-hr?")


def test_a_price_per_node_is_the_replica_price() -> None:
    from agent.input_accounting import stated_quantities
    from agent.offline.slots import fill

    q = "one 8x b200 server rents for $40/hr and makes 20k tok/s in total: $/Mtok?"
    assert fill("serving_cost", q, stated_quantities(q))["accelerators_per_replica"] == 1
    q = "8 gpus at $2.50/hr per gpu, 4,800 tok/s aggregate: $/Mtok?"
    assert fill("serving_cost", q, stated_quantities(q))["accelerators_per_replica"] == 8


def test_a_bare_size_per_accelerator_is_its_memory_not_a_parameter_count() -> None:
    from agent.input_accounting import stated_quantities
    from agent.offline.slots import fill

    q = "qwen3-235b bf16 on 4x mi300x (192e9 each): how many 8k seqs fit"
    args = fill("memory_fit", q, stated_quantities(q))
    assert args.get("capacity_gb") == 192 and "params" not in args
    q = "llama 3.1 8b (8.03e9, bf16) on one h100, how many 8k seqs"
    assert fill("memory_fit", q, stated_quantities(q)).get("params") == 8.03e9


def test_an_aside_in_brackets_is_not_arithmetic() -> None:
    assert arithmetic_expression("glm-4.5 on 8x h200 (141e9 each): how many 64k seqs") is None
    assert arithmetic_expression("what is (3 + 4) * 2") == "(3 + 4) * 2"


def test_how_many_with_a_length_between_is_a_fit_question() -> None:
    assert "fit" in detect("deepseek v3 on 8 x h200: how many 65536 ctx seqs with bf16 mla cache")


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("lama3.1 405b on h200s", "Llama-3.1-405B"),
        ("deepsek v3", "DeepSeek-V3 / DeepSeek-R1"),
        ("mistrall 7b", "Mistral-7B-v0.1"),
    ],
)
def test_a_model_name_one_letter_off_is_read(text: str, model: str) -> None:
    assert [m.candidates for m in find_mentions(text, "model")] == [[model]]


def test_a_one_letter_slip_never_changes_a_version_number() -> None:
    from agent.offline.entities import _one_letter_off

    assert _one_letter_off("model", "lama3.1 70b") == "Llama-3.1-70B"
    assert _one_letter_off("model", "lama3.3 70b") is None  # no such version: not corrected to 3.1
