"""Total cost of owning and running accelerators: per accelerator-hour, per used hour, per million tokens.

Per accelerator (all money in USD, power in kW of IT load, rates as fractions):

    IT capex          = capex_per_accelerator x (1 + networking_fraction)
    facility capex    = facility_capex_per_mw x power_kw / 1000            (owned facility; 0 under colo)
    capital / year    = IT capex x CRF(cost_of_capital, years)
    facility / year   = facility capex x CRF(cost_of_capital, facility_life_years)
                        or, with colocation, colo x power_kw x 12
    power / year      = power_kw x PUE x 8760 h x electricity
    maintenance / yr  = maintenance x IT capex
    cost_per_accelerator_hour = annual total / 8760          (every installed hour)
    cost_per_used_hour        = cost_per_accelerator_hour / utilization
    cost_per_million_tokens   = cost_per_used_hour / (tokens/s per accelerator x 3600 / 10^6)
    tokens_per_s_per_mw       = tokens/s per accelerator x 1000 / power_kw   (per MW of IT power)
    break_even_utilization    = cost_per_accelerator_hour / rental_price
    rental_cost_per_million_tokens = rental_price / utilization / (tokens/s per accelerator x 3600 / 10^6)
                                     (renting instead of owning; docs/peers.md case 5's "$/Mtok at $2/GPU-h"
                                     with utilization 1: H100, Llama-2-7B batch 64 roofline -> 0.123)
    margin_per_used_hour      = rental_price - cost_per_used_hour

CRF(r, n) = r(1+r)^n / ((1+r)^n - 1), straight line 1/n when r = 0 (:mod:`tools.finance`).
Check: capex 30,000, no networking, 1 kW, PUE 1, $0.10/kWh, colo 0, 5 years, r = 0,
no maintenance, utilization 1 gives 30000/5/8760 + 0.10 = 0.7849 $/h; at 1,000 tokens/s,
0.2180 $ per million tokens. Every default is listed with its source in :mod:`tools.defaults`.
"""

from __future__ import annotations

import dataclasses

from pydantic import BaseModel, Field

from tools import defaults as D
from tools.catalog import Accelerator, find_accelerator
from tools.dtypes import DType
from tools.errors import InputError
from tools.finance import HOURS_PER_YEAR, capital_recovery_factor
from tools.results import Worked

SENSITIVITY_STEP = 0.20


class TCOInput(BaseModel):
    """Cost of owning and running accelerators, per hour and per million tokens."""

    chip: list[str] = Field(default_factory=list, description="Catalog accelerator(s); repeat --chip to compare several.")
    count: int = Field(1, ge=1, description="Accelerators in the fleet (scales the fleet totals).")
    capex_per_accelerator: float | None = Field(
        None, gt=0, description="All-in server cost per accelerator, USD (default: catalog est_price_usd)."
    )
    networking_fraction: float = Field(D.NETWORKING_FRACTION.value, ge=0, description="Networking capex as a fraction of server capex.")
    colo: float | None = Field(
        None, ge=0, description="Colocation USD per kW-month of IT load; when given it replaces owned facility capex."
    )
    facility_capex_per_mw: float = Field(D.FACILITY_CAPEX_PER_MW.value, ge=0, description="Owned facility capex, USD per MW of IT load.")
    facility_life_years: float = Field(D.FACILITY_LIFE_YEARS.value, gt=0, description="Life of the owned facility, years.")
    power_kw: float | None = Field(
        None, gt=0, description="All-in IT power per accelerator, kW (server share, CPU, NICs, fans; default: reference CSV)."
    )
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness (facility power / IT power).")
    electricity: float = Field(D.ELECTRICITY.value, ge=0, description="Electricity price, USD per kWh.")
    years: float = Field(D.YEARS.value, gt=0, description="Depreciation life of servers and networking, years.")
    cost_of_capital: float = Field(D.COST_OF_CAPITAL.value, ge=0, description="Annual cost of capital (0.08 = 8 %).")
    maintenance: float = Field(D.MAINTENANCE.value, ge=0, description="Annual maintenance as a fraction of IT capex.")
    utilization: float = Field(D.UTILIZATION.value, gt=0, le=1, description="Fraction of installed hours doing paid work.")
    tokens_per_s: float | None = Field(None, gt=0, description="Throughput per accelerator, tokens/s (overrides --model).")
    model: str | None = Field(None, description="Catalog model; computes tokens/s per accelerator with the throughput calculator.")
    gpus: int = Field(8, ge=1, description="Serving shape for --model: accelerators per replica.")
    batch: int = Field(64, ge=1, description="Serving shape for --model: sequences decoded together.")
    prompt: int = Field(1000, ge=1, description="Serving shape for --model: prompt tokens.")
    output: int = Field(1000, ge=1, description="Serving shape for --model: output tokens.")
    weights_dtype: DType = Field("bf16", description="Serving shape for --model: weight format.")
    rental_price: float | None = Field(None, ge=0, description="Rental price, USD per accelerator-hour (margin, break-even).")
    sensitivity: bool = Field(False, description="Add a +-20 % sensitivity table (tornado) of the cost per used hour.")


class CapexBreakdown(BaseModel):
    """Up-front cost per accelerator, USD."""

    server_usd: float
    networking_usd: float
    facility_usd: float = Field(description="Owned facility share (0 under colocation).")
    total_usd: float


class AnnualBreakdown(BaseModel):
    """Yearly cost per accelerator, USD."""

    capital_usd: float = Field(description="Server + networking capex recovered as an annuity.")
    facility_usd: float = Field(description="Facility annuity, or colocation rent.")
    power_usd: float
    maintenance_usd: float
    total_usd: float


class SensitivityRow(BaseModel):
    """Cost per used hour with one input moved -20 % and +20 %."""

    input: str
    base_value: float
    low_value: float
    high_value: float
    cost_at_low: float
    cost_at_high: float
    swing: float = Field(description="|cost_at_high - cost_at_low|, USD per used hour.")


class ChipCost(BaseModel):
    """Every figure for one accelerator type."""

    chip: str
    capex_per_accelerator: float
    power_kw: float
    capex: CapexBreakdown
    annual: AnnualBreakdown
    cost_per_accelerator_hour: float = Field(description="Annual cost / 8760, USD per installed hour.")
    cost_per_used_hour: float = Field(description="cost_per_accelerator_hour / utilization.")
    tokens_per_s_per_accelerator: float | None = None
    cost_per_million_tokens: float | None = None
    tokens_per_s_per_mw: float | None = Field(None, description="Tokens/s per MW of all-in IT power.")
    tokens_per_dollar: float | None = None
    reference_cost_per_hour: float | None = Field(None, description="SemiAnalysis InferenceX hyperscaler-owning $/GPU-hour.")
    difference_vs_reference: float | None = Field(None, description="cost_per_accelerator_hour / reference - 1.")
    margin_per_used_hour: float | None = Field(None, description="rental_price - cost_per_used_hour, USD.")
    rental_cost_per_million_tokens: float | None = Field(
        None, description="rental_price / utilization / (tokens/s x 3600 / 1e6): USD per million tokens when renting."
    )
    margin_fraction: float | None = Field(None, description="margin_per_used_hour / rental_price.")
    break_even_utilization: float | None = Field(None, description="Utilization at which owning costs the rental price.")
    hbm_gb_per_1k_usd: float | None = Field(None, description="HBM GB per $1,000 of capex per accelerator.")
    mem_bw_gbps_per_1k_usd: float | None = Field(None, description="Memory bandwidth GB/s per $1,000 of capex per accelerator.")
    fleet_capex_usd: float
    fleet_annual_cost_usd: float
    sensitivity: list[SensitivityRow] = Field(default_factory=list)


class ComparisonRow(BaseModel):
    """One line of the side-by-side table."""

    chip: str
    capex_per_accelerator: float
    power_kw: float
    cost_per_accelerator_hour: float
    reference_cost_per_hour: float | None
    cost_per_used_hour: float
    cost_per_million_tokens: float | None
    tokens_per_s_per_mw: float | None
    hbm_gb_per_1k_usd: float | None
    mem_bw_gbps_per_1k_usd: float | None


class TCOResult(Worked):
    count: int
    chip: str | None = Field(None, description="The chip, when one was given.")
    cost_per_accelerator_hour: float | None = None
    cost_per_used_hour: float | None = None
    cost_per_million_tokens: float | None = None
    reference_cost_per_hour: float | None = None
    difference_vs_reference: float | None = None
    break_even_utilization: float | None = None
    margin_per_used_hour: float | None = None
    rental_cost_per_million_tokens: float | None = None
    tokens_per_s_per_accelerator: float | None = None
    tokens_per_s_per_mw: float | None = None
    tokens_per_dollar: float | None = None
    fleet_capex_usd: float | None = None
    fleet_annual_cost_usd: float | None = None
    capex: CapexBreakdown | None = None
    annual: AnnualBreakdown | None = None
    chips: list[ChipCost] = Field(description="Full figures per chip.")
    comparison: list[ComparisonRow] = Field(description="Side-by-side table, one row per chip.")


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


def cost_breakdown(p: CostParams) -> tuple[CapexBreakdown, AnnualBreakdown]:
    """Capex and annual cost per accelerator (formulas in the module docstring)."""
    server = p.capex_per_accelerator
    networking = server * p.networking_fraction
    it_capex = server + networking
    facility_capex = 0.0 if p.colo is not None else p.facility_capex_per_mw * p.power_kw / 1000
    capital = it_capex * capital_recovery_factor(p.cost_of_capital, p.years)
    if p.colo is not None:
        facility = p.colo * p.power_kw * 12
    else:
        facility = facility_capex * capital_recovery_factor(p.cost_of_capital, p.facility_life_years)
    power = p.power_kw * p.pue * HOURS_PER_YEAR * p.electricity
    maintenance = p.maintenance * it_capex
    capex = CapexBreakdown(server_usd=server, networking_usd=networking, facility_usd=facility_capex, total_usd=it_capex + facility_capex)
    annual = AnnualBreakdown(
        capital_usd=capital,
        facility_usd=facility,
        power_usd=power,
        maintenance_usd=maintenance,
        total_usd=capital + facility + power + maintenance,
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
    names += ["colo"] if p.colo is not None else ["facility_capex_per_mw", "facility_life_years"]
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


def _tokens_per_s(inp: TCOInput, chip: Accelerator | None) -> tuple[float | None, str | None]:
    if inp.tokens_per_s is not None:
        return inp.tokens_per_s, f"throughput {inp.tokens_per_s:g} tokens/s per accelerator (given)"
    if inp.model is None:
        return None, None
    if chip is None:
        raise InputError("chip", "computing throughput from model needs a chip; give chip or tokens_per_s.")
    from tools.throughput import ThroughputInput, throughput

    t = throughput(
        ThroughputInput(
            model=inp.model,
            chip=chip.name,
            gpus=inp.gpus,
            batch=inp.batch,
            prompt=inp.prompt,
            output=inp.output,
            weights_dtype=inp.weights_dtype,
        )
    )
    return t.decode_tokens_per_s_per_accelerator, (
        f"throughput {t.decode_tokens_per_s_per_accelerator:,.1f} tokens/s per accelerator from the throughput calculator: "
        f"{t.model} {inp.weights_dtype} on {inp.gpus} x {chip.name}, batch {inp.batch}, {inp.prompt}+{inp.output} tokens "
        f"(roofline at default efficiencies, {t.bound}-bound)"
    )


def _chip_cost(inp: TCOInput, chip: Accelerator | None, notes: list[str]) -> ChipCost:
    label = chip.name if chip else "custom"
    capex, power = D.chip_capex_and_power(chip, inp.capex_per_accelerator, inp.power_kw, notes)
    params = CostParams(
        capex_per_accelerator=capex,
        networking_fraction=inp.networking_fraction,
        power_kw=power,
        pue=inp.pue,
        electricity=inp.electricity,
        years=inp.years,
        cost_of_capital=inp.cost_of_capital,
        maintenance=inp.maintenance,
        utilization=inp.utilization,
        facility_capex_per_mw=inp.facility_capex_per_mw,
        facility_life_years=inp.facility_life_years,
        colo=inp.colo,
    )
    capex_b, annual = cost_breakdown(params)
    per_hour = annual.total_usd / HOURS_PER_YEAR
    per_used = per_hour / inp.utilization
    tps, tps_note = _tokens_per_s(inp, chip)
    if tps_note:
        notes.append(f"{label}: {tps_note}")
    ref = D.reference_cost(chip) if chip else None
    ref_cost = ref.hyperscaler_usd_per_hour if ref else None
    out = ChipCost(
        chip=label,
        capex_per_accelerator=capex,
        power_kw=power,
        capex=capex_b,
        annual=annual,
        cost_per_accelerator_hour=per_hour,
        cost_per_used_hour=per_used,
        tokens_per_s_per_accelerator=tps,
        cost_per_million_tokens=per_used / (tps * 3600 / 1e6) if tps else None,
        tokens_per_s_per_mw=tps * 1000 / power if tps else None,
        tokens_per_dollar=tps * 3600 / per_used if tps and per_used > 0 else None,
        reference_cost_per_hour=ref_cost,
        difference_vs_reference=per_hour / ref_cost - 1 if ref_cost else None,
        hbm_gb_per_1k_usd=chip.memory_gb / capex * 1000 if chip else None,
        mem_bw_gbps_per_1k_usd=chip.mem_bw_tbps * 1000 / capex * 1000 if chip else None,
        fleet_capex_usd=capex_b.total_usd * inp.count,
        fleet_annual_cost_usd=annual.total_usd * inp.count,
        sensitivity=sensitivity(params) if inp.sensitivity else [],
    )
    if inp.rental_price is not None:
        out.margin_per_used_hour = inp.rental_price - per_used
        out.margin_fraction = out.margin_per_used_hour / inp.rental_price if inp.rental_price > 0 else None
        out.break_even_utilization = per_hour / inp.rental_price if inp.rental_price > 0 else None
        if tps:
            out.rental_cost_per_million_tokens = inp.rental_price / inp.utilization / (tps * 3600 / 1e6)
    return out


_DEFAULTED = {
    "networking_fraction": D.NETWORKING_FRACTION,
    "facility_capex_per_mw": D.FACILITY_CAPEX_PER_MW,
    "facility_life_years": D.FACILITY_LIFE_YEARS,
    "pue": D.PUE,
    "electricity": D.ELECTRICITY,
    "years": D.YEARS,
    "cost_of_capital": D.COST_OF_CAPITAL,
    "maintenance": D.MAINTENANCE,
    "utilization": D.UTILIZATION,
}


def defaults_used(inp: BaseModel, table: dict[str, D.Default]) -> list[str]:
    """'name = value unit (source: ...)' for every field in ``table`` the caller did not set."""
    return [table[name].describe(name) for name in table if name not in inp.model_fields_set]


def tco(inp: TCOInput) -> TCOResult:
    """Cost per accelerator-hour, per used hour and per million tokens (formulas in the module docstring)."""
    chips = [find_accelerator(c) for c in inp.chip] if inp.chip else [None]
    notes: list[str] = []
    costs = [_chip_cost(inp, chip, notes) for chip in chips]

    table = {k: v for k, v in _DEFAULTED.items() if not (inp.colo is not None and k.startswith("facility_"))}
    assumptions = defaults_used(inp, table) + notes
    if inp.colo is not None:
        assumptions.append(f"Facility as colocation: {inp.colo:g} USD per kW-month of IT load (owned facility capex not counted).")
        ignored = sorted({"facility_capex_per_mw", "facility_life_years"} & inp.model_fields_set)
        if ignored:
            assumptions.append(f"{' and '.join(ignored)} ignored: colo replaces the owned facility.")
    else:
        assumptions.append("Facility owned: capex per MW of IT load recovered as an annuity over the facility life.")
    assumptions.append(
        "Capital recovered as an annuity at the cost of capital (straight line when 0); no residual value, taxes or land."
    )
    if any(c.reference_cost_per_hour for c in costs):
        assumptions.append(
            "reference_cost_per_hour: SemiAnalysis InferenceX 'hyperscaler owning' tier (4-year life; its inputs are not "
            "public), shown beside our transparent figure, not used in it."
        )
    if any(c.cost_per_million_tokens for c in costs):
        assumptions.append("Tokens are produced only in used hours: $/Mtok = cost_per_used_hour / (tokens/s x 3600 / 1e6).")

    comparison = [
        ComparisonRow(
            chip=c.chip,
            capex_per_accelerator=c.capex_per_accelerator,
            power_kw=c.power_kw,
            cost_per_accelerator_hour=c.cost_per_accelerator_hour,
            reference_cost_per_hour=c.reference_cost_per_hour,
            cost_per_used_hour=c.cost_per_used_hour,
            cost_per_million_tokens=c.cost_per_million_tokens,
            tokens_per_s_per_mw=c.tokens_per_s_per_mw,
            hbm_gb_per_1k_usd=c.hbm_gb_per_1k_usd,
            mem_bw_gbps_per_1k_usd=c.mem_bw_gbps_per_1k_usd,
        )
        for c in costs
    ]
    sources = []
    for chip in chips:
        if chip is None:
            continue
        ref = D.reference_cost(chip)
        if ref:
            sources.append(f"{chip.name}: {ref.describe()}")
        sources += [f"{chip.name}: {s}" for s in chip.sources[:2]]
    result = TCOResult(
        formula=(
            "annual = IT capex x CRF(r, years) + facility (capex x CRF(r, facility life) or colo x kW x 12) "
            "+ kW x PUE x 8760 x electricity + maintenance x IT capex; IT capex = capex x (1 + networking); "
            "cost_per_accelerator_hour = annual / 8760; cost_per_used_hour = that / utilization; "
            "$/Mtok = cost_per_used_hour / (tokens/s x 3600 / 1e6); CRF = r(1+r)^n / ((1+r)^n - 1)"
        ),
        inputs={**inp.model_dump(), "chip": [c.chip for c in costs]},
        assumptions=assumptions,
        sources=sources,
        count=inp.count,
        chips=costs,
        comparison=comparison,
    )
    if len(costs) == 1:
        c = costs[0]
        for name in (
            "chip",
            "cost_per_accelerator_hour",
            "cost_per_used_hour",
            "cost_per_million_tokens",
            "reference_cost_per_hour",
            "difference_vs_reference",
            "break_even_utilization",
            "margin_per_used_hour",
            "rental_cost_per_million_tokens",
            "tokens_per_s_per_accelerator",
            "tokens_per_s_per_mw",
            "tokens_per_dollar",
            "fleet_capex_usd",
            "fleet_annual_cost_usd",
            "capex",
            "annual",
        ):
            setattr(result, name, getattr(c, name))
    return result
