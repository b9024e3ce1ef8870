"""serving_cost: cost per token and per query, the compare scenario, prefill, a tco chip; bad input names the field."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.cli.main import cli
from tools.errors import InputError
from tools.registry import get
from tools.tco import TCOInput, tco

BASE = {
    "price_per_accelerator_hour": 2.0,
    "accelerators_per_replica": 8,
    "concurrent_streams": 64,
    "tokens_per_s_per_stream": 25,
    "output_tokens_per_query": 1500,
}


def run(**args):
    return get("serving_cost").run({**BASE, **args})


def test_aggregate_rate_equals_streams_times_rate() -> None:
    agg = get("serving_cost").run(
        {
            **{k: v for k, v in BASE.items() if k not in ("concurrent_streams", "tokens_per_s_per_stream")},
            "tokens_per_s_per_replica": 1600,
        }
    )
    assert agg.cost_per_query == pytest.approx(run().cost_per_query) and agg.seconds_per_answer is None


def test_reasoning_compare_fewer_users_more_tokens() -> None:
    # Podcast reasoning argument with PEERS.md case 4's concurrency: 728 streams at 1k+1k vs 121 at 1k+11k (70B bf16,
    # 8 x H100, vLLM 0.9). Same per-stream speed: cost per query grows (11000 / 121) / (1000 / 728) = 66.18x.
    r = run(
        concurrent_streams=728,
        tokens_per_s_per_stream=20,
        output_tokens_per_query=1000,
        compare="concurrent_streams=121,output_tokens_per_query=11000",
    )
    assert r.ratios.cost_per_query == pytest.approx((11000 / 121) / (1000 / 728))
    assert r.ratios.cost_per_million_tokens == pytest.approx(728 / 121)
    assert r.ratios.concurrent_streams == pytest.approx(121 / 728)
    assert r.compared.output_tokens_per_query == 11000 and r.compared.concurrent_streams == 121


def test_compare_accepts_a_dict_from_an_llm() -> None:
    r = run(compare={"utilization": 0.5})
    assert r.ratios.cost_per_query == pytest.approx(2.0)


def test_utilization_scales_cost() -> None:
    assert run(utilization=0.5).cost_per_million_tokens == pytest.approx(2 * run().cost_per_million_tokens)


def test_prompt_tokens_charged_at_decode_rate_or_prefill_rate() -> None:
    # decode rate: (1500 + 500) / 1600 replica-s; prefill at 16,000 tok/s: 1500/1600 + 500/16000
    same = run(prompt_tokens_per_query=500)
    assert same.queries_per_hour == pytest.approx(3600 / (2000 / 1600))
    assert same.cost_per_million_tokens == pytest.approx(run().cost_per_million_tokens)
    fast = run(prompt_tokens_per_query=500, prefill_tokens_per_s_per_replica=16000)
    assert fast.queries_per_hour == pytest.approx(3600 / (1500 / 1600 + 500 / 16000))
    assert fast.cost_per_million_output_tokens == pytest.approx(fast.cost_per_query / 1500 * 1e6)


def test_chip_price_comes_from_tco() -> None:
    r = get("serving_cost").run(
        {**{k: v for k, v in BASE.items() if k != "price_per_accelerator_hour"}, "chip": "h100"}
    )
    assert r.price_per_accelerator_hour == pytest.approx(tco(TCOInput(chip=["h100"])).cost_per_accelerator_hour)
    assert any("tco cost per installed hour" in a for a in r.assumptions)


def test_without_tokens_per_query_only_per_token() -> None:
    r = get("serving_cost").run({k: v for k, v in BASE.items() if k != "output_tokens_per_query"})
    assert r.cost_per_query is None and r.cost_per_million_tokens == pytest.approx(2.7778, abs=1e-4)


def test_zero_price_is_a_valid_what_if() -> None:
    assert run(price_per_accelerator_hour=0).cost_per_query == 0


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"tokens_per_s_per_stream": 0}, "tokens_per_s_per_stream"),
        ({"tokens_per_s_per_stream": -5}, "tokens_per_s_per_stream"),
        ({"utilization": 0}, "utilization"),
        ({"utilization": 1.2}, "utilization"),
        ({"price_per_accelerator_hour": -1}, "price_per_accelerator_hour"),
        ({"chip": "h100"}, "price_per_accelerator_hour"),
        ({"tokens_per_s_per_replica": 1600}, "tokens_per_s_per_replica"),
        ({"accelerators_per_replica": 0}, "accelerators_per_replica"),
        ({"output_tokens_per_query": 0}, "output_tokens_per_query"),
        ({"compare": "streams=4"}, "compare"),
        ({"compare": "concurrent_streams=abc"}, "compare"),
        ({"compare": "utilization=2"}, "compare"),
        ({"chip": "h900", "price_per_accelerator_hour": None}, "chip"),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("serving_cost").run({**BASE, **args})
    assert err.value.field == field, str(err.value)


def test_missing_shape_names_the_field() -> None:
    with pytest.raises(InputError) as err:
        get("serving_cost").run(
            {"price_per_accelerator_hour": 2, "accelerators_per_replica": 8, "concurrent_streams": 4}
        )
    assert err.value.field == "tokens_per_s_per_stream"
    with pytest.raises(InputError) as err:
        get("serving_cost").run({"price_per_accelerator_hour": 2, "tokens_per_s_per_replica": 100})
    assert err.value.field == "accelerators_per_replica"


def test_cli_compare_and_errors() -> None:
    args = [
        "serving-cost",
        "--price-per-accelerator-hour",
        "2",
        "--accelerators-per-replica",
        "8",
        "--concurrent-streams",
        "64",
        "--tokens-per-s-per-stream",
        "25",
        "--output-tokens-per-query",
        "1500",
    ]
    r = CliRunner().invoke(cli, [*args, "--compare", "concurrent_streams=16,output_tokens_per_query=11500", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    # 16 x 25 = 400 tok/s; 11,500 / 400 = 28.75 s -> 125.2 queries/h -> 16 / 125.2 = $0.12778
    assert data["compared"]["cost_per_query"] == pytest.approx(16 / (3600 / 28.75))
    text = CliRunner().invoke(cli, [*args, "--compare", "concurrent_streams=16"])
    assert "compared" in text.output and "ratio" in text.output
    bad = CliRunner().invoke(cli, [*args, "--tokens-per-s-per-stream", "0"])
    assert (
        bad.exit_code == 2 and bad.output.startswith("error: tokens_per_s_per_stream:") and bad.output.count("\n") == 1
    )


@settings(max_examples=60, deadline=None)
@given(
    price=st.floats(0.01, 50),
    n=st.integers(1, 72),
    streams=st.integers(1, 2048),
    rate=st.floats(0.5, 500),
    tokens=st.floats(1, 1e5),
    util=st.floats(0.01, 1.0),
)
def test_cost_per_query_times_queries_is_the_replica_cost(price, n, streams, rate, tokens, util) -> None:
    r = get("serving_cost").run(
        {
            "price_per_accelerator_hour": price,
            "accelerators_per_replica": n,
            "concurrent_streams": streams,
            "tokens_per_s_per_stream": rate,
            "output_tokens_per_query": tokens,
            "utilization": util,
        }
    )
    assert r.cost_per_query * r.queries_per_hour == pytest.approx(price * n)
    assert r.cost_per_million_tokens > 0 and r.cost_per_1k_queries == pytest.approx(1000 * r.cost_per_query)
