"""Second-round calls: what a first result asks for before the answer can lead with what was asked.

Pure functions of the plan and the results so far (deterministic, so the planner can recompute
them at every step):

* a decode speed waits for the fit of its deployment, and is asked only when that fits
  (:func:`speed_fits`): a tokens/s for servers that cannot hold the model is not an answer;
* a fit that fails in the default weight format (bf16, not stated in the question) is run again
  at fp8, so the analyst sees the format that does fit ("at fp8 it fits N peak / M averaged");
* a fleet's power draw (MW at the facility: all-in kW x PUE x count) or annual power bill when
  the question asks for it: the cost calculator reports the
  power cost per accelerator per year, so ``calculate`` multiplies it by the fleet size (the
  product comes from the calculate tool, not from the writer);
* a capex comparison or sum (:mod:`agent.offline.capex_compare`): the difference, change and ratio, or the
  sum, of the table rows, by ``calculate``;
* two KV sizes asked with their ratio ("llama 405b vs deepseek v3 kv per token: each and the ratio"): the
  larger bytes per token / the smaller, by ``calculate`` (:func:`_kv_ratio_calls`);
* "how long to generate N tokens": N / the fastest decode rate found, in seconds, minutes (/ 60)
  or hours (/ 3600);
* a podcast question whose sum needs one figure of the cited sentence (:func:`passage_plan`): the sum on
  that figure, by ``calculate`` or the build-out calculator;
* a claim the claim checker has no entry for ("is it true that a 2 GW site needs a million
  GPUs?"): the claim's own words are planned as a question (:func:`claim_plan`), so the
  calculators answer what they can, with the plan's readings stated.

Each call is made once: a call already made with the same arguments is not repeated.
"""

from __future__ import annotations

import json
from typing import Any

from agent.offline.capex_compare import (
    capex_pair,
    change_expressions,
    company_pairs,
    extension_expression,
    sum_expression,
    sum_rows,
)
from agent.offline.capex_leases import gap_expression, gap_percent_expression, gap_rows
from agent.offline.capex_quarter import change_expression as quarter_change
from agent.offline.capex_quarter import quarter_rows, quarter_sum_rows
from agent.offline.capex_quarter import sum_expression as quarter_sum_expression
from agent.offline.passage_figure import passage_plan
from agent.offline.plan import make_plan
from agent.offline.plan_types import CALCULATORS, Call, Plan
from agent.offline.planners.checks import fit_for_speed

#: Weight formats the fit calculator may default to; fp8 is the next step down (half the bytes).
_WIDE_FORMATS = ("bf16", "fp16", "fp32")


def _load(content: Any) -> Any:
    if isinstance(content, (dict, list)):
        return content
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return None


def _key(call: Call) -> tuple[str, str]:
    return call.name, json.dumps(call.args, sort_keys=True, default=str)


def speed_fits(plan: Plan, done: list[tuple[Call, Any]]) -> tuple[list[Call], list[tuple[Call, dict[str, Any]]]]:
    """The pending speed calls whose deployment fits (or whose fit failed with an input error, which
    the speed call reports the same way), and those blocked, each with the fit result that blocks it."""
    ready: list[Call] = []
    blocked: list[tuple[Call, dict[str, Any]]] = []
    for speed in plan.pending:
        fit = next(
            (
                _load(c)
                for call, c in done
                if call.name == "memory_fit" and fit_for_speed(call.args) == fit_for_speed(speed.args)
            ),
            None,
        )
        if not isinstance(fit, dict):
            continue
        if "error" in fit or (fit.get("fits") and fit.get("batch_fits", True)):
            ready.append(speed)
        else:
            blocked.append((speed, fit))
    return ready, blocked


def more_calls(plan: Plan, done: list[tuple[Call, Any]]) -> list[Call]:
    """The calls the results so far ask for (module docstring), minus any already made."""
    out: list[Call] = list(speed_fits(plan, done)[0])
    for call, content in done:
        data = _load(content)
        if not isinstance(data, dict) or "error" in data:
            continue
        defaulted_wide = (data.get("inputs") or {}).get(
            "weights_dtype"
        ) in _WIDE_FORMATS and "weights_dtype" not in call.args
        if call.name == "memory_fit" and data.get("fits") is False and defaulted_wide:
            out.append(Call("memory_fit", {**call.args, "weights_dtype": "fp8"}))
        if call.name == "tco":
            out += _fleet_power_calls(plan, data)
    out += _speed_at_capacity(plan, done)
    out += _kv_ratio_calls(plan, done)
    if plan.volume and "time_for_tokens" in plan.focus:
        speeds = [(_load(c)) for call, c in done if call.name == "throughput"]
        speeds = [s for s in speeds if isinstance(s, dict) and s.get("decode_tokens_per_s")]
        made = {_key(c) for c, _ in done}
        pending = [c for c in _speed_at_capacity(plan, done) if _key(c) not in made]
        if speeds and not pending:
            best = max(speeds, key=lambda s: s["decode_tokens_per_s"])
            seconds = plan.volume / best["decode_tokens_per_s"]  # only to pick the unit; the figure is calculate's
            unit = "" if seconds < 120 else (" / 60" if seconds < 7200 else " / 3600")
            out.append(Call("calculate", {"expression": f"{plan.volume} / {best['decode_tokens_per_s']!r}{unit}"}))
    for call, content in done:
        data = _load(content)
        if call.name == "capex" and isinstance(data, dict) and "error" not in data:
            out += _capex_calls(plan, data)
    gap = gap_rows(plan.year, [(c, _load(content)) for c, content in done]) if plan.lease_gap else None
    if gap:
        out += [Call("calculate", {"expression": e(gap)}) for e in (gap_expression, gap_percent_expression)]
    sub = claim_plan(done)
    if sub is not None:
        out += sub.first_round()
    read = passage_plan(plan, done)
    if read is not None:
        out += read.calls
    made = {_key(c) for c, _ in done}
    unique: list[Call] = []
    for c in out:
        if _key(c) not in made:
            made.add(_key(c))
            unique.append(c)
    return unique


def _kv_ratio_calls(plan: Plan, done: list[tuple[Call, Any]]) -> list[Call]:
    """Two KV sizes (two caches, or a cache and a stated formula in bytes) and a ratio asked: the larger bytes per
    token / the smaller, by ``calculate`` (labelled in ``plan.labels``)."""
    if "ratio" not in plan.focus:
        return []
    sized = []
    for call, content in done:
        data = _load(content)
        if not isinstance(data, dict) or "error" in data:
            continue
        if call.name == "kv_cache" and data.get("bytes_per_token"):
            sized.append((data["model"], data["bytes_per_token"]))
        elif call.name == "calculate" and plan.labels.get(call.args.get("expression", ""), ("", ""))[1] == "B":
            sized.append(("the stated formula", data.get("value")))
    if len(sized) != 2 or not all(isinstance(v, (int, float)) and v > 0 for _, v in sized):
        return []
    (a, x), (b, y) = sorted(sized, key=lambda s: -s[1])  # the larger over the smaller: "N x bigger"
    expr = f"{x!r} / {y!r}"
    plan.labels[expr] = (f"KV per token, {a} / {b}", "x", "the larger bytes per token over the smaller")
    return [Call("calculate", {"expression": expr})]


def _fleet_power_calls(plan: Plan, data: dict[str, Any]) -> list[Call]:
    """A fleet's power draw (MW) or power bill ($/yr) from a tco result, by ``calculate``."""
    out = []
    if "power_draw" in plan.focus:
        pue = (data.get("inputs") or {}).get("pue")
        for chip in data.get("chips") or []:
            if chip.get("power_kw") is not None and pue is not None:
                out.append(
                    Call(
                        "calculate",
                        {"expression": f"{chip['power_kw']!r} * {pue!r} * {int(data.get('count') or 1)} / 1000"},
                    )
                )
    if "power_year" in plan.focus and (data.get("count") or 1) > 1:
        for chip in data.get("chips") or []:
            power = (chip.get("annual") or {}).get("power_usd")
            if power is not None:
                out.append(Call("calculate", {"expression": f"{power!r} * {int(data['count'])}"}))
    return out


def _capex_calls(plan: Plan, data: dict[str, Any]) -> list[Call]:
    """A capex comparison (difference, change, ratio, CAGR, extrapolation) or sum, by ``calculate``."""
    out = []
    guide = "vs_guidance" in plan.focus
    each = plan.sum_years or "each" in plan.focus  # a sum asks no comparison; "each" asks one per company
    pair = None if each else capex_pair(plan.compare_years, plan.year, data, guide)
    if pair:
        out += [Call("calculate", {"expression": e}) for e in change_expressions(pair).values()]
        grown = extension_expression(pair, plan.extend_year) if plan.extend_year else None
        out += [Call("calculate", {"expression": grown})] if grown else []
    for each in [] if plan.sum_years or pair else company_pairs(plan.compare_years, data):
        out += [Call("calculate", {"expression": e}) for e in change_expressions(each).values()]
    rows = sum_rows(plan.sum_years, data, plan.sum_guidance) if plan.sum_years else None
    if rows:
        out.append(Call("calculate", {"expression": sum_expression(rows)}))
    added = quarter_sum_rows(plan.quarter_sum, data) if plan.quarter_sum else None
    out += [Call("calculate", {"expression": quarter_sum_expression(added)})] if added else []
    asked, compared = quarter_rows(plan.quarters, data) if plan.quarters else (None, None)
    if asked and compared:
        out.append(Call("calculate", {"expression": quarter_change(asked, compared)}))
    return out


def _speed_at_capacity(plan: Plan, done: list[tuple[Call, Any]]) -> list[Call]:
    """A fit and a speed asked together, the speed with no batch: also the speed at the batch that fits.

    "users and tok/s" means the speed when that many users are served; the throughput
    calculator's default batch of one is kept beside it (the question did not state a batch).
    """
    fits = {}
    for call, content in done:
        data = _load(content)
        guard = any(
            _key(call) == _key(g) for g in plan.guards
        )  # a fit checked only so the speed is not for servers that cannot run
        if (
            call.name == "memory_fit"
            and not guard
            and isinstance(data, dict)
            and data.get("fits")
            and data.get("max_concurrent_sequences")
        ):
            fits[(call.args.get("model"), call.args.get("chip"), call.args.get("gpus"))] = data[
                "max_concurrent_sequences"
            ]
    out = []
    for call, _ in done:
        if call.name == "throughput" and "batch" not in call.args:
            batch = fits.get((call.args.get("model"), call.args.get("chip"), call.args.get("gpus")))
            if batch and batch > 1:
                out.append(Call("throughput", {**call.args, "batch": int(batch)}))
    return out


def claim_plan(done: list[tuple[Call, Any]]) -> Plan | None:
    """The calculator plan for a claim the checker did not find, or None (found, or nothing to compute)."""
    for call, content in done:
        data = _load(content)
        if call.name != "check_claim" or not isinstance(data, dict) or data.get("found") is not False:
            continue
        sub = make_plan(str(call.args.get("claim", "")))
        sub.calls = [c for c in sub.calls if c.name in CALCULATORS]
        if sub.calls:
            sub.notes.insert(0, "No checked claim matches, so the claim's own numbers were computed instead.")
            return sub
    return None
