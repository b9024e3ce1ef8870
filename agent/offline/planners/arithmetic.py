"""Arithmetic asked in a unit ("1M tokens / 2,000 tok/s in hours"): the conversion made by ``calculate``."""

from __future__ import annotations

import re

from agent.offline.plan_types import Plan

#: Seconds in each time unit an arithmetic answer may be asked in ("... in hours").
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}


_UNIT_WORDS = {
    "seconds": r"s(?:ec(?:ond)?s?)?",
    "minutes": r"min(?:ute)?s?",
    "hours": r"h(?:ou)?rs?|h",
    "days": r"days?",
    "weeks": r"w(?:ee)?ks?",
}


def target_unit(text: str) -> str | None:
    """The time unit an answer is asked in: "... in hours" -> "hours" (None when none is asked)."""
    m = re.search(r"\bin (seconds|secs|minutes|mins|hours|hrs|days|weeks)\b", text)
    if not m:
        return None
    return next(u for u in _SECONDS if u.startswith(m.group(1)[:3]))


def _source_unit(text: str) -> str | None:
    """The time unit of a rate in the question ("2,000 tok/s" -> "seconds"), None when no rate names one."""
    for unit, word in _UNIT_WORDS.items():
        if re.search(
            rf"(?:/\s*|\bper\s+|\ba\s+)(?:{word})\b|\btps\b"
            if unit == "seconds"
            else rf"(?:/\s*|\bper\s+|\ba\s+)(?:{word})\b",
            text,
        ):
            return unit
    return None


def converted(expression: str, text: str, plan: Plan) -> str:
    """``expression`` in the unit the question asks for, so ``calculate`` does the conversion.

    "1,000,000 tokens / 2,000 tok/s in hours": tokens / (tokens per second) is seconds, so the
    expression becomes ``(1000000 / 2000) / 3600``; the lead states the unit. The quantity's own
    unit is the rate's time unit, or seconds when no rate names one (said in the answer).
    """
    target = target_unit(text)
    if not target:
        return expression
    source = _source_unit(text)
    if source is None:
        source = "seconds"
        plan.notes.append(f"No rate unit given: `{expression}` read as seconds before converting to {target}.")
    if source == target:
        return expression
    ratio = _SECONDS[target] / _SECONDS[source]
    converted = f"({expression}) / {ratio:g}" if ratio > 1 else f"({expression}) * {1 / ratio:g}"
    how = f"/ {ratio:,.0f}" if ratio > 1 else f"x {1 / ratio:,.0f}"
    plan.labels[converted] = (f"`{expression}` {source} in {target}", target, f"{source} {how}")
    return converted
