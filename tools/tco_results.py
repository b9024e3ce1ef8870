"""The tco calculator's result models: per-chip figures, the side-by-side table, the fleet's cash flow.

Formulas are in :mod:`tools.tco`; revenue, net cash flow and payback in :mod:`tools.tco_inputs`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.results import Worked


class CapexBreakdown(BaseModel):
    """Up-front cost per accelerator, USD."""

    server_usd: float
    networking_usd: float
    facility_usd: float = Field(description="Owned facility share (0 under colocation or no facility).")
    total_usd: float


class AnnualBreakdown(BaseModel):
    """Yearly cost per accelerator, USD."""

    capital_usd: float = Field(description="Server + networking capex recovered as an annuity.")
    facility_usd: float = Field(description="Facility annuity, or colocation rent.")
    power_usd: float
    maintenance_usd: float
    other_opex_usd: float = Field(0.0, description="other_opex_per_year / count.")
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
    capex_per_accelerator: float | None = Field(
        description="USD per accelerator; None when the cost is a reference $/hour."
    )
    power_kw: float
    capex: CapexBreakdown | None = None
    annual: AnnualBreakdown | None = None
    cost_basis: str = Field(
        "price",
        description="'price': computed from a sourced (or given) price; 'reference': a sourced $/accelerator-hour.",
    )
    price_basis: str | None = Field(None, description="What the price or reference covers (server_all_in, chip, ...).")
    price_date: str | None = Field(None, description="Date of the price or reference used.")
    cost_per_accelerator_hour: float = Field(
        description="Annual cost / 8760 (or the reference), USD per installed hour."
    )
    cost_per_used_hour: float = Field(description="cost_per_accelerator_hour / utilization.")
    tokens_per_s_per_accelerator: float | None = None
    cost_per_million_tokens: float | None = None
    tokens_per_s_per_mw: float | None = Field(None, description="Tokens/s per MW of all-in IT power.")
    tokens_per_dollar: float | None = None
    reference_cost_per_hour: float | None = Field(
        None, description="SemiAnalysis InferenceX hyperscaler-owning $/GPU-hour."
    )
    difference_vs_reference: float | None = Field(None, description="cost_per_accelerator_hour / reference - 1.")
    margin_per_used_hour: float | None = Field(None, description="rental_price - cost_per_used_hour, USD.")
    rental_cost_per_million_tokens: float | None = Field(
        None, description="rental_price / utilization / (tokens/s x 3600 / 1e6): USD per million tokens when renting."
    )
    margin_fraction: float | None = Field(None, description="margin_per_used_hour / rental_price.")
    break_even_utilization: float | None = Field(
        None, description="Utilization at which owning costs the rental price."
    )
    hbm_gb_per_1k_usd: float | None = Field(None, description="HBM GB per $1,000 of capex per accelerator.")
    mem_bw_gbps_per_1k_usd: float | None = Field(
        None, description="Memory bandwidth GB/s per $1,000 of capex per accelerator."
    )
    fleet_capex_usd: float
    fleet_annual_cost_usd: float
    rental_price: float | None = Field(None, description="USD per accelerator-hour, as given for this chip.")
    annual_revenue_usd: float | None = Field(
        None, description="rental_price x 8760 x sold_fraction x count, USD per year."
    )
    annual_cash_opex_usd: float | None = Field(
        None, description="Fleet power + maintenance + colocation rent + other opex, USD per year."
    )
    annual_net_cash_flow_usd: float | None = Field(None, description="annual_revenue_usd - annual_cash_opex_usd.")
    payback_years: float | None = Field(
        None, description="fleet_capex_usd / annual_net_cash_flow_usd (none when not positive)."
    )
    payback_note: str | None = Field(None, description="Why there is no payback, when there is none.")
    own_inputs_cost_per_accelerator_hour: float | None = Field(
        None,
        description="The same cost with the adders the question did not state switched off (straight-line capex, "
        "no networking, maintenance or facility): capex / (years x 8760) + kW x PUE x USD/kWh when nothing else was "
        "given. None when no defaulted adder applied.",
    )
    own_inputs_cost_per_million_tokens: float | None = Field(
        None,
        description="own_inputs_cost_per_accelerator_hour / utilization (when given) / (tokens/s x 3600 / 1e6).",
    )
    own_inputs_left_out: list[str] = Field(
        default_factory=list, description="The defaulted adders the own-inputs figure leaves out."
    )
    sensitivity: list[SensitivityRow] = Field(default_factory=list)


class ComparisonRow(BaseModel):
    """One line of the side-by-side table."""

    chip: str
    capex_per_accelerator: float | None
    power_kw: float
    cost_basis: str = "price"
    price_date: str | None = None
    cost_per_accelerator_hour: float
    reference_cost_per_hour: float | None
    cost_per_used_hour: float
    cost_per_million_tokens: float | None
    tokens_per_s_per_mw: float | None
    hbm_gb_per_1k_usd: float | None
    mem_bw_gbps_per_1k_usd: float | None
    rental_price: float | None = None
    margin_per_used_hour: float | None = None
    break_even_utilization: float | None = None
    payback_years: float | None = None


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
    rental_price: float | None = Field(None, description="USD per accelerator-hour, as given.")
    annual_revenue_usd: float | None = Field(
        None, description="rental_price x 8760 x sold_fraction x count, USD per year."
    )
    annual_cash_opex_usd: float | None = Field(
        None, description="Fleet power + maintenance + colocation rent + other opex, USD per year."
    )
    annual_net_cash_flow_usd: float | None = Field(None, description="annual_revenue_usd - annual_cash_opex_usd.")
    payback_years: float | None = Field(
        None, description="fleet_capex_usd / annual_net_cash_flow_usd (none when not positive)."
    )
    payback_note: str | None = Field(None, description="Why there is no payback, when there is none.")
    capex: CapexBreakdown | None = None
    annual: AnnualBreakdown | None = None
    chips: list[ChipCost] = Field(description="Full figures per chip.")
    comparison: list[ComparisonRow] = Field(description="Side-by-side table, one row per chip.")


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def rental_text(result: TCOResult) -> str:
    """Margin, break-even, revenue, net cash flow and payback for every chip that has a rental price ('' when none)."""
    rows = [c for c in result.chips if c.rental_price is not None]
    if not rows:
        return ""
    header = (
        f"{'chip':<28}{'rent $/h':>9}{'margin $/h':>11}{'break-even':>11}"
        f"{'revenue $/yr':>15}{'net $/yr':>15}{'payback yrs':>12}"
    )
    lines = [header, "-" * len(header)]
    for c in rows:
        lines.append(
            f"{c.chip[:27]:<28}{_fmt(c.rental_price, '.3f'):>9}{_fmt(c.margin_per_used_hour, '.3f'):>11}"
            f"{_fmt(c.break_even_utilization, '.3f'):>11}{_fmt(c.annual_revenue_usd, ',.0f'):>15}"
            f"{_fmt(c.annual_net_cash_flow_usd, ',.0f'):>15}{_fmt(c.payback_years, '.2f'):>12}"
        )
    lines += [f"{c.chip}: {c.payback_note}" for c in rows if c.payback_note]
    return "\n".join(lines)


def tco_text(result: TCOResult) -> str:
    """The comparison and cost-breakdown text (:func:`tools.text_charts.tco_text`), then the rental lines."""
    from tools import text_charts

    other = [(c.chip, c.annual.other_opex_usd) for c in result.chips if c.annual and c.annual.other_opex_usd]
    other_text = "\n".join(f"{chip[:27]:<28}other opex {usd / 8760:.3f} USD per installed hour" for chip, usd in other)
    return "\n\n".join(part for part in (text_charts.tco_text(result), other_text, rental_text(result)) if part)
