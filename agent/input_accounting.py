"""Input accounting: every quantity the analyst states is used by a tool call or named in the answer.

The grounding check (:mod:`agent.grounding`) asks the output side: does every figure in the
answer trace to a source? This module asks the question side: does every quantity in the
question (:func:`tools.quantities.lex`, with catalog names such as "llama 3.1 70b" and "8xH100"
read as names) reach a tool call, or appear in the answer that restates or sets it aside?

A quantity is *used* when one of its readings equals a number in a tool call's argument that
can hold its unit (:mod:`agent.field_units`: "10%" is not used by ``server_kw=10``, "$4 per M
tokens" not by ``capex_per_accelerator=4``), within a relative 1e-4; numbers inside string
arguments ("2024=100", a ``calculate`` expression, a search query) can hold any unit. Readings
are unit-aware: "96e9 bytes" = 96 (GB), "7c/kWh" = 0.07, "30%" = 0.3 (or 30), "12 kW per 8-GPU
server" = 12 (server kW) or 1.5 (kW per accelerator), "500 MW" = 0.5 (GW), "32k ctx (32768
tokens)" = 32768 or 32000, "9,000 tokens (1k + 8k)" = 9,000 or its parts, "18 months" = 1.5
(years). Words that change a calculation ("ignore KV reads", "straight line", "a 10% residual
value": :data:`agent.field_units.CONDITIONS`) are inputs too: an argument carries them or they
are unused. It is *set aside* when the answer writes it (a restated figure, or "not used: ...").
Anything else is unused: listed in ``Answer.unused_inputs`` and in the answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from agent.field_units import CONDITIONS, FIELD_UNITS, holds
from tools.dtypes import BYTES_PER_VALUE
from tools.quantities import Quantity, lex

#: Marks the one corrective message ``ask()`` sends a language model that left inputs unused.
CORRECTION_MARK = "siliconomics_input_check"
_DENOMINATOR = re.compile(r"(?:\bper|(?<!\bw)/|\bevery|\bfor each)\s*$", re.I)  # "w/" is "with"
#: A duration in months, which the lexer reads as a plain count ("halves every 18 months").
_MONTHS = re.compile(r"\s*-?months?\b", re.I)
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
    "months": (1.0, 1 / 12),
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
    found = [
        q
        for q in lex(text, skip=name_spans(text))
        if not (_is_denominator(text, q) or _one_replica(text, q) or _UNIT_DEFINED.search(text[: q.start]))
    ]
    return _with_parts(_products([_retyped(text, _with_months(text, q)) for q in found], text), text)


#: "GB = 1e9", "GiB = 2^30": the definition of a unit, which sets how memory sizes are read
#: (:data:`agent.offline.slot_flags.FLAGS`, ``capacity_unit``), not a quantity of its own.
_UNIT_DEFINED = re.compile(r"\b(?:gi?b|gigabytes?|gibibytes?)\s*(?:=|:=|==|is|means)\s*$", re.I)


def _with_parts(found: list[Quantity], text: str) -> list[Quantity]:
    """A total followed by its parts in brackets ("9,000 output tokens each (1k answer + 8k thinking)") is one
    quantity with ``parts``, as the lexer reads "9,000 tokens (1k + 8k)"."""
    out: list[Quantity] = []
    skip: set[int] = set()
    for i, q in enumerate(found):
        if i in skip:
            continue
        opened = re.match(r"[^()]{0,12}?\(", text[q.end :]) if q.unit in ("tokens", "") and not q.parts else None
        close = text.find(")", q.end + opened.end()) if opened else -1
        inside = [j for j in range(i + 1, len(found)) if close > 0 and found[j].end <= close]
        values = [found[j].value for j in inside]
        if len(values) >= 2 and math.isclose(sum(values), q.value, rel_tol=1e-6):
            q = replace(q, parts=tuple(values), text=text[q.start : close + 1], end=close + 1)
            skip.update(inside)
        out.append(q)
    return out


#: A unit written after one qualifying word ("16.06e9 weight bytes", "37e9 active params"), and bytes per
#: token or per parameter written with a capital B ("163,840 B/token", "1 B/param": bytes, not billions).
_QUALIFIED = re.compile(
    r"\s+(?:weights?|active|model|total|kv|cache)(?:[- ]param(?:eter)?s?)?\s+(?P<u>bytes?|params?|parameters?)\b"
    r"|\s+(?:output|input|prompt|generated|reasoning|thinking|answer)\s+(?P<t>tokens?)\b",
    re.I,
)
_B_PER_TOKEN = re.compile(r"\s*(?:/|per)\s*(?:(?P<tok>tok(?:en)?s?)|param(?:eter)?s?|weights?|value)\b", re.I)


def _retyped(text: str, q: Quantity) -> Quantity:
    """``q`` with the unit the lexer could not see (:data:`_QUALIFIED`, :data:`_B_PER_TOKEN`)."""
    if q.unit != "" or q.per:
        return q
    if m := _QUALIFIED.match(text, q.end):
        unit = "tokens" if m.group("t") else "bytes" if m.group("u").lower().startswith("byte") else "params"
        return replace(q, unit=unit, text=text[q.start : m.end()], end=m.end())
    if q.text.endswith("B") and (m := _B_PER_TOKEN.match(text, q.end)):
        digits = _ARG_NUMBER.match(q.text.replace(",", ""))
        value = float(digits.group(0)) if digits else q.value
        per = "token" if m.group("tok") else "param"  # "1 B/param": the bytes of one weight, not a billion
        return replace(q, unit="bytes", value=value, per=per, text=text[q.start : m.end()], end=m.end())
    return q


_TIMES = re.compile(r"\s*[x×*]\s*$")


def _products(found: list[Quantity], text: str) -> list[Quantity]:
    """Products as analysts write them: in "80e9 x 0.9 bytes" the unit belongs to the first number and the
    second is a factor; in "8.03e9 params x 2 B" the B is bytes per parameter, not billions."""
    out = list(found)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if not _TIMES.match(text[a.end : b.start]) or b.per:
            continue
        digits = _ARG_NUMBER.match(b.text.replace(",", "").lstrip("$"))
        number = float(digits.group(0)) if digits else b.value
        if a.unit == "params" and b.unit == "" and re.fullmatch(r"[\d.]+\s?B", b.text):
            out[i] = replace(b, unit="bytes", value=number)
        elif a.unit == "" and b.unit not in ("", "x") and 0 < number < 1:  # a share of the first: "80e9 x 0.9 bytes"
            out[i - 1] = replace(a, unit=b.unit, value=a.value * b.value / number)
            out[i] = replace(b, unit="", value=number)
    return out


def _is_denominator(text: str, q: Quantity) -> bool:
    """``q`` is the unit of what is asked ("per 1M output tokens", "every 1,000 queries"), not a period
    ("halves every 18 months", "every 2 years")."""
    if q.unit == "years" or _MONTHS.match(text, q.end):
        return False
    return bool(_DENOMINATOR.search(text[: q.start]))


#: "1 replica": the one model copy every serving cost is priced for, not an input.
_ONE_REPLICA = re.compile(r"\s*(?:model )?(?:replica|instance|copy)\b", re.I)


def _one_replica(text: str, q: Quantity) -> bool:
    return q.unit == "" and q.value == 1 and not q.per and bool(_ONE_REPLICA.match(text, q.end))


def _with_months(text: str, q: Quantity) -> Quantity:
    """``q``, read as a duration in months when "months" follows a plain count."""
    m = _MONTHS.match(text, q.end) if q.unit == "" and not q.per else None
    return replace(q, unit="months", text=text[q.start : m.end()], end=m.end()) if m else q


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

#: One argument number and the field that holds it (``None``: inside a string, which can hold any unit).
Arg = tuple[str | None, float]


def argument_fields(args: Any, field: str | None = None) -> list[Arg]:
    """:func:`argument_numbers`, each with the argument name that holds it (a list inherits its name)."""
    if isinstance(args, bool) or args is None:
        return []
    if isinstance(args, (int, float)):
        return [(field, abs(float(args)))]
    if isinstance(args, str):
        size = BYTES_PER_VALUE.get(args.lower()) if field and field.endswith("dtype") else None
        return [(None, n) for n in argument_numbers(args)] + ([("bytes_per_value", size)] if size else [])
    out: list[Arg] = []
    if isinstance(args, dict):
        for key, value in args.items():
            out += argument_fields(value, str(key))
        for a, b in _SPLITS:
            if isinstance(args.get(a), (int, float)) and isinstance(args.get(b), (int, float)):
                out.append(("prompt+output", abs(float(args[a]) + float(args[b]))))
    elif isinstance(args, (list, tuple)):
        for value in args:
            out += argument_fields(value, field)
    return out


_WHOLE = re.compile(r"ctx|context|total|sequence", re.I)


def _reaches(q: Quantity, args: Sequence[Arg]) -> bool:
    """Whether a reading of ``q`` is in an argument that can hold its unit."""
    whole = q.unit == "tokens" and _WHOLE.search(q.text)  # "64k context": the whole sequence, not its output alone
    fitting = [n for f, n in args if holds(f, q.unit) and not (whole and f in ("prompt", "output"))]
    if q.unit == "" and q.value >= 1e9 and _reaches(replace(q, unit="bytes"), args):
        return True  # "141e9 per gpu", "(141e9 each)": a memory size in bytes, held as capacity_gb 141
    return bool(fitting) and _matches(readings(q, [n for _, n in args]), fitting)


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


def _fields_of(calls: Sequence[Any]) -> set[str]:
    """The argument names the called tools take (a plain argument dict: its own keys)."""
    from tools.registry import TOOLS

    takes = {t.name: set(t.input_model.model_fields) for t in TOOLS}
    out: set[str] = set()
    for call in calls:
        out |= takes.get(str(getattr(call, "name", "")), set())
        args = getattr(call, "args", call)
        out |= set(args) if isinstance(args, dict) else set()
    return out


def _agrees(q: Quantity, computed: Sequence[float], fields: set[str]) -> bool:
    """A physical quantity that a computed figure equals within 1%, when no called tool has an argument for it
    ("811.8e9 bytes of weights" beside a speed's 807.5e9 read per step; not "16e9 bytes of HBM" beside a fit's
    16.06e9 bytes of weights, which belongs in the fit's capacity)."""
    if q.unit not in _PHYSICAL or any(q.unit in FIELD_UNITS.get(f, ()) for f in fields):
        return False
    return _matches(readings(q, computed), computed, rel_tol=1e-2)


#: Words of an argument name that say nothing about what it is.
_GENERIC = {"per", "fraction", "frac", "gb", "kw", "ms", "usd", "of", "to", "from", "s", "in", "all"}


def _cued(field: str, question: str, q: Quantity) -> bool:
    """The words next to ``q`` name argument ``field`` ("PUE 1.3" names ``pue``; "a 10% residual value" does not
    name ``networking_fraction``), by the field's own words or the planner's cue for it (:mod:`agent.offline.slots`)."""
    from agent.offline.slots import FIELDS, clause_around

    clause = clause_around(question, q)
    words = [w for w in field.lower().split("_") if w not in _GENERIC and len(w) > 2]
    if any(re.search(rf"\b{re.escape(w)}", clause) for w in words):
        return True
    cues = [s.cues for slots in FIELDS.values() for s in slots if s.field == field and s.cues]
    return any(re.search(c, clause) for c in cues)


_WORD = re.compile(r"[a-z]{4,}")


def _describes(line: str, w: Quantity, question: str, q: Quantity) -> bool:
    """An assumption line states ``q``: the same unit and value, and a word of ``q``'s clause ("4096-token sliding
    window" and the catalog's "4096-token sliding window"; not "a 10% residual value" and a 10% networking cost)."""
    from agent.offline.slots import clause_around

    same_unit = w.unit == q.unit or (q.unit == "" and w.unit == "tokens")  # "the 4096 sliding window"
    if not same_unit or not math.isclose(w.value, q.value, rel_tol=1e-4):
        return False
    near = set(_WORD.findall(clause_around(question, q).replace(q.text.lower(), " "))) - _STOP
    return bool(near & set(_WORD.findall(line.lower())))


_STOP = {"with", "that", "this", "from", "each", "per", "into", "than", "then", "what", "about", "down", "over"}


def _inputs_of(results: Iterable[Any]) -> list[Arg]:
    return argument_fields([r.get("inputs") for r in results if isinstance(r, dict)])


def _computed(results: Iterable[Any]) -> list[float]:
    """The numbers a result computed: its numeric fields, not its inputs and not the numbers in its prose."""
    out: list[float] = []
    for result in results:
        if isinstance(result, dict):
            out += _numeric(
                {k: v for k, v in result.items() if k not in ("inputs", "assumptions", "defaults_used", "sources")}
            )
    return out


def _numeric(value: Any) -> list[float]:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return []
    if isinstance(value, (int, float)):
        return [abs(float(value))]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else []
    return [n for v in items for n in _numeric(v)]


def unused_inputs(question: str, calls: Iterable[Any], answer: str, results: Iterable[Any] = ()) -> list[str]:
    """The quantities in ``question`` that no call's arguments hold and the answer does not write.

    ``calls``: objects with ``args`` (tool-call records) or plain argument dicts. ``results``:
    tool results the calls gave; a quantity equal to an input the calculator used (its defaults
    included, in a field that holds its unit), a quantity of the same unit and value that the result's
    assumptions state (a catalog's "4096-token sliding window"), or a physical quantity one of the
    result's numeric fields equals within the analyst's rounding
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

    calls = list(calls)
    per_call = [argument_fields(getattr(call, "args", call)) for call in calls]
    fields = _fields_of(calls)
    results = list(results)
    computed, inputs = _computed(results), _inputs_of(results)
    described = [
        (str(line), w)
        for r in results
        if isinstance(r, dict)
        for line in r.get("assumptions") or []
        for w in lex(str(line))
    ]
    quantities = stated_quantities(question)
    set_apart = set_aside(question, quantities)
    out, aside = [], []
    for i, q in enumerate(quantities):
        if any(_reaches(q, args) for args in per_call) or _restated(q, answer):
            continue
        if i in set_apart:
            aside.append(f"{q.text} ({set_apart[i]})")
            continue
        if _reaches(q, [(f, n) for f, n in inputs if f is None or _cued(f, question, q)]):
            continue  # a default the question's words attach it to ("PUE 1.3" and the default PUE of 1.3)
        if _agrees(q, computed, fields):
            continue
        if any(_describes(line, w, question, q) for line, w in described):
            continue
        out.append(q.text)
    out += unmet_conditions(question, calls, answer)
    return list(dict.fromkeys(out)), list(dict.fromkeys(aside))


def unmet_conditions(question: str, calls: Iterable[Any], answer: str = "") -> list[str]:
    """The analyst's words that change a calculation (:data:`agent.field_units.CONDITIONS`: "ignore KV reads",
    "straight line", "a 10% residual value") which no call carries and the answer does not write."""
    args = [getattr(call, "args", call) for call in calls]
    args = [a for a in args if isinstance(a, dict)]
    if any("expression" in a for a in args):
        return _unmet_formats(question, args)  # arithmetic the planner spelled out takes the words into its terms
    out = []
    for pattern, values in CONDITIONS:
        m = re.search(pattern, question, re.I)
        if m is None or m.group(0).lower() in answer.lower():
            continue
        if not any(_carries(a, field, value) for a in args for field, value in values):
            out.append(m.group(0))
    return out + _unmet_formats(question, args)


_FORMAT = re.compile(r"\b(" + "|".join(BYTES_PER_VALUE) + r")\b", re.I)


def _unmet_formats(question: str, args: list[dict[str, Any]]) -> list[str]:
    """Number formats ("a bf16 MLA cache") that no format argument carries, when the calls take formats."""
    formats = {str(v).lower() for a in args for k, v in a.items() if k.endswith("dtype")}
    if not formats:
        return []
    names = name_spans(question)
    found = [m for m in _FORMAT.finditer(question) if not any(s <= m.start() < e for s, e in names)]
    return [m.group(0) for m in found if m.group(0).lower() not in formats]


def _carries(args: dict[str, Any], field: str, value: Any) -> bool:
    got = args.get(field)
    if isinstance(value, bool) or not isinstance(got, (int, float)):
        return got == value
    return math.isclose(float(got), float(value), abs_tol=1e-9)


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
