"""TCO formulas per accelerator (pure): capex and annual cost breakdown, cost per used hour, sensitivity.

The formulas, units and hand-derived checks are in the :mod:`tools.tco` docstring; all money in USD,
power in kW of IT load, rates as fractions. CRF is :func:`tools.finance.capital_recovery_factor`.
"""

from __future__ import annotations

import dataclasses

from tools.finance import HOURS_PER_YEAR, capital_recovery_factor
from tools.tco_results import AnnualBreakdown, CapexBreakdown, SensitivityRow

SENSITIVITY_STEP = 0.20


@dataclasses.dataclass(frozen=True)
class CostParams:
    """The numbers the hourly cost depends on (after defaults and catalog lookups)."""

    capex_per_accelerator: float
    networking_fraction: float
    power_kw: float
    pue: float
    electricity: float
    years: float
    cost_of_capital: float
    maintenance: float
    utilization: float
    facility_capex_per_mw: float
    facility_life_years: float
    colo: float | None
    facility: str = "owned"
    other_opex: float = 0.0


def cost_breakdown(p: CostParams) -> tuple[CapexBreakdown, AnnualBreakdown]:
    """Capex and annual cost per accelerator (formulas in the :mod:`tools.tco` docstring)."""
    server = p.capex_per_accelerator
    networking = server * p.networking_fraction
    it_capex = server + networking
    facility_capex = p.facility_capex_per_mw * p.power_kw / 1000 if p.facility == "owned" else 0.0
    capital = it_capex * capital_recovery_factor(p.cost_of_capital, p.years)
    if p.facility == "colo":
        facility = (p.colo or 0.0) * p.power_kw * 12
    else:
        facility = facility_capex * capital_recovery_factor(p.cost_of_capital, p.facility_life_years)
    power = p.power_kw * p.pue * HOURS_PER_YEAR * p.electricity
    maintenance = p.maintenance * it_capex
    capex = CapexBreakdown(
        server_usd=server, networking_usd=networking, facility_usd=facility_capex, total_usd=it_capex + facility_capex
    )
    annual = AnnualBreakdown(
        capital_usd=capital,
        facility_usd=facility,
        power_usd=power,
        maintenance_usd=maintenance,
        other_opex_usd=p.other_opex,
        total_usd=capital + facility + power + maintenance + p.other_opex,
    )
    return capex, annual


def cost_per_used_hour(p: CostParams) -> float:
    """Annual cost / 8760 / utilization, USD per used accelerator-hour."""
    return cost_breakdown(p)[1].total_usd / HOURS_PER_YEAR / p.utilization


def sensitivity(p: CostParams, step: float = SENSITIVITY_STEP) -> list[SensitivityRow]:
    """Cost per used hour with each input at (1 - step) and (1 + step), largest swing first.

    PUE is kept >= 1 and utilization <= 1, so those two may move less than ``step``.
    """
    names = [
        "capex_per_accelerator",
        "networking_fraction",
        "power_kw",
        "pue",
        "electricity",
        "years",
        "cost_of_capital",
        "maintenance",
        "utilization",
    ]
    names += {"colo": ["colo"], "owned": ["facility_capex_per_mw", "facility_life_years"]}.get(p.facility, [])
    clamp = {"pue": lambda v: max(1.0, v), "utilization": lambda v: min(1.0, v)}
    rows = []
    for name in names:
        base = getattr(p, name)
        fix = clamp.get(name, lambda v: v)
        low, high = fix(base * (1 - step)), fix(base * (1 + step))
        c_low = cost_per_used_hour(dataclasses.replace(p, **{name: low}))
        c_high = cost_per_used_hour(dataclasses.replace(p, **{name: high}))
        rows.append(
            SensitivityRow(
                input=name,
                base_value=base,
                low_value=low,
                high_value=high,
                cost_at_low=c_low,
                cost_at_high=c_high,
                swing=abs(c_high - c_low),
            )
        )
    return sorted(rows, key=lambda r: r.swing, reverse=True)


#: Cost adders the calculator supplies when the question is silent: (CostParams field, input field, value off, label).
ADDERS = (
    ("cost_of_capital", "cost_of_capital", 0.0, "cost of capital"),
    ("networking_fraction", "networking_fraction", 0.0, "networking"),
    ("maintenance", "maintenance", 0.0, "maintenance"),
    ("facility", "facility", "none", "facility"),
)


def without_default_adders(p: CostParams, given: set[str]) -> tuple[CostParams, list[str]] | None:
    """``p`` with every adder the analyst did not give switched off (straight-line capex, no networking,
    maintenance or facility): the figure an analyst writes by hand from a price, a life and a power bill.
    ``given`` = the input fields stated (``colo`` counts as a facility). None when no defaulted adder is on."""
    changes: dict[str, object] = {}
    off = []
    for attr, field, value, label in ADDERS:
        stated = field in given or (field == "facility" and "colo" in given)
        if not stated and getattr(p, attr) != value:
            changes[attr] = value
            off.append(label)
    return (dataclasses.replace(p, **changes), off) if changes else None  # type: ignore[arg-type]
