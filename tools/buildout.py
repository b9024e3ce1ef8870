"""What a data-center campus of a given utility power holds and costs.

    IT power (MW)        = gw x 1000 / PUE
    accelerators         = floor(IT power x 1000 / all-in kW per accelerator)
    IT capex (USD)       = accelerators x capex_per_accelerator          (all-in server cost each)
    facility capex (USD) = IT power (MW) x facility_capex_per_mw
    total capex (USD)    = IT capex + facility capex
    power cost / year    = gw x 10^6 kW x 8760 h x electricity            (campus at full load)

Check: 2 GW, 1.7 kW, PUE 1, $40,000, no facility capex gives 1,176,470 accelerators
and 47.06 billion USD.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from tools import defaults as D
from tools.catalog import find_accelerator
from tools.finance import HOURS_PER_YEAR
from tools.results import Worked
from tools.tco import defaults_used


class BuildoutInput(BaseModel):
    """How many accelerators a campus of a given power holds, and what it costs."""

    gw: float = Field(gt=0, description="Facility (utility) power, GW.")
    chip: str | None = Field(None, description="Catalog accelerator (supplies default power and price).")
    power_kw: float | None = Field(None, gt=0, description="All-in IT power per accelerator, kW (default: reference CSV).")
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness (facility power / IT power).")
    capex_per_accelerator: float | None = Field(
        None, gt=0, description="All-in server cost per accelerator, USD (default: catalog est_price_usd)."
    )
    facility_capex_per_mw: float = Field(D.FACILITY_CAPEX_PER_MW.value, ge=0, description="Facility capex, USD per MW of IT load.")
    electricity: float = Field(D.ELECTRICITY.value, ge=0, description="Electricity price, USD per kWh.")


class BuildoutResult(Worked):
    chip: str
    gw: float
    it_power_mw: float
    power_kw_per_accelerator: float
    capex_per_accelerator: float
    accelerators: int
    it_capex_usd: float
    facility_capex_usd: float
    total_capex_usd: float
    total_capex_usd_b: float = Field(description="total_capex_usd / 10^9.")
    energy_mwh_per_year: float = Field(description="Facility energy at full load, MWh per year.")
    power_cost_per_year_usd: float = Field(description="Facility energy x electricity price, USD per year.")


_DEFAULTED = {"pue": D.PUE, "facility_capex_per_mw": D.FACILITY_CAPEX_PER_MW, "electricity": D.ELECTRICITY}


def buildout(inp: BuildoutInput) -> BuildoutResult:
    """Accelerators, capex and power bill of a ``gw`` campus (formulas in the module docstring)."""
    chip = find_accelerator(inp.chip) if inp.chip else None
    notes: list[str] = []
    capex, power_kw = D.chip_capex_and_power(chip, inp.capex_per_accelerator, inp.power_kw, notes)

    it_mw = inp.gw * 1000 / inp.pue
    accelerators = math.floor(it_mw * 1000 / power_kw + 1e-9)
    it_capex = accelerators * capex
    facility = it_mw * inp.facility_capex_per_mw
    energy_mwh = inp.gw * 1000 * HOURS_PER_YEAR
    return BuildoutResult(
        formula=(
            "IT MW = GW x 1000 / PUE; accelerators = floor(IT MW x 1000 / kW each); IT capex = accelerators x capex each; "
            "facility capex = IT MW x facility capex per MW; power cost/yr = GW x 10^6 kW x 8760 h x USD/kWh"
        ),
        inputs={**inp.model_dump(), "chip": chip.name if chip else None, "power_kw": power_kw, "capex_per_accelerator": capex},
        assumptions=defaults_used(inp, _DEFAULTED)
        + notes
        + [
            "Capex per accelerator is all-in (server share, networking included); land, grid connection and "
            "on-site generation are not counted.",
            "Power cost assumes the whole campus draws its rated power all year.",
        ],
        sources=[f"{chip.name}: {s}" for s in chip.sources[:2]] if chip else [],
        chip=chip.name if chip else "custom",
        gw=inp.gw,
        it_power_mw=it_mw,
        power_kw_per_accelerator=power_kw,
        capex_per_accelerator=capex,
        accelerators=accelerators,
        it_capex_usd=it_capex,
        facility_capex_usd=facility,
        total_capex_usd=it_capex + facility,
        total_capex_usd_b=(it_capex + facility) / 1e9,
        energy_mwh_per_year=energy_mwh,
        power_cost_per_year_usd=energy_mwh * 1000 * inp.electricity,
    )
