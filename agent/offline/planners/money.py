"""Money arithmetic on the analyst's own numbers that no calculator takes as written, planned as ``calculate``
calls: a fleet's payback from its rental revenue (:mod:`agent.offline.payback`), the power bill of a stated
draw over a stated period (:mod:`agent.offline.power_cost`), a fleet's power on the analyst's per-chip rule
(:mod:`agent.offline.fleet_power`), capex plus energy over a life (:mod:`agent.offline.lifetime_cost`), a query's
priced token parts (:mod:`agent.offline.query_bill`), a rental bill (:mod:`agent.offline.rental_bill`),
straight-line depreciation (:mod:`agent.offline.depreciation`), an own cost per accelerator-hour of a server in
parts (:mod:`agent.offline.server_parts`), racks on a rack rule (:mod:`agent.offline.racks`), figures asked of an own cost per GPU-hour
(:mod:`agent.offline.own_hourly`), the cost per concurrent user-hour (:mod:`agent.offline.per_user`) and a
CAGR over a stated span with no calendar years (:mod:`agent.offline.plain_cagr`), the years a rate takes to a
multiple and the annual rate of a doubling period (:mod:`agent.offline.growth_time`), the price for a gross margin
(:mod:`agent.offline.margin_price`), the tokens/s a target $/Mtok needs (:mod:`agent.offline.target_rate`), the
$/Mtok and $/query of a stated $/hour and tokens/s (:mod:`agent.offline.hourly_tokens`), a build-out's capex at a
stated $/W (:mod:`agent.offline.per_watt`); a payback asked with no numbers is declined, naming what is needed."""

from __future__ import annotations

from agent.offline.focus import asked_quantities
from agent.offline.parse import parse
from agent.offline.plan_types import Call, Plan
from tools.quantities import Quantity


def money_plan(question: str, quantities: list[Quantity], first_turn: bool) -> Plan | None:
    """The ``calculate`` plan of a payback or a power bill the question spells out; a reply for a payback with no
    numbers (``first_turn`` only: a follow-up's numbers are in the conversation); None otherwise."""
    from agent.offline.depreciation import depreciation_calls
    from agent.offline.fleet_power import fleet_power_calls
    from agent.offline.growth_time import period_rate_calls, years_to_reach_calls
    from agent.offline.hourly_tokens import hourly_token_calls
    from agent.offline.lifetime_cost import lifetime_cost_calls
    from agent.offline.margin_price import margin_price_calls
    from agent.offline.own_hourly import own_hourly_calls
    from agent.offline.payback import missing_payback_inputs, payback_calls
    from agent.offline.per_user import per_user_hour_calls
    from agent.offline.per_watt import per_watt_calls
    from agent.offline.plain_cagr import plain_cagr_calls
    from agent.offline.power_cost import stated_power_bill
    from agent.offline.query_bill import query_bill_calls
    from agent.offline.racks import rack_calls
    from agent.offline.rental_bill import rental_bill_calls
    from agent.offline.server_parts import server_parts_calls
    from agent.offline.target_rate import target_rate_calls

    if first_turn and (reply := missing_payback_inputs(question, quantities)):
        return Plan(reply=reply)
    found = (
        payback_calls(question, quantities, Call)
        or stated_power_bill(question, quantities, Call)
        or fleet_power_calls(question, quantities, Call)
        or lifetime_cost_calls(question, quantities, Call)
        or query_bill_calls(question, quantities, Call)
        or rental_bill_calls(question, quantities, Call)
        or depreciation_calls(question, quantities, Call)
        or server_parts_calls(question, quantities, Call)
        or rack_calls(question, quantities, Call)
        or own_hourly_calls(question, quantities, Call)
        or per_user_hour_calls(question, quantities, Call)
        or plain_cagr_calls(question, quantities, Call)
        or years_to_reach_calls(question, quantities, Call)
        or period_rate_calls(question, quantities, Call)
        or margin_price_calls(question, quantities, Call)
        or target_rate_calls(question, quantities, Call)
        or hourly_token_calls(question, quantities, Call)
        or per_watt_calls(question, quantities, Call)
    )
    if found is None:
        return None
    calls, labels, note = found
    return Plan(calls=calls, labels=labels, notes=[note], focus=asked_quantities(parse(question).text))
