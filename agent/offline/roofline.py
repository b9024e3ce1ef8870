"""A decode roofline the analyst spells out: tokens/s = bandwidth x efficiency / bytes read per step, by ``calculate``.

"Llama-2-7B fp16 on one H100 SXM at 100% bandwidth, 13.48e9 bytes of weights, ignore KV reads: tok/s?" gives
every term of the formula. The throughput calculator would read its own weight bytes and add KV reads, step
overhead and compute, which the analyst set aside, so the plan computes the analyst's roofline instead:

    bytes per step     = weight bytes (+ batch x tokens per sequence x KV bytes per token, when stated)
    tok/s per sequence = bandwidth x accelerators x efficiency / bytes per step
    aggregate tok/s    = tok/s per sequence x batch

with bandwidth the stated TB/s (times N when written "N x 4.8 TB/s"), else each named chip's datasheet
bandwidth (knowledge catalog) times the accelerators named with it; efficiency the stated percentage (100%
when the question asks for a ceiling or bound and states none, said); weight bytes the stated bytes of
weights, or the stated parameters x bytes per parameter. Two chips ("Gaudi 3 vs H100") give each speed and
their ratio. A question that neither sets the KV reads aside, states them nor states a bandwidth is the
throughput calculator's.
"""

from __future__ import annotations

import re
from typing import Any

from agent.field_units import CONDITIONS
from agent.input_accounting import stated_quantities
from agent.offline.slots import clause_around
from tools.quantities import Quantity

_SPEED = re.compile(r"tok(?:en)?s?\s*/\s*s|tokens? (?:per|a) sec|\btps\b", re.I)
_IGNORE_KV = CONDITIONS[0][0]
_EFFICIENCY = re.compile(r"bandwidth|\bbw\b|efficien|\bmbu\b|datasheet|peak|aggregate|of the")
_CEILING = re.compile(r"ceiling|upper bound|\bbound\b|roofline|\bmax(?:imum)?\b|at most", re.I)
_CAPACITY = re.compile(r"\beach\b|per (?:gpu|accelerator|chip)|\bhbm\b|memory|usable|capacity")
_TIMES_BEFORE = re.compile(r"(\d+)\s*[x×]\s*$")
_BATCH = re.compile(r"\bbatch(?: size)?(?: of)?\s*(\d+)", re.I)
Labels = dict[str, tuple[str, str, str]]


def _g(value: float) -> str:
    return f"{value:.6g}"


def _weights(question: str, qs: list[Quantity]) -> str | None:
    """The expression for the weight bytes read per step: stated bytes, or parameters x bytes per parameter."""
    for q in qs:
        clause = clause_around(question, q)
        if q.unit == "bytes" and q.value >= 1e8 and not q.per and ("weight" in clause or not _CAPACITY.search(clause)):
            return _g(q.value)
    params = next((q for q in qs if q.unit == "params" and q.value >= 1e8), None)
    size = next((q for q in qs if q.unit == "bytes" and 0 < q.value <= 4), None)
    return f"{_g(params.value)} * {_g(size.value)}" if params and size else None


def _efficiency(question: str, qs: list[Quantity]) -> tuple[float, str] | None:
    """(efficiency, how it was read); None when the question states none and asks for no ceiling."""
    shares = [q for q in qs if q.unit == "fraction" and 0 < q.value <= 1]
    cued = [q for q in shares if _EFFICIENCY.search(clause_around(question, q))]
    if cued or len(shares) == 1:
        return (cued or shares)[0].value, ""
    if not shares and _CEILING.search(question):
        return 1.0, "100% of the bandwidth, for a ceiling (no efficiency was stated)"
    return None


def _bandwidths(question: str, qs: list[Quantity], count: int, chips: list[str]) -> list[tuple[str, str]] | None:
    """(label, bandwidth expression in bytes/s) per chip, or the stated bandwidth."""
    stated = next((q for q in qs if q.unit == "bytes/s"), None)
    if stated is not None:
        times = _TIMES_BEFORE.search(question[: stated.start])
        expr = f"{times.group(1)} * {_g(stated.value)}" if times else _g(stated.value)
        return [(stated.text, expr)]
    if not chips:
        return None
    from agent.offline.names import chip_arg
    from tools.catalog import find_accelerator

    out = []
    for name in chips:
        bw = find_accelerator(name).mem_bw_tbps * 1e12
        out.append((chip_arg(name), f"{count} * {_g(bw)}" if count > 1 else _g(bw)))  # "h100": no figure in a name
    return out


def roofline_calls(
    question: str, chips: list[str], count: int | None, make: Any
) -> tuple[list[Any], Labels, str] | None:
    """``calculate`` calls for the roofline the question spells out, their labels and the note (module docstring);
    None when the question is not such a roofline. ``chips``: catalog names it gives; ``count``: accelerators."""
    if not _SPEED.search(question):
        return None
    qs = stated_quantities(question)
    weights = _weights(question, qs)
    ignore = re.search(_IGNORE_KV, question, re.I)
    kv = next((q for q in qs if q.unit == "bytes" and q.per == "token"), None)
    tokens = next((q for q in qs if q.unit == "tokens"), None)
    stated_bw = any(q.unit == "bytes/s" for q in qs)  # no calculator takes a bandwidth: the roofline is the reading
    if weights is None or not (ignore or (kv and tokens) or stated_bw):
        return None
    eff = _efficiency(question, qs)
    bandwidths = _bandwidths(question, qs, count or 1, chips)
    if eff is None or not bandwidths:
        return None
    batch = int(m.group(1)) if (m := _BATCH.search(question)) else 1
    step = weights if ignore or not (kv and tokens) else f"{weights} + {batch} * {_g(tokens.value)} * {_g(kv.value)}"
    calls: list[Any] = []
    labels: Labels = {}
    speeds = []
    for name, bw in bandwidths:
        per_seq = f"{bw} * {_g(eff[0])} / ({step})"
        speeds.append(per_seq)
        labels[per_seq] = (
            f"Decode roofline, {name}: tokens/s per sequence",
            "tokens/s",
            "bandwidth x efficiency / bytes per step",
        )
        calls.append(make("calculate", {"expression": per_seq}))
        if batch > 1:
            labels[f"{per_seq} * {batch}"] = (
                f"Decode roofline, {name}: aggregate tokens/s",
                "tokens/s",
                f"x batch {batch}",
            )
            calls.append(make("calculate", {"expression": f"{per_seq} * {batch}"}))
    if len(speeds) == 2:
        ratio = f"({speeds[0]}) / ({speeds[1]})"
        labels[ratio] = (f"Ratio, {bandwidths[0][0]} / {bandwidths[1][0]}", "x", "the two rooflines")
        calls.append(make("calculate", {"expression": ratio}))
    said = f" ({ignore.group(0)}, as asked)" if ignore else ""
    note = (
        f"The roofline as the question spells it{said}: tokens/s = bandwidth x efficiency / bytes read per step "
        f"(bytes per step = {step}), computed directly; the throughput calculator would use its own weight bytes, "
        "KV reads and step overheads." + (f" Efficiency: {eff[1]}." if eff[1] else "")
    )
    return calls, labels, note
