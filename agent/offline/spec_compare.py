"""Side-by-side ratios the analyst asks for: two chips' catalog specs, or two models' KV bytes per token.

Chips ("mi300x vs h200: memory capacity ratio and hbm bandwidth ratio", "b200 vs h100 - fp8 dense ratio"):
each attribute asked is read from accelerators.csv for both chips, and the answer gives

    ratio = first chip's value / second chip's value   (the order written; "x" times)

with both values in the expression. Attributes: memory capacity (``memory_gb``, as the vendor states it),
memory bandwidth (``mem_bw_tbps``), dense bf16 / fp8 / fp4 TFLOPS, TDP (``tdp_w``), scale-up interconnect
(``interconnect_GBps_per_chip``). A question about costs, power bills, serving or fit is another calculator's
(not read here). A chip without a value for an
attribute is not compared (the plan is left to the datasheet search, which says what is there).

Models ("how much fatter is llama-2-7b's kv cache per token vs llama 3.1 8b"): the two ``kv_cache`` calls the
intent reading planned give each model's bytes per token; the ratio is first / second.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels

#: A ratio asked for ("ratio", "how many times more", "2x bigger?"); a bare "b200 vs h100 bandwidth" is the
#: datasheet rows side by side (agent.offline.planners.search).
_RATIO = re.compile(
    r"\bratio|how (?:much|many times) (?:more|bigger|larger|fatter|faster|higher)|\btimes (?:more|bigger|larger|the)|"
    r"\bfatter|\bbigger|\blarger|\bmore than|\bmultiple\b",
    re.I,
)
#: Words of a cost, power-bill, serving or fit question: another calculator's comparison.
_OTHER = re.compile(
    r"cost|\$|per hour|/\s*h(?:ou)?r\b|\btco\b|\brent|\bbill\b|kwh|capex|serv(?:e|ing)\b|\bfit|tok", re.I
)
#: (attribute label, catalog field, unit, pattern) in the order an answer lists them.
ATTRIBUTES = (
    ("memory bandwidth", "mem_bw_tbps", "TB/s", r"bandwidth|\bbw\b|tb/s"),
    ("memory capacity", "memory_gb", "GB", r"capacity|\bhbm\b(?! ?(?:bandwidth|bw))|memory(?! ?(?:bandwidth|bw))"),
    ("fp8 dense TFLOPS", "fp8_dense_tflops", "TFLOPS", r"\bfp8\b"),
    ("bf16 dense TFLOPS", "bf16_dense_tflops", "TFLOPS", r"\bbf16\b|\bfp16\b"),
    ("fp4 dense TFLOPS", "fp4_dense_tflops", "TFLOPS", r"\bfp4\b"),
    ("TDP", "tdp_w", "W", r"\btdp\b|\bpower\b|\bwatts?\b"),
    ("scale-up interconnect", "interconnect_GBps_per_chip", "GB/s", r"interconnect|nvlink"),
)


def _asked(text: str) -> list[tuple[str, str, str, int]]:
    """(label, field, unit, position) of each attribute the question names, in the order written."""
    found = []
    for label, field, unit, pattern in ATTRIBUTES:
        m = re.search(pattern, text, re.I)
        if m:
            found.append((label, field, unit, m.start()))
    return sorted(found, key=lambda a: a[3])


def chip_ratio_calls(question: str, make: Any) -> tuple[list[Any], Labels, str] | None:
    """``calculate`` calls for the ratio of each asked attribute of the two chips named (module docstring)."""
    from agent.offline.parse import parse
    from tools.catalog import find_accelerator

    p = parse(question)
    names = list(dict.fromkeys(m.name for m in p.chips))
    if len(names) != 2 or None in names or p.models or not _RATIO.search(question) or _OTHER.search(question):
        return None
    asked = _asked(p.text)
    if not asked:
        return None
    a, b = (find_accelerator(str(n)) for n in names)
    calls, labels = [make("chip_specs", {"chips": [a.name, b.name]})], {}
    for label, field, unit, _ in asked:
        va, vb = getattr(a, field), getattr(b, field)
        if not (va and vb):
            return None
        expr = f"{va:g} / {vb:g}"
        basis = f"{a.name} {va:g} {unit} / {b.name} {vb:g} {unit} ({field}, accelerators.csv)"
        labels[expr] = (f"{label[0].upper()}{label[1:]}, {a.name} vs {b.name}", "x", basis)
        calls.append(make("calculate", {"expression": expr}))
    note = (
        "Ratios of the catalog's datasheet figures (accelerators.csv): first chip named / second chip named; "
        "TFLOPS are dense (no sparsity), memory as the vendor states it, bandwidth in decimal TB/s."
    )
    return calls, labels, note


def kv_ratio_call(question: str, calls: list[Any], make: Any) -> tuple[Any, Labels] | None:
    """The ``calculate`` call (and its label) for first / second KV bytes per token when the plan holds exactly
    two ``kv_cache`` calls and the question compares them (module docstring)."""
    from tools.kv_cache import KVCacheInput, kv_cache

    kv = [c for c in calls if c.name == "kv_cache"]
    if len(kv) != 2 or not _RATIO.search(question) or not re.search(r"\bkv\b|cache", question, re.I):
        return None
    try:
        first, second = (kv_cache(KVCacheInput(**c.args)) for c in kv)
    except ValueError:
        return None  # the calls themselves answer with the error naming the field
    expr = f"{first.bytes_per_token} / {second.bytes_per_token}"
    basis = f"{first.model} / {second.model} KV bytes per token ({first.kv_dtype} / {second.kv_dtype})"
    return make("calculate", {"expression": expr}), {expr: (f"{first.model} vs {second.model}", "x", basis)}
