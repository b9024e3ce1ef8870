"""Growth questions in the analyst's shorthand, planned as ``growth`` or ``calculate`` calls (every figure a tool's).

Classes the slot reading (:mod:`agent.offline.slots`) does not take as written (the years to a rising multiple
and a doubling period's rate are :mod:`agent.offline.growth_time`'s, planned first; these are the rest):

* **a multiple per period** ("$10B doubling every year for 3 years", "tripling every 2 yrs, after 6 years",
  "halves every 18 months"): ``v = base x m^(horizon / period)``; the growth series (each period's value)
  when the horizon is a whole number of periods, else ``calculate``;
* **the annual rate of a multiple** ("doubling every 18 months", "8x over 6 years": what cagr?):
  ``g = m^(1 / years) - 1``, by ``calculate``;
* **years to reach a target** ("years for $3T to fall to $1.5T shrinking 10% a year", "doubling time at 45%"):
  ``n = ln(target / start) / ln(1 + r)`` by ``calculate``, with the values in the whole years either side;
* **a sum over an inclusive range of calendar years** ("$500B in 2026, +20%/yr, cumulative 2026 thru 2029"):
  the growth series from the base year, whose cumulative column counts the base year; a range that starts after
  the base year is the sum of its years' values ``base x (1 + r)^k``;
* **a sequence of rates** ("$8B, grows 100% then 60% then 40%"): ``v = base x (1 + r1)(1 + r2)...``, one rate a
  year, by the growth series (each year's value).

A question that states something these readings cannot use (a count of years that disagrees with its range, a
multiple with no period, a horizon longer than the rates given) gets a reply naming it, not a figure; a year
count or rate the tool rejects ("for -3 years", "falls 120% a year") is passed on so the tool's error names the
field.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tools.quantities import Quantity, lex

_CUE = re.compile(r"grow|growth|cagr|compound|doubl|tripl|quadrupl|halv|\bthen\b|cumulative|shrink|declin")
_MULTIPLE = re.compile(r"\b(doubl|tripl|quadrupl|halv)(?:e|es|ed|ing|s)?\b")
_MULTIPLES = {"doubl": 2.0, "tripl": 3.0, "quadrupl": 4.0, "halv": 0.5}
_PERIOD = re.compile(
    r"\b(?:every|each|per|a)\s+(?:(\d+(?:\.\d+)?)\s*)?(yrs?|years?|months?)\b|\b(?:annually|yearly|yoy|/yr)\b"
)
_YEARS_TO = re.compile(
    r"how (?:many|long)|how much time|\b(?:years?|yrs?) (?:to|until|till|before)\b|\bwhen (?:does|will|would|do)\b"
    r"|\btime to\b|\bwhich year\b|(?:doubl|tripl|quadrupl|halv)ing time"
)
_TARGET_MULTIPLE = re.compile(r"\bto (doubl|tripl|quadrupl|halv)\w*|\b(doubl|tripl|quadrupl|halv)(?:e|es|ing time)\b")
_FALLING = re.compile(r"shrink|declin|fall|drop|down|los[ei]|contract|\bcut|decreas|minus|-\s*$")
_RISING = re.compile(r"grow|rise|rising|\bup\b|increas|gain|\+")
_CUMULATIVE = re.compile(r"cumulative|\btotal\b|\bsum\b|combined|in aggregate|add(?:ed)? up")
_CAL_YEAR = re.compile(r"(?<![\d$.])(?:19|20)\d{2}(?![\d%])")
_NTH_YEAR = re.compile(r"\b(?:yr|year)\s*(\d{1,2})\b|\b(\d{1,2})(?:st|nd|rd|th) (?:yr|year)\b")
_REPEATS = re.compile(r"thereafter|after that|from then on|each year after|every year after")
_RATE_ASKED = re.compile(r"growth rate|\brate\b|\bcagr\b|how fast|\bwhat %|percent|yoy|y/y")
#: A rate is a growth rate: a per-year unit or a growth word in the question ("20% margin" is not).
_GROWS = re.compile(r"grow|growth|cagr|compound|yoy|y/y|increas|\brise|\brises|declin|shrink|\bfall|\bfalls|\+\s*\d")
_STEP_WORDS = re.compile(r"\bthen\b|followed by|,|\band\b|->|→")


def _money(question: str, quantities: list[Quantity]) -> list[Quantity]:
    """The money values, in order: the stated ones, and '$8B' the name reading took for a model size."""
    found = {q.start: q for q in quantities if q.unit == "usd"}
    for q in lex(question):
        if q.unit == "usd" and q.text.startswith("$") and q.start not in found:
            found[q.start] = q
    return [found[k] for k in sorted(found)]


def _rates(question: str, quantities: list[Quantity]) -> list[float]:
    """Growth rates as fractions, negative after a falling word ("shrinks 15% a year"); none unless the question
    says the rates are growth (a growth word, or a rate per year)."""
    text = question.lower()
    per_year = any(q.unit == "fraction/year" for q in quantities)
    if not (per_year or _GROWS.search(text)):
        return []
    out: list[float] = []
    sign, last_end = 1.0, 0
    for q in quantities:
        if q.unit in ("fraction", "fraction/year"):
            before = text[max(last_end, q.start - 25) : q.start]
            falls, rises = _FALLING.search(before), _RISING.search(before)
            if falls or rises:  # the nearer word; a rate with none keeps the previous rate's direction
                sign = -1.0 if falls and (not rises or falls.start() > rises.start()) else 1.0
            out.append(sign * q.value)
            last_end = q.end
    return out


def _spans(quantities: list[Quantity], text: str) -> list[tuple[float, Quantity]]:
    """Durations in years with their quantities ("18 months" is 1.5); a duration after 'every' is a period."""
    out = []
    for q in quantities:
        if q.unit in ("years", "months") and not re.search(r"(?:every|each|per)\s*$", text[: q.start]):
            out.append((q.value / 12 if q.unit == "months" else q.value, q))
    return out


def _horizon(text: str, spans: list[tuple[float, Quantity]]) -> float | None:
    """The years asked about: one stated duration, or 'yr3' / 'year 3' / '3rd year'."""
    if len(spans) == 1:
        return spans[0][0]
    if not spans and (m := _NTH_YEAR.search(text)):
        return float(m.group(1) or m.group(2))
    return None


def _fmt(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def _base_arg(value: float) -> str:
    """A base value in the digits the analyst wrote: 8e10 ('$80B') -> '80e9', 2.5e6 -> '2.5e6'."""
    for exp in (12, 9, 6):
        if abs(value) >= 10**exp and float(f"{value / 10**exp:g}") * 10**exp == value:
            return f"{value / 10**exp:g}e{exp}"
    return f"{value:g}" if value == float(f"{value:g}") else repr(value)


def multiple_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'$10B doubling every year for 3 years': a reading (calls, labels, note, reply) or None."""
    text = question.lower()
    m = _MULTIPLE.search(text)
    money = _money(question, quantities)
    if m is None or _rates(question, quantities) or len(money) > 1 or _YEARS_TO.search(text):
        return None
    mult = _MULTIPLES[m.group(1)]
    per = _PERIOD.search(text, m.end())
    spans = _spans(quantities, text)
    horizon = _horizon(text, spans)
    word = m.group(0)
    if per is None and horizon is not None and _RATE_ASKED.search(text) and not money:
        return _rate_over_span(mult, horizon, word)  # "doubling in 4 years: what cagr"
    if per is None:
        return {"reply": f"I can't tell how often the value is {word}: say 'every year' or 'every N years'."}
    if horizon is None and _RATE_ASKED.search(text):
        return _annual_rate(mult, per)
    if len(money) != 1:
        return None
    if horizon is None:
        return {"reply": f"I can't tell for how many years to apply '{word}': say 'for N years' or 'after N years'."}
    period = _period_years(per)
    base = money[0]
    steps = horizon / period
    if horizon <= 0 or period == 1:
        call = ("growth", {"base": _base_arg(base.value), "rate": [mult - 1], "years": _int(horizon)})
        note = f"Read as {base.text} {word} ({_fmt(mult)}x) each year for {_fmt(horizon)} years: each year's value."
        return {"calls": [call], "note": note, "unit": "usd"}
    if steps.is_integer():
        call = ("growth", {"base": _base_arg(base.value), "multiplier": mult, "steps": int(steps)})
        note = (
            f"Read as {base.text} {word} ({_fmt(mult)}x) {per.group(0)} for {_fmt(horizon)} years: "
            f"{int(steps)} steps of {_fmt(mult)}x, each step's value."
        )
        return {"calls": [call], "note": note, "unit": "usd"}
    expr = f"{base.value!r} * {mult!r} ** ({_fmt(horizon)} / {_fmt(period)})"
    label = ("Value", "$", f"{base.text} x {_fmt(mult)}^({_fmt(horizon)} / {_fmt(period)} periods)")
    note = f"Read as {base.text} {word} {per.group(0)}{_in_years(per)}, after {_fmt(horizon)} years."
    return {"calls": [("calculate", {"expression": expr})], "labels": {expr: label}, "note": note}


def _annual_rate(mult: float, per: re.Match[str]) -> dict[str, Any]:
    """'Doubling every 18 months is what annual rate': g = m^(1 / period in years) - 1, in %."""
    period = _period_years(per)
    expr = f"({mult!r} ** (1 / {_fmt(period)}) - 1) * 100"
    label = ("Annual growth rate", "%", f"{_fmt(mult)}^(1 / {_fmt(period)} years) - 1")
    note = f"Read as {_fmt(mult)}x {per.group(0)}{_in_years(per)}, compounded once a year."
    return {"calls": [("calculate", {"expression": expr})], "labels": {expr: label}, "note": note}


def _rate_over_span(mult: float, years: float, word: str) -> dict[str, Any]:
    """'10x in 5 years is what annual rate': g = m^(1 / years) - 1, in %."""
    expr = f"({mult!r} ** (1 / {_fmt(years)}) - 1) * 100"
    label = ("Annual growth rate", "%", f"{_fmt(mult)}^(1 / {_fmt(years)} years) - 1")
    note = f"Read as {word} ({_fmt(mult)}x in all) over {_fmt(years)} years, compounded once a year."
    return {"calls": [("calculate", {"expression": expr})], "labels": {expr: label}, "note": note}


def multiple_rate_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'10x in 5 years is what cagr': a stated multiple over a stated span, no values."""
    text = question.lower()
    xs = [q for q in quantities if q.unit == "x"]
    spans = _spans(quantities, text)
    if not _RATE_ASKED.search(text) or len(xs) != 1 or len(spans) != 1 or len(quantities) != 2:
        return None
    if xs[0].value <= 0 or spans[0][0] <= 0:
        return None
    return _rate_over_span(xs[0].value, spans[0][0], xs[0].text)


def _period_years(per: re.Match[str]) -> float:
    """'every 18 months' -> 1.5; 'every 2 yrs' -> 2; 'a year' / 'annually' -> 1."""
    return float(per.group(1) or 1) / (12 if (per.group(2) or "").startswith("month") else 1)


def _in_years(per: re.Match[str]) -> str:
    """' (1.5 years)' after a period written in months, else ''."""
    return f" ({_fmt(_period_years(per))} years)" if (per.group(2) or "").startswith("month") else ""


def _int(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def years_to_reach_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'How many years for $100B to hit $1T at 25%': n = ln(target / start) / ln(1 + r), by ``calculate``."""
    text = question.lower()
    rates = _rates(question, quantities)
    if not _YEARS_TO.search(text) or len(rates) != 1 or _CAL_YEAR.search(text):
        return None  # a base year ("$200B in 2025 ... when does it pass $1T"): the growth tool's year reached
    money = _money(question, quantities)
    target = _TARGET_MULTIPLE.search(text)
    xs = [q for q in quantities if q.unit == "x"]
    basis_from: Quantity | None
    if len(money) == 2 and not target and not xs:
        start, end = money[0].value, money[1].value
        ratio_text, basis_from = f"{money[1].text} / {money[0].text}", money[0]
    elif len(money) <= 1 and (target or len(xs) == 1):
        mult = _MULTIPLES[(target.group(1) or target.group(2))] if target else xs[0].value
        start, end = (money[0].value if money else 1.0), (money[0].value if money else 1.0) * mult
        ratio_text, basis_from = f"{_fmt(mult)}x", (money[0] if money else None)
    else:
        return None
    r = rates[0]
    if r <= -1:  # the tool's own check names the rate
        return {"calls": [("growth", {"base": _base_arg(start), "rate": [r], "until": end})], "note": ""}
    if r == 0 or (end > start) != (r > 0) or start == end:
        direction = "rises" if end > start else "falls"
        return {
            "reply": f"I can't give a year count: at {_fmt(r * 100)}% a year the value never {direction} to the target."
        }
    expr = f"log({end!r} / {start!r}) / log(1 + {r!r})" if basis_from is not None else f"log({end!r}) / log(1 + {r!r})"
    labels = {expr: ("Years to reach the target", "years", f"ln({ratio_text}) / ln(1 + {_fmt(r * 100)}%)")}
    calls = [("calculate", {"expression": expr})]
    whole = math.ceil(math.log(end / start) / math.log(1 + r) - 1e-12)
    for k in dict.fromkeys((whole - 1, whole)) if basis_from is not None else ():
        if k >= 1:  # the whole years either side of the crossing
            check = f"{start!r} * (1 + {r!r}) ** {k}"
            labels[check] = (f"Value after {k} years", "$", f"{basis_from.text} x (1 + {_fmt(r * 100)}%)^{k}")
            calls.append(("calculate", {"expression": check}))
    note = f"Read as growth compounding once a year at {_fmt(r * 100)}%; the count is in fractional years."
    return {"calls": calls, "labels": labels, "note": note}


def sequence_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'$8B, grows 100% then 60% then 40%, yr3?': the growth series at one rate a year, in the order written."""
    text = question.lower()
    rates = _rates(question, quantities)
    money = _money(question, quantities)
    if len(rates) < 2 or len(money) != 1 or _CAL_YEAR.search(text) or _YEARS_TO.search(text):
        return None
    rate_qs = [q for q in quantities if q.unit in ("fraction", "fraction/year")]
    between = text[rate_qs[0].end : rate_qs[-1].start]
    if not _STEP_WORDS.search(between):
        return None
    horizon = _horizon(text, _spans(quantities, text))
    n = len(rates)
    if horizon is not None and horizon != n and not (_REPEATS.search(text) and horizon > n):
        return {
            "reply": f"I can't tell which rate applies when: you gave {n} rates but asked about {_fmt(horizon)} years "
            "(say 'thereafter' if the last rate repeats)."
        }
    years = n if horizon is None else horizon
    rates_text = ", then ".join(f"{_fmt(r * 100)}%" for r in rates)
    call = ("growth", {"base": _base_arg(money[0].value), "rate": rates, "years": _int(years)})
    verb = "growing" if min(rates) >= 0 else "changing by"
    note = f"Read as {money[0].text} {verb} {rates_text}, one rate a year: each year's value."
    return {"calls": [call], "note": note, "unit": "usd"}


def range_sum_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'$500B in 2026, grows 20%/yr, cumulative 2026 thru 2029': the sum over the inclusive range of years."""
    text = question.lower()
    rates = _rates(question, quantities)
    money = _money(question, quantities)
    cal = [(int(m.group(0)), m.start()) for m in _CAL_YEAR.finditer(text)]
    if not _CUMULATIVE.search(text) or len(rates) != 1 or len(money) != 1 or len(cal) < 2:
        return None
    base = money[0]
    base_year = min(cal, key=lambda c: abs(c[1] - base.start))[0]
    later = [y for y, pos in cal if pos > _CUMULATIVE.search(text).start()] or [y for y, _ in cal]  # type: ignore[union-attr]
    first, last = min(later), max(later)
    if first < base_year or last <= base_year:
        return {
            "reply": f"I can't sum {first}-{last} from a base in {base_year}: the range must end after the base year."
        }
    count = last - first + 1
    stated = [v for v, _ in _spans(quantities, text)]
    if stated and any(v != count for v in stated):
        return {
            "reply": f"I can't tell which range you mean: {first} through {last} is {count} years counting both ends, "
            f"but you wrote {_fmt(stated[0])} years."
        }
    r = rates[0]
    series = ("growth", {"base": f"{base_year}={_base_arg(base.value)}", "rate": [r], "through": last})
    note = (
        f"Read as {base.text} in {base_year} growing {_fmt(r * 100)}% a year; {first} through {last}"
        + (f" is {_fmt(stated[0])} years" if stated else "")  # a count the question states (a derived one is not)
        + ", both ends counted"
        + (f", {base_year} being the base year ({base.text})." if first == base_year else ".")
    )
    if first == base_year:
        return {"calls": [series], "note": note, "unit": "usd"}
    expr = " + ".join(f"{base.value!r} * (1 + {r!r}) ** {y - base_year}" for y in range(first, last + 1))
    label = (
        f"Cumulative {first}-{last}",
        "$",
        f"the sum of each year's value, {base.text} x (1 + r)^(year - {base_year})",
    )
    return {"calls": [series, ("calculate", {"expression": expr})], "labels": {expr: label}, "note": note}


def bad_count_plan(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """'$80B at 15% a year for -2 years': the growth call as stated, so the tool's error names the year count."""
    spans = [v for v, _ in _spans(quantities, question.lower())]
    money, rates = _money(question, quantities), _rates(question, quantities)
    if len(money) != 1 or not rates or len(spans) != 1 or spans[0] > 0:
        return None
    return {"calls": [("growth", {"base": _base_arg(money[0].value), "rate": rates, "years": _int(spans[0])})]}


def growth_phrase_reading(question: str, quantities: list[Quantity]) -> dict[str, Any] | None:
    """The first class (module docstring) that reads ``question``: calls as (tool, args), labels, note, unit;
    or a reply; None when none applies."""
    text = question.lower()
    if not (_CUE.search(text) or _CUMULATIVE.search(text) or _YEARS_TO.search(text) or _RATE_ASKED.search(text)):
        return None
    for reader in (
        bad_count_plan,
        years_to_reach_plan,
        sequence_plan,
        range_sum_plan,
        multiple_plan,
        multiple_rate_plan,
    ):
        found = reader(question, quantities)
        if found is not None:
            return found
    return None


def growth_phrase_plan(question: str, quantities: list[Quantity], prior: list[Any] | None = None) -> Any:
    """The :class:`~agent.offline.plan_types.Plan` of :func:`growth_phrase_reading`, or None (also for a follow-up,
    ``prior`` calls given: its numbers are read against the earlier turn)."""
    if prior:
        return None
    from agent.offline.focus import asked_quantities
    from agent.offline.parse import parse
    from agent.offline.plan_types import Call, Plan

    found = growth_phrase_reading(question, quantities)
    if found is None:
        return None
    if "reply" in found:
        return Plan(reply=found["reply"])
    plan = Plan(
        calls=[Call(name, args) for name, args in found["calls"]],
        labels=found.get("labels", {}),
        notes=[found["note"]] if found.get("note") else [],
        focus=asked_quantities(parse(question).text),
    )
    plan.value_unit = found.get("unit")
    return plan
