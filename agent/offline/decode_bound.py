"""A bandwidth-bound decode ceiling from the analyst's own bytes and bandwidth, by ``calculate``.

"70 GB of fp8 weights on one H200 at 4.8 TB/s, batch 1, ignore KV & overhead. tok/s?" states what
one decode step reads; the throughput calculator would use a catalog model's weights, its own KV
and a step overhead instead. So the plan computes the roofline the question spells out:

    bytes per step = weight bytes + batch x KV bytes per sequence
    step time      = bytes per step / (accelerators x bandwidth per accelerator x efficiency)
    tokens/s       = batch / step time (whole replica);   per user = 1 / step time

Weight bytes: a stated size "of weights" ("70 GB of fp8 weights", "141 GB read per token"), or a
stated active parameter count times the stated format's bytes ("37B active params, fp8").
Bandwidth: each stated TB/s (one figure per chip when several are compared), else the catalog's
datasheet figure of each named chip (accelerators.csv ``mem_bw_tbps``). A stated TB/s is per
accelerator unless it is called aggregate or total; efficiency is the stated share of bandwidth,
else 1 (a ceiling). "how much faster is B200 than H100, bandwidth-bound": the bandwidth ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tools.quantities import Quantity

#: The question asks for a decode speed (or a bandwidth-bound comparison).
_SPEED = re.compile(
    r"tok(?:en)?s?\s*/\s*s|tokens? (?:per|a) second|\btps\b|decode|throughput|how (?:much )?faster", re.I
)
_BOUND = re.compile(r"bandwidth[- ]bound|memory[- ]bound|ceiling|roofline|upper bound", re.I)
_WEIGHTS = re.compile(r"weights?|read per (?:token|step)|per token|per step|\bmodel\b|\bdense\b", re.I)
_KV = re.compile(r"\bkv\b|cache", re.I)
_AGGREGATE = re.compile(r"aggregate|total|combined|in all", re.I)
_EFFICIENCY = re.compile(r"bandwidth|achieved|efficien|\bmbu\b|of peak", re.I)


@dataclass
class Bound:
    """What one bandwidth-bound step reads and how fast it can read it."""

    weights: float  # bytes read per step for the weights
    weights_text: str
    kv: float = 0.0  # bytes of KV per sequence read per step
    batch: int = 1
    gpus: int = 1
    efficiency: float = 1.0


def _near(text: str, q: Quantity, pattern: re.Pattern[str], before: int = 20, after: int = 24) -> bool:
    return bool(pattern.search(text[max(0, q.start - before) : q.end + after]))


def _weights(question: str, quantities: list[Quantity], fmt_bytes: float | None) -> tuple[float, str] | None:
    """Weight bytes per step: a stated size of weights, or stated active parameters x the format's bytes.
    None when several sizes could be the weights ("70e9-byte model ... 141e9 bytes each ... 405.9e9 bytes"):
    the reading would be a guess."""
    sizes = [q for q in quantities if q.unit == "bytes" and q.value >= 1e8 and not _near(question, q, _KV, 6, 12)]
    if len(sizes) > 1:
        return None
    for q in sizes:
        if _near(question, q, _WEIGHTS):
            return q.value, q.text
    if fmt_bytes is None:
        return None
    for q in quantities:
        after = question[q.end : q.end + 20].lower()
        if q.value >= 1e8 and (q.unit == "params" or q.unit == "") and "active" in after + q.text.lower():
            return q.value * fmt_bytes, f"{q.text} x {fmt_bytes:g} B"
    return None


def _kv(question: str, quantities: list[Quantity], weights_text: str) -> float:
    for q in quantities:
        if q.unit == "bytes" and q.text != weights_text and _near(question, q, _KV, 24, 24):
            return q.value
    return 0.0


def _efficiency(question: str, quantities: list[Quantity]) -> float:
    for q in quantities:
        if q.unit == "fraction" and 0 < q.value <= 1 and _near(question, q, _EFFICIENCY, 12, 30):
            return q.value
    return 1.0


def _bandwidths(
    question: str, quantities: list[Quantity], chips: list[tuple[str, float]]
) -> list[tuple[str, float, bool]]:
    """(label, bytes/s, per accelerator) per bandwidth: the stated TB/s, else each named chip's datasheet figure."""
    stated = [q for q in quantities if q.unit == "bytes/s"]
    if stated:
        out = []
        for q in stated:
            near = [name for name, _ in chips if name.lower() in question[max(0, q.start - 30) : q.start].lower()]
            label = near[-1] if near and len(stated) > 1 else f"{q.text}"
            out.append((label, q.value, not _near(question, q, _AGGREGATE, 20, 6)))
        return out
    return [(f"{name} ({bw:g} TB/s datasheet)", bw * 1e12, True) for name, bw in chips]


def _chips(question: str) -> list[tuple[str, float]]:
    """(short name, datasheet TB/s) of each chip named, in order."""
    from agent.offline.entities import find_mentions
    from tools.catalog import find_accelerator

    out = []
    for m in find_mentions(question.lower(), "chip"):
        if m.name:
            row = find_accelerator(m.name)
            out.append((m.text.upper() if len(m.text) <= 8 else row.name, row.mem_bw_tbps))
    return out


def spelled_out(question: str) -> bool:
    """The question itself asks for the bandwidth-bound figure ("bandwidth-bound", "roofline", "ceiling")."""
    return bool(_BOUND.search(question))


def decode_bound_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """``calculate`` calls for a bandwidth-bound decode the question spells out, their labels and a note; None when
    the question does not state what a step reads (module docstring)."""
    if not _SPEED.search(question):
        return None
    from agent.offline.parse import parse
    from tools.dtypes import BYTES_PER_VALUE

    p = parse(question)
    fmt = p.weights_dtype
    chips = _chips(question)
    read = _weights(question, quantities, BYTES_PER_VALUE[fmt] if fmt else None)
    if read is None:
        return _ratio(question, chips, make)
    bw = _bandwidths(question, quantities, chips)
    if not bw:
        return None
    bound = Bound(weights=read[0], weights_text=read[1], batch=p.batch or 1, gpus=max(1, p.count or 1))
    bound.kv = _kv(question, quantities, read[1])
    bound.efficiency = _efficiency(question, quantities)
    compute = _compute_step(question, bound, BYTES_PER_VALUE[fmt] if fmt else None)
    calls, labels = [], {}
    for label, rate, per_gpu in bw:
        n = bound.gpus if per_gpu else 1
        step = f"({bound.weights:.6g} + {bound.batch} * {bound.kv:.6g}) / ({n} * {rate:.6g} * {bound.efficiency:g})"
        if compute:
            step = f"max({step}, {compute})"  # the slower of the memory and compute rooflines
        basis = (
            f"{n} x {rate / 1e12:g} TB/s x {bound.efficiency:g} over {bound.weights / 1e9:g} GB of weights"
            + (f" + {bound.batch} x {bound.kv / 1e9:g} GB of KV" if bound.kv else "")
            + " per step"
            + (", or the compute roofline when slower" if compute else "")
        )
        agg = f"{bound.batch} / ({step})"
        labels[agg] = (f"Bandwidth-bound decode, {label}", "tokens/s", basis + f", batch {bound.batch}")
        calls.append(make("calculate", {"expression": agg}))
        if bound.batch > 1:
            user = f"1 / ({step})"
            labels[user] = (f"Per user, {label}", "tokens/s", "one token per sequence per step")
            calls.append(make("calculate", {"expression": user}))
    if len(bw) == 2 and re.search(r"ratio|faster|speed[- ]?up|how much more", question, re.I):
        (a, rate_a, _), (b, rate_b, _) = bw
        ratio = f"{rate_a:.6g} / {rate_b:.6g}"
        labels[ratio] = (f"{a} vs {b}", "x", "the ratio of their bandwidths (the same bytes per step)")
        calls.append(make("calculate", {"expression": ratio}))
    note = (
        "Bandwidth-bound ceiling from the stated bytes: step time = bytes read per step / (accelerators x bandwidth x "
        "efficiency); no step overhead, communication or compute limit" + ("" if bound.kv else ", and no KV read") + "."
    )
    return calls, labels, note


def _compute_step(question: str, bound: Bound, fmt_bytes: float | None) -> str | None:
    """The compute roofline of a step when the question gives peak FLOPS and FLOPs per parameter per token
    ("use 989 dense TFLOPS, 2 FLOPs/param/token"): FLOPs per parameter x parameters x batch / (accelerators x
    peak), parameters = weight bytes / the format's bytes per value. None when it does not."""
    peak = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(?:dense\s+)?(?:(?:bf16|fp16|fp8)\s+)?tflops", question, re.I)
    per = re.search(r"(\d+(?:\.\d+)?)\s*flops?\s*(?:/|per)\s*param", question, re.I)
    if not (peak and per and fmt_bytes):
        return None
    params = bound.weights / fmt_bytes
    tflops = float(peak.group(1).replace(",", ""))
    return f"{per.group(1)} * {params:.6g} * {bound.batch} / ({bound.gpus} * {tflops:g} * 1e12)"


def _ratio(
    question: str, chips: list[tuple[str, float]], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """ "How much faster is B200 than H100, purely bandwidth-bound": the ratio of their datasheet bandwidths."""
    if len(chips) != 2 or not _BOUND.search(question) or not re.search(r"faster|ratio|speed[- ]?up", question):
        return None
    (a, bw_a), (b, bw_b) = chips
    expr = f"{bw_a!r} / {bw_b!r}"
    label = (f"{a} vs {b}, bandwidth-bound decode", "x", f"datasheet bandwidth {bw_a:g} / {bw_b:g} TB/s")
    note = (
        "Bandwidth-bound decode scales with memory bandwidth alone (same model, same batch): the speed-up is the ratio."
    )
    return [make("calculate", {"expression": expr})], {expr: label}, note
