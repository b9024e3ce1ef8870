"""Catalog loading and forgiving lookup."""

from __future__ import annotations

import pytest

from tools.catalog import accelerators, find_accelerator, find_model, models
from tools.errors import InputError


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("h100", "NVIDIA H100 SXM5 80GB"),
        ("H100 SXM", "NVIDIA H100 SXM5 80GB"),
        ("nvidia h100", "NVIDIA H100 SXM5 80GB"),
        ("MI300X", "AMD Instinct MI300X"),
        ("Tranium2", "AWS Trainium2"),
        ("tpu v6e", "Google TPU v6e (Trillium)"),
    ],
)
def test_chip_aliases(query: str, name: str) -> None:
    assert find_accelerator(query).name == name


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("llama 3.1 405b", "Llama-3.1-405B"),
        ("llama-3.1-405b", "Llama-3.1-405B"),
        ("405b", "Llama-3.1-405B"),
        ("Llama-3.1-70B", "Llama-3.1-70B"),
        ("deepseek r1", "DeepSeek-V3 / DeepSeek-R1"),
        ("gpt-oss-120b", "GPT-OSS-120B"),
    ],
)
def test_model_aliases(query: str, name: str) -> None:
    assert find_model(query).name == name


def test_ambiguous_name_lists_candidates() -> None:
    with pytest.raises(InputError) as err:
        find_model("70b")
    assert {"Llama-2-70B", "Llama-3.1-70B"} <= set(err.value.suggestions)


def test_unknown_name_suggests_closest() -> None:
    with pytest.raises(InputError) as err:
        find_accelerator("h1000")
    assert err.value.field == "chip"
    assert "NVIDIA H100 SXM5 80GB" in err.value.suggestions


def test_every_row_is_sourced_and_typed() -> None:
    assert len(accelerators()) == 24 and len(models()) == 24  # +5 chips, +8 models (SOURCES.md: December 2026 update)
    assert all(a.sources for a in accelerators())
    assert all(m.sources for m in models())
    assert all(a.mem_bw_tbps > 0 and a.memory_gb > 0 for a in accelerators())


def test_alias_targets_are_unique() -> None:
    """An alias must not point at two rows, or lookup would depend on row order."""
    for rows in (accelerators(), models()):
        seen: dict[str, str] = {}
        for row in rows:
            for alias in row.aliases:
                key = alias.lower().replace(" ", "").replace("-", "")
                assert seen.setdefault(key, row.name) == row.name, alias
