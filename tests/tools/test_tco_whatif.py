"""tco with the analyst's numbers: server-level inputs, facility none, paired chip prices, revenue and payback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from agent.cli.main import cli
from tools.errors import InputError
from tools.registry import get

LEAN = {
    "networking_fraction": 0,
    "maintenance": 0,
    "facility": "none",
    "cost_of_capital": 0,
    "years": 4,
    "utilization": 1,
}


def run(**args):
    return get("tco").run(args)


def test_server_inputs_equal_per_accelerator_inputs() -> None:
    server = run(server_price=240000, gpus_per_server=8, server_kw=10, **LEAN)
    per_acc = run(capex_per_accelerator=30000, power_kw=1.25, **LEAN)
    assert server.cost_per_accelerator_hour == per_acc.cost_per_accelerator_hour
    assert server.capex.server_usd == 30000 and server.chips[0].power_kw == 1.25
    assert any("straight-line" in a for a in server.assumptions)
    assert any("server price (240,000 USD) / 8" in a for a in server.assumptions)


def test_facility_none_bills_power_only() -> None:
    # 1 kW x PUE 1.3 x 8760 x $0.10 = 1,138.80 a year, no facility capex or rent
    r = run(capex_per_accelerator=30000, power_kw=1, pue=1.3, electricity=0.10, **LEAN)
    assert r.annual.facility_usd == 0 and r.capex.facility_usd == 0
    assert r.annual.power_usd == pytest.approx(1138.8)
    assert any("facility none" in a for a in r.assumptions)


def test_facility_colo_without_a_rate_uses_the_sourced_default() -> None:
    r = run(capex_per_accelerator=30000, power_kw=1, facility="colo")
    assert r.annual.facility_usd == pytest.approx(184.06 * 12)  # CBRE H2 2024 $184.06 per kW-month
    assert any("CBRE" in a for a in r.assumptions)


def test_zero_electricity_and_zero_opex_are_valid() -> None:
    r = run(capex_per_accelerator=30000, power_kw=1, electricity=0, other_opex_per_year=0, **LEAN)
    assert r.annual.power_usd == 0 and r.cost_per_accelerator_hour == pytest.approx(30000 / 4 / 8760)


def test_other_opex_enters_the_hourly_cost_per_accelerator() -> None:
    # $87,600 a year over 10 accelerators = $1 per accelerator-hour on top
    base = run(capex_per_accelerator=30000, power_kw=1, count=10, **LEAN)
    more = run(capex_per_accelerator=30000, power_kw=1, count=10, other_opex_per_year=87600, **LEAN)
    assert more.cost_per_accelerator_hour - base.cost_per_accelerator_hour == pytest.approx(1.0)


def test_two_chips_each_with_their_own_price_and_rental() -> None:
    r = run(chip=["h100", "b200"], capex_per_accelerator=[30000, 45000], rental_price=[2.0, 3.5])
    h100, b200 = r.chips
    assert (h100.capex_per_accelerator, b200.capex_per_accelerator) == (30000, 45000)
    assert (h100.rental_price, b200.rental_price) == (2.0, 3.5)
    for c in r.chips:
        assert c.margin_per_used_hour == pytest.approx(c.rental_price - c.cost_per_used_hour)
        assert c.break_even_utilization == pytest.approx(c.cost_per_accelerator_hour / c.rental_price)
    assert [row.payback_years for row in r.comparison] == [c.payback_years for c in r.chips]


def test_one_rental_price_for_every_chip() -> None:
    r = run(chip=["h100", "b200"], capex_per_accelerator=[30000, 45000], rental_price=2.2)
    assert [c.rental_price for c in r.chips] == [2.2, 2.2]


def test_no_payback_when_cash_flow_is_not_positive() -> None:
    r = run(capex_per_accelerator=30000, power_kw=1, rental_price=0.01, other_opex_per_year=1e6, **LEAN)
    assert r.payback_years is None and r.annual_net_cash_flow_usd < 0 and "never recovered" in r.payback_note


def test_sold_fraction_defaults_to_utilization() -> None:
    r = run(capex_per_accelerator=30000, power_kw=1, rental_price=2, utilization=0.5)
    assert r.annual_revenue_usd == pytest.approx(2 * 8760 * 0.5)
    assert r.defaults_used["sold_fraction"] == 0.5


def test_cash_opex_excludes_capital_but_counts_colo_rent() -> None:
    # colo $100/kW-month x 1 kW x 12 = 1,200; power 1 x 1 x 8760 x 0.1 = 876; maintenance 0.02 x 30,000 = 600
    r = run(
        capex_per_accelerator=30000,
        power_kw=1,
        pue=1,
        electricity=0.1,
        colo=100,
        networking_fraction=0,
        maintenance=0.02,
        rental_price=2,
        sold_fraction=1,
    )
    assert r.annual_cash_opex_usd == pytest.approx(1200 + 876 + 600)
    assert r.payback_years == pytest.approx(30000 / (2 * 8760 - 2676))


def test_rental_lines_are_printed_for_every_chip() -> None:
    out = (
        CliRunner()
        .invoke(
            cli,
            [
                "tco",
                "--chip",
                "h100",
                "--chip",
                "b200",
                "--capex-per-accelerator",
                "30000",
                "--capex-per-accelerator",
                "45000",
                "--rental-price",
                "2.2",
            ],
        )
        .output
    )
    assert "payback" in out and out.count("2.200") >= 2


@pytest.mark.parametrize(
    ("args", "field", "names"),
    [
        ({"chip": ["h100", "b200"], "capex_per_accelerator": [30000]}, "capex_per_accelerator", ()),
        ({"chip": ["h100"], "capex_per_accelerator": [30000, 40000]}, "capex_per_accelerator", ()),
        (
            {"chip": ["h100", "b200", "mi300x"], "capex_per_accelerator": [1, 2, 3], "rental_price": [2, 3]},
            "rental_price",
            (),
        ),
        (
            {"capex_per_accelerator": 30000, "server_price": 240000, "gpus_per_server": 8, "power_kw": 1},
            "capex_per_accelerator",
            ("server_price",),
        ),
        (
            {"capex_per_accelerator": 30000, "power_kw": 1, "server_kw": 10, "gpus_per_server": 8},
            "power_kw",
            ("server_kw",),
        ),
        ({"server_price": 240000, "power_kw": 1}, "gpus_per_server", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "facility": "owned", "colo": 150}, "facility", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "facility": "garage"}, "facility", ()),
        ({"capex_per_accelerator": -5, "power_kw": 1}, "capex_per_accelerator", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "rental_price": -2}, "rental_price", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "electricity": -0.1}, "electricity", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "tokens_per_s": 0}, "tokens_per_s", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "utilization": 0}, "utilization", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "utilization": 1.5}, "utilization", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "sold_fraction": 1.5}, "sold_fraction", ()),
        ({"capex_per_accelerator": 30000, "power_kw": 1, "other_opex_per_year": -1}, "other_opex_per_year", ()),
    ],
)
def test_bad_input_names_the_field(args: dict, field: str, names: tuple[str, ...]) -> None:
    with pytest.raises(InputError) as err:
        get("tco").run(args)
    assert err.value.field == field, str(err.value)
    for name in names:
        assert name in str(err.value)


def test_cli_count_mismatch_exits_2_with_one_line() -> None:
    r = CliRunner().invoke(
        cli, ["tco", "--chip", "h100", "--chip", "b200", "--capex-per-accelerator", "30000", "--json"]
    )
    assert r.exit_code == 2 and r.output.count("\n") == 1
    assert r.output.startswith("error: capex_per_accelerator: 1 value(s) for 2 chip(s)")


def test_cli_json_carries_the_new_fields() -> None:
    r = CliRunner().invoke(
        cli,
        [
            "tco",
            "--chip",
            "h100",
            "--rental-price",
            "2.2",
            "--sold-fraction",
            "0.65",
            "--count",
            "512",
            "--other-opex-per-year",
            "1500000",
            "--json",
        ],
    )
    data = json.loads(r.output)
    for key in ("annual_revenue_usd", "annual_net_cash_flow_usd", "payback_years", "inputs_given", "defaults_used"):
        assert key in data
    assert data["inputs_given"]["sold_fraction"] == 0.65 and "pue" in data["defaults_used"]


def test_own_inputs_figure_leaves_out_only_the_defaulted_adders() -> None:
    from tools.tco import TCOInput, tco

    # hand: 25,000 / (4 x 8,760) + 1.1 kW x 1.3 x $0.08 = 0.71347 + 0.1144 = 0.82787 $/h
    r = tco(TCOInput(chip=["mi300x"], capex_per_accelerator=[25_000], years=4, power_kw=1.1, pue=1.3, electricity=0.08))
    c = r.chips[0]
    assert abs(c.own_inputs_cost_per_accelerator_hour - 0.82787) < 1e-4
    assert c.own_inputs_left_out == ["cost of capital", "networking", "maintenance", "facility"]
    assert c.cost_per_accelerator_hour > c.own_inputs_cost_per_accelerator_hour
    # a stated adder stays in: 8 % cost of capital given, the rest defaulted
    r8 = tco(TCOInput(chip=["h100"], capex_per_accelerator=[30_000], years=5, cost_of_capital=0.08))
    assert r8.chips[0].own_inputs_left_out == ["networking", "maintenance", "facility"]


def test_no_own_inputs_figure_without_own_terms_or_without_defaulted_adders() -> None:
    from tools.tco import TCOInput, tco

    assert tco(TCOInput(chip=["h100"])).chips[0].own_inputs_cost_per_accelerator_hour is None  # the catalog's cost
    stated = TCOInput(
        chip=["h100"], capex_per_accelerator=[30_000], cost_of_capital=0, networking_fraction=0, maintenance=0,
        facility="none",
    )  # fmt: skip
    assert tco(stated).chips[0].own_inputs_cost_per_accelerator_hour is None


def test_a_sourced_hourly_cost_refuses_inputs_it_cannot_honour() -> None:
    from tools.errors import InputError
    from tools.tco import TCOInput, tco

    # GB200 is costed from a sourced $/accelerator-hour (no price): a stated life or power price cannot change it
    for extra in ({"years": 6}, {"electricity": 0.05}, {"cost_of_capital": 0.0}):
        with pytest.raises(InputError) as err:
            tco(TCOInput(chip=["gb200"], **extra))  # type: ignore[arg-type]
        assert err.value.field == next(iter(extra))
    assert (
        tco(TCOInput(chip=["gb200"], utilization=0.6)).chips[0].cost_basis == "reference"
    )  # utilization still applies
