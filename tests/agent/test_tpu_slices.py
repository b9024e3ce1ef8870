"""A TPU slice named by its size ("v6e-8", "v5p-16") is that many chips: TensorCores for v4/v5p, chips for v5e/v6e."""

from __future__ import annotations

import pytest

from agent.ask import ask
from agent.offline.tpu_slices import as_chip_count


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("a v5p-128 slice", "a 64 x v5p slice"),
        ("tpu v4-32", "16 x tpu v4"),
        ("v5litepod-16", "16 x v5e"),
        ("v6e-256 pod", "256 x v6e pod"),
        ("v5p-7", "v5p-7"),  # not a v5p slice size (two TensorCores per chip): left as written
        ("v6e-16gb", "v6e-16gb"),
    ],
)
def test_slice_sizes_become_chip_counts(text: str, written: str) -> None:
    assert as_chip_count(text) == written


def test_a_per_chip_price_on_a_slice_prices_every_chip() -> None:
    answer = ask("v6e-16 slice rented at $2.40 per chip-hour doing 5,000 tok/s total, cost per mtok?", model="offline")
    (call,) = [c for c in answer.tool_calls if c.name == "serving_cost"]
    assert call.args["accelerators_per_replica"] == 16
    # 16 x $2.40 = $38.40 an hour / (5,000 x 3,600 tokens) x 1e6 = $2.1333 per million tokens
    assert "$2.13 per million tokens" in answer.answer
    assert not answer.unused_inputs


def test_a_v5p_slice_counts_two_tensorcores_per_chip_in_a_fit() -> None:
    answer = ask("qwen3-32b bf16 on tpu v5p-8, how many 16k ctx seqs fit", model="offline")
    (fit,) = [c for c in answer.tool_calls if c.name == "memory_fit"]
    assert fit.args["gpus"] == 4
