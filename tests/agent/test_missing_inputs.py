"""A cost per token or per query from an hourly price alone: the reply says what is missing, with no figure."""

from __future__ import annotations

from agent.input_accounting import stated_quantities
from agent.offline.missing_inputs import missing_for_unit_cost


def _reply(question: str, has_model: bool = False) -> str | None:
    return missing_for_unit_cost(question, stated_quantities(question), has_model)


def test_price_per_hour_alone_names_the_missing_throughput() -> None:
    reply = _reply("what's the cost per million tokens if I rent H100s at $2/hr?")
    assert reply is not None and "$2/hr" in reply and "tokens/s" in reply and "per million tokens" in reply
    query = _reply("serving cost per query for 1,200-token answers at $2.5/GPU-hr on 4 GPUs")
    assert query is not None and "per query" in query and "the tokens per query (output" not in query  # given
    assert "the accelerators per replica" not in query  # 4 GPUs were given


def test_a_throughput_or_a_model_makes_it_computable() -> None:
    assert _reply("$2/hr per GPU, 8 GPUs, 64 streams at 30 tok/s each: cost per million tokens?") is None
    assert _reply("cost per million tokens for llama 70b on h100 at $2/hr", has_model=True) is None
    assert _reply("what does an h100 cost per hour to own?") is None
