"""Grounding check: every number in an answer must trace to a tool result, a citation or the question.

A figure in the answer is *traced* when one of its readings equals a number in the sources
within the rounding its digits show. Readings of ``2.1M`` are 2.1 and 2.1e6; of ``405.9 GB``
405.9 and 405.9e9; of ``378 GiB`` 378 x 2^30; of ``90%`` 90 and 0.90; of ``405B`` 405, 405e9
(billions) and 405 (bytes); of ``$17,520 per year`` also 17,520 / 8,760 per hour (and per
day / month), and the other way round for ``per hour``. Rounding: half a unit of the last
digit shown (``2.1M`` covers 2.05M-2.15M); trailing zeros of an integer count as rounding
down to two significant figures (``1,300`` covers 1,250-1,350; ``70`` covers only 69.5-70.5).

Passages from files the user ingested (``source_kind`` "user file") do not verify anything: a
figure found only there is reported as coming from that note ("from your note channel-check.md"),
because a note can say anything, including a fake spec sheet.

Not figures: digits inside names (``H100``, ``fp8``, ``llama-3.1-405b``, ``MI300X``), ordered
list markers (``1. ``) and footnote marks (``[1]``). Timestamps (``43:10``) are traced as
text against the sources. Sources are read leniently: every number in them, with its unit
readings, including the digits inside names.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Multipliers for suffixes and units written after a number. ``B`` is read both ways.
_SCALE: dict[str, tuple[float, ...]] = {
    "k": (1e3,),
    "K": (1e3,),
    "thousand": (1e3,),
    "M": (1e6,),
    "mn": (1e6,),
    "million": (1e6,),
    "b": (1e9,),
    "bn": (1e9,),
    "billion": (1e9,),
    "B": (1e9, 1.0),
    "T": (1e12,),
    "trillion": (1e12,),
    "KB": (1e3,),
    "kB": (1e3,),
    "MB": (1e6,),
    "GB": (1e9,),
    "TB": (1e12,),
    "PB": (1e15,),
    "KiB": (2.0**10,),
    "MiB": (2.0**20,),
    "GiB": (2.0**30,),
    "TiB": (2.0**40,),
    "kW": (1e3,),
    "MW": (1e6,),
    "GW": (1e9,),
    "TW": (1e12,),
    "kWh": (1e3,),
    "MWh": (1e6,),
    "GWh": (1e9,),
    "TWh": (1e12,),
    "ms": (1e-3,),
    "us": (1e-6,),
    "µs": (1e-6,),
}
#: Hours in each period, for per-hour / per-day / per-month / per-year readings (a year = 8,760 h,
#: 365 x 24; a month = 730 h, 8,760 / 12).
_PERIOD_HOURS = {
    "h": 1.0,
    "hr": 1.0,
    "hour": 1.0,
    "day": 24.0,
    "mo": 730.0,
    "month": 730.0,
    "yr": 8760.0,
    "year": 8760.0,
}

_NUMBER = re.compile(r"(?P<cur>[$€£])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<attached>[A-Za-zµ%]*)")
_TAIL = re.compile(r"\s?(?P<tail>%|[A-Za-zµ]+)")
_PERIOD = re.compile(r"\s*(?:/|per\s+|an?\s+)\s*(?P<period>hours?|hrs?|h|days?|months?|mo|years?|yrs?)\b", re.I)
_TIMESTAMP = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_LIST_MARKER = re.compile(r"^(\s*(?:[-*]\s+)?)\d+[.)](?=\s)", re.M)
_FOOTNOTE = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Figure:
    """A number as written, with the values it may stand for and the rounding its digits allow."""

    text: str
    readings: tuple[tuple[float, float], ...]  # (value, absolute tolerance)


def _tolerance(num: str) -> float:
    digits = num.replace(",", "")
    if "." in digits:
        return 0.5 * 10.0 ** -len(digits.split(".")[1])
    stripped = digits.lstrip("0") or "0"
    zeros = len(stripped) - len(stripped.rstrip("0"))
    return 0.5 * 10.0 ** max(0, min(zeros, len(stripped) - 2))


def _scales(unit: str) -> tuple[float, ...] | None:
    if unit == "%":
        return (0.01,)
    return _SCALE.get(unit)


def _period_hours(word: str) -> float:
    word = word.lower().rstrip("s") or "h"
    return _PERIOD_HOURS.get(word, 1.0)


def _figure(match: re.Match[str], text: str, *, lenient: bool) -> Figure | None:
    start, end = match.span()
    num, attached = match.group("num"), match.group("attached")
    before = text[max(0, start - 2) : start]
    if not lenient and not match.group("cur"):
        last = before[-1:]
        if last and (last.isalnum() or last in "._" or (last == "-" and before[:1].isalnum())):
            return None  # inside a name: H100, llama-3.1-405b, v2.5
    unit = attached
    if attached and _scales(attached) is None and attached not in ("x", "X"):
        if not lenient:
            return None  # fp8-like tail: a name, not a figure
        unit = ""
    rest = text[end:]
    if not attached:
        tail = _TAIL.match(rest)
        if tail and _scales(tail.group("tail")) is not None:
            unit = tail.group("tail")
            rest = rest[tail.end() :]
    value = float(num.replace(",", ""))
    tol = _tolerance(num)
    readings: list[tuple[float, float]] = [(value, tol)]
    for scale in _scales(unit) or ():
        readings.append((value * scale, tol * scale))
    period = _PERIOD.match(rest)
    if period:
        hours = _period_hours(period.group("period"))
        base = list(readings)
        for other in set(_PERIOD_HOURS.values()):
            if other != hours:
                readings.extend((v * other / hours, t * other / hours) for v, t in base)
    shown = text[start : end + (len(text) - end - len(rest))].strip()
    return Figure(text=shown, readings=tuple(readings))


def figures_in(text: str, *, lenient: bool = False) -> list[Figure]:
    """The figures written in ``text`` (strict: skips names, list markers, footnotes, timestamps)."""
    if not lenient:
        text = _LIST_MARKER.sub(lambda m: m.group(1) + " ", text)
        text = _FOOTNOTE.sub(" ", text)
        text = _TIMESTAMP.sub(" ", text)
    out = []
    for match in _NUMBER.finditer(text):
        fig = _figure(match, text, lenient=lenient)
        if fig is not None:
            out.append(fig)
    return out


def _walk(obj: Any, numbers: list[float], texts: list[str]) -> None:
    if isinstance(obj, bool) or obj is None:
        return
    if isinstance(obj, (int, float)):
        numbers.append(abs(float(obj)))
    elif isinstance(obj, str):
        texts.append(obj)
        for fig in figures_in(obj, lenient=True):
            numbers.extend(abs(v) for v, _ in fig.readings)
    elif isinstance(obj, dict):
        for key, value in obj.items():
            _walk(key, numbers, texts)
            _walk(value, numbers, texts)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            _walk(value, numbers, texts)
    elif hasattr(obj, "model_dump"):
        _walk(obj.model_dump(), numbers, texts)


USER_FILE = "user file"


def _split_notes(obj: Any, notes: list[dict[str, Any]]) -> Any:
    """``obj`` without the passages of user files (moved to ``notes``), recursively."""
    if isinstance(obj, dict):
        if obj.get("source_kind") == USER_FILE:
            notes.append(obj)
            return None
        return {k: _split_notes(v, notes) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_split_notes(v, notes) for v in obj]
    return obj


class Sources:
    """The numbers (and texts, for timestamps) an answer may draw on; ``notes`` holds the passages of
    user files, kept apart (:func:`trace`)."""

    def __init__(self, items: Iterable[Any]) -> None:
        numbers: list[float] = []
        self.texts: list[str] = []
        self.notes: list[dict[str, Any]] = []
        for item in items:
            if isinstance(item, str) and item[:1] in "[{":
                try:
                    item = json.loads(item)
                except ValueError:
                    pass
            _walk(_split_notes(item, self.notes), numbers, self.texts)
        self.numbers = sorted(set(numbers))

    def has(self, value: float, tol: float) -> bool:
        value = abs(value)
        slack = tol + 1e-9 * value
        i = bisect.bisect_left(self.numbers, value - slack)
        return i < len(self.numbers) and self.numbers[i] <= value + slack

    def has_text(self, snippet: str) -> bool:
        return any(snippet in t for t in self.texts)


def trace(answer: str, sources: Iterable[Any]) -> tuple[list[str], list[tuple[str, str]]]:
    """(figures and timestamps no verified source backs, [(figure, note source)] found only in a user's note)."""
    src = Sources(sources)
    notes = [(str(n.get("source") or "your note"), Sources([n.get("text", "")])) for n in src.notes]
    missing: list[str] = []
    from_notes: list[tuple[str, str]] = []
    for stamp in _TIMESTAMP.findall(answer):
        if not src.has_text(stamp) and stamp not in missing:
            missing.append(stamp)
    for fig in figures_in(answer):
        if any(src.has(v, t) for v, t in fig.readings) or fig.text in missing:
            continue
        note = next((name for name, ns in notes if any(ns.has(v, t) for v, t in fig.readings)), None)
        if note is None:
            missing.append(fig.text)
        elif (fig.text, note) not in from_notes:
            from_notes.append((fig.text, note))
    return missing, from_notes


def untraced(answer: str, sources: Iterable[Any]) -> list[str]:
    """The figures (and timestamps) in ``answer`` that no source backs, as written, in order (a figure
    found only in a user's note counts as untraced here; :func:`trace` tells the two apart)."""
    missing, from_notes = trace(answer, sources)
    return missing + [text for text, _ in from_notes if text not in missing]


def grounding_warnings(answer: str, sources: Iterable[Any]) -> list[str]:
    """One warning per untraced figure, and one per figure that only a user's note states, phrased for the user."""
    missing, from_notes = trace(answer, sources)
    out = [
        f"unverified figure {text!r}: not found in any tool result, cited passage or the question" for text in missing
    ]
    for text, source in from_notes:
        name = source.split(":", 1)[1].strip() if ":" in source else source
        out.append(
            f"figure {text!r} is from your note {name}: the user's claim, not verified by a calculator or a bundled source"
        )
    return out
