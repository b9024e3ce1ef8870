"""A power-cost question with the analyst's own power and no price: the power bill by ``calculate``.

"12 kW per 8-GPU server, $0.10/kWh, PUE 1.2: electricity cost per GPU-hour and per year?" asks for
the power cost alone. The tco calculator would add a catalog chip's capital cost, so instead the
plan computes, per accelerator:

    power cost per hour = kW x PUE x electricity            (USD per accelerator-hour)
    power cost per year = kW x PUE x 8760 h x electricity   (USD per accelerator-year)
    for a fleet of N:  facility power = kW x PUE x N / 1000 (MW); power bill = the year's cost x N (USD/yr)

with kW = the stated kW per accelerator, or the server's kW / accelerators per server. PUE and
electricity are the question's or the tco calculator's defaults (tools/tco_inputs.py TCOInput), said.
"""

from __future__ import annotations

from typing import Any

#: What a power-only question may ask for besides the power cost itself.
_POWER_FOCUS = {"power_year", "per_hour", "per_year"}
_PRICED = ("capex_per_accelerator", "server_price", "rental_price", "tokens_per_s", "model")


def _kw_expr(args: dict[str, Any]) -> tuple[str, str] | None:
    """(expression for kW per accelerator, its basis), from the stated power; None when none is stated."""
    if "power_kw" in args:
        return f"{args['power_kw']!r}", f"{args['power_kw']:g} kW each"
    if "server_kw" in args and args.get("gpus_per_server"):
        n = int(args["gpus_per_server"])
        return f"{args['server_kw']!r} / {n}", f"{args['server_kw']:g} kW per {n}-accelerator server"
    return None


def power_only(call: Any, focus: list[str]) -> bool:
    """A tco call that asks only for the power cost, with a stated power and no price."""
    return (
        call.name == "tco"
        and "power_year" in focus
        and set(focus) <= _POWER_FOCUS
        and not any(k in call.args for k in _PRICED)
        and _kw_expr(call.args) is not None
    )


def power_cost_calls(
    args: dict[str, Any], default: Any, make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str]:
    """``calculate`` calls for the power cost per accelerator-hour and -year, their labels and the note.

    ``default(field)``: the tco calculator's default for a field; ``make(name, args)`` builds a call."""
    kw, basis = _kw_expr(args) or ("", "")
    pue = args.get("pue", default("pue"))
    electricity = args.get("electricity", default("electricity"))
    per_hour = f"{kw} * {pue!r} * {electricity!r}"
    per_year = f"{kw} * {pue!r} * 8760 * {electricity!r}"
    how = f"{basis} x PUE {pue:g} at ${electricity:g}/kWh"
    labels = {
        per_hour: ("Power cost per accelerator-hour", "$ per hour", how),
        per_year: ("Power cost per accelerator-year", "$ per year", how + " x 8,760 h"),
    }
    calls = [make("calculate", {"expression": per_hour}), make("calculate", {"expression": per_year})]
    count = int(args.get("count") or 1)
    if count > 1:  # a fleet: its draw at the facility and its bill
        draw, bill = f"{kw} * {pue!r} * {count} / 1000", f"{kw} * {pue!r} * 8760 * {electricity!r} * {count}"
        labels[draw] = (f"Facility power for {count:,} accelerators", "MW", f"{basis} x PUE {pue:g}")
        labels[bill] = (f"Power bill for {count:,} accelerators", "$ per year", how + " x 8,760 h")
        calls += [make("calculate", {"expression": draw}), make("calculate", {"expression": bill})]
    said = [k for k in ("pue", "electricity") if k not in args]
    note = (
        "Power cost only (no price was given, so no capital cost is counted)"
        + (
            f"; the {' and '.join(said)} {'are' if len(said) > 1 else 'is'} the cost calculator's default"
            if said
            else ""
        )
        + "."
    )
    return calls, labels, note
