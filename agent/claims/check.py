"""Check the podcast's quantitative claims with the calculators; verdicts are computed, never stored.

``knowledge/data/claims.yaml`` holds each claim: the exact quote (a substring of the transcript),
its chapter, the claim normalised (quantity, claimed value or range, unit) and a *recipe*:

* ``calls``: registry tools (``kv_cache``, ``memory_fit``, ``throughput``, ...) or catalog rows
  (``catalog.accelerator``, ``catalog.model``) with their arguments; an argument written
  ``"=expr"`` is computed from the assumptions and earlier calls;
* ``assumptions``: each named, with a nominal value, a plausible ``[low, high]`` and its source;
* ``value``: an expression over call results (``fit.max_concurrent_sequences``) and assumptions,
  giving the computed counterpart of the claimed figure; ``figures``: more expressions to report.

The verdict (:func:`check`) compares the computed value with the claimed range
``[low, high]`` (``value x (1 +- rel_tol)``, or ``min``/``max`` bounds):

* **consistent**: inside the range at the nominal assumptions and at every plausible corner;
* **consistent under assumptions**: inside for some plausible assumptions and outside for others
  (or the plausible values straddle the range); each assumption's *flip point* (found by
  bisection) says how far it must move to change the verdict;
* **inconsistent**: outside the range for every plausible assumption (the computed value shown);
* **not checkable**: the calculators cannot compute it, or an input it needs has no independent
  source (the reason is given; figures that can be computed are still shown).

Sensitivity: for each assumption, the computed value at its low and at its high end, the others
held nominal. Expressions are evaluated by a small ``ast`` walker (numbers, names, attributes,
indexing, ``+ - * / **``, ``min max round abs log log10 sqrt ceil floor``), never ``eval``.
"""

from __future__ import annotations

import ast
import itertools
import json
import math
import operator
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.claims.specs import Assumption, ClaimSpec, Recipe, load_claims, locate

Verdict = Literal["consistent", "consistent under assumptions", "inconsistent", "not checkable"]
VERDICTS: tuple[str, ...] = ("consistent", "consistent under assumptions", "inconsistent", "not checkable")
#: Corners of the assumption box are all evaluated up to this many assumptions (2^n runs).
MAX_CORNER_ASSUMPTIONS = 6
#: Bisection steps when locating a flip point (range / 2^30: far below any reported precision).
BISECTION_STEPS = 30


# --------------------------------------------------------------------------- results


class Sensitivity(BaseModel):
    """The computed value over one assumption's plausible range (the others nominal)."""

    assumption: str
    low: float
    high: float
    value_at_low: float
    value_at_high: float


class Flip(BaseModel):
    """Where moving one assumption changes the verdict."""

    assumption: str
    nominal: float
    flips_at: float
    move_pct: float = Field(description="(flips_at - nominal) / nominal x 100.")
    holds_when: str = Field(description="e.g. 'occupancy <= 0.667'.")


class CallRecord(BaseModel):
    name: str
    tool: str
    args: dict[str, Any]


class ClaimCheck(BaseModel):
    """A claim with its computed verdict and the figures behind it."""

    id: str
    quote: str
    chapter: str
    timestamp: str | None = Field(description="Estimated MM:SS in the episode.")
    speaker: str | None
    quantity: str
    claimed: str
    claimed_low: float | None
    claimed_high: float | None
    unit: str
    verdict: Verdict
    summary: str = Field(description="The verdict in one sentence, with the figures.")
    value: float | None = Field(None, description="Computed value at the nominal assumptions.")
    value_min: float | None = Field(None, description="Smallest computed value over the plausible assumptions.")
    value_max: float | None = Field(None, description="Largest computed value over the plausible assumptions.")
    figures: dict[str, float] = Field(default_factory=dict)
    method: str | None = None
    calls: list[CallRecord] = Field(default_factory=list)
    assumptions: list[Assumption] = Field(default_factory=list)
    sensitivity: list[Sensitivity] = Field(default_factory=list)
    flips: list[Flip] = Field(default_factory=list)
    holds_at: dict[str, float] | None = Field(
        None, description="A plausible assumption set under which a claim that fails at the nominal values holds."
    )
    reason: str | None = Field(None, description="Why it is not checkable.")
    notes: str | None = None
    sources: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------- expressions

_BINOPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_FUNCS = {
    "min": min,
    "max": max,
    "round": round,
    "abs": abs,
    "log": math.log,
    "log10": math.log10,
    "sqrt": math.sqrt,
    "ceil": math.ceil,
    "floor": math.floor,
}


def evaluate_expression(expr: str, names: dict[str, Any]) -> Any:
    """Evaluate a recipe expression over ``names`` (assumption values, call results)."""

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, str)):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise ValueError(f"unknown name {node.id!r} in {expr!r}")
            return names[node.id]
        if isinstance(node, ast.Attribute):
            return getattr(ev(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return ev(node.value)[ev(node.slice)]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            return _BINOPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -ev(node.operand)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS:
            return _FUNCS[node.func.id](*(ev(a) for a in node.args))
        raise ValueError(f"unsupported syntax in {expr!r}")

    return ev(ast.parse(expr, mode="eval"))


# --------------------------------------------------------------------------- running recipes


@cache
def _run_cached(tool: str, args_json: str) -> BaseModel:
    args = json.loads(args_json)
    if tool == "catalog.accelerator":
        from tools.catalog import find_accelerator

        return find_accelerator(args["name"])
    if tool == "catalog.model":
        from tools.catalog import find_model

        return find_model(args["name"])
    from tools.registry import get

    return get(tool).run(args)


class Evaluation(BaseModel):
    value: float
    figures: dict[str, float]
    calls: list[CallRecord]
    sources: list[str]


def evaluate_recipe(recipe: Recipe, overrides: dict[str, float] | None = None) -> Evaluation:
    """Run the recipe's calls and expressions with the nominal assumptions, some overridden."""
    names: dict[str, Any] = {a.name: a.value for a in recipe.assumptions}
    names.update(overrides or {})
    calls: list[CallRecord] = []
    sources: list[str] = []
    for name, call in recipe.calls.items():
        args = {
            k: (evaluate_expression(v[1:], names) if isinstance(v, str) and v.startswith("=") else v)
            for k, v in call.args.items()
        }
        result = _run_cached(call.tool, json.dumps(args, sort_keys=True))
        names[name] = result
        calls.append(CallRecord(name=name, tool=call.tool, args=args))
        sources.extend(getattr(result, "sources", []) or [])
    value = float(evaluate_expression(recipe.value, names))
    figures = {k: float(evaluate_expression(e, names)) for k, e in recipe.figures.items()}
    return Evaluation(value=value, figures=figures, calls=calls, sources=sources)


def _side(v: float, lo: float, hi: float) -> int:
    """-1 below the claimed range, 0 inside, +1 above (with a relative 1e-9 slack for rounding)."""
    eps = 1e-9 * max(abs(lo) if math.isfinite(lo) else 0, abs(hi) if math.isfinite(hi) else 0, 1e-300)
    if v < lo - eps:
        return -1
    if v > hi + eps:
        return 1
    return 0


def _flip(recipe: Recipe, a: Assumption, end: float, lo: float, hi: float, side0: int) -> float:
    """Bisection between the nominal value and ``end`` for where the side of the range changes."""
    inside, outside = a.value, end
    for _ in range(BISECTION_STEPS):
        mid = (inside + outside) / 2
        if _side(evaluate_recipe(recipe, {a.name: mid}).value, lo, hi) == side0:
            inside = mid
        else:
            outside = mid
    return (inside + outside) / 2


def fmt(x: float | None) -> str:
    """A figure for a verdict or a table: thousands separators, 3 significant digits for small values."""
    if x is None:
        return "-"
    if not math.isfinite(x):
        return f"{x}"
    if x != 0 and (abs(x) >= 1e7 or abs(x) < 1e-3):
        return f"{x:.3g}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


#: A sampled point: the recipe's value and the assumption values that gave it.
Point = tuple[float, dict[str, float]]


def _sample(recipe: Recipe) -> tuple[Evaluation, list[Sensitivity], list[Point]]:
    """The nominal evaluation, one-at-a-time sensitivities, and every sampled point (nominal first, then
    each assumption at its low and high end, then every corner when there are few assumptions)."""
    nominal = evaluate_recipe(recipe)
    nominal_point = {a.name: a.value for a in recipe.assumptions}
    values: list[Point] = [(nominal.value, nominal_point)]
    sens: list[Sensitivity] = []
    for a in recipe.assumptions:
        v_lo = evaluate_recipe(recipe, {a.name: a.low}).value
        v_hi = evaluate_recipe(recipe, {a.name: a.high}).value
        sens.append(Sensitivity(assumption=a.name, low=a.low, high=a.high, value_at_low=v_lo, value_at_high=v_hi))
        values += [(v_lo, {**nominal_point, a.name: a.low}), (v_hi, {**nominal_point, a.name: a.high})]
    if 1 < len(recipe.assumptions) <= MAX_CORNER_ASSUMPTIONS:
        for corner in itertools.product(*((a.low, a.high) for a in recipe.assumptions)):
            point = {a.name: v for a, v in zip(recipe.assumptions, corner)}
            values.append((evaluate_recipe(recipe, point).value, point))
    return nominal, sens, values


def _flips(recipe: Recipe, sens: list[Sensitivity], lo: float, hi: float, side0: int) -> list[Flip]:
    """For each assumption end that moves the value to another side of the claimed range, where it flips."""
    flips: list[Flip] = []
    for a, s in zip(recipe.assumptions, sens):
        for end, v_end in ((a.low, s.value_at_low), (a.high, s.value_at_high)):
            side_end = _side(v_end, lo, hi)
            if end == a.value or side_end == side0:
                continue
            at = _flip(recipe, a, end, lo, hi, side0)
            up = end > a.value
            if side0 == 0:
                holds = f"{a.name} {'<=' if up else '>='} {fmt(at)}"
            elif side_end == 0:
                holds = f"{a.name} {'>=' if up else '<='} {fmt(at)}"
            else:
                holds = f"the value jumps across the claimed range at {a.name} = {fmt(at)}"
            move = (at - a.value) / a.value * 100 if a.value else math.inf
            flips.append(Flip(assumption=a.name, nominal=a.value, flips_at=at, move_pct=move, holds_when=holds))
    return flips


def _verdict(sides: list[int]) -> str:
    """All points inside the range: consistent; some inside, or points on both sides: under assumptions."""
    if all(s == 0 for s in sides):
        return "consistent"
    if any(s == 0 for s in sides) or (-1 in sides and 1 in sides):
        return "consistent under assumptions"
    return "inconsistent"


def _conditional_summary(
    computed: str, claimed: str, spread: str, side0: int, flips: list[Flip], holds_at: dict[str, float] | None
) -> str:
    """The summary of a claim consistent under assumptions: where it lands, and when it holds."""
    conditions = [f.holds_when for f in flips if not f.holds_when.startswith("the value jumps")]
    if holds_at and not conditions:
        conditions = [", ".join(f"{k} = {fmt(v)}" for k, v in holds_at.items())]
    jumps = [f.holds_when for f in flips if f.holds_when.startswith("the value jumps")]
    where = "inside" if side0 == 0 else ("below" if side0 < 0 else "above")
    summary = (
        f"Consistent under assumptions: computed {computed} at the nominal assumptions, {where} the claimed "
        f"{claimed}{spread}."
    )
    if conditions:
        summary += f" The claim holds when {'; '.join(conditions)}."
    if jumps:
        summary += f" {'; '.join(j[0].upper() + j[1:] for j in jumps)}."
    return summary


def check(spec: ClaimSpec) -> ClaimCheck:
    """Compute the verdict of one claim (see the module docstring for the rules)."""
    _chapter, timestamp = locate(spec.quote)
    lo, hi = spec.claim.bounds()
    base = dict(
        id=spec.id,
        quote=spec.quote,
        chapter=spec.chapter,
        timestamp=timestamp,
        speaker=spec.speaker,
        quantity=spec.claim.quantity,
        claimed=spec.claim.text,
        claimed_low=lo if math.isfinite(lo) else None,
        claimed_high=hi if math.isfinite(hi) else None,
        unit=spec.claim.unit,
        notes=spec.notes,
    )
    if spec.check is None:
        return ClaimCheck(
            **base, verdict="not checkable", summary=f"Not checkable: {spec.not_checkable}", reason=spec.not_checkable
        )

    recipe = spec.check
    nominal, sens, values = _sample(recipe)
    sides = [_side(v, lo, hi) for v, _ in values]
    side0 = sides[0]
    flips = _flips(recipe, sens, lo, hi, side0)
    verdict = _verdict(sides)
    holds_at = None
    if verdict == "consistent under assumptions" and side0 != 0:
        holds_at = next((point for (_, point), s in zip(values, sides) if s == 0), None)

    vmin, vmax = min(v for v, _ in values), max(v for v, _ in values)
    claimed = spec.claim.text
    computed = f"{fmt(nominal.value)} {spec.claim.unit}"
    spread = f" (plausible range {fmt(vmin)} to {fmt(vmax)})" if vmin != vmax else ""
    reason = None
    if recipe.unsourced:
        verdict, reason = "not checkable", recipe.unsourced
        summary = f"Not checkable: {recipe.unsourced} Computed anyway: {computed}{spread}."
    elif verdict == "consistent":
        summary = f"Consistent: computed {computed}{spread}; the claim says {claimed}."
    elif verdict == "inconsistent":
        where = "below" if side0 < 0 else "above"
        summary = (
            f"Inconsistent: computed {computed}{spread}, {where} the claimed {claimed} for every plausible assumption."
        )
    else:
        summary = _conditional_summary(computed, claimed, spread, side0, flips, holds_at)
    assumption_sources = [f"{a.name}: {a.source}" for a in recipe.assumptions]
    return ClaimCheck(
        **base,
        verdict=verdict,  # type: ignore[arg-type]
        summary=summary,
        value=nominal.value,
        value_min=vmin,
        value_max=vmax,
        figures=nominal.figures,
        method=recipe.method,
        calls=nominal.calls,
        assumptions=recipe.assumptions,
        sensitivity=sens,
        flips=flips,
        holds_at=holds_at,
        reason=reason,
        sources=list(dict.fromkeys(nominal.sources + assumption_sources)),
    )


def check_all() -> list[ClaimCheck]:
    """Every claim of claims.yaml, checked, in file order."""
    return [check(s) for s in load_claims()]


def verdict_counts(results: list[ClaimCheck]) -> dict[str, int]:
    return {v: sum(1 for r in results if r.verdict == v) for v in VERDICTS}
