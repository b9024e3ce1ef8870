"""Figures the analyst restates from the catalog, checked against it instead of left unused.

Analysts write a catalog fact, or a figure derived from one, beside the name it belongs to: "deepseek-r1 at
native fp8 (671 GB)", "llama-3.1-70b bf16 (141.2 GB of weights)", "a single MI355X 288GB", "GLM-4.5
(355B-A32B)", "treat the 180 as GiB". No calculator argument holds such a figure (the calculator derives it),
so each stated quantity the plan leaves unused is compared with what the plan's calls stand for:

* the weights of a fit's model: parameters x bytes per value of the weights format, in bytes;
* an accelerator's memory as the catalog states it (``memory_gb`` in its ``memory_unit``), written in bytes
  ("288GB") or as the bare figure beside a memory word ("the 180 as GiB");
* a model's parameter count, written with a parameter word or as a bare size ("355B").

Agreeing within :data:`ROUNDING` (an analyst's rounding: 141.2 GB beside 141.1 GB of weights) it is a
restatement: the answer says so ("671 GB: matches ..."), so the figure is accounted for. A stated size of the
weights that is materially off is the analyst's own figure: the fit uses it (``params`` = bytes / bytes per
value of the weights format) and the answer says so. Anything else stays unused (the planner declines).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from agent.offline.plan_types import Call, Plan
from tools.quantities import Quantity

#: Relative difference within which a stated figure restates the catalog's (the analyst's rounding).
ROUNDING = 0.015
#: Words beside a bare number that make it a memory size ("the 180 as GiB", "180 GB HBM").
_MEMORY_WORDS = re.compile(r"\bgi?b\b|\bhbm|\bmemory\b|\bvram\b|\bcapacity\b")
#: Words beside a size that make it the weights' ("141.2 GB of weights", "fp8 weights 671GB").
_WEIGHT_WORDS = re.compile(r"\bweights?\b")


@dataclass(frozen=True)
class Figure:
    """One figure a call stands for: its value (bytes, parameters or the catalog's bare memory number), the unit
    kind it is compared in, and how the answer names it."""

    value: float
    kind: str  # "bytes", "params" or "memory" (a bare number beside a memory word)
    label: str
    weights_of: Call | None = None  # a weights size: the fit call whose params an override sets
    bytes_per_value: float = 0.0


def _fit_result(call: Call) -> dict[str, Any] | None:
    """The fit calculator's result for ``call`` (pure and fast), or None when it cannot run."""
    from tools.errors import InputError
    from tools.registry import get

    try:
        out: dict[str, Any] = get("memory_fit").run(call.args).model_dump()
    except (InputError, ValueError):
        return None
    return out


def catalog_figures(calls: list[Call]) -> list[Figure]:
    """The catalog facts and derived figures the plan's calls stand for (module docstring)."""
    from tools.catalog import find_accelerator, find_model
    from tools.dtypes import BYTES_PER_VALUE, GB, GIB
    from tools.errors import InputError

    out: list[Figure] = []
    for call in calls:
        model, chip = call.args.get("model"), call.args.get("chip")
        try:
            spec = find_model(str(model)) if model else None
            accel = find_accelerator(str(chip)) if chip else None
        except (InputError, ValueError):
            continue
        if spec is not None:
            card = spec.params_b * 1e9
            out.append(Figure(card, "params", f"the catalog's {spec.params_b:g} B parameters of {spec.name}"))
        fit = _fit_result(call) if call.name == "memory_fit" and "params" not in call.args else None
        if fit:
            fmt = str((fit.get("inputs") or {}).get("weights_dtype") or "")
            size = BYTES_PER_VALUE.get(fmt.lower(), 0.0)
            weights = float(fit.get("weights_bytes") or 0)
            label = (
                f"the weights of {fit.get('model')} in {fmt} ({fit.get('parameters', 0):,} parameters x {size:g} B "
                f"= {weights / GB:,.1f} GB)"
            )
            out.append(Figure(weights, "bytes", label, call, size))
        if accel is not None:
            scale = GIB if accel.memory_unit == "GiB" else GB
            what = f"{accel.name}'s {accel.memory_gb:g} {accel.memory_unit} per accelerator in the catalog"
            out += [Figure(accel.memory_gb * scale, "bytes", what), Figure(accel.memory_gb, "memory", what)]
    return out


def _kind(q: Quantity, clause: str) -> str | None:
    if q.per or q.per_count:
        return None
    if q.unit == "bytes":
        return "bytes"
    if q.unit == "params" or (q.unit == "" and 1e8 <= q.value <= 1e14 and re.search(r"\d\s?b\b", q.text.lower())):
        return "params"
    if q.unit == "" and _MEMORY_WORDS.search(clause):
        return "memory"
    return None


def _agrees(stated: float, figure: float) -> bool:
    return figure > 0 and math.isclose(stated, figure, rel_tol=ROUNDING)


def check(question: str, plan: Plan, unused: list[str]) -> bool:
    """Notes (and weights overrides) for the unused quantities that restate a catalog figure (module docstring).
    Returns whether anything was added; the caller accounts the plan again."""
    from agent.input_accounting import stated_quantities
    from agent.offline.slots import clause_around

    figures = catalog_figures(plan.calls)
    changed = False
    for q in stated_quantities(question):
        if q.text not in unused:
            continue
        clause = clause_around(question, q)
        kind = _kind(q, clause)
        same = [f for f in figures if f.kind == kind]
        match = next((f for f in same if _agrees(q.value, f.value)), None)
        if match is not None:
            plan.notes.append(f"{q.text}: matches {match.label}.")
            changed = True
            continue
        weights = next((f for f in same if f.weights_of is not None and f.bytes_per_value), None)
        if weights is not None and kind == "bytes" and _WEIGHT_WORDS.search(clause) and weights.weights_of:
            params = q.value / weights.bytes_per_value
            weights.weights_of.args["params"] = float(f"{params:.6g}")
            plan.notes.append(
                f"{q.text} of weights is your figure, not {weights.label}: the fit uses yours "
                f"({params:,.4g} parameters at {weights.bytes_per_value:g} B each)."
            )
            changed = True
    return changed
