"""Money arithmetic on the analyst's own numbers that no calculator takes as written, planned as ``calculate``
calls: a fleet's payback from its rental revenue (:mod:`agent.offline.payback`), the power bill of a stated
draw over a stated period (:mod:`agent.offline.power_cost`), figures asked of an own cost per GPU-hour
(:mod:`agent.offline.own_hourly`), the cost per concurrent user-hour (:mod:`agent.offline.per_user`) and a
CAGR over a stated span with no calendar years (:mod:`agent.offline.plain_cagr`), the years a rate takes to a
multiple and the annual rate of a doubling period (:mod:`agent.offline.growth_time`), the price for a gross margin
(:mod:`agent.offline.margin_price`), the tokens/s a target $/Mtok needs (:mod:`agent.offline.target_rate`);
a payback asked with no numbers is declined, naming what is needed."""

from __future__ import annotations

from agent.offline.focus import asked_quantities
from agent.offline.parse import parse
from agent.offline.plan_types import Call, Plan
from tools.quantities import Quantity


def money_plan(question: str, quantities: list[Quantity], first_turn: bool) -> Plan | None:
    """The ``calculate`` plan of a payback or a power bill the question spells out; a reply for a payback with no
    numbers (``first_turn`` only: a follow-up's numbers are in the conversation); None otherwise."""
    from agent.offline.growth_time import period_rate_calls, years_to_reach_calls
    from agent.offline.margin_price import margin_price_calls
    from agent.offline.own_hourly import own_hourly_calls
    from agent.offline.payback import missing_payback_inputs, payback_calls
    from agent.offline.per_user import per_user_hour_calls
    from agent.offline.plain_cagr import plain_cagr_calls
    from agent.offline.power_cost import stated_power_bill
    from agent.offline.target_rate import target_rate_calls

    if first_turn and (reply := missing_payback_inputs(question, quantities)):
        return Plan(reply=reply)
    found = (
        payback_calls(question, quantities, Call)
        or stated_power_bill(question, quantities, Call)
        or own_hourly_calls(question, quantities, Call)
        or per_user_hour_calls(question, quantities, Call)
        or plain_cagr_calls(question, quantities, Call)
        or years_to_reach_calls(question, quantities, Call)
        or period_rate_calls(question, quantities, Call)
        or margin_price_calls(question, quantities, Call)
        or target_rate_calls(question, quantities, Call)
    )
    if found is None:
        return None
    calls, labels, note = found
    return Plan(calls=calls, labels=labels, notes=[note], focus=asked_quantities(parse(question).text))
