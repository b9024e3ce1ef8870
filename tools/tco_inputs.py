"""The tco calculator's input model, and the analyst's forms of its inputs turned into per-accelerator numbers.

Pure; bad input raises ``InputError`` naming the field.

* Server level: ``capex per accelerator = server_price / gpus_per_server``; ``IT kW per accelerator =
  server_kw / gpus_per_server``. Giving a per-accelerator and a per-server value of the same thing is an error
  naming both.
* Several chips: ``capex_per_accelerator`` (and ``server_price``) pair with ``chip`` in order, one value per chip;
  ``rental_price`` may be one value for every chip or one per chip. A count mismatch is an error.
* Facility: ``owned`` (facility capex per MW recovered over the facility life), ``colo`` (rent per kW-month),
  ``none`` (neither; power is still billed). Without ``facility``, a ``colo`` rate means colo, else owned.
* Cash flow of a fleet of ``count`` accelerators, per year:

      revenue      = rental_price x 8760 h x sold_fraction x count
      cash opex    = (power + maintenance + colocation rent) x count + other_opex_per_year
      net          = revenue - cash opex
      payback      = fleet capex / net    (none when net <= 0: the capex is never paid back)

  Check (hand derivation): 512 accelerators, $20M fleet capex, $2.20/h, 65 % of hours sold, no power bill,
  $1.5M other opex -> revenue 512 x 2.20 x 8760 x 0.65 = 6,413,721.60; net 4,913,721.60; payback 4.0702 years.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, field_validator

from tools import defaults as D
from tools.errors import InputError
from tools.finance import HOURS_PER_YEAR
from tools.serving_shape import ServingShape


class TCOInput(ServingShape):
    """Cost of owning and running accelerators, per hour and per million tokens. With ``model``, tokens/s come
    from the throughput calculator on the serving shape (gpus, weights_dtype, prompt, output:
    :class:`tools.serving_shape.ServingShape`)."""

    chip: list[str] = Field(
        default_factory=list, description="Catalog accelerator(s); repeat --chip to compare several."
    )
    count: int = Field(1, ge=1, description="Accelerators in the fleet (scales the fleet totals).")
    capex_per_accelerator: list[float] = Field(
        default_factory=list,
        description="All-in capex per accelerator, USD (a server's price / its accelerators). Default: the chip's "
        "prices.csv default when its basis is server_all_in, else its sourced reference or rental $/accelerator-hour, "
        "else a chip or kit price (lower bound), each stated with basis and date. Repeat to pair with each --chip.",
    )
    server_price: list[float] = Field(
        default_factory=list,
        description="Price of one server, USD (capex per accelerator = server_price / gpus_per_server); one per "
        "--chip.",
    )
    gpus_per_server: int | None = Field(
        None, ge=1, description="Accelerators in one server (for server_price and server_kw)."
    )
    server_kw: float | None = Field(
        None, gt=0, description="IT power of one server, kW (power_kw = server_kw / gpus_per_server)."
    )
    facility: Literal["owned", "colo", "none"] | None = Field(
        None,
        description="owned: facility capex per MW; colo: colocation rent; none: no facility cost (power still billed). "
        "Default: colo when a colo rate is given, else owned.",
    )
    networking_fraction: float = Field(
        D.NETWORKING_FRACTION.value, ge=0, description="Networking capex as a fraction of server capex."
    )
    colo: float | None = Field(
        None,
        ge=0,
        description="Colocation USD per kW-month of IT load; when given it replaces owned facility capex "
        "(facility colo).",
    )
    facility_capex_per_mw: float = Field(
        D.FACILITY_CAPEX_PER_MW.value, ge=0, description="Owned facility capex, USD per MW of IT load."
    )
    facility_life_years: float = Field(
        D.FACILITY_LIFE_YEARS.value, gt=0, description="Life of the owned facility, years."
    )
    power_kw: float | None = Field(
        None,
        gt=0,
        description="All-in IT power per accelerator, kW (server share, CPU, NICs, fans; default: reference CSV).",
    )
    pue: float = Field(D.PUE.value, ge=1, description="Power usage effectiveness (facility power / IT power).")
    electricity: float = Field(D.ELECTRICITY.value, ge=0, description="Electricity price, USD per kWh.")
    years: float = Field(D.YEARS.value, gt=0, description="Depreciation life of servers and networking, years.")
    cost_of_capital: float = Field(D.COST_OF_CAPITAL.value, ge=0, description="Annual cost of capital (0.08 = 8 %).")
    maintenance: float = Field(D.MAINTENANCE.value, ge=0, description="Annual maintenance as a fraction of IT capex.")
    utilization: float = Field(
        D.UTILIZATION.value, gt=0, le=1, description="Fraction of installed hours doing paid work."
    )
    tokens_per_s: float | None = Field(
        None, gt=0, description="Throughput per accelerator, tokens/s (overrides --model)."
    )
    model: str | None = Field(
        None, description="Catalog model; computes tokens/s per accelerator with the throughput calculator."
    )
    batch: int = Field(64, ge=1, description="Serving shape for --model: sequences decoded together.")
    profile: str | None = Field(None, description="For --model: saved calibration profile (throughput --calibrate).")
    profile_dir: str | None = Field(
        None, description="Directory of saved profiles (front-ends pass <data dir>/profiles)."
    )
    rental_price: list[float] = Field(
        default_factory=list,
        description="Rental price, USD per accelerator-hour (margin, break-even, revenue); one for all chips or one "
        "per --chip.",
    )
    sold_fraction: float | None = Field(
        None, ge=0, le=1, description="Share of hours sold at the rental price (revenue); default: utilization."
    )
    other_opex_per_year: float = Field(
        0, ge=0, description="Other cash operating costs of the whole fleet, USD per year."
    )
    sensitivity: bool = Field(False, description="Add a +-20 % sensitivity table (tornado) of the cost per used hour.")

    @field_validator("capex_per_accelerator", "server_price", "rental_price", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return value if isinstance(value, (list, tuple)) or value is None else [value]

    @field_validator("capex_per_accelerator", "server_price", "rental_price")
    @classmethod
    def _prices(cls, values: list[float], info: Any) -> list[float]:
        positive = info.field_name != "rental_price"
        for v in values:
            if v < 0 or (positive and v == 0):
                raise InputError(
                    info.field_name, f"every price must be {'> 0' if positive else '>= 0'} USD (got {v:g})."
                )
        return values


def paired(field: str, values: Sequence[float], chips: int, *, one_for_all: bool = False) -> list[float | None]:
    """One value per chip, in order: ``values`` itself, ``None`` for each when empty, or (``one_for_all``) a single
    value repeated. Any other count is an ``InputError`` on ``field``.

    >>> paired("capex_per_accelerator", [30000, 15000], 2)
    [30000, 15000]
    >>> paired("rental_price", [2.0], 3, one_for_all=True)
    [2.0, 2.0, 2.0]
    """
    if not values:
        return [None] * chips
    out: list[float | None] = [*values]
    if len(values) == chips:
        return out
    if one_for_all and len(values) == 1:
        return out * chips
    allowed = "one per chip" + (" or one for all" if one_for_all else "")
    raise InputError(
        field,
        f"{len(values)} value(s) for {chips} chip(s); give {allowed}, paired with --chip in order "
        "(a value is never carried over to the next chip).",
    )


def per_accelerator(
    per_acc_field: str,
    per_acc: float | None,
    server_field: str,
    server: float | None,
    gpus_per_server: int | None,
) -> float | None:
    """``per_acc``, or ``server / gpus_per_server``; both given is an ``InputError`` naming both fields."""
    if server is None:
        return per_acc
    if per_acc is not None:
        raise InputError(
            per_acc_field,
            f"give either {per_acc_field} (per accelerator) or {server_field} with gpus_per_server (per server), not "
            f"both.",
        )
    if gpus_per_server is None:
        raise InputError("gpus_per_server", f"{server_field} needs gpus_per_server (accelerators in one server, >= 1).")
    return server / gpus_per_server


def facility_mode(facility: str | None, colo: float | None) -> str:
    """``owned``, ``colo`` or ``none``; a colo rate with another facility is an ``InputError`` on ``facility``."""
    if facility is None:
        return "colo" if colo is not None else "owned"
    if colo is not None and facility != "colo":
        raise InputError(
            "facility", f"a colo rate was given with facility {facility!r}; use facility colo, or drop colo."
        )
    return facility


@dataclass(frozen=True)
class CashFlow:
    """A fleet's yearly cash flow and payback, USD."""

    revenue: float
    cash_opex: float
    net: float
    payback_years: float | None
    payback_note: str | None


def cash_flow(fleet_capex: float, revenue: float, cash_opex: float) -> CashFlow:
    """Net cash flow and payback (formulas in the module docstring).

    >>> round(cash_flow(20e6, 512 * 2.20 * 8760 * 0.65, 1.5e6).payback_years, 4)
    4.0702
    """
    net = revenue - cash_opex
    if net > 0:
        return CashFlow(revenue, cash_opex, net, fleet_capex / net, None)
    note = (
        f"no payback: the net cash flow is {net:,.2f} USD a year (revenue {revenue:,.2f} - cash operating costs "
        f"{cash_opex:,.2f}), so the capex is never recovered."
    )
    return CashFlow(revenue, cash_opex, net, None, note)


def annual_revenue(rental_price: float, sold_fraction: float, count: int) -> float:
    """rental_price x 8760 x sold_fraction x count, USD per year."""
    return rental_price * HOURS_PER_YEAR * sold_fraction * count


def facility_notes(facility: str, colo: float | None, colo_given: bool, fields_set: set[str]) -> list[str]:
    """Assumption lines for the facility mode; ``fields_set`` = the inputs the caller gave."""
    out = []
    if facility == "colo":
        if not colo_given:
            out.append(D.COLO.describe("colo"))
        out.append(f"Facility as colocation: {colo:g} USD per kW-month of IT load (owned facility capex not counted).")
    elif facility == "none":
        out.append("No facility cost (facility none): no facility capex and no colocation rent; power is still billed.")
    else:
        out.append("Facility owned: capex per MW of IT load recovered as an annuity over the facility life.")
    ignored = sorted({"facility_capex_per_mw", "facility_life_years"} & fields_set) if facility != "owned" else []
    if ignored:
        out.append(f"{' and '.join(ignored)} ignored: the facility is not owned ({facility}).")
    return out


def server_notes(server_price: list[float], gpus_per_server: int | None, server_kw: float | None) -> list[str]:
    """Assumption lines saying how server-level inputs became per-accelerator ones."""
    out = []
    if server_price:
        prices = ", ".join(f"{p:,.0f}" for p in server_price)
        out.append(f"Capex per accelerator = server price ({prices} USD) / {gpus_per_server} accelerators per server.")
    if server_kw is not None and gpus_per_server:
        out.append(
            f"IT power per accelerator = server {server_kw:g} kW / {gpus_per_server} = "
            f"{server_kw / gpus_per_server:g} kW."
        )
    return out
