"""Memory fit and concurrency against hand derivations (docs/peers.md case 4), plus invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.catalog import find_model
from tools.errors import InputError
from tools.memory_fit import MemoryFitInput, memory_fit
from tools.params import exact_parameter_count
from tools.registry import get


def fit(**kw):
    return memory_fit(MemoryFitInput(**kw))


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        ("llama-2-7b", 6_738_415_616),
        ("llama-2-70b", 68_976_648_192),
        ("llama-3.1-8b", 8_030_261_248),
        ("llama-3.1-70b", 70_553_706_496),
        ("llama-3.1-405b", 405_853_388_800),
    ],
)
def test_exact_parameter_counts(model: str, expected: int) -> None:
    """Published checkpoint totals (meta-device counts listed in docs/peers.md takeaways, item 4)."""
    assert exact_parameter_count(find_model(model)) == expected


# docs/peers.md case 4, hand column "GiB x 0.9": capacity read as GiB, 90% usable, no extra reserve.
@pytest.mark.parametrize(
    ("model", "chip", "wdtype", "output", "peak"),
    [
        ("llama-3.1-70b", "h100", "bf16", 1000, 728),
        ("llama-3.1-70b", "h100", "bf16", 11000, 121),
        ("llama-3.1-70b", "h200", "bf16", 1000, 1447),
        ("llama-3.1-70b", "h100", "fp8", 1000, 1672),
        ("llama-3.1-70b", "h200", "fp8", 11000, 518),
        ("llama-3.1-405b", "h200", "bf16", 1000, 269),
        ("llama-3.1-405b", "h100", "fp8", 1000, 411),
        ("llama-3.1-405b", "h100", "fp8", 11000, 68),
        ("llama-3.1-405b", "h200", "fp8", 11000, 220),
    ],
)
def test_peers_case4_peak_concurrency(model: str, chip: str, wdtype: str, output: int, peak: int) -> None:
    r = fit(model=model, chip=chip, gpus=8, weights_dtype=wdtype, prompt=1000, output=output)
    assert r.fits
    assert r.max_concurrent_sequences == peak


def test_reasoning_cuts_users_six_times_at_peak_and_4_3_on_average() -> None:
    """Podcast claim '1/4 to 1/5 the users': 1k+1k vs 1k+10k+1k (docs/peers.md case 4: 971 -> 224 averaged)."""
    short = fit(model="llama-3.1-70b", chip="h100", prompt=1000, output=1000, reserve_gb=0)
    long = fit(model="llama-3.1-70b", chip="h100", prompt=1000, output=11000, reserve_gb=0)
    assert short.avg_concurrent_sequences == 971 and long.avg_concurrent_sequences == 224
    assert short.max_concurrent_sequences / long.max_concurrent_sequences == pytest.approx(6.0, rel=0.02)
    assert short.avg_concurrent_sequences / long.avg_concurrent_sequences == pytest.approx(4.33, rel=0.02)


def test_does_not_fit_says_so_and_how_many_would() -> None:
    r = fit(model="llama-3.1-405b", chip="h100", gpus=8, weights_dtype="bf16")
    assert not r.fits
    assert r.max_concurrent_sequences == 0 and r.avg_concurrent_sequences == 0
    assert r.verdict.startswith("Does not fit")
    # 811.7 GB of weights over 72 GiB usable each needs 11 accelerators; 16 as a power-of-two TP group.
    assert r.min_accelerators == 11 and r.min_accelerators_power_of_two == 16
    assert fit(model="llama-3.1-405b", chip="h100", gpus=r.min_accelerators).fits
    assert not fit(model="llama-3.1-405b", chip="h100", gpus=r.min_accelerators - 1).fits


def test_reserve_reduces_budget() -> None:
    a = fit(model="llama-3.1-70b", chip="h100")
    b = fit(model="llama-3.1-70b", chip="h100", reserve_gb=4)
    assert b.kv_budget_bytes == a.kv_budget_bytes - 8 * 4 * 2**30


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"model": "llama-3.1-70b", "chip": "h1000"}, "chip"),
        ({"model": "llama-3.1-70b", "chip": "h100", "gpus": 0}, "gpus"),
        ({"model": "llama-3.1-70b", "chip": "h100", "gpu_mem_util": 0}, "gpu_mem_util"),
        ({"model": "llama-3.1-70b", "chip": "h100", "gpu_mem_util": 1.2}, "gpu_mem_util"),
        ({"model": "llama-3.1-70b", "chip": "h100", "prompt": -5}, "prompt"),
        ({"model": "llama-3.1-70b", "chip": "h100", "reserve_gb": -1}, "reserve_gb"),
    ],
)
def test_bad_input(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("memory_fit").run(args)
    assert err.value.field == field


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "deepseek-v3", "gpt-oss-120b", "mistral-7b"]),
    st.sampled_from(["h100", "h200", "b200", "mi300x", "a100"]),
    st.integers(1, 64),
    st.integers(1, 50_000),
    st.integers(0, 50_000),
    st.sampled_from(["bf16", "fp8", "int4"]),
)
def test_properties(model: str, chip: str, gpus: int, prompt: int, output: int, wd: str) -> None:
    r = fit(model=model, chip=chip, gpus=gpus, prompt=prompt, output=output, weights_dtype=wd)
    assert r.max_concurrent_sequences >= 0 and r.avg_concurrent_sequences >= r.max_concurrent_sequences
    assert r.fits == (r.max_concurrent_sequences >= 1)
    if r.fits:
        assert r.min_accelerators <= gpus
    longer = fit(model=model, chip=chip, gpus=gpus, prompt=prompt, output=output + 1000, weights_dtype=wd)
    assert longer.max_concurrent_sequences <= r.max_concurrent_sequences


# docs/peers.md case 4, the other two hand columns: decimal GB at 100 % and GiB at 100 % (llm-analysis / GenZ).
@pytest.mark.parametrize(
    ("model", "chip", "wdtype", "output", "decimal", "gib"),
    [
        ("llama-3.1-70b", "h100", "bf16", 1000, 761, 833),
        ("llama-3.1-70b", "h100", "bf16", 11000, 126, 138),
        ("llama-3.1-70b", "h200", "fp8", 1000, 3227, 3480),
        ("llama-3.1-405b", "h200", "bf16", 11000, 51, 64),
        ("llama-3.1-405b", "h100", "fp8", 1000, 453, 545),
    ],
)
def test_peers_case4_capacity_conventions(
    model: str, chip: str, wdtype: str, output: int, decimal: int, gib: int
) -> None:
    kw = dict(model=model, chip=chip, gpus=8, weights_dtype=wdtype, prompt=1000, output=output, gpu_mem_util=1)
    assert fit(**kw, capacity_unit="GB").max_concurrent_sequences == decimal
    assert fit(**kw).max_concurrent_sequences == gib


def test_memory_one_request_is_weights_plus_its_kv() -> None:
    r = fit(model="llama-2-7b", chip="a100", gpus=1, weights_dtype="fp16", prompt=1000, output=1000)
    assert r.memory_one_request_bytes == 13_476_831_232 + 524_288 * 2000


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(
        ["llama-3.1-70b", "deepseek-v3", "mixtral", "gpt-oss-120b", "gemma-2-27b", "mistral-7b", "opt-13b"]
    ),
    st.sampled_from(["h100", "h200", "mi300x", "groq", "tpu v5e", "trainium2"]),
    st.integers(1, 24),
    st.integers(1, 200_000),
    st.integers(0, 50_000),
    st.sampled_from(["bf16", "fp8", "fp4"]),
    st.sampled_from([None, "fp8", "bf16"]),
)
def test_conventions_and_one_request_properties(model, chip, gpus, prompt, output, wd, kv) -> None:
    """Decimal GB never admits more than GiB; memory_one_request = weights + peak KV; all finite."""
    kw = dict(model=model, chip=chip, gpus=gpus, prompt=prompt, output=output, weights_dtype=wd, kv_dtype=kv)
    gib = fit(**kw, capacity_unit="GiB")  # explicit: an SRAM-only chip (groq) reads decimal GB by default
    dec = fit(**kw, capacity_unit="GB")
    assert dec.max_concurrent_sequences <= gib.max_concurrent_sequences
    assert dec.capacity_bytes_per_gpu < gib.capacity_bytes_per_gpu
    assert abs(gib.memory_one_request_bytes - gib.weights_bytes - gib.kv_bytes_per_sequence_peak) <= 1
    assert gib.kv_bytes_per_sequence_avg <= gib.kv_bytes_per_sequence_peak
    assert gib.verdict and "at least 0 " not in gib.verdict
    assert not gib.fits or gib.memory_one_request_bytes <= gpus * gib.usable_bytes_per_gpu


def test_mla_on_several_gpus_also_gives_the_count_with_the_latent_kept_once() -> None:
    # DeepSeek-V3 fp8 (671e9 B) on 8 x 141e9 B, 10 % reserve, bf16 MLA cache, 4,096 + 4,096 tokens:
    # budget 8 x 126.9e9 - 671e9 = 344.2e9 B; one request 8,192 x 70,272 B = 575,668,224 B -> 597 when kept once;
    # replicated on each GPU the budget per GPU (43.025e9) holds 74.
    r = get("memory_fit").run(
        {"model": "deepseek-v3", "gpus": 8, "capacity_gb": 141, "reserve_frac": 0.1, "params": 671e9,
         "weights_dtype": "fp8", "kv_dtype": "bf16", "prompt": 4096, "output": 4096}
    )  # fmt: skip
    assert r.max_concurrent_sequences == 74
    assert r.max_concurrent_sequences_mla_pooled == 597 and "597 requests fit" in r.verdict
    gqa = get("memory_fit").run({"model": "llama-3.1-70b", "chip": "h100", "gpus": 8})
    assert gqa.max_concurrent_sequences_mla_pooled is None


def test_conventions_carry_capacity_and_the_weights_only_count() -> None:
    from tools.fit_conventions import other_conventions

    # 600e9 B of weights on 4 x 141 GB: decimal 564e9 B in all, ceil(600 / 141) = 5 cards; GiB 151.4e9 each -> 4
    gb, gib = other_conventions(141, 4, 600e9, None)
    assert (gb.capacity_bytes, gb.min_accelerators_weights_only, gb.free_after_weights_bytes) == (
        564_000_000_000,
        5,
        -36_000_000_000,
    )
    assert gib.capacity_bytes == 4 * 141 * 2**30 and gib.min_accelerators_weights_only == 4


def test_an_eight_bit_cache_read_from_the_weights_also_gives_the_bf16_count() -> None:
    # Llama-3.1-8B fp8 on one card of 40e9 B all usable: weights 8.03e9 B, free 31.97e9 B; bf16 KV 131,072 B/token
    # x 4,096 = 536,870,912 B -> floor(59.55) = 59; given a kv_dtype, no second count
    base = dict(model="llama-3.1-8b", capacity_gb=40, gpu_mem_util=1.0, gpus=1, prompt=2048, output=2048)
    r = memory_fit(MemoryFitInput(**base, weights_dtype="fp8"))
    expected = math.floor((40e9 - r.weights_bytes) / (131_072 * 4096))
    assert r.max_concurrent_sequences_kv_bf16 == expected and 55 <= expected <= 60
    assert (
        memory_fit(MemoryFitInput(**base, weights_dtype="fp8", kv_dtype="fp8")).max_concurrent_sequences_kv_bf16 is None
    )
