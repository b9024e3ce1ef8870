"""The fit under the other capacity conventions, given only when the analyst fixes no usable share."""

from __future__ import annotations

from tools.memory_fit import MemoryFitInput, memory_fit


def _by_unit(result: object) -> dict[str, int | None]:
    return {c.capacity_unit: c.max_concurrent_sequences for c in result.other_conventions}  # type: ignore[attr-defined]


def test_the_three_conventions_of_the_peer_case() -> None:
    # Llama-3.1-70B bf16 on 8 x H100, 1k + 1k: GiB x 0.9 = 728 (headline), decimal GB all usable 761, GiB all usable 833
    r = memory_fit(MemoryFitInput(model="llama-3.1-70b", chip="h100", gpus=8, prompt=1000, output=1000))
    assert r.max_concurrent_sequences == 728
    assert _by_unit(r) == {"GB": 761, "GiB": 833}
    gb = next(c for c in r.other_conventions if c.capacity_unit == "GB")
    assert gb.free_after_weights_bytes == 8 * 80 * 10**9 - r.weights_bytes


def test_a_capacity_in_bytes_keeps_its_unit_and_shows_the_all_usable_reading() -> None:
    # "80e9 bytes each": only the decimal reading of the analyst's figure, all of it usable
    r = memory_fit(MemoryFitInput(model="llama-3.1-8b", chip="h100", gpus=1, capacity_gb=80, prompt=4096, output=4096))
    assert [c.capacity_unit for c in r.other_conventions] == ["GB"]
    free = 80e9 - r.weights_bytes
    assert r.other_conventions[0].max_concurrent_sequences == int(free // (131_072 * 8192))


def test_a_stated_share_leaves_only_the_unit_open() -> None:
    # the analyst's share of the memory, read as decimal GB beside the GiB headline; nothing once the unit is fixed too
    for extra in ({"gpu_mem_util": 0.95}, {"reserve_frac": 0.1}, {"reserve_gb": 2.0}):
        r = memory_fit(MemoryFitInput(model="llama-3.1-70b", chip="h200", gpus=4, **extra))  # type: ignore[arg-type]
        assert [c.capacity_unit for c in r.other_conventions] == ["GB"]
    r = memory_fit(MemoryFitInput(model="llama-3.1-70b", chip="h200", gpus=4, reserve_frac=0.1, capacity_unit="GB"))
    assert r.other_conventions == []
    # hand: 4 x 141e9 x 0.9 - 141.11e9 of weights = 366.49e9 B free (decimal GB, 10 % kept free)
    r = memory_fit(MemoryFitInput(model="llama-3.1-70b", chip="h200", gpus=4, reserve_frac=0.1))
    assert abs(r.other_conventions[0].free_after_weights_bytes - (4 * 141e9 * 0.9 - r.weights_bytes)) < 4


def test_an_mla_cache_kept_once_across_the_gpus() -> None:
    # DeepSeek-V3 fp8 on 8 x H200 read as 141e9 B each: (1,128e9 - 671e9) / (70,272 B x 65,536) = 99.2 -> 99
    r = memory_fit(MemoryFitInput(model="deepseek-v3", chip="h200", gpus=8, prompt=1000, output=64536))
    gb = next(c for c in r.other_conventions if c.capacity_unit == "GB")
    assert gb.max_concurrent_sequences_pooled == 99
    assert gb.max_concurrent_sequences < gb.max_concurrent_sequences_pooled  # the latent replicated on each GPU
    dense = memory_fit(MemoryFitInput(model="llama-3.1-70b", chip="h200", gpus=8))
    assert all(c.max_concurrent_sequences_pooled is None for c in dense.other_conventions)


def test_weights_only_gives_free_memory_and_no_request_count() -> None:
    r = memory_fit(MemoryFitInput(chip="mi300x", gpus=4, params=235e9, weights_only=True))
    gb = next(c for c in r.other_conventions if c.capacity_unit == "GB")
    assert gb.max_concurrent_sequences is None
    assert gb.free_after_weights_bytes == 4 * 192 * 10**9 - 470 * 10**9
