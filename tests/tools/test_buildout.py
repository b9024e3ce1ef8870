"""Campus build-out: the issue's check through the CLI, defaults, errors."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.cli.main import cli
from tools.buildout import BuildoutInput, buildout


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_issue_check_two_gigawatts_via_cli() -> None:
    r = run(
        "buildout",
        "--gw",
        "2",
        "--power-kw",
        "1.7",
        "--pue",
        "1",
        "--capex-per-accelerator",
        "40000",
        "--facility-capex-per-mw",
        "0",
        "--json",
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["accelerators"] == 1_176_470  # floor(2,000,000 kW / 1.7 kW)
    assert round(data["total_capex_usd"] / 1e9, 2) == 47.06
    assert data["it_power_mw"] == 2000 and data["facility_capex_usd"] == 0
    assert data["it_capex_usd"] == 1_176_470 * 40000
    for key in ("power_cost_per_year_usd", "formula", "assumptions", "inputs"):
        assert key in data


def test_pue_reduces_it_power_and_facility_scales_with_it_mw() -> None:
    r = buildout(BuildoutInput(gw=1, power_kw=1.0, pue=1.25, capex_per_accelerator=10000, facility_capex_per_mw=10e6))
    assert r.it_power_mw == pytest.approx(800)
    assert r.accelerators == 800_000
    assert r.facility_capex_usd == pytest.approx(800 * 10e6)
    assert r.total_capex_usd == pytest.approx(800_000 * 10000 + 8e9)


def test_power_cost_per_year_at_full_load() -> None:
    r = buildout(BuildoutInput(gw=1, power_kw=1.0, capex_per_accelerator=1, electricity=0.10))
    assert r.power_cost_per_year_usd == pytest.approx(1e6 * 8760 * 0.10)


def test_chip_defaults_are_sourced() -> None:
    r = buildout(BuildoutInput(gw=2, chip="h100"))
    assert r.power_kw_per_accelerator == 1.37 and r.capex_per_accelerator == 33600
    assert r.accelerators == int(2e6 / 1.3 / 1.37)
    assert any("InferenceX" in a for a in r.assumptions)
    assert any(a.startswith("pue = 1.3 (source:") for a in r.assumptions)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--gw", "0", "--chip", "h100"], "gw"),
        (["--gw", "-1", "--chip", "h100"], "gw"),
        (["--gw", "1", "--chip", "h100", "--power-kw", "0"], "power_kw"),
        (["--gw", "1", "--chip", "h100", "--electricity", "-0.01"], "electricity"),
        (["--gw", "1", "--chip", "h100", "--facility-capex-per-mw", "-1"], "facility_capex_per_mw"),
        (["--gw", "1", "--capex-per-accelerator", "1000"], "power_kw"),
        (["--gw", "1", "--power-kw", "1"], "capex_per_accelerator"),
        (["--gw", "1", "--chip", "b200"], "capex_per_accelerator"),
    ],
)
def test_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    r = run("buildout", *args)
    assert r.exit_code == 2, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:"), r.output


@settings(max_examples=100, deadline=None)
@given(
    st.floats(0.01, 10),
    st.sampled_from(["h100", "b200", "gb200", "mi300x", "trainium2", "tpu v5p", "tpu v7", "gaudi3"]),
    st.floats(1.0, 2.0),
)
def test_buildout_properties(gw: float, chip: str, pue: float) -> None:
    """Chips' all-in power never exceeds the IT power; more power never holds fewer chips; all finite."""
    r = buildout(BuildoutInput(gw=gw, chip=chip, pue=pue, capex_per_accelerator=20_000))
    assert r.accelerators * r.power_kw_per_accelerator <= r.it_power_mw * 1000 * (1 + 1e-9)
    assert r.total_capex_usd >= r.it_capex_usd >= 0
    bigger = buildout(BuildoutInput(gw=gw * 1.5, chip=chip, pue=pue, capex_per_accelerator=20_000))
    assert bigger.accelerators >= r.accelerators
