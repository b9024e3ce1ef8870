"""A bill for stated tokens at a stated price per million tokens (agent/offline/token_bill.py)."""

from __future__ import annotations

import pytest

from agent.offline.token_bill import token_bill_calls
from tools.registry import get


def _values(question: str) -> list[float] | None:
    got = token_bill_calls(question, lambda name, args: (name, args))
    return None if got is None else [get(name).run(args).model_dump()["value"] for name, args in got[0]]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("each query is 1,200 tokens total (200 prompt + 1,000 output) and we charge only on output at $4 per M "
         "tokens. revenue per query?", [1000 * 4 / 1e6]),
        ("a model goes from 1,000 output tokens to 11,000 (10k of thinking). At $10 per million output tokens, "
         "what does one answer cost with vs without?", [1000 * 10 / 1e6, 11000 * 10 / 1e6]),
        ("3M input tokens at $0.50/Mtok plus 1M output tokens at $1.50/Mtok. total cost and blended $/Mtok?",
         [1.5, 1.5, 3.0, 0.75]),
        ("monthly bill for 1B output tokens/day at $0.60 per M tokens, 30-day month?", [600.0, 18000.0]),
    ],
)  # fmt: skip
def test_stated_tokens_at_a_stated_price(question: str, expected: list[float]) -> None:
    assert _values(question) == pytest.approx(expected)


def test_no_price_per_token_is_not_a_token_bill() -> None:
    assert _values("h100 at $2/hr serving 1,000 tokens per query at 50 tok/s: cost per query?") is None
