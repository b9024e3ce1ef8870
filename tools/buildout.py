"""What a data-center campus of a given power holds and costs, or what power N accelerators need.

The power basis is stated, never guessed (MW = 1000 kW, GW = 1000 MW):

    --gw           facility (utility) power:  IT MW = gw x 1000 / PUE
    --it-gw        IT load, no PUE applied:   IT MW = it_gw x 1000;  facility MW = IT MW x PUE
    --accelerators N the other way round:     IT MW = N x kW IT each / 1000;  facility MW = IT MW x PUE
    per accelerator: --power-kw is IT kW (PUE applied on top); --kw-all-in is facility kW with PUE already in
                     (not applied again; IT kW each = kw_all_in / PUE only to size the IT load for facility capex)

    accelerators         = floor(IT MW x 1000 / IT kW each)   (= floor(facility kW / kw_all_in))
    racks                = floor(accelerators / gpus_per_rack) whole racks that fit the power
                           (with --accelerators: ceil, the racks N needs)
    all-in price each    = capex_per_accelerator, or accelerator_price + other_capex_per_accelerator
                           (the whole IT bill per accelerator: the chip, the rest of the server and the network;
                           tco's IT capex per accelerator, capex x (1 + networking), is the same quantity)
    IT capex (USD)       = accelerators x all-in price each
    facility capex (USD) = IT MW x facility_capex_per_mw
    power cost / year    = facility MW x 1000 kW x 8760 h x electricity      (campus at full load)

Checks: 2 GW, 1.7 kW, PUE 1, $40,000, no facility capex -> 1,176,470 accelerators, 47.06 billion USD;
hand derivations: 1 GW at 2.5 kW all-in -> 400,000; 1 GW facility, 1.5 kW IT, PUE 1.25 -> 800 MW IT -> 533,333;
0.5 GW IT at 1.25 kW, 72 per rack -> 400,000 and 5,555 whole racks; 100,000 at 1.2 kW IT, PUE 1.3 -> 120 MW IT,
156 MW facility.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from tools import defaults as D
from tools.catalog import find_accelerator
from tools.errors import InputError
from tools.finance import HOURS_PER_YEAR
from tools.results import Worked, record_provenance
from tools.tco import defaults_used


class BuildoutInput(BaseModel):
    """How many accelerators a campus of a given power holds and what it costs, or the power N accelerators need."""

    gw: float | None = Field(None, gt=0, description="Facility (utility) power, GW; PUE applied to get the IT load.")
    it_gw: float | None = Field(None, gt=0, description="IT load, GW (no PUE applied; facility power = IT x PUE).")
    accelerators: int | None = Field(
        None, ge=1, description="Accelerators to house: gives the IT and facility MW they need."
    )
    chip: str | None = Field(None, description="Catalog accelerator (supplies default power and price).")
    power_kw: float | None = Field(
        None, gt=0, description="All-in IT power per accelerator, kW (default: reference CSV)."
    )
    kw_all_in: float | None = Field(
        None, gt=0, description="Facility power per accelerator, kW, PUE already included (PUE is not applied again)."
    )
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness (facility power / IT power).")
    capex_per_accelerator: float | None = Field(
        None,
        gt=0,
        description="All-in price per accelerator (chip, rest of server, network), USD (default: catalog "
        "est_price_usd).",
    )
    accelerator_price: float | None = Field(
        None, gt=0, description="Price of the accelerator itself, USD (splits the IT capex)."
    )
    other_capex_per_accelerator: float | None = Field(
        None, ge=0, description="Rest of server and network per accelerator, USD (with accelerator_price)."
    )
    gpus_per_rack: int | None = Field(None, ge=1, description="Accelerators per rack: adds whole racks.")
    facility_capex_per_mw: float = Field(
        D.FACILITY_CAPEX_PER_MW.value, ge=0, description="Facility capex, USD per MW of IT load."
    )
    electricity: float = Field(D.ELECTRICITY.value, ge=0, description="Electricity price, USD per kWh.")


class BuildoutResult(Worked):
    chip: str
    power_basis: str = Field(description="What was given: facility GW, IT GW or an accelerator count.")
    gw: float = Field(description="Facility (utility) power, GW.")
    facility_power_mw: float = Field(description="Facility power, MW (IT load x PUE).")
    it_power_mw: float
    power_kw_per_accelerator: float = Field(description="IT kW per accelerator.")
    kw_all_in_per_accelerator: float = Field(description="Facility kW per accelerator (IT kW x PUE).")
    capex_per_accelerator: float = Field(description="All-in price per accelerator, USD.")
    accelerators: int
    racks: int | None = Field(None, description="Whole racks that fit the power (or that the accelerators need).")
    accelerators_left_over: int | None = Field(None, description="Accelerators the power holds beyond the whole racks.")
    accelerator_capex_usd: float | None = Field(None, description="accelerators x accelerator_price.")
    other_capex_usd: float | None = Field(None, description="accelerators x other_capex_per_accelerator.")
    it_capex_usd: float
    facility_capex_usd: float
    total_capex_usd: float
    total_capex_usd_b: float = Field(description="total_capex_usd / 10^9.")
    energy_mwh_per_year: float = Field(description="Facility energy at full load, MWh per year.")
    power_cost_per_year_usd: float = Field(description="Facility energy x electricity price, USD per year.")


_DEFAULTED = {"pue": D.PUE, "facility_capex_per_mw": D.FACILITY_CAPEX_PER_MW, "electricity": D.ELECTRICITY}


def _basis(inp: BuildoutInput) -> str:
    given = [name for name in ("gw", "it_gw", "accelerators") if getattr(inp, name) is not None]
    if len(given) != 1:
        raise InputError(
            "gw",
            "give exactly one of gw (facility power), it_gw (IT load) or accelerators (a count)"
            + (f"; got {' and '.join(given)}." if given else "."),
        )
    if inp.power_kw is not None and inp.kw_all_in is not None:
        raise InputError(
            "power_kw",
            "give either power_kw (IT kW per accelerator) or kw_all_in (facility kW, PUE included), not both.",
        )
    return given[0]


def _all_in_price(inp: BuildoutInput) -> tuple[float | None, list[str]]:
    split = inp.accelerator_price is not None or inp.other_capex_per_accelerator is not None
    if not split:
        return inp.capex_per_accelerator, []
    if inp.capex_per_accelerator is not None:
        raise InputError(
            "capex_per_accelerator",
            "give either capex_per_accelerator (all-in) or accelerator_price with other_capex_per_accelerator, not "
            "both.",
        )
    if inp.accelerator_price is None:
        raise InputError(
            "accelerator_price", "other_capex_per_accelerator needs accelerator_price (USD per accelerator)."
        )
    other = inp.other_capex_per_accelerator or 0.0
    notes = [
        f"All-in price per accelerator = accelerator {inp.accelerator_price:,.0f} + rest of server and network "
        f"{other:,.0f} USD."
    ]
    if inp.other_capex_per_accelerator is None:
        notes.append(
            "No other_capex_per_accelerator: only the accelerator itself is counted (no rest of server or network)."
        )
    return inp.accelerator_price + other, notes


def _racks(inp: BuildoutInput, accelerators: int, basis: str) -> tuple[int | None, int | None, str | None]:
    per = inp.gpus_per_rack
    if per is None:
        return None, None, None
    if basis == "accelerators":
        racks = math.ceil(accelerators / per)
        return racks, None, f"{racks:,} racks of {per} hold {accelerators:,} accelerators (the last partly filled)."
    racks, left = divmod(accelerators, per)
    return racks, left, f"{racks:,} whole racks of {per}; power for {left:,} more accelerators is left (under a rack)."


def _power(inp: BuildoutInput, basis: str, it_kw: float) -> tuple[float, float, int]:
    """(facility MW, IT MW, accelerators) for the stated basis (formulas in the module docstring)."""
    if basis == "accelerators":
        n = inp.accelerators or 0
        it_mw = n * it_kw / 1000
        return it_mw * inp.pue, it_mw, n
    it_mw = (inp.gw or 0) * 1000 / inp.pue if basis == "gw" else (inp.it_gw or 0) * 1000
    facility_mw = (inp.gw or 0) * 1000 if basis == "gw" else it_mw * inp.pue
    if inp.kw_all_in is not None:
        return facility_mw, it_mw, math.floor(facility_mw * 1000 / inp.kw_all_in + 1e-9)
    return facility_mw, it_mw, math.floor(it_mw * 1000 / it_kw + 1e-9)


def buildout(inp: BuildoutInput) -> BuildoutResult:
    """Accelerators, racks, capex and power bill of a campus (formulas in the module docstring)."""
    basis = _basis(inp)
    chip = find_accelerator(inp.chip) if inp.chip else None
    price, notes = _all_in_price(inp)
    it_kw_given = inp.kw_all_in / inp.pue if inp.kw_all_in is not None else inp.power_kw
    capex, it_kw = D.chip_capex_and_power(chip, price, it_kw_given, notes)
    facility_mw, it_mw, accelerators = _power(inp, basis, it_kw)
    racks, left, rack_note = _racks(inp, accelerators, basis)
    it_capex = accelerators * capex
    facility = it_mw * inp.facility_capex_per_mw
    energy_mwh = facility_mw * HOURS_PER_YEAR
    if inp.kw_all_in is not None:
        notes.append(
            f"kw_all_in {inp.kw_all_in:g} kW per accelerator already includes PUE: PUE not applied again "
            f"(PUE {inp.pue:g} only splits it into {it_kw:.4g} kW of IT load for the facility capex per MW of IT)."
        )
    basis_text = {
        "gw": "facility (utility) power",
        "it_gw": "IT load (no PUE applied)",
        "accelerators": "an accelerator count",
    }
    notes.append(f"Power basis: {basis_text[basis]}.")
    if rack_note:
        notes.append(rack_note)
    split = inp.accelerator_price is not None
    result = BuildoutResult(
        formula=(
            "IT MW = GW x 1000 / PUE (or IT GW x 1000, or N x kW / 1000); accelerators = floor(IT MW x 1000 / kW "
            "each); "
            "IT capex = accelerators x all-in price each; facility capex = IT MW x facility capex per MW; "
            "power cost/yr = facility MW x 1000 kW x 8760 h x USD/kWh"
        ),
        inputs={
            **inp.model_dump(),
            "chip": chip.name if chip else None,
            "power_kw": it_kw,
            "capex_per_accelerator": capex,
        },
        assumptions=defaults_used(inp, _DEFAULTED)
        + notes
        + [
            "Capex per accelerator is all-in (server share, networking included); land, grid connection and "
            "on-site generation are not counted.",
            "Power cost assumes the whole campus draws its rated power all year.",
        ],
        sources=[f"{chip.name}: {s}" for s in chip.sources[:2]] if chip else [],
        chip=chip.name if chip else "custom",
        power_basis=basis,
        gw=facility_mw / 1000,
        facility_power_mw=facility_mw,
        it_power_mw=it_mw,
        power_kw_per_accelerator=it_kw,
        kw_all_in_per_accelerator=inp.kw_all_in if inp.kw_all_in is not None else it_kw * inp.pue,
        capex_per_accelerator=capex,
        accelerators=accelerators,
        racks=racks,
        accelerators_left_over=left,
        accelerator_capex_usd=accelerators * inp.accelerator_price if inp.accelerator_price is not None else None,
        other_capex_usd=accelerators * (inp.other_capex_per_accelerator or 0.0) if split else None,
        it_capex_usd=it_capex,
        facility_capex_usd=facility,
        total_capex_usd=it_capex + facility,
        total_capex_usd_b=(it_capex + facility) / 1e9,
        energy_mwh_per_year=energy_mwh,
        power_cost_per_year_usd=energy_mwh * 1000 * inp.electricity,
    )
    unused = {"chip"} | ({"power_kw"} if inp.kw_all_in is not None else set())
    unused |= {"capex_per_accelerator"} if split else set()
    return record_provenance(result, inp, unused=unused)  # type: ignore[return-value]
