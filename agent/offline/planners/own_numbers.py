"""Plans from the analyst's own numbers that no intent reading covers: a unit cost asked from an hourly price
alone (a reply naming what is missing, :mod:`agent.offline.missing_inputs`), and the fallback deployment of a
fit ("if not, try 16 GPUs"). A decode ceiling the question spells out is :mod:`agent.offline.planners.spelled`'s."""

from __future__ import annotations

from typing import Any

from agent.offline.focus import asked_quantities
from agent.offline.parse import parse
from agent.offline.plan_types import Call, Plan
from tools.quantities import Quantity


def missing_inputs_plan(question: str, quantities: list[Quantity]) -> Plan | None:
    """A cost per token or per query from an hourly price alone, or a $/Mtok alone with no model or tokens/s: a
    reply naming what is missing (no figure); so is a fleet's power for a chip the catalog does not hold."""
    from agent.offline.missing_inputs import missing_chip_power, missing_for_unit_cost, missing_throughput_for_mtok

    p = parse(question)
    has_model = bool(p.models or p.unknown_models)
    focus = asked_quantities(p.text)
    reply = (
        missing_for_unit_cost(question, quantities, has_model)
        or missing_throughput_for_mtok(question, focus, quantities, has_model, bool(p.chips or p.unknown_chips))
        or missing_chip_power(focus, p.unknown_chips, quantities)
    )
    return Plan(reply=reply) if reply else None


def routed_plan(routed: tuple[str, dict[str, Any]], question: str, quantities: list[Quantity]) -> Plan:
    """The plan for a what-if route: its call, and the fallback deployment the question names."""
    from agent.offline.whatif import alternatives

    name, args = routed
    plan = Plan(calls=[Call(name, args)], focus=asked_quantities(parse(question).text))
    plan.calls += [Call(name, a) for a in alternatives(name, args, question)]
    plan.value_unit = next((q.unit for q in quantities if q.unit in ("usd", "W")), None)
    return plan
