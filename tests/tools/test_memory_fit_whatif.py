"""memory_fit with the analyst's numbers: params, decimal capacity, reserve fraction, weights only, batch headroom."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools.errors import InputError
from tools.registry import get

CASE = {
    "model": "llama-3.1-8b",
    "params": 8e9,
    "weights_dtype": "bf16",
    "kv_dtype": "fp16",
    "gpus": 1,
    "capacity_gb": 80,
    "gpu_mem_util": 1,
    "reserve_frac": 0.1,
    "prompt": 4096,
    "output": 4096,
}
KV_SEQ = 131_072 * 8192  # 2 x 32 layers x 8 KV heads x 128 x 2 B per token, 8,192 tokens


def run(**args):
    return get("memory_fit").run(args)


def test_headroom_and_largest_batch() -> None:
    # 72e9 usable - 16e9 weights - 60 x 1,073,741,824 = -8,424,509,440 B: 60 does not fit, 52 does
    r = run(**CASE, batch=60)
    assert r.headroom_bytes == 72_000_000_000 - 16_000_000_000 - 60 * KV_SEQ
    assert r.batch_fits is False and r.largest_batch_that_fits == 52
    ok = run(**CASE, batch=52)
    assert ok.batch_fits and ok.largest_batch_that_fits is None and ok.headroom_bytes == 56_000_000_000 - 52 * KV_SEQ


def test_reserve_frac_without_gpu_mem_util_starts_from_the_whole_memory() -> None:
    args = {k: v for k, v in CASE.items() if k != "gpu_mem_util"}
    r = run(**args)
    assert r.usable_bytes_per_gpu == 72_000_000_000 and r.max_concurrent_sequences == 52
    assert r.defaults_used.get("gpu_mem_util") == 1.0 and any("replaces vLLM's 0.9 margin" in a for a in r.assumptions)


def test_reserve_frac_and_util_both_given_are_both_applied() -> None:
    r = run(**{**CASE, "gpu_mem_util": 0.9})
    assert r.usable_bytes_per_gpu == 64_000_000_000  # 80e9 x (0.9 - 0.1)


def test_params_override_the_catalog() -> None:
    assert run(**CASE).parameters == 8_000_000_000
    catalog = run(**{k: v for k, v in CASE.items() if k != "params"})
    assert catalog.parameters != 8_000_000_000 and "params" not in catalog.defaults_used


def test_capacity_gb_is_decimal_and_overrides_the_chip() -> None:
    r = run(model="llama-3.1-70b", chip="h100", capacity_gb=80, gpu_mem_util=1)
    assert r.capacity_bytes_per_gpu == 80_000_000_000 and "capacity_unit" not in r.defaults_used


def test_weights_only_405b() -> None:
    # 405,853,388,800 x 2 B = 811.7 GB; H100 80 GiB x 0.9 = 77.31 GB usable -> ceil(10.5) = 11, TP group 16
    r = run(model="llama-3.1-405b", chip="h100", weights_only=True)
    assert r.min_accelerators_weights_only == 11 and r.weights_only_tp_group == 16
    assert r.fits is False and r.verdict.startswith("Weights do not fit")
    assert run(model="llama-3.1-405b", chip="h100", gpus=16, weights_only=True).fits


def test_weights_only_needs_no_model_or_chip() -> None:
    # 70e9 x 2 B = 140 GB on 80 GB at 100 % -> 2 accelerators
    r = run(params=70e9, capacity_gb=80, gpu_mem_util=1, weights_only=True, gpus=2)
    assert r.fits and r.min_accelerators_weights_only == 2 and r.headroom_bytes == 20_000_000_000
    assert r.model == "custom" and r.chip == "custom"


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"chip": "h100"}, "model"),
        ({"params": 7e9, "chip": "h100"}, "model"),
        ({"model": "llama-3.1-8b"}, "chip"),
        ({"model": "llama-3.1-8b", "chip": "h100", "params": -1}, "params"),
        ({"model": "llama-3.1-8b", "chip": "h100", "capacity_gb": 0}, "capacity_gb"),
        ({"model": "llama-3.1-8b", "chip": "h100", "reserve_frac": 1}, "reserve_frac"),
        ({"model": "llama-3.1-8b", "chip": "h100", "reserve_frac": 0.95, "gpu_mem_util": 0.9}, "reserve_frac"),
        ({"model": "llama-3.1-8b", "chip": "h100", "batch": 0}, "batch"),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("memory_fit").run(args)
    assert err.value.field == field, str(err.value)


def test_cli_weights_only_flag() -> None:
    r = CliRunner().invoke(cli, ["memory-fit", "--model", "llama-3.1-405b", "--chip", "h100", "--weights-only"])
    assert r.exit_code == 0, r.output
    assert "Weights do not fit" in r.output
