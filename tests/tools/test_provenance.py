"""Every calculator result lists the inputs given and the defaults used, under the same two names."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools.registry import TOOLS, get
from tools.results import Worked

#: One small valid call per registry tool.
CALLS = {
    "kv_cache": {"model": "llama-3.1-70b", "context": 1000},
    "memory_fit": {"model": "llama-3.1-70b", "chip": "h100"},
    "throughput": {"model": "llama-3.1-70b", "chip": "h100"},
    "tco": {"chip": ["h100"]},
    "buildout": {"gw": 1, "chip": "h100"},
    "capex": {"company": ["meta"]},
    "serving_cost": {"price_per_accelerator_hour": 2, "accelerators_per_replica": 8, "tokens_per_s_per_replica": 1600},
    "growth": {"base": "2024=100", "rate": [0.25], "through": 2027},
}


def test_every_calculator_has_a_call() -> None:
    assert set(CALLS) == {t.name for t in TOOLS if issubclass(t.result_model, Worked)}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_given_and_defaults_are_listed_and_disjoint(name: str) -> None:
    r = get(name).run(dict(CALLS[name]))
    assert set(r.inputs_given) == set(CALLS[name])
    assert not set(r.defaults_used) & set(r.inputs_given)
    assert set(r.defaults_used) <= set(get(name).input_model.model_fields)


def test_catalog_defaults_are_listed_with_their_values() -> None:
    r = get("tco").run({"chip": ["h100"]})
    assert r.defaults_used["capex_per_accelerator"] == 33600.0 and r.defaults_used["pue"] == 1.3
    assert "gpus" not in r.defaults_used  # no model: the serving shape is not used


def test_kv_cache_without_a_length_reports_bytes_per_token() -> None:
    # Llama-3.1-8B fp16: 2 x 32 layers x 8 KV heads x 128 x 2 B = 131,072 B per token (model card shape)
    r = CliRunner().invoke(cli, ["kv-cache", "--model", "llama-3.1-8b", "--kv-dtype", "fp16", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["bytes_per_token"] == 131_072 and data["bytes_per_sequence"] is None and data["total_bytes"] is None
    assert data["inputs_given"] == {"model": "llama-3.1-8b", "kv_dtype": "fp16"}
