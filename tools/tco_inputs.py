"""The analyst's forms of the tco inputs, turned into per-accelerator numbers (pure; ``InputError`` on bad input).

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

from tools import defaults as D
from tools.errors import InputError
from tools.finance import HOURS_PER_YEAR


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
    if len(values) == chips:
        return list(values)
    if one_for_all and len(values) == 1:
        return list(values) * chips
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
            f"give either {per_acc_field} (per accelerator) or {server_field} with gpus_per_server (per server), not both.",
        )
    if gpus_per_server is None:
        raise InputError("gpus_per_server", f"{server_field} needs gpus_per_server (accelerators in one server, >= 1).")
    return server / gpus_per_server


def facility_mode(facility: str | None, colo: float | None) -> str:
    """``owned``, ``colo`` or ``none``; a colo rate with an owned or no facility is an ``InputError`` on ``facility``."""
    if facility is None:
        return "colo" if colo is not None else "owned"
    if colo is not None and facility != "colo":
        raise InputError("facility", f"a colo rate was given with facility {facility!r}; use facility colo, or drop colo.")
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
        out.append(f"IT power per accelerator = server {server_kw:g} kW / {gpus_per_server} = {server_kw / gpus_per_server:g} kW.")
    return out
