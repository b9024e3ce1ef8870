"""Numbers in a question that describe rather than ask: set aside, and said so in the answer.

Input accounting (:mod:`agent.input_accounting`) blocks an answer that leaves a stated quantity
unused. Some numbers are not inputs, and an answer should not be refused because of them:

* a number the analyst rules out: "so not the 128-head number", "instead of 4096", "rather than 8";
* a number in a describing phrase ("the 355B one", "it has the 4k sliding window", "its 4k window")
  that restates a catalog fact of a model the question names: "GLM-4.5 (the 355B one)" (its
  parameter count); compared within 1% (the analyst's rounding), "4k" read as 4,000 or 4,096. The
  same number stated as an input ("assume 37e9 active params", "(128 heads, 61 layers)") is not set
  aside: it must reach a calculation;
* a bytes-per-value figure that restates a format the question names: "int4 (0.5 byte per param)";
* the year a stepped growth rate applies to: "+40% in 2026, +30% in 2027" (the rates run year by year).

:func:`set_aside` returns each such quantity with the reason, which the answer prints
("Set aside: 128 (you said not this)"). A quantity a tool call does use is not listed.
"""

from __future__ import annotations

import math
import re

from tools.quantities import Quantity

#: Words right before a number that rule it out ("not the 128-head number").
_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\binstead of|\brather than|\bother than|\bexcept|\bexcluding)\s+(?:the|a|an|its|that)?\s*$",
    re.I,
)
#: Catalog facts of a model a description may restate: (ModelSpec attribute, label, scale to the written value).
_FACTS = (
    ("params_b", "parameter count", 1e9),
    ("active_params_b", "active parameter count", 1e9),
    ("sliding_window", "sliding window", 1.0),
    ("max_context", "context length", 1.0),
    ("n_layers", "layer count", 1.0),
    ("n_heads", "attention head count", 1.0),
    ("n_kv_heads", "KV head count", 1.0),
    ("head_dim", "head dimension", 1.0),
    ("kv_lora_rank", "MLA latent rank", 1.0),
)
#: "+40% in 2026, +30% in 2027": a calendar year that labels the step a stated rate applies to.
_RATE_YEAR = re.compile(r"%\s*(?:in|for)\s*$", re.I)
_FORMATS = ("fp32", "fp16", "bf16", "fp8", "int8", "int4", "fp4")


def _candidates(q: Quantity) -> set[float]:
    """The values ``q`` may stand for: as written, and "4k" as 4,096."""
    values = {abs(q.value)}
    if re.search(r"\d\s?k\b", q.text, re.I):
        values.add(abs(q.value) * 1.024)
    return values


def _named_models(question: str) -> list[object]:
    """Catalog specs of the models the question names (every candidate of an ambiguous mention)."""
    from agent.offline.entities import find_mentions
    from tools.catalog import find_model

    names: list[str] = []
    for m in find_mentions(question.lower(), "model"):
        names += [m.name] if m.name else list(m.candidates)
    return [find_model(n) for n in dict.fromkeys(names)]


#: A describing phrase around a number: "(the 355B one)", "(it has the 4k sliding window)", "its 4k window".
_DESCRIBED_BEFORE = re.compile(r"(?:\bits|\bit has(?: the| a)?|\bit's|\bwhich has(?: the| a)?)\s*$", re.I)
_THE = re.compile(r"\bthe\s*$", re.I)
_ONE = re.compile(r"^\s*(?:one|model|version|variant)\b", re.I)


def _describes(question: str, q: Quantity) -> bool:
    """The number sits in a phrase that describes the model ("the 355B one", "it has the 4k window"), not in an input."""
    before, after = question[max(0, q.start - 16) : q.start], question[q.end : q.end + 12]
    return bool(_DESCRIBED_BEFORE.search(before) or (_THE.search(before) and _ONE.match(after)))


def _catalog_fact(q: Quantity, specs: list[object]) -> str | None:
    if q.unit not in ("", "tokens", "params"):
        return None
    for spec in specs:
        for attr, label, scale in _FACTS:
            fact = getattr(spec, attr, None)
            if fact and any(math.isclose(v, fact * scale, rel_tol=1e-2) for v in _candidates(q)):
                return f"{getattr(spec, 'name', '')}'s {label} in the catalog, not an input"
    return None


def _format_bytes(q: Quantity, question: str) -> str | None:
    from tools.dtypes import BYTES_PER_VALUE

    before = question[max(0, q.start - 6) : q.start]
    value = q.value
    if q.unit == "" and re.fullmatch(r"[\d.]+\s?b", q.text, re.I) and re.search(r"(?:\bx|\bat|@|\*)\s*$", before):
        value = q.value / 1e9  # "116.8B params x 0.5 B": bytes per parameter, not half a billion
    elif q.unit != "bytes":
        return None
    if value >= 8:
        return None
    named = [f for f in _FORMATS if re.search(rf"\b{f}\b", question, re.I)]
    same = [f for f in named if math.isclose(BYTES_PER_VALUE[f], value)]
    return f"the bytes per value of {same[0]}, already given as the format" if same else None


def set_aside(question: str, quantities: list[Quantity]) -> dict[int, str]:
    """Index in ``quantities`` -> why that quantity is not an input (module docstring)."""
    specs: list[object] | None = None
    out: dict[int, str] = {}
    for i, q in enumerate(quantities):
        if _NEGATED.search(question[max(0, q.start - 24) : q.start]):
            out[i] = "you said not this"
            continue
        if q.unit == "year" and _RATE_YEAR.search(question[max(0, q.start - 12) : q.start]):
            out[i] = "the year that rate applies to; the rates run year by year from the base"
            continue
        if (why := _format_bytes(q, question)) is not None:
            out[i] = why
            continue
        if not _describes(question, q):
            continue
        if specs is None:
            specs = _named_models(question)
        if (why := _catalog_fact(q, specs)) is not None:
            out[i] = why
    return out


def set_aside_line(aside: list[str]) -> str:
    """The line an answer ends with when some stated numbers were set aside."""
    return "**Set aside:** " + "; ".join(aside) + "."
