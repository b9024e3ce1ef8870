"""Shared test helpers: the values of an all-``calculate`` offline plan, and a tolerant membership check."""

from __future__ import annotations

import math

from agent.offline.plan import make_plan
from tools.registry import get


def calculated(question: str) -> list[float]:
    """The values of the plan's ``calculate`` calls, in order (the plan must be all ``calculate``)."""
    plan = make_plan(question)
    assert plan.reply is None, plan.reply
    assert plan.calls and all(c.name == "calculate" for c in plan.calls), plan.calls
    return [float(get("calculate").run(c.args).model_dump()["value"]) for c in plan.calls]


def near(values: list[float], expected: float) -> bool:
    """Whether one of ``values`` is ``expected`` within 0.1 %."""
    return any(math.isclose(v, expected, rel_tol=1e-3) for v in values)
