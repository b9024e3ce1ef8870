"""The December-2026 catalog: current chips and models, dated prices with a basis, preliminary warnings.

Expected KV figures are the architecture formula on each model's released config (models.csv sources):
Kimi-K2 MLA 61 x (512 + 64) x 2 B = 70,272; Qwen3-235B-A22B 94 x 2 x 4 x 128 x 2 = 192,512;
Qwen3-32B 64 x 2 x 8 x 128 x 2 = 262,144; GLM-4.5 92 x 2 x 8 x 128 x 2 = 376,832.
"""

from __future__ import annotations

import pytest

from tools.catalog import (
    accelerators,
    find_accelerator,
    find_model,
    models,
    price_rows,
)
from tools.catalog_freshness import stale_rows
from tools.registry import get
from tools.tco import TCOInput, tco


@pytest.mark.parametrize(
    ("model", "per_token"),
    [
        ("kimi-k2", 70_272),
        ("qwen3-235b-a22b", 192_512),
        ("qwen3-32b", 262_144),
        ("glm-4.5", 376_832),
        ("glm 4.5 air", 188_416),
    ],
)
def test_kv_bytes_per_token_of_current_models(model: str, per_token: int) -> None:
    r = get("kv_cache").run({"model": model, "kv_dtype": "bf16", "context": 1000})
    assert r.bytes_per_token == per_token
    assert r.bytes_per_sequence == per_token * 1000


def test_llama4_chunked_layers_hold_one_chunk() -> None:
    spec = find_model("llama 4 scout")
    assert spec.window_kind == "chunked" and spec.sliding_window == 8192 and spec.sliding_layers == 36
    r = get("kv_cache").run({"model": "llama-4-scout", "context": 100_000})
    # 36 chunked layers hold 8,192 tokens, 12 global layers hold all 100,000: 2 x 8 x 128 x 2 B per layer-token
    assert r.bytes_per_sequence == (36 * 8192 + 12 * 100_000) * 2 * 8 * 128 * 2


def test_deepseek_v31_is_an_alias_of_the_v3_row() -> None:
    assert find_model("deepseek-v3.1").name == find_model("deepseek v3.1 terminus").name == "DeepSeek-V3 / DeepSeek-R1"
    assert find_model("deepseek-v3.2").name == "DeepSeek-V3.2"


@pytest.mark.parametrize("chip", ["rubin", "mi455x", "trainium3"])
def test_memory_fit_runs_on_new_chips(chip: str) -> None:
    r = get("memory_fit").run({"model": "llama-3.1-70b", "chip": chip, "gpus": 8})
    assert r.fits and r.max_concurrent_sequences > 0


@pytest.mark.parametrize("chip", ["rubin", "mi455x"])
def test_preliminary_chip_warns_in_every_result(chip: str) -> None:
    name = find_accelerator(chip).name
    for tool, args in (
        ("memory_fit", {"model": "llama-3.1-70b", "chip": chip, "gpus": 8}),
        ("throughput", {"model": "llama-3.1-70b", "chip": chip, "gpus": 8, "weights_dtype": "fp8"}),
    ):
        r = get(tool).run(args)
        assert r.assumptions[0].startswith(f"WARNING: {name} figures are PRELIMINARY"), (tool, r.assumptions[0])
    shipped = get("memory_fit").run({"model": "llama-3.1-70b", "chip": "h100", "gpus": 8})
    assert not any("PRELIMINARY" in a for a in shipped.assumptions)


def test_trainium3_memory_is_gib_from_the_neuron_docs() -> None:
    chip = find_accelerator("trn3")
    assert chip.memory_gb == 144 and chip.memory_unit == "GiB" and chip.status == "shipping"
    assert find_accelerator("tpu v7").memory_unit == "GiB" and find_accelerator("tpu v7").bf16_dense_tflops == 2307


def test_b300_corrections() -> None:
    chip = find_accelerator("b300")
    assert chip.mem_bw_tbps == 8.0 and chip.tdp_w == 1200


@pytest.mark.parametrize(("chip", "basis", "value"), [("h200", "reference", 1.2174), ("b200", "reference", 1.7349)])
def test_h200_and_b200_are_costed_from_a_sourced_reference(chip: str, basis: str, value: float) -> None:
    r = tco(TCOInput(chip=[chip]))
    c = r.chips[0]
    assert c.cost_basis == basis and c.cost_per_accelerator_hour == value and c.capex is None
    assert c.price_date and "C_jul2026_model" in c.price_date
    assert any("no sourced all-in price" in a and "reference" in a for a in r.assumptions)
    assert not any(a.startswith("pue =") for a in r.assumptions)  # PUE and the rest do not enter a reference figure


def test_price_mode_names_basis_and_date() -> None:
    r = tco(TCOInput(chip=["h100"]))
    assert r.chips[0].cost_basis == "price" and r.chips[0].price_basis == "server_all_in"
    assert any("basis server_all_in" in a and "dated 2023-05-29" in a for a in r.assumptions)
    gaudi = tco(TCOInput(chip=["gaudi3"]))
    assert any("LOWER BOUND" in a for a in gaudi.assumptions)


def test_every_chip_is_priced_or_named_as_unpriced() -> None:
    """Every catalog chip, with no price given: a figure whose basis and date the answer states, or the clear
    statement that no public price exists (reason, date checked) and which input to give instead."""
    from tools.defaults import no_public_price
    from tools.errors import InputError

    priced, unpriced = [], []
    for chip in accelerators():
        try:
            r = tco(TCOInput(chip=[chip.name]))
        except InputError as exc:
            assert exc.field == "capex_per_accelerator"
            assert f"{chip.name}: no public price exists (checked 2026-12-07)" in str(exc), str(exc)
            assert "--capex-per-accelerator" in str(exc) and "--server-price" in str(exc)
            unpriced.append(chip.name)
            continue
        c = r.chips[0]
        assert c.cost_per_accelerator_hour > 0 and c.price_basis and c.price_date, chip.name
        label = [a for a in r.assumptions if a.startswith(f"{chip.name}: ") and "basis" in a]
        assert label and f"dated {c.price_date}" in label[0], (chip.name, r.assumptions)
        priced.append(chip.name)
    assert sorted(unpriced) == sorted(no_public_price())
    assert len(priced) == 19 and len(unpriced) == 5


@pytest.mark.parametrize(
    ("chip", "per_hour", "date"),
    [
        ("tpu v4", 3.22, "2026-12-07"),
        ("tpu v5e", 1.2, "2026-12-07"),
        ("tpu v5p", 4.2, "2026-12-07"),
        ("tpu v6e", 2.7, "2024-12-11"),
        ("inferentia2", 1.0818, "2026-09-01"),  # inf2.48xlarge $12.98127 / 12 chips
    ],
)
def test_rented_only_chips_are_costed_at_their_list_rental(chip: str, per_hour: float, date: str) -> None:
    c = tco(TCOInput(chip=[chip])).chips[0]
    assert c.cost_basis == "reference" and c.cost_per_accelerator_hour == per_hour and c.price_date == date
    assert c.price_basis.startswith("rental list price per accelerator-hour")


def test_no_public_price_rows_name_catalog_chips_without_a_price() -> None:
    from tools.defaults import no_public_price

    names = {c.name for c in accelerators()}
    for chip, row in no_public_price().items():
        assert chip in names and row["reason"] and row["source"] and row["checked_date"]
        assert not [p for p in price_rows() if p.chip == chip], chip


def test_a_catalog_lookup_inside_the_reference_table_does_not_warn() -> None:
    r = tco(TCOInput(chip=["a100"]))
    assert not any("PRELIMINARY" in a for a in r.assumptions)  # Rubin is a reference-table key, not in this answer


def test_conflicting_prices_keep_both_rows_with_one_default() -> None:
    h100 = [p for p in price_rows() if p.chip == "NVIDIA H100 SXM5 80GB"]
    assert {p.basis for p in h100} == {"server_all_in", "bom_per_accelerator", "chip"}
    assert [p.price_usd for p in h100 if p.default] == [33600]
    assert all(p.source and p.price_date for p in price_rows())


def test_stale_lists_old_rows_only() -> None:
    import datetime

    old = {r["name"] for r in stale_rows(6, today=datetime.date(2026, 12, 7))}
    assert "NVIDIA H100 SXM5 80GB" in old and "AWS Trainium3" in old  # 2025-12-02: 12 months
    fresh = {r["name"] for r in stale_rows(120, today=datetime.date(2026, 12, 7))}
    assert not fresh
    assert len(models()) == 24


@pytest.mark.parametrize("model", ["deepseek-r1", "deepseek-v3", "deepseek-v3.2"])
def test_deepseek_weights_default_to_their_released_fp8(model: str) -> None:
    r = get("memory_fit").run({"model": model, "chip": "h200", "gpus": 8})
    assert r.weights_bytes == 671e9 and r.inputs["weights_dtype"] == "fp8" and r.inputs["kv_dtype"] == "bf16"
    assert r.defaults_used["weights_dtype"] == "fp8" and "weights_dtype" not in r.inputs_given
    assert any(a.startswith("Weights in fp8:") and "released in fp8 only" in a for a in r.assumptions)
    t = get("throughput").run({"model": model, "chip": "h200", "gpus": 8})
    assert t.inputs["weights_dtype"] == "fp8" and t.peak_tflops_used == 1979
    upcast = get("memory_fit").run({"model": model, "chip": "h200", "gpus": 8, "weights_dtype": "bf16"})
    assert upcast.weights_bytes == 2 * 671e9 and not any(a.startswith("Weights in fp8:") for a in upcast.assumptions)


def test_bf16_models_keep_the_bf16_default() -> None:
    r = get("memory_fit").run({"model": "llama-3.1-70b", "chip": "h200", "gpus": 8})
    assert r.inputs["weights_dtype"] == "bf16" and not any(a.startswith("Weights in") for a in r.assumptions)
    c = tco(TCOInput(chip=["h200"], model="deepseek-r1"))
    assert any("DeepSeek-V3 / DeepSeek-R1 fp8 on 8 x" in a for a in c.assumptions)


@pytest.mark.parametrize(("kv_dtype", "per_token"), [("bf16", 78_324), ("fp8_ds_mla", 48_068), ("fp8", 43_188)])
def test_deepseek_v32_counts_its_indexer_key_cache(kv_dtype: str, per_token: int) -> None:
    """61 layers x (MLA latent in kv_dtype + 132 B indexer key: 128 fp8 + one fp32 scale, vLLM's layout)."""
    r = get("kv_cache").run({"model": "deepseek-v3.2", "kv_dtype": kv_dtype, "context": 1000})
    assert r.bytes_per_token == per_token and r.bytes_per_sequence == per_token * 1000
    assert any("indexer key cache, 132 B per token per layer (8,052 B per token)" in a for a in r.assumptions)
    latent = 61 * (576 if kv_dtype == "fp8" else 656 if kv_dtype == "fp8_ds_mla" else 1152)
    assert any(a.startswith(f"MLA latent alone (indexer keys left out): {latent:,} B per token") for a in r.assumptions)
    v3 = get("kv_cache").run({"model": "deepseek-v3", "kv_dtype": "bf16", "context": 1000})
    assert v3.bytes_per_token == 70_272 and not any("indexer" in a for a in v3.assumptions)


def test_config_json_indexer_and_fp8_release_are_read() -> None:
    from tools.hf_config import spec_from_config

    cfg = {
        "num_hidden_layers": 61, "hidden_size": 7168, "num_attention_heads": 128, "vocab_size": 129280,
        "max_position_embeddings": 163840, "kv_lora_rank": 512, "qk_rope_head_dim": 64, "qk_nope_head_dim": 128,
        "index_head_dim": 128, "n_routed_experts": 256, "num_experts_per_tok": 8,
        "quantization_config": {"quant_method": "fp8", "fmt": "e4m3", "weight_block_size": [128, 128]},
    }  # fmt: skip
    spec = spec_from_config(cfg, "my-v32", params_b=671, active_params_b=37, source="test", added="2026-12-07")
    assert spec.index_head_dim == 128 and spec.release_weights_dtype == "fp8"
