"""buildout: stated power basis (facility GW, IT GW, all-in kW, an accelerator count), racks, the capex split."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools.errors import InputError
from tools.registry import get


def run(**args):
    return get("buildout").run(args)


def test_kw_all_in_is_not_divided_by_pue_again() -> None:
    a = run(gw=1, kw_all_in=2.5, pue=1.25, capex_per_accelerator=1)
    b = run(gw=1, kw_all_in=2.5, pue=1.6, capex_per_accelerator=1)
    assert a.accelerators == b.accelerators == 400_000
    assert a.power_kw_per_accelerator == pytest.approx(2.0)  # 2.5 / 1.25 of IT load each
    assert any("PUE not applied again" in x for x in a.assumptions)


def test_it_gw_applies_pue_only_to_facility_power_and_bill() -> None:
    # 0.5 GW IT x 1.3 = 650 MW facility; 650 MW x 8760 h x $0.08 = $455.52M a year
    r = run(it_gw=0.5, power_kw=1.25, pue=1.3, electricity=0.08, capex_per_accelerator=1)
    assert r.accelerators == 400_000 and r.facility_power_mw == pytest.approx(650)
    assert r.gw == pytest.approx(0.65) and r.power_cost_per_year_usd == pytest.approx(650_000 * 8760 * 0.08)


def test_accelerators_mode_with_kw_all_in() -> None:
    # 10,000 x 2 kW all-in = 20 MW facility; / PUE 1.25 = 16 MW IT
    r = run(accelerators=10_000, kw_all_in=2, pue=1.25, capex_per_accelerator=1)
    assert r.facility_power_mw == pytest.approx(20) and r.it_power_mw == pytest.approx(16)


def test_racks_round_down_for_power_and_up_for_a_count() -> None:
    power = run(it_gw=0.5, power_kw=1.25, gpus_per_rack=72, capex_per_accelerator=1)
    assert (power.racks, power.accelerators_left_over) == (5555, 400_000 - 5555 * 72)
    count = run(accelerators=400_000, power_kw=1.25, gpus_per_rack=72, capex_per_accelerator=1)
    assert count.racks == 5556 and count.accelerators_left_over is None


def test_capex_split_and_all_in_price() -> None:
    # 400,000 x (35,000 + 15,000) = $20B of IT capex; facility 500 MW x $10M = $5B
    r = run(
        it_gw=0.5, power_kw=1.25, accelerator_price=35000, other_capex_per_accelerator=15000, facility_capex_per_mw=10e6
    )
    assert r.capex_per_accelerator == 50000
    assert r.accelerator_capex_usd == pytest.approx(14e9) and r.other_capex_usd == pytest.approx(6e9)
    assert r.it_capex_usd == pytest.approx(20e9) and r.total_capex_usd == pytest.approx(25e9)
    assert "accelerator_price" in r.inputs_given and "capex_per_accelerator" not in r.defaults_used


def test_first_campus_check_unchanged() -> None:
    r = run(gw=2, power_kw=1.7, pue=1, capex_per_accelerator=40000, facility_capex_per_mw=0)
    assert r.accelerators == 1_176_470 and round(r.total_capex_usd_b, 2) == 47.06


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"power_kw": 1, "capex_per_accelerator": 1}, "gw"),
        ({"gw": 1, "it_gw": 1, "power_kw": 1, "capex_per_accelerator": 1}, "gw"),
        ({"gw": 1, "accelerators": 5, "power_kw": 1, "capex_per_accelerator": 1}, "gw"),
        ({"gw": 1, "power_kw": 1, "kw_all_in": 2, "capex_per_accelerator": 1}, "power_kw"),
        ({"gw": 1, "power_kw": 1, "capex_per_accelerator": 1, "accelerator_price": 2}, "capex_per_accelerator"),
        ({"gw": 1, "power_kw": 1, "other_capex_per_accelerator": 2}, "accelerator_price"),
        ({"gw": -1, "power_kw": 1, "capex_per_accelerator": 1}, "gw"),
        ({"accelerators": 0, "power_kw": 1, "capex_per_accelerator": 1}, "accelerators"),
        ({"gw": 1, "power_kw": 1, "capex_per_accelerator": 1, "gpus_per_rack": 0}, "gpus_per_rack"),
        ({"gw": 1, "kw_all_in": 0, "capex_per_accelerator": 1}, "kw_all_in"),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        get("buildout").run(args)
    assert err.value.field == field, str(err.value)


def test_cli_both_power_forms_is_one_line_naming_both() -> None:
    r = CliRunner().invoke(
        cli, ["buildout", "--gw", "1", "--power-kw", "1", "--kw-all-in", "2", "--capex-per-accelerator", "1"]
    )
    assert r.exit_code == 2 and r.output.count("\n") == 1 and "power_kw" in r.output and "kw_all_in" in r.output
