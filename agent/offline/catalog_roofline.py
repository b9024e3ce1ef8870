"""Roofline figures for a catalog model the analyst names without stating its bytes: the weights and KV
a bandwidth-bound decode step reads, and the compute-bound prefill speed.

Decode (used by :mod:`agent.offline.decode_bound` when the question states no weight bytes but names one
catalog model and says what a step reads: "ignore kv", or "include kv reads" / "each seq at 4k ctx"):

    weight bytes per step = parameters x bytes per value of the weight format
                            (parameters: the model card's ``params_b``; for an MoE the ``active_params_b``
                            read per token; format: the stated one, else the released checkpoint's, else bf16)
    KV bytes per sequence = context tokens x KV bytes per token (tools.kv_cache at the stated KV format,
                            else the weight format's, at full context: every sequence's KV is read each step)

Prefill (:func:`prefill_bound_calls`; "prefill compute bound, qwen3-32b bf16 on one B200"):

    prefill tokens/s = accelerators x dense peak FLOPS x efficiency / (FLOPs per parameter x parameters)
    prefill time (s) = stated prompt tokens / prefill tokens/s      (when a time is asked: "how long", "ttft")

FLOPs per parameter per token: the stated figure ("2 flops/param/token", "2*params flops per token"), else 2
(the forward pass's one multiply and one add per weight: Kaplan et al. 2020, "Scaling Laws for Neural
Language Models", section 2.1; not quoted in answers, whose figures are checked against tool results).
Attention FLOPs are not counted. Peak: accelerators.csv dense TFLOPS of the format (``FLOPS_COLUMNS``: fp8
falls back to bf16 when blank). Efficiency: the stated share ("100% of dense
fp8 peak", "at 40% MFU"), else 1 when a bound, ceiling, peak or compute-bound figure is asked; a question
stating neither is not read here.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.parse import Parsed, parse
from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_PREFILL = re.compile(r"\bprefill|prompt processing", re.I)
_COMPUTE_BOUND = re.compile(r"compute[- ]bound|\bflops\b|tflops|\bpeak\b|ceiling|upper bound|\bbound\b|\bmax", re.I)
_FLOPS_PER_PARAM = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:\*|x|×)?\s*(?:flops?\s*(?:/|per)\s*param|params?\s+flops|n\b)", re.I
)
_KV_INCLUDED = re.compile(
    r"includ\w* (?:the )?kv|with (?:the )?kv|kv reads?|\bctx\b|context|each (?:seq|sequence|request|user)", re.I
)
_TIME = re.compile(r"\btime\b|\bttft\b|how long|seconds|latency", re.I)
_EFFICIENCY = re.compile(r"peak|mfu|efficien|utili[sz]|achiev|of (?:dense|the)", re.I)


def catalog_model(p: Parsed) -> tuple[Any, str] | None:
    """The one catalog model the question names and the reading of its name ("'70b' read as Llama-3.1-70B, the
    newest of that size"; empty when the name is exact); None when none, several, or an ambiguous name."""
    from agent.offline.names import catalog_names
    from agent.offline.plan_types import Plan
    from tools.catalog import find_model

    reading = Plan()
    names, reply = catalog_names(p, "model", None, reading)
    if reply is not None or len(set(names)) != 1 or not p.models:
        return None
    return find_model(names[0]), " ".join(reading.notes)


def _weight_format(p: Parsed, spec: Any) -> str:
    return p.weights_dtype or spec.release_weights_dtype or "bf16"


def _parameters(spec: Any) -> tuple[float, str]:
    """Parameters read per token and how they were counted (model card; active ones for an MoE)."""
    if spec.active_params_b:
        return spec.active_params_b * 1e9, "active parameters (model card, MoE)"
    return spec.params_b * 1e9, "parameters (model card)"


def catalog_decode_reads(question: str, p: Parsed, ignore_kv: bool) -> tuple[str, str, str] | None:
    """(weight bytes expression, KV bytes per sequence expression, note) for the one catalog model named, or
    None when no single model is named or the question does not say whether KV is read (module docstring)."""
    from tools.dtypes import BYTES_PER_VALUE
    from tools.kv_cache import KVCacheInput, kv_cache

    found = catalog_model(p)
    if found is None:
        return None
    spec, reading = found
    fmt = _weight_format(p, spec)
    params, counted = _parameters(spec)
    weights = f"{expr_number(params)} * {BYTES_PER_VALUE[fmt]:g}"
    note = f"{reading} Bytes read: weights = {spec.name}'s {counted} x bytes per value of {fmt}".lstrip()
    if ignore_kv:
        return weights, "0", note
    tokens = p.total or p.prompt
    if not (tokens and _KV_INCLUDED.search(question)):
        return None
    # as the calculators default it (tools.release_dtype.default_kv_dtype): the stated weight format unless 4-bit
    stated = p.weights_dtype and BYTES_PER_VALUE[p.weights_dtype] >= 1
    kv_fmt = p.kv_dtype or (p.weights_dtype if stated else "bf16")
    per_token = kv_cache(KVCacheInput(model=spec.name, kv_dtype=kv_fmt)).bytes_per_token
    note += f"; KV per sequence = its tokens x the KV bytes per token at {kv_fmt} (kv_cache), all read every step"
    return weights, f"{tokens} * {per_token}", note


def _efficiency(question: str, qs: list[Quantity]) -> float | None:
    for q in qs:
        if q.unit == "fraction" and 0 < q.value <= 1 and _EFFICIENCY.search(question[q.end : q.end + 30]):
            return q.value
    return 1.0 if _COMPUTE_BOUND.search(question) else None


def prefill_bound_calls(question: str, qs: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """``calculate`` calls for the compute-bound prefill speed of the one catalog model named on each chip named
    (module docstring), their labels and a note; None when the question is not such a question."""
    from tools.catalog import find_accelerator
    from tools.dtypes import FLOPS_COLUMNS

    if not _PREFILL.search(question):
        return None
    p = parse(question)
    found = catalog_model(p)
    efficiency = _efficiency(question, qs)
    if found is None or not p.chips or efficiency is None or any(m.name is None for m in p.chips):
        return None
    spec, reading = found
    fmt = _weight_format(p, spec)
    stated = next((q for q in qs if q.unit == "params" and q.value >= 1e8), None)
    params, counted = (stated.value, "the stated parameters") if stated else _parameters(spec)
    per = _FLOPS_PER_PARAM.search(question)
    flops = float(per.group(1)) if per else 2.0
    gpus = max(1, p.count or 1)
    prompt = next((q for q in qs if q.unit == "tokens"), None) if _TIME.search(question) else None
    calls, labels = [], {}
    for m in p.chips:
        chip = find_accelerator(str(m.name))
        column = next((c for c in FLOPS_COLUMNS[fmt] if getattr(chip, c)), None)
        if column is None:
            return None
        tflops = getattr(chip, column)
        expr = f"{gpus} * {tflops:g} * 1e12 * {efficiency:g} / ({flops:g} * {expr_number(params)})"
        basis = f"accelerators x {column} (accelerators.csv) x efficiency / (FLOPs per parameter x {counted})"
        short = m.text.upper() if len(m.text) <= 8 else chip.name  # "H200", not "H200 SXM 141GB" (no figure)
        labels[expr] = (f"Compute-bound prefill, {spec.name} on {gpus} x {short}", "tokens/s", basis)
        calls.append(make("calculate", {"expression": expr}))
        if prompt is not None:  # "how long does a 32k-token prompt take": prompt tokens / prefill tokens/s
            seconds = f"{expr_number(prompt.value)} / ({expr})"
            labels[seconds] = (f"Compute-bound prefill time of {prompt.text}, {short}", "s", "prompt tokens / tokens/s")
            calls.append(make("calculate", {"expression": seconds}))
    convention = "as stated" if per else "the usual forward-pass count: a multiply and an add per weight"
    note = (
        f"Compute-bound prefill: tokens/s = accelerators x dense peak FLOPS x efficiency {efficiency:g} / "
        f"({flops:g} FLOPs per parameter per token, {convention} x parameters); attention FLOPs, memory reads and "
        f"communication are not counted. {reading}"
    ).rstrip()
    return calls, labels, note
