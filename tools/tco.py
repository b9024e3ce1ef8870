"""Total cost of owning and running accelerators: per accelerator-hour, per used hour, per million tokens.

Per accelerator (all money in USD, power in kW of IT load, rates as fractions):

    capex_per_accelerator = as given, or server_price / gpus_per_server
    power_kw          = as given, or server_kw / gpus_per_server
    IT capex          = capex_per_accelerator x (1 + networking_fraction)
    facility capex    = facility_capex_per_mw x power_kw / 1000            (facility owned; 0 under colo or none)
    capital / year    = IT capex x CRF(cost_of_capital, years)             (straight line when cost_of_capital = 0)
    facility / year   = facility capex x CRF(cost_of_capital, facility_life_years)  (owned)
                        or colo x power_kw x 12 (colo), or 0 (none)
    power / year      = power_kw x PUE x 8760 h x electricity
    maintenance / yr  = maintenance x IT capex
    other opex / yr   = other_opex_per_year / count
    cost_per_accelerator_hour = annual total / 8760          (every installed hour)
    cost_per_used_hour        = cost_per_accelerator_hour / utilization
    cost_per_million_tokens   = cost_per_used_hour / (tokens/s per accelerator x 3600 / 10^6)
    tokens_per_s_per_mw       = tokens/s per accelerator x 1000 / power_kw   (per MW of IT power)
    break_even_utilization    = cost_per_accelerator_hour / rental_price
    rental_cost_per_million_tokens = rental_price / utilization / (tokens/s per accelerator x 3600 / 10^6)
                                     (renting instead of owning; docs/peers.md case 5's "$/Mtok at $2/GPU-h"
                                     with utilization 1: H100, Llama-2-7B batch 64 roofline -> 0.123)
    margin_per_used_hour      = rental_price - cost_per_used_hour
    revenue, net cash flow and payback of the fleet: :mod:`tools.tco_inputs` (needs rental_price)

CRF(r, n) = r(1+r)^n / ((1+r)^n - 1), straight line 1/n when r = 0 (:mod:`tools.finance`).
Check (hand derivation): capex 30,000, no networking, 1 kW, PUE 1, $0.10/kWh, colo 0, 5 years, r = 0,
no maintenance, utilization 1 gives 30000/5/8760 + 0.10 = 0.7849 $/h; at 1,000 tokens/s,
0.2180 $ per million tokens. Check (hand derivation): a $240,000 server of 8 GPUs drawing 10 kW, PUE 1.25,
$0.07/kWh, 4 years straight line, no networking, maintenance or facility, utilization 1: 240000 / 8 / 4 / 8760
+ 10 / 8 x 1.25 x 0.07 = 0.85616 + 0.10938 = 0.96554 $ per GPU-hour. Every default is listed with its source in
:mod:`tools.defaults`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel

from tools import defaults as D
from tools.catalog import Accelerator, find_accelerator
from tools.errors import InputError
from tools.finance import HOURS_PER_YEAR
from tools.results import record_provenance
from tools.tco_formulas import CostParams, cost_breakdown, sensitivity, without_default_adders
from tools.tco_inputs import (
    TCOInput,
    annual_revenue,
    cash_flow,
    facility_mode,
    facility_notes,
    paired,
    per_accelerator,
    server_notes,
)
from tools.tco_results import (
    AnnualBreakdown,
    CapexBreakdown,
    ChipCost,
    ComparisonRow,
    SensitivityRow,
    TCOResult,
)

#: The tco calculator and the names other modules import from here (models live beside it; the pure
#: formulas CostParams, cost_breakdown, cost_per_used_hour and sensitivity are in tools.tco_formulas).
__all__ = [
    "AnnualBreakdown",
    "CapexBreakdown",
    "ChipCost",
    "ComparisonRow",
    "SensitivityRow",
    "TCOInput",
    "TCOResult",
    "defaults_used",
    "tco",
]


def _tokens_per_s(inp: TCOInput, chip: Accelerator | None) -> tuple[float | None, str | None]:
    if inp.tokens_per_s is not None:
        return inp.tokens_per_s, f"throughput {inp.tokens_per_s:g} tokens/s per accelerator (given)"
    if inp.model is None:
        return None, None
    if chip is None:
        raise InputError("chip", "computing throughput from model needs a chip; give chip or tokens_per_s.")
    from tools.throughput import ThroughputInput, throughput

    given = {"weights_dtype": inp.weights_dtype} if "weights_dtype" in inp.model_fields_set else {}
    t = throughput(
        ThroughputInput(
            model=inp.model,
            chip=chip.name,
            gpus=inp.gpus,
            batch=inp.batch,
            prompt=inp.prompt,
            output=inp.output,
            profile=inp.profile,
            profile_dir=inp.profile_dir,
            **given,  # unset: the model's released format (fp8 for DeepSeek), as throughput itself defaults
        )
    )
    dtype = t.inputs.get("weights_dtype", inp.weights_dtype)
    return t.decode_tokens_per_s_per_accelerator, (
        f"throughput {t.decode_tokens_per_s_per_accelerator:,.1f} tokens/s per accelerator from the throughput "
        f"calculator: "
        f"{t.model} {dtype} on {inp.gpus} x {chip.name}, batch {inp.batch}, {inp.prompt}+{inp.output} "
        f"tokens "
        f"({t.figure_kind}, {t.bound}-bound)"
    )


@dataclasses.dataclass(frozen=True)
class ChipInputs:
    """One chip's own values (None = catalog default) and the settings shared by every chip."""

    chip: Accelerator | None
    capex: float | None
    power_kw: float | None
    rental_price: float | None
    facility: str
    colo: float | None


def _add_cash_flow(out: ChipCost, annual: AnnualBreakdown, inp: TCOInput, params: CostParams, rental: float) -> None:
    """Revenue, net cash flow and payback of the fleet at ``rental`` USD per accelerator-hour."""
    colo_rent = annual.facility_usd if params.facility == "colo" else 0.0
    cash_opex = (annual.power_usd + annual.maintenance_usd + colo_rent) * inp.count + inp.other_opex_per_year
    sold = inp.sold_fraction if inp.sold_fraction is not None else inp.utilization
    flow = cash_flow(out.fleet_capex_usd, annual_revenue(rental, sold, inp.count), cash_opex)
    out.annual_revenue_usd, out.annual_cash_opex_usd = flow.revenue, flow.cash_opex
    out.annual_net_cash_flow_usd, out.payback_years, out.payback_note = flow.net, flow.payback_years, flow.payback_note


#: Inputs of a cost built from a price, which a sourced $/accelerator-hour does not depend on.
_PRICE_ONLY = {
    "years", "cost_of_capital", "networking_fraction", "maintenance", "colo", "facility_capex_per_mw",
    "facility_life_years", "pue", "electricity",
}  # fmt: skip


def _held(field: str, basis: D.CostBasis) -> object:
    """The value of ``field`` a reference $/accelerator-hour already holds: its own life for ``years`` when the
    source says it (a 5-year life stated against a 4-year reference is not that reference), else the default."""
    if field == "years" and basis.life_years is not None:
        return basis.life_years
    return TCOInput.model_fields[field].default


def _reference_cost(
    inp: TCOInput, chip: Accelerator, given: ChipInputs, basis: D.CostBasis, notes: list[str]
) -> ChipCost:
    """A chip without a sourced all-in price: its sourced $/accelerator-hour is the cost per installed hour.
    Inputs that change a cost built from a price (life, financing, adders, power price and PUE) cannot change it:
    stating one with a value other than its default is an error naming the field, not a figure that silently
    ignores it (the power per accelerator still sizes tokens per MW)."""
    fixed = sorted(f for f in _PRICE_ONLY & inp.model_fields_set if getattr(inp, f) != _held(f, basis))
    if fixed:
        raise InputError(
            fixed[0],
            f"{chip.name} has no sourced price, only a sourced cost per accelerator-hour ({basis.basis}, "
            f"{basis.date}), which {', '.join(fixed)} cannot change. Give capex_per_accelerator (or server_price "
            "with gpus_per_server) to build the cost from a price.",
        )
    notes.append(basis.describe(chip.name))
    power = given.power_kw
    if power is None:
        try:
            power, how = D.all_in_power_kw(chip)
            notes.append(how)
        except InputError:
            power = 0.0
            notes.append(f"{chip.name}: no all-in power known; tokens per MW not computed.")
    per_used = basis.value / inp.utilization
    tps, tps_note = _tokens_per_s(inp, chip)
    if tps_note:
        notes.append(f"{chip.name}: {tps_note}")
    ref = D.reference_cost(chip)
    out = ChipCost(
        chip=chip.name,
        capex_per_accelerator=None,
        power_kw=power,
        cost_basis="reference",
        price_basis=basis.basis,
        price_date=basis.date,
        cost_per_accelerator_hour=basis.value,
        cost_per_used_hour=per_used,
        tokens_per_s_per_accelerator=tps,
        cost_per_million_tokens=per_used / (tps * 3600 / 1e6) if tps else None,
        tokens_per_s_per_mw=tps * 1000 / power if tps and power else None,
        tokens_per_dollar=tps * 3600 / per_used if tps and per_used > 0 else None,
        reference_cost_per_hour=ref.hyperscaler_usd_per_hour if ref else None,
        difference_vs_reference=0.0 if ref and ref.hyperscaler_usd_per_hour == basis.value else None,
        fleet_capex_usd=0.0,
        fleet_annual_cost_usd=basis.value * HOURS_PER_YEAR * inp.count,
    )
    rental = given.rental_price
    if rental is not None:
        out.rental_price = rental
        out.margin_per_used_hour = rental - per_used
        out.margin_fraction = out.margin_per_used_hour / rental if rental > 0 else None
        out.break_even_utilization = basis.value / rental if rental > 0 else None
        if tps:
            out.rental_cost_per_million_tokens = rental / inp.utilization / (tps * 3600 / 1e6)
        out.payback_note = "no capex behind a reference $/hour: revenue, cash flow and payback need a price."
    return out


def _chip_cost(inp: TCOInput, given: ChipInputs, notes: list[str]) -> ChipCost:
    chip = given.chip
    label = chip.name if chip else "custom"
    capex_in, basis = given.capex, None
    if capex_in is None and chip is not None:
        basis = D.cost_basis(chip)
        if basis.mode == "reference":
            return _reference_cost(inp, chip, given, basis, notes)
        capex_in = basis.value
        notes.append(basis.describe(chip.name))
    capex, power = D.chip_capex_and_power(chip, capex_in, given.power_kw, notes)
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
        colo=given.colo,
        facility=given.facility,
        other_opex=inp.other_opex_per_year / inp.count,
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
        cost_basis="price",
        price_basis=basis.basis if basis else "given",
        price_date=basis.date if basis else None,
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
    _add_own_inputs_figure(out, inp, params, tps)
    rental = given.rental_price
    if rental is not None:
        out.rental_price = rental
        out.margin_per_used_hour = rental - per_used
        out.margin_fraction = out.margin_per_used_hour / rental if rental > 0 else None
        out.break_even_utilization = per_hour / rental if rental > 0 else None
        if tps:
            out.rental_cost_per_million_tokens = rental / inp.utilization / (tps * 3600 / 1e6)
        _add_cash_flow(out, annual, inp, params, rental)
    return out


#: Inputs that make a cost the analyst's own rather than the catalog's.
_OWN_TERMS = {"capex_per_accelerator", "server_price", "power_kw", "server_kw", "electricity", "years"}


def _add_own_inputs_figure(out: ChipCost, inp: TCOInput, params: CostParams, tps: float | None) -> None:
    """The hand figure beside the calculator's, when the question states its own cost terms (a price, a power
    draw, a power price or a life) and the calculator added costs the question did not state."""
    if not _OWN_TERMS & inp.model_fields_set:
        return
    found = without_default_adders(params, inp.model_fields_set)
    if found is None:
        return
    own, left_out = found
    per_hour = cost_breakdown(own)[1].total_usd / HOURS_PER_YEAR
    out.own_inputs_cost_per_accelerator_hour = per_hour
    out.own_inputs_left_out = left_out
    if tps:
        util = inp.utilization if "utilization" in inp.model_fields_set else 1.0
        out.own_inputs_cost_per_million_tokens = per_hour / util / (tps * 3600 / 1e6)


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


def chip_inputs(inp: TCOInput) -> list[ChipInputs]:
    """Each chip with its own capex and rental price (paired in order) and the shared power and facility."""
    chips = [find_accelerator(c) for c in inp.chip] if inp.chip else [None]
    n = len(chips)
    capex = paired("capex_per_accelerator", inp.capex_per_accelerator, n)
    server = paired("server_price", inp.server_price, n)
    rental = paired("rental_price", inp.rental_price, n, one_for_all=True)
    power = per_accelerator("power_kw", inp.power_kw, "server_kw", inp.server_kw, inp.gpus_per_server)
    facility = facility_mode(inp.facility, inp.colo)
    colo = (inp.colo if inp.colo is not None else D.COLO.value) if facility == "colo" else None
    return [
        ChipInputs(
            chip=chip,
            capex=per_accelerator("capex_per_accelerator", capex[i], "server_price", server[i], inp.gpus_per_server),
            power_kw=power,
            rental_price=rental[i],
            facility=facility,
            colo=colo,
        )
        for i, chip in enumerate(chips)
    ]


def _unused(inp: TCOInput, facility: str) -> set[str]:
    """Inputs the result does not depend on or that follow from given ones (left out of defaults_used)."""
    out = {"sensitivity", "chip"}
    if inp.server_price:
        out.add("capex_per_accelerator")
    if inp.server_kw is not None:
        out.add("power_kw")
    if inp.model is None:
        out |= {"gpus", "batch", "prompt", "output", "weights_dtype"}
    if facility != "owned":
        out |= {"facility_capex_per_mw", "facility_life_years"}
    if not inp.rental_price:
        out |= {"sold_fraction"}
    return out


def _one_or_list(values: list[Any]) -> Any:
    """One chip's value as a number (as the inputs have always read), several chips' as a list paired with chip."""
    return values[0] if len(values) == 1 else values


def _capital_note(cost_of_capital: float) -> str:
    if cost_of_capital == 0:
        return "Capital recovered straight-line (cost of capital 0): capex / years; no residual value, taxes or land."
    return (
        "Capital recovered as an annuity at the cost of capital (straight line when 0); no residual value, taxes "
        "or land."
    )


def tco(inp: TCOInput) -> TCOResult:
    """Cost per accelerator-hour, per used hour and per million tokens (formulas in the module docstring)."""
    given = chip_inputs(inp)
    facility, colo = given[0].facility, given[0].colo
    notes: list[str] = []
    costs = [_chip_cost(inp, g, notes) for g in given]
    chips = [g.chip for g in given]

    table = {k: v for k, v in _DEFAULTED.items() if not (facility != "owned" and k.startswith("facility_"))}
    computed = any(c.cost_basis == "price" for c in costs)
    if not computed:  # every chip costed from a sourced $/hour: only utilization enters the figures
        table = {"utilization": D.UTILIZATION}
    assumptions = (
        defaults_used(inp, table)
        + server_notes(inp.server_price, inp.gpus_per_server, inp.server_kw)
        + notes
        + (facility_notes(facility, colo, inp.colo is not None, inp.model_fields_set) if computed else [])
    )
    if computed:
        assumptions.append(_capital_note(inp.cost_of_capital))
    if inp.rental_price:
        sold = "sold_fraction" if inp.sold_fraction is not None else "utilization (no sold_fraction given)"
        assumptions.append(
            f"Revenue = rental price x 8760 h x {sold} x count; cash opex = power + maintenance + colocation rent + "
            "other opex (capital and owned-facility annuities excluded); payback = fleet capex / net cash flow."
        )
    if any(c.reference_cost_per_hour and c.cost_basis == "price" for c in costs):
        assumptions.append(
            "reference_cost_per_hour: SemiAnalysis InferenceX 'hyperscaler owning' tier (4-year life; its inputs are "
            "not "
            "public), shown beside our transparent figure, not used in it."
        )
    if any(c.cost_per_million_tokens for c in costs):
        assumptions.append(
            "Tokens are produced only in used hours: $/Mtok = cost_per_used_hour / (tokens/s x 3600 / 1e6)."
        )

    comparison = [
        ComparisonRow(
            chip=c.chip,
            capex_per_accelerator=c.capex_per_accelerator,
            power_kw=c.power_kw,
            cost_basis=c.cost_basis,
            price_date=c.price_date,
            cost_per_accelerator_hour=c.cost_per_accelerator_hour,
            reference_cost_per_hour=c.reference_cost_per_hour,
            cost_per_used_hour=c.cost_per_used_hour,
            cost_per_million_tokens=c.cost_per_million_tokens,
            tokens_per_s_per_mw=c.tokens_per_s_per_mw,
            hbm_gb_per_1k_usd=c.hbm_gb_per_1k_usd,
            mem_bw_gbps_per_1k_usd=c.mem_bw_gbps_per_1k_usd,
            rental_price=c.rental_price,
            margin_per_used_hour=c.margin_per_used_hour,
            break_even_utilization=c.break_even_utilization,
            payback_years=c.payback_years,
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
            "+ kW x PUE x 8760 x electricity + maintenance x IT capex + other opex / count; IT capex = capex x (1 + "
            "networking); "
            "cost_per_accelerator_hour = annual / 8760; cost_per_used_hour = that / utilization; "
            "$/Mtok = cost_per_used_hour / (tokens/s x 3600 / 1e6); CRF = r(1+r)^n / ((1+r)^n - 1)"
        ),
        inputs={
            **inp.model_dump(),
            "chip": [c.chip for c in costs],
            "capex_per_accelerator": _one_or_list([c.capex_per_accelerator for c in costs]),
            "rental_price": _one_or_list([c.rental_price for c in costs]) if inp.rental_price else None,
            "server_price": _one_or_list(inp.server_price) if inp.server_price else None,
            "power_kw": costs[0].power_kw,
            "facility": facility,
            "colo": colo,
            "sold_fraction": inp.sold_fraction if inp.sold_fraction is not None else inp.utilization,
        },
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
            "rental_price",
            "annual_revenue_usd",
            "annual_cash_opex_usd",
            "annual_net_cash_flow_usd",
            "payback_years",
            "payback_note",
        ):
            setattr(result, name, getattr(c, name))
    return record_provenance(result, inp, unused=_unused(inp, facility))  # type: ignore[return-value]
