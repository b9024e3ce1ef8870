"""Grounding check: every number in an answer must trace to a tool result, a citation or the question.

Figures are read by the one quantities lexer (:mod:`tools.quantities`). A figure in the answer
is *traced* when one of its readings equals a number in the sources within the rounding its
digits show. Readings of ``2.1M`` are 2.1 and 2.1e6; of ``405.9 GB``
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

from tools.quantities import Quantity, lex

#: Hours in each period, for per-hour / per-day / per-month / per-year readings (a year = 8,760 h,
#: 365 x 24; a month = 730 h, 8,760 / 12).
_PERIOD_HOURS = {"hour": 1.0, "day": 24.0, "month": 730.0, "year": 8760.0}
#: The period of a lexed rate unit ("$2/h" is usd/hour); other rates name theirs in ``per``.
_UNIT_PERIOD = {"usd/hour": "hour", "usd/year": "year", "fraction/year": "year"}

_TIMESTAMP = re.compile(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_LIST_MARKER = re.compile(r"^(\s*(?:[-*]\s+)?)\d+[.)](?=\s)", re.M)
_FOOTNOTE = re.compile(r"\[\d+\]")
#: Where digits are glued to a name ("H100", "llama-3.1", "fp8"); sources are read with a space put there.
_GLUED = re.compile(r"(?<=[A-Za-z_\-])(?<!\d[eE])(?<!\d[eE][+-])(?=\d)")  # not inside "1e6", "2.5e-3"


@dataclass(frozen=True)
class Figure:
    """A number as written, with the values it may stand for and the rounding its digits allow."""

    text: str
    readings: tuple[tuple[float, float], ...]  # (value, absolute tolerance)


def _tolerance(digits: str) -> float:
    """Half a unit of the last digit shown; trailing zeros of an integer round to two significant figures."""
    mantissa, _, exponent = digits.replace(",", "").lower().partition("e")
    scale = 10.0 ** int(exponent) if exponent else 1.0
    if "." in mantissa:
        return 0.5 * 10.0 ** -len(mantissa.split(".")[1]) * scale
    stripped = mantissa.lstrip("0") or "0"
    zeros = len(stripped) - len(stripped.rstrip("0"))
    return 0.5 * 10.0 ** max(0, min(zeros, len(stripped) - 2)) * scale


def _figure(q: Quantity) -> Figure:
    """The readings of one lexed quantity: the number as written, with its magnitude, in its unit's base, and for
    a rate per hour / day / month / year the same money per each other period."""
    number = abs(float(q.digits.replace(",", ""))) if q.digits else abs(q.value)
    tol = _tolerance(q.digits) if q.digits else 0.5
    readings: list[tuple[float, float]] = [(number, tol)]
    for scale in (q.magnitude, abs(q.value) / number if number else 1.0):
        if scale != 1.0 and (number * scale, tol * scale) not in readings:
            readings.append((number * scale, tol * scale))
    period = _UNIT_PERIOD.get(q.unit) or q.per
    if period in _PERIOD_HOURS:
        hours = _PERIOD_HOURS[period]
        base = list(readings)
        for other in _PERIOD_HOURS.values():
            if other != hours:
                readings.extend((v * other / hours, t * other / hours) for v, t in base)
    return Figure(text=re.sub(r"^-\s+", "", q.text), readings=tuple(readings))


def figures_in(text: str, *, lenient: bool = False) -> list[Figure]:
    """The figures written in ``text``, read by the quantities lexer (:func:`tools.quantities.lex`). Strict (an
    answer): names, list markers, footnotes and timestamps are not figures. Lenient (a source): every number,
    the digits inside names included."""
    if lenient:
        text = _GLUED.sub(" ", text)
    else:
        text = _LIST_MARKER.sub(lambda m: m.group(1) + " ", text)
        text = _FOOTNOTE.sub(" ", text)
        text = _TIMESTAMP.sub(" ", text)
    return [_figure(q) for q in lex(text, merge=False)]


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
