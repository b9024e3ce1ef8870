"""Inputs analysts actually try, found by the calculator audit: each gives a sane, finite value
with its caveat stated, or one InputError naming the field; never a crash or NaN."""

from __future__ import annotations

import math

import pytest

from tools.buildout import BuildoutInput, buildout
from tools.capex import CapexInput, capex
from tools.capex_history import COMPANY_ALIASES
from tools.catalog import find_model
from tools.errors import InputError
from tools.kv_cache import KVCacheInput, kv_cache
from tools.memory_fit import MemoryFitInput, memory_fit
from tools.registry import get
from tools.tco import TCOInput, tco
from tools.throughput import ThroughputInput, throughput


def fit(**kw):
    return memory_fit(MemoryFitInput(**kw))


def tput(**kw):
    return throughput(ThroughputInput(**kw))


def finite_numbers(result) -> None:
    """Every float/int in the result (nested) is finite."""

    def walk(value):
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return
        if isinstance(value, (int, float)):
            assert math.isfinite(value), value
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(result.model_dump())


# --- DeepSeek MLA: vLLM's fp8_ds_mla layout -------------------------------------------------


def test_fp8_ds_mla_is_656_bytes_per_layer() -> None:
    """vLLM MLAAttentionSpec: 512 fp8 latent + 4 fp32 scales + 64 bf16 RoPE = 656 B (docs/peers.md case 6)."""
    r = kv_cache(KVCacheInput(model="deepseek-v3", kv_dtype="fp8_ds_mla", context=1))
    assert r.bytes_per_token == 656 * 61 == 40_016
    explicit = kv_cache(
        KVCacheInput(layers=61, attention="mla", kv_lora_rank=512, rope_dim=64, kv_dtype="fp8_ds_mla", context=1)
    )
    assert explicit.bytes_per_token == 40_016


def test_fp8_ds_mla_on_a_gqa_model_is_an_input_error() -> None:
    for tool, args in [
        ("kv_cache", {"model": "llama-3.1-70b", "kv_dtype": "fp8_ds_mla", "context": 10}),
        ("memory_fit", {"model": "llama-3.1-70b", "chip": "h100", "kv_dtype": "fp8_ds_mla"}),
        ("throughput", {"model": "llama-3.1-70b", "chip": "h100", "kv_dtype": "fp8_ds_mla"}),
    ]:
        with pytest.raises(InputError) as err:
            get(tool).run(args)
        assert err.value.field == "kv_dtype" and "MLA" in str(err.value)


# --- MoE models ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["deepseek-v3", "mixtral", "gpt-oss-120b", "gpt-oss-20b"])
def test_moe_models_fit_and_decode(model: str) -> None:
    spec = find_model(model)
    r = fit(model=model, chip="h200", gpus=8, weights_dtype="fp8")
    assert r.parameters == round(spec.params_b * 1e9)  # every expert is held in memory
    assert any("MoE" in a for a in r.assumptions)
    finite_numbers(r)
    t = tput(model=model, chip="h200", gpus=8, weights_dtype="fp8", batch=32)
    finite_numbers(t)
    # Compute follows the active parameters: a dense model of the same total size would be slower.
    assert t.decode_tokens_per_s > 0 and t.bound in ("memory", "compute")
    assert any("MoE" in a for a in t.assumptions)


def test_moe_weights_read_grow_with_batch_up_to_all_experts() -> None:
    small = tput(model="deepseek-v3", chip="h200", gpus=8, weights_dtype="fp8", batch=1)
    large = tput(model="deepseek-v3", chip="h200", gpus=8, weights_dtype="fp8", batch=512)
    assert small.weights_read_bytes_per_step < large.weights_read_bytes_per_step
    assert large.weights_read_bytes_per_step <= 671e9


def test_gpt_oss_fp4_weights_with_fp8_kv_fit_one_h100() -> None:
    """GPT-OSS-120B ships MXFP4 experts and is served on one 80 GB GPU (OpenAI model card)."""
    r = fit(model="gpt-oss-120b", chip="h100", gpus=1, weights_dtype="fp4", kv_dtype="fp8", prompt=8000, output=2000)
    assert r.fits and r.weights_bytes == round(116.8e9 * 0.5)
    assert r.inputs["kv_dtype"] == "fp8"


# --- sliding windows at long context ------------------------------------------------------


def test_mistral_rolling_buffer_is_8x_smaller_at_32k() -> None:
    """Jiang et al. 2023 sec. 2: a 4,096-token window cuts the 32k-token cache 8x."""
    r = kv_cache(KVCacheInput(model="mistral-7b", context=32_768))
    assert r.bytes_per_token * 32_768 == 8 * r.bytes_per_sequence


def test_sliding_window_caps_decode_attention_flops() -> None:
    """Every Mistral layer attends to 4,096 keys, so decode compute is the same at 50k and 90k."""
    a = tput(model="mistral-7b", chip="h100", prompt=50_000, output=1, batch=8)
    b = tput(model="mistral-7b", chip="h100", prompt=90_000, output=1, batch=8)
    assert a.compute_time_s == pytest.approx(b.compute_time_s)
    assert a.memory_time_s == pytest.approx(b.memory_time_s)


def test_gemma_alternating_layers_grow_half_as_fast() -> None:
    short = kv_cache(KVCacheInput(model="gemma-2-27b", context=8_192)).bytes_per_sequence
    longer = kv_cache(KVCacheInput(model="gemma-2-27b", context=16_384)).bytes_per_sequence
    per_token_global = 23 * 2 * 16 * 128 * 2  # only the 23 global layers keep growing
    assert longer - short == per_token_global * 8_192


# --- tensor parallel beyond the KV heads --------------------------------------------------


def test_tp_beyond_kv_heads_does_not_shrink_kv_read_per_gpu() -> None:
    """Llama-3.1-70B has 8 KV heads: on 16 GPUs each still holds (and reads) one head."""
    t8 = tput(model="llama-3.1-70b", chip="h100", gpus=8, batch=64, mem_eff=1)
    t16 = tput(model="llama-3.1-70b", chip="h100", gpus=16, batch=64, mem_eff=1)
    kv_step = 64 * 327_680 / 8 * 2000 / 3.35e12  # one head per GPU, both layouts
    assert t8.memory_time_s - kv_step == pytest.approx(2 * (t16.memory_time_s - kv_step), rel=1e-9)
    assert any("replicated" in a for a in t16.assumptions)


def test_mla_latent_is_read_in_full_on_every_gpu() -> None:
    one = tput(
        model="deepseek-v3",
        chip="h200",
        gpus=1,
        weights_dtype="fp8",
        batch=64,
        prompt=30_000,
        output=2_000,
        mem_eff=0.7,
    )
    eight = tput(
        model="deepseek-v3",
        chip="h200",
        gpus=8,
        weights_dtype="fp8",
        batch=64,
        prompt=30_000,
        output=2_000,
        mem_eff=0.7,
    )
    kv = 64 * 70_272 / 2 * 32_000 / (0.7 * 4.8e12)  # fp8 latent, same on every GPU
    assert eight.memory_time_s - kv == pytest.approx((one.memory_time_s - kv) / 8, rel=1e-9)


def test_uneven_tp_counts_the_busiest_gpu() -> None:
    r = kv_cache(KVCacheInput(model="llama-3.1-70b", context=1, tp=3))
    assert r.bytes_per_token == 2 * 80 * 3 * 128 * 2  # ceil(8 / 3) = 3 heads on the busiest GPU
    assert any("uneven" in a for a in r.assumptions)
    m = fit(model="llama-3.1-70b", chip="h200", gpus=3)
    assert any("Uneven split" in a for a in m.assumptions)


# --- context beyond the model's max_context ------------------------------------------------


def test_context_beyond_max_context_is_computed_and_flagged() -> None:
    k = kv_cache(KVCacheInput(model="llama-2-7b", context=100_000))
    assert k.bytes_per_sequence == 524_288 * 100_000
    assert any("exceeds Llama-2-7B's max_context 4,096" in a for a in k.assumptions)
    m = fit(model="llama-2-7b", chip="h100", gpus=8, prompt=90_000, output=10_000)
    t = tput(model="llama-2-7b", chip="h100", prompt=90_000, output=10_000)
    for r in (m, t):
        assert any(a.startswith("WARNING") and "max_context" in a for a in r.assumptions)
    ok = kv_cache(KVCacheInput(model="llama-2-7b", context=4_096))
    assert not any("max_context" in a for a in ok.assumptions)


# --- chips without FLOPS, without memory to speak of, without power ------------------------


def test_chip_without_flops_for_the_dtype_falls_back_and_says_so() -> None:
    r = tput(model="llama-3.1-70b", chip="a100", gpus=8, weights_dtype="fp8")
    assert r.peak_tflops_used == 312
    assert any("publishes no fp8_dense_tflops" in a for a in r.assumptions)


def test_groq_has_no_flops_and_holds_almost_nothing() -> None:
    with pytest.raises(InputError) as err:
        get("throughput").run({"model": "llama-3.1-8b", "chip": "groq"})
    assert err.value.field == "chip" and "no published dense FLOPS" in str(err.value)
    r = fit(model="llama-3.1-70b", chip="groq", gpus=8)
    assert not r.fits and r.min_accelerators > 600  # 141 GB over 0.23 GiB x 0.9 chips
    assert f"at least {r.min_accelerators} accelerators" in r.verdict
    finite_numbers(r)


def test_groq_memory_is_shown_as_sram_not_as_zero_hbm() -> None:
    from tools.chip_specs import ChipSpecsInput, chip_specs
    from tools.text_charts import chip_table

    r = fit(model="llama-3.1-8b", chip="groq", gpus=8)
    assert r.verdict.startswith("Groq GroqChip LPU v1 has no HBM, only 0.23 GB of on-chip SRAM per chip")
    assert "cannot hold the model in HBM" in r.verdict and r.capacity_bytes_per_gpu == 230_000_000
    assert any("has no HBM" in a for a in r.assumptions)
    specs = chip_specs(ChipSpecsInput(chips=["groq", "h100"]))
    row = next(line for line in chip_table(specs).splitlines() if line.startswith("Groq"))
    assert "0.23 SRAM" in row and any("has no HBM" in a for a in specs.assumptions)
    assert not any("has no HBM" in a for a in fit(model="llama-3.1-8b", chip="h100").assumptions)


def test_request_too_long_for_any_tp_group_says_why() -> None:
    r = fit(model="deepseek-v3", chip="groq", prompt=100_000, output=1_000)
    assert not r.fits and r.min_accelerators == 0
    assert "no tensor-parallel group fits one 101,000-token request" in r.verdict


def test_throughput_warns_when_the_deployment_cannot_hold_the_model() -> None:
    r = tput(model="llama-3.1-405b", chip="h100", gpus=1)
    assert any(a.startswith("WARNING: weights + KV") for a in r.assumptions)
    assert not any(a.startswith("WARNING: weights + KV") for a in tput(model="llama-3.1-8b", chip="h100").assumptions)


@pytest.mark.parametrize("chip", ["tpu v4", "tpu v5e", "tpu v5p", "tpu v6e"])
def test_tpu_power_estimated_from_the_catalog_note(chip: str) -> None:
    """Google publishes no TPU TDP; the catalog notes quote Epoch/SemiAnalysis estimates."""
    t = tco(TCOInput(chip=[chip], capex_per_accelerator=10_000))
    assert 0.3 < t.chips[0].power_kw < 1.0
    assert any("ESTIMATED" in a and "third-party TDP estimate" in a for a in t.assumptions)
    b = buildout(BuildoutInput(gw=1, chip=chip, capex_per_accelerator=10_000))
    assert b.power_kw_per_accelerator == t.chips[0].power_kw and b.accelerators > 0


def test_tpu_v7_uses_the_reference_power_row() -> None:
    t = tco(TCOInput(chip=["tpu v7"], capex_per_accelerator=10_000))
    assert t.chips[0].power_kw == 1.207


def test_chip_without_price_asks_for_capex() -> None:
    with pytest.raises(InputError) as err:
        get("tco").run({"chip": ["maia 200"]})
    assert err.value.field == "capex_per_accelerator" and "no public price exists" in str(err.value)


# --- capex: every single company with guidance ---------------------------------------------


@pytest.mark.parametrize("company", sorted(set(COMPANY_ALIASES.values())))
@pytest.mark.parametrize("leases", [False, True])
def test_single_company_guidance_forecast_is_sane(company: str, leases: bool) -> None:
    r = capex(CapexInput(company=[company.lower()], method="guidance", include_leases=leases))
    finite_numbers(r)
    assert r.forecast and all(f.capex_usd_b > 0 for f in r.forecast)
    for g in r.guidance:
        by_year = {f.year: f for f in r.forecast}
        if g.year in by_year and by_year[g.year].basis == "guidance":
            assert by_year[g.year].capex_usd_b == g.capex_usd_b
