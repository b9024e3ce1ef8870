"""Input accounting: every quantity the analyst states is used by a tool call or named in the answer.

The grounding check (:mod:`agent.grounding`) asks the output side: does every figure in the
answer trace to a source? This module asks the question side: does every quantity in the
question (:func:`tools.quantities.lex`, with catalog names such as "llama 3.1 70b" and "8xH100"
read as names) reach a tool call, or appear in the answer that restates or sets it aside?

A quantity is *used* when one of its readings equals a number in a tool call's arguments
(numbers inside string arguments too: "2024=100", a ``calculate`` expression, a search query),
within a relative 1e-4. Readings are unit-aware: "96e9 bytes" = 96 (GB), "7c/kWh" = 0.07,
"30%" = 0.3 (or 30), "12 kW per 8-GPU server" = 12 (server kW) or 1.5 (kW per accelerator),
"500 MW" = 0.5 (GW), "32k ctx (32768 tokens)" = 32768 or 32000, "9,000 tokens (1k + 8k)" =
9,000 or its parts. It is *set aside* when the answer writes it (a restated figure, or "not
used: ..."). Anything else is unused: listed in ``Answer.unused_inputs`` and in the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

from tools.quantities import Quantity, lex

#: Marks the one corrective message ``ask()`` sends a language model that left inputs unused.
CORRECTION_MARK = "siliconomics_input_check"
_DENOMINATOR = re.compile(r"(?:\bper|(?<!\bw)/|\bevery|\bfor each)\s*$", re.I)  # "w/" is "with"
_BINARY_K = re.compile(r"\d\s?k\b", re.I)
_READ_AS = re.compile(r"^Read as:.*$", re.M)
_LIST_MARKER = re.compile(r"^\s*(?:\d+[.)]|[-*])\s", re.M)
_ARG_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?|\.\d+)(?:e[+-]?\d+)?", re.I)
#: Scales a tool argument may use for a quantity of each unit (kW and GW for watts, GB for bytes, ...).
_SCALES: dict[str, tuple[float, ...]] = {
    "usd": (1.0, 1e-3, 1e-6, 1e-9),
    "usd/year": (1.0, 1e-6, 1e-9),
    "usd/mw": (1.0, 1e-6),
    "fraction": (1.0, 100.0),
    "fraction/year": (1.0, 100.0),
    "bytes": (1.0, 1e-9, 2.0**-30, 1e-12),
    "bytes/s": (1.0, 1e-9, 1e-12),
    "W": (1.0, 1e-3, 1e-6, 1e-9),
    "Wh": (1.0, 1e-3, 1e-6),
    "params": (1.0, 1e-9),
    "s": (1.0, 1e3),
}


def name_spans(question: str) -> list[tuple[int, int]]:
    """Spans of catalog model and chip names in ``question`` (their digits are names, not inputs)."""
    from agent.offline.entities import COMPANY_GROUPS, find_mentions, unknown_names

    lower = question.lower()
    spans = [(m.start, m.end) for kind in ("model", "chip") for m in find_mentions(lower, kind)]
    spans += [m.span() for pattern, _ in COMPANY_GROUPS for m in re.finditer(pattern, lower)]  # "big 4", "mag 7"
    for kind in ("model", "chip"):
        known = [m for m in find_mentions(lower, kind)]
        for phrase in unknown_names(lower, kind, known):
            start = lower.find(phrase.lower())
            if start >= 0:
                spans.append((start, start + len(phrase)))
    return spans


def stated_quantities(question: str) -> list[Quantity]:
    """The quantities the analyst wrote (names and list markers are not quantities)."""
    text = _LIST_MARKER.sub(lambda m: " " * len(m.group(0)), question)
    # "cost per 1M output tokens", "per 1,000 queries": the unit of what is asked, not an input
    return [q for q in lex(text, skip=name_spans(text)) if not _DENOMINATOR.search(text[: q.start])]


def readings(q: Quantity, numbers: Sequence[float] = ()) -> set[float]:
    """The values a tool argument may hold for ``q`` (module docstring).

    The exact form only ("32k ctx (32768 tokens)" is not used by an argument of 32,000). A rate
    per N-accelerator server reads per accelerator (value / N); the server's own value counts
    only when ``numbers`` (the call's arguments) also hold N, the accelerators per server.
    """
    bases = {q.value, *q.parts}
    if _BINARY_K.search(q.text) and q.unit in ("", "tokens"):
        bases.add(q.value * 1.024)  # "2k" tokens is often 2,048, "128k" 131,072
    if q.per_count:
        per_accelerator = {v / q.per_count for v in bases}
        bases = per_accelerator | (bases if _matches({float(q.per_count)}, numbers) else set())
    if q.unit == "usd/kwh":
        bases |= {v * 100 for v in list(bases)}  # cents
    if q.unit == "x" and q.per == "year":
        bases |= {v - 1 for v in list(bases)}  # 2.5x a year is a growth rate of 1.5
    scales = _SCALES.get(q.unit, (1.0,))
    return {abs(v * s) for v in bases for s in scales}


def argument_numbers(args: Any) -> list[float]:
    """Every number in a tool call's arguments, including numbers written inside strings."""
    out: list[float] = []
    if isinstance(args, bool) or args is None:
        return out
    if isinstance(args, (int, float)):
        out.append(abs(float(args)))
    elif isinstance(args, str):
        text = args.replace(",", "")
        out += [abs(float(n)) for n in _ARG_NUMBER.findall(text)]
        out += [abs(q.value) for q in lex(args)]
    elif isinstance(args, dict):
        for value in args.values():
            out += argument_numbers(value)
        for a, b in _SPLITS:  # a total of tokens given as prompt + output
            if isinstance(args.get(a), (int, float)) and isinstance(args.get(b), (int, float)):
                out.append(abs(float(args[a]) + float(args[b])))
    elif isinstance(args, (list, tuple)):
        for value in args:
            out += argument_numbers(value)
    return out


#: Argument pairs that split one stated total (tokens per request as prompt + output).
_SPLITS = (("prompt", "output"), ("prompt_tokens_per_query", "output_tokens_per_query"))


def _matches(values: Iterable[float], numbers: Sequence[float], rel_tol: float = 1e-4) -> bool:
    return any(math.isclose(v, n, rel_tol=rel_tol, abs_tol=1e-12) for v in values for n in numbers)


def _restated(q: Quantity, answer: str) -> bool:
    """The answer writes the quantity: as the question did, or as a figure of the same unit and value."""
    if q.text and q.text.lower() in answer.lower():
        return True
    if q.per_count:
        return False  # "$240k per 8-GPU server" printed as $240,000 per accelerator is a misreading, not a restatement
    counts = (
        "",
        "tokens",
        "params",
    )  # "10,000 reasoning" restates "10k tokens" (large counts only: a "2" is no restatement)
    return any(
        (w.unit == q.unit or (w.unit in counts and q.unit in counts and (q.unit == "tokens" or abs(q.value) >= 1000)))
        and math.isclose(w.value, q.value, rel_tol=5e-3)
        for w in lex(_READ_AS.sub("", answer))
    )


#: Units whose values are unlikely to equal a result's number by coincidence (a stated weight size, a parameter
#: count, an efficiency): such a quantity agreeing with a result within 1% agrees with what was computed.
_PHYSICAL = ("bytes", "bytes/s", "params", "W", "Wh", "tokens", "tokens/s", "fraction")


def _inputs_of(results: Iterable[Any]) -> list[float]:
    return argument_numbers([r.get("inputs") for r in results if isinstance(r, dict)])


def unused_inputs(question: str, calls: Iterable[Any], answer: str, results: Iterable[Any] = ()) -> list[str]:
    """The quantities in ``question`` that no call's arguments hold and the answer does not write.

    ``calls``: objects with ``args`` (tool-call records) or plain argument dicts. ``results``:
    tool results the calls gave; a quantity equal to an input the calculator used (its defaults
    included), or a physical quantity one of the result's numbers equals within the analyst's rounding
    (1%, the tolerance analysts check to: "811.8e9 bytes of weights" beside the 807.5e9 read per step) agrees with what
    was computed, so it is used. Returns each quantity as the question wrote it, in order.
    """
    return account(question, calls, answer, results)[0]


def account(
    question: str, calls: Iterable[Any], answer: str, results: Iterable[Any] = ()
) -> tuple[list[str], list[str]]:
    """(:func:`unused_inputs`, the quantities set aside as descriptions with the reason,
    :func:`agent.set_aside.set_aside`): "128 (you said not this)"."""
    from agent.set_aside import set_aside

    per_call = [argument_numbers(getattr(call, "args", call)) for call in calls]
    results = list(results)
    computed, inputs = argument_numbers(results), _inputs_of(results)
    quantities = stated_quantities(question)
    described = set_aside(question, quantities)
    out, aside = [], []
    for i, q in enumerate(quantities):
        if any(_matches(readings(q, numbers), numbers) for numbers in per_call):
            continue
        if i in described:
            aside.append(f"{q.text} ({described[i]})")
            continue
        if _restated(q, answer):
            continue
        if _matches(readings(q, inputs), inputs) or (
            q.unit in _PHYSICAL and _matches(readings(q, computed), computed, rel_tol=1e-2)
        ):
            continue
        out.append(q.text)
    return list(dict.fromkeys(out)), list(dict.fromkeys(aside))


def not_used_line(unused: Sequence[str]) -> str:
    """The line an answer ends with when some inputs were not used."""
    return (
        "**Not used:** "
        + "; ".join(unused)
        + " (stated in the question, but no calculation here takes it; ask again naming what it is)."
    )


def accounted_text(question: str, calls: Iterable[Any], text: str) -> tuple[str, list[str]]:
    """``text`` ending with the numbers set aside and the inputs not used, each on its line; and the unused ones."""
    from agent.set_aside import set_aside_line

    unused, aside = account(question, calls, text)
    if aside:
        text += "\n\n" + set_aside_line(aside)
    if unused:
        text += "\n\n" + not_used_line(unused)
    return text, unused


def correction_message(unused: Sequence[str]) -> str:
    """What a language model is told, once, when its answer left stated inputs unused."""
    return (
        "Input check: these quantities from the question were not used by any tool call and are not in your answer: "
        + "; ".join(unused)
        + ". Use each one as a tool argument (call the tool again with it), or say in the answer why it is set aside. "
        "Then give the full answer again."
    )
