"""Arithmetic a podcast question states in words, as ``calculate`` expressions on the question's own numbers.

"He said a 405B server batches 256 users and reasoning cuts that to 1/4-1/5: how many users?" quotes a
figure and asks for a sum on it. The numbers are the analyst's (or, in a second round, one figure read
from the cited sentence, :mod:`agent.offline.passage_figure`); the product, quotient or power is
``calculate``'s. Each reading is one shape of sum, tried in order; the first that has all its parts wins:

    growth      base B (money or count), rate r per year, n years        B * (1 + r) ** n
    compounded  multiple m per year (or "compounded"), n years            m ** n
    margin      revenue R ($), gross margin(s) g, a cost asked            R * (1 - g)     (each margin)
    sized       site power P (GW/MW), kW each, PUE, "how many"            P kW / PUE / kW each
    hourly      server price M, N GPUs, Y years, per GPU-hour asked       M / N / (Y x 8760) [+ kW / N x PUE x $/kWh]
    cut share   count N cut to fractions f, money M, "per user" asked     N * f, M / (N * f)
    rent term   hourly rent R, a Y-year deal, a total asked [price P]     R * 8760 * Y [- P]
    fraction    count N, fractions f ("cuts that to 1/4-1/5", "5% of")    N * f           (each fraction)
    combined    a multiple range a-b and another multiple c, combined     a * c, b * c
                (or "the range" / "the cost multiple" asked)
    divided     price P, multiples m "cheaper" / "once you strip ..."     P / m           (each multiple)
    per unit    money M, count N, "per (concurrent) user / chip" asked    M / N  [and M / N / P, "how many x" a
                price per unit P]
    product     count N, a rate or price per unit X, a total asked        N * X  [and N * Y, N * Y / (N * X)
                for another price Y "that many" cost at]
    per token   price per GPU-hour P, tokens/s per GPU T, $/M tok asked   P / (T x 3600) x 10^6

Nothing here reads the catalog: a sum whose parts are not all stated is not made (None).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.quantities import Quantity, lex


@dataclass(frozen=True)
class Sum:
    """One ``calculate`` expression, what it is, and the unit of its value ("$", "x", "", "tokens/s", "$/M tokens")."""

    expression: str
    what: str
    unit: str


_SCALE = {"k": 1e3, "m": 1e6, "b": 1e9, "billion": 1e9, "million": 1e6, "thousand": 1e3}
_RANGE = re.compile(
    r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s*(x|%)?\s*(?:-|–|to)\s*(\d[\d,]*(?:\.\d+)?)\s*(x|%|times)(?!\w)", re.I
)
_FRACTION = re.compile(r"(?<![\w$.,/])(\d{1,2})\s*/\s*(\d{1,3})(?![\w/]|[.,]\d)")
_WORD_FRACTIONS = {"half": "1/2", "a third": "1/3", "a quarter": "1/4", "one quarter": "1/4", "a fourth": "1/4"}
_YEARS = re.compile(r"(?<![-\w.])(\d{1,2})\s*(?:more\s+)?(?:years?|yrs?)\b", re.I)  # "-2 years" is no span
_PER_YEAR = r"(?:a|per|/|each|every)\s*(?:year|yr)\b|annual(?:ly)?|\byoy\b"


#: A price said of each unit after it ("$25k each", "$5k apiece", "$2 a chip"): a price per unit.
_EACH = r"\s*(?:each|apiece|a piece|a (?:chip|gpu|unit|card|server|user))\b"


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _fmt(x: float) -> str:
    return repr(int(x)) if float(x).is_integer() else repr(x)


def ranges(text: str) -> list[tuple[float, float, str, tuple[int, int]]]:
    """'4-5x', '50-70%', '50 to 70%': (low, high, 'x' or '%', span)."""
    out = []
    for m in _RANGE.finditer(text):
        unit = "%" if "%" in (m.group(2) or "") + m.group(4) else "x"
        out.append((_value(m.group(1)), _value(m.group(3)), unit, m.span()))
    return out


def _fractions(text: str) -> list[str]:
    """'1/4-1/5' -> ['1/4', '1/5']; 'a quarter' -> ['1/4']."""
    found = [f"{m.group(1)}/{m.group(2)}" for m in _FRACTION.finditer(text) if int(m.group(1)) < int(m.group(2))]
    found += [v for w, v in _WORD_FRACTIONS.items() if re.search(rf"\b{w}\b", text, re.I)]
    return found


def _outside(q: Quantity, spans: list[tuple[int, int]]) -> bool:
    return not any(a <= q.start < b for a, b in spans)


def _read(text: str) -> dict[str, list[Quantity]]:
    """The question's single quantities by role: money, money per unit, counts, rates per unit, percents, multiples."""
    spans = [r[3] for r in ranges(text)] + [m.span() for m in _FRACTION.finditer(text)]
    roles: dict[str, list[Quantity]] = {k: [] for k in ("money", "unit_price", "count", "rate", "percent", "multiple")}
    for q in lex(text):
        if not _outside(q, spans) or re.match(r"\s*(?:years?|yrs?)\b", text[q.end :], re.I):
            continue
        if re.search(r"(?:llama|qwen|mistral|gpt|deepseek)[\s-]*(?:\d+(?:\.\d+)?[\s-]*)?$", text[: q.start], re.I):
            continue  # "Llama 7B", "405B" after a family name: a model size
        if q.unit == "usd" and q.per is None and not re.match(_EACH, text[q.end :], re.I):
            roles["money"].append(q)
        elif q.unit.startswith("usd"):
            roles["unit_price"].append(q)
        elif q.unit == "" and not re.fullmatch(r"\d+(?:\.\d+)?[bB]", q.text):  # "405B" is a model size
            roles["count"].append(q)
        elif q.unit.startswith("fraction"):
            roles["percent"].append(q)
        elif q.unit == "x":
            roles["multiple"].append(q)
        elif q.unit in ("tokens/s",):
            roles["rate"].append(q)
    return roles


def _digits_for_spelled(text: str) -> str:
    from knowledge.figures import spelled

    for f in spelled(text):
        if f.kind == "$" and f.digits:
            text = text.replace(f.text, f.digits, 1)
    return text


def counts(text: str) -> list[Quantity]:
    """The plain counts ``text`` states (not a model size, not a price, not a number of years)."""
    return _read(text)["count"]


def stated_sums(text: str) -> list[Sum]:
    """The sums ``text`` asks for on the numbers it states (module docstring); [] when none has all its parts.
    A small sum of money spelled out ("two bucks an hour") is read as its digits ("$2 an hour")."""
    text = _digits_for_spelled(text)
    roles = _read(text)
    for reading in (
        _growth,
        _compounded,
        _margin,
        _sized,
        _hourly,
        _cut_per_unit,
        _rent_term,
        _fraction,
        _combined,
        _divided,
        _per_unit,
        _per_token,
        _product,
    ):
        sums = reading(text, roles)
        if sums:
            return sums
    return []


def _growth(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    years = _YEARS.findall(text)
    if not (years and roles["percent"] and re.search(r"\bgr[eo]w|\bgrowth\b|\bcompound", text, re.I)):
        return []
    rate = next(
        (p for p in roles["percent"] if p.unit == "fraction/year" or re.match(rf"\s*{_PER_YEAR}", text[p.end :], re.I)),
        None,
    )
    base = (roles["money"] or roles["count"] or [None])[0]
    if rate is None or base is None or rate.value <= -1:  # -100% a year or less is no growth rate
        return []
    unit = "$" if base.unit == "usd" else ""
    expr = f"{_fmt(base.value)} * (1 + {rate.value!r}) ** {years[-1]}"
    yearly = rate.text if rate.unit == "fraction/year" else f"{rate.text} a year"
    return [Sum(expr, f"{base.text} growing {yearly} for {years[-1]} years", unit)]


def _compounded(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    years = _YEARS.findall(text)
    if not (years and roles["multiple"] and re.search(rf"compound|{_PER_YEAR}", text, re.I)):
        return []
    m = roles["multiple"][0]
    return [Sum(f"{_fmt(m.value)} ** {years[-1]}", f"{m.text} a year compounded over {years[-1]} years", "x")]


def _margin(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    if not (roles["money"] and re.search(r"\bmargins?\b|\bgm\b", text, re.I) and re.search(r"\bcosts?\b", text, re.I)):
        return []
    margins = [(lo / 100, hi / 100) for lo, hi, unit, _ in ranges(text) if unit == "%"]
    values = [v for pair in margins for v in pair] or [p.value for p in roles["percent"]]
    revenue = roles["money"][0]
    return [
        Sum(f"{_fmt(revenue.value)} * (1 - {g!r})", f"cost at a {g:.0%} gross margin on {revenue.text}", "$")
        for g in sorted(values, reverse=True)
    ]


def _sized(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    kw = [q for q in lex(text) if q.unit == "W" and q.value < 1e5 and re.match(r"[\d.,]+\s*kw\b", q.text, re.I)]
    site = [q for q in lex(text) if q.unit == "W" and q.value >= 1e6]
    pue = re.search(r"\bpue\s*(?:of\s*)?(\d(?:\.\d+)?)", text, re.I)
    if not (kw and site and re.search(r"\bhow many\b", text, re.I)):
        return []
    over = f" / {pue.group(1)}" if pue else ""
    basis = f"{site[0].text}{' at PUE ' + pue.group(1) if pue else ''} / {kw[0].text} each"
    return [Sum(f"{_fmt(site[0].value / 1e3)}{over} / {_fmt(kw[0].value / 1e3)}", basis, "")]


def _hourly(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    if not re.search(r"\bper (?:gpu|accelerator|chip)[- ]?(?:hour|hr)\b", text, re.I) or not roles["money"]:
        return []
    gpus = re.search(r"\b(\d+)\s*(?:gpus|accelerators|chips)\b", text, re.I)
    years = _YEARS.findall(text) or re.findall(r"\b(\d{1,2})-year\b", text)
    if not (gpus and years):
        return []
    n, life = int(gpus.group(1)), years[-1]
    expr = f"{_fmt(roles['money'][0].value)} / {n} / ({life} * 8760)"
    what = f"{roles['money'][0].text} over {n} GPUs, {life}-year straight line"
    kw = [q for q in lex(text) if q.unit == "W" and re.match(r"[\d.,]+\s*kw\b", q.text, re.I)]
    pue = re.search(r"\bpue\s*(?:of\s*)?(\d(?:\.\d+)?)", text, re.I)
    price = [q for q in lex(text) if q.unit == "usd/kwh"]
    if kw and price:
        per_server = re.match(r"\s*(?:per|a|/)\s*server", text[kw[0].end :], re.I) or "server" in kw[0].text
        each = f"{_fmt(kw[0].value / 1e3)}{f' / {n}' if per_server else ''}"
        expr += f" + {each} * {pue.group(1) if pue else 1} * {price[0].value!r}"
        what += f", plus power at {kw[0].text}{', PUE ' + pue.group(1) if pue else ''}, {price[0].text}"
    return [Sum(expr, f"per GPU-hour ({what})", "$/hour")]


_CUT = re.compile(r"\b(?:cuts?|drops?|reduces?|brings?|falls?|goes)\b.{0,20}\bto\b|\bdown to\b", re.I)
_PER_USER = re.compile(r"\bper (?:concurrent |active )?(user|seat|person|request)\b", re.I)


def _cut_per_unit(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    """ "Reasoning cuts users to 1/4 of his 256; users, and $ per user on the $300k box": the count cut to each
    fraction, and the money over each cut count."""
    fractions = _fractions(text) if _CUT.search(text) else []
    asked = _PER_USER.search(text)
    if not (fractions and asked and roles["money"] and roles["count"]):
        return []
    base, money = max(roles["count"], key=lambda q: q.value), roles["money"][0]
    out = [Sum(f"{_fmt(base.value)} * {f}", f"{f} of {base.text}", "") for f in fractions]
    out += [
        Sum(
            f"{_fmt(money.value)} / ({_fmt(base.value)} * {f})",
            f"per {asked.group(1)} ({money.text} / ({f} of {base.text}))",
            "$",
        )
        for f in fractions
    ]
    return out


_TERM = re.compile(r"\b(\d{1,2})[- ](?:years?|yrs?)\b(?:[- ](?:deal|term|contract|lease|commit\w*))?", re.I)
_RENTS = re.compile(r"\brent|\brental|\blease|\bcontract\b|\bdeal\b", re.I)


def _rent_term(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    """ "Rent an H100 at his $2/hour for a 2-year deal: total, vs a $33.6k purchase": the hourly rent over the
    term (8,760 hours a year), and that total less the price it is compared with."""
    hourly = [q for q in roles["unit_price"] if q.unit == "usd/hour"]
    hourly += [q for q in roles["money"] if q.value < 100 and not hourly]  # "two bucks" said of a GPU-hour rent
    term = _TERM.search(text)
    if not (hourly and term and _RENTS.search(text) and re.search(r"\btotal|how much|all[- ]in|cost", text, re.I)):
        return []
    rent, years = hourly[0], int(term.group(1))
    total = f"{rent.value!r} * 8760 * {years}"
    out = [Sum(total, f"{rent.text} an hour x 8,760 hours x {years} years", "$")]
    for price in [q for q in roles["money"] if q.value >= 1000][:1]:
        out.append(Sum(f"{total} - {_fmt(price.value)}", f"that rent total less {price.text}", "$"))
    return out


def _fraction(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    if not roles["count"] or not re.search(r"\bhow many\b|\bis that\b|\bleft\b|\bremain", text, re.I):
        return []
    base = max(roles["count"], key=lambda q: q.value)
    cut = re.search(r"\b(?:cuts?|drops?|reduces?|brings?|falls?|goes)\b.{0,20}\bto\b|\bdown to\b", text, re.I)
    parts = [(f, f) for f in _fractions(text)] if cut else []
    parts += [(repr(p.value), p.text) for p in roles["percent"] if re.match(r"\s*of\b", text[p.end :])]
    return [Sum(f"{_fmt(base.value)} * {f}", f"{label} of {base.text}", "") for f, label in parts]


def _combined(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    spread = [(lo, hi) for lo, hi, unit, _ in ranges(text) if unit == "x"]
    asked = r"combin|together|overall|\btotal\b|\brange\b|\b(?:cost|price|total|overall) multiple\b"
    if not (spread and roles["multiple"] and re.search(asked, text, re.I)):
        return []
    other = roles["multiple"][0]
    lo, hi = spread[0]
    return [Sum(f"{_fmt(v)} * {_fmt(other.value)}", f"{_fmt(v)}x times {other.text}", "x") for v in (lo, hi)]


def _divided(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    price = (roles["unit_price"] + roles["money"] or [None])[0]
    divisors = [
        m for m in roles["multiple"] if not re.match(r"\s*(?:smaller|bigger|larger|more|as many)", text[m.end :])
    ]
    if price is None or not divisors or not re.search(r"cheaper|impl(?:y|ies|ied)", text, re.I):
        return []
    unit = "$/M tokens" if price.unit == "usd/mtok" else "$"
    return [Sum(f"{price.value!r} / {_fmt(m.value)}", f"{price.text} / {m.text}", unit) for m in divisors]


#: A ratio asked of two figures: "how many x", "how many times", "what multiple of", "ratio".
_HOW_MANY_TIMES = (
    r"\bhow many (?:x|times)\b|\bwhat multiple\b|\bratio\b|\bx (?:more|higher|the)\b|\btimes (?:more|the)\b"
)


def _per_unit(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    asked = re.search(
        r"\bper (?:concurrent |active |simultaneous )?(user|chip|gpu|accelerator|person|request|seat|token|server)\b",
        text,
        re.I,
    )
    if not (asked and roles["money"] and roles["count"]):
        return []
    money, count = roles["money"][0], roles["count"][0]
    each = f"{_fmt(money.value)} / {_fmt(count.value)}"
    out = [Sum(each, f"per {asked.group(1)} ({money.text} / {count.text})", "$")]
    other = roles["unit_price"][0] if roles["unit_price"] else None
    if other is not None and re.search(_HOW_MANY_TIMES, text, re.I):  # "... and how many x the $5k/chip figure?"
        what = f"per {asked.group(1)} ({money.text} / {count.text}) against {other.text}"
        out.append(Sum(f"{each} / {_fmt(other.value)}", what, "x"))
    return out


def _per_token(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    hourly = [q for q in roles["unit_price"] if q.unit == "usd/hour"]
    asked = re.search(r"\bper (?:mil(?:lion)?|m|1m)\s*tok(?:en)?s?\b|/\s*m\s*tok|\$/mtok", text, re.I)
    rates = [q for q in roles["rate"] if q.per == "accelerator"]  # "2500 tok/s per gpu", not per user
    if not (asked and hourly and len(rates) == 1 and len(roles["rate"]) == 1 and not roles["count"]):
        return []
    price, rate = hourly[0], rates[0]
    expr = f"{price.value!r} / ({_fmt(rate.value)} * 3600) * 1000000"  # digits only: "1e6" reads as a word
    return [Sum(expr, f"{price.text} / ({rate.text} x 3,600 s) per million tokens", "$/M tokens")]


def _product(text: str, roles: dict[str, list[Quantity]]) -> list[Sum]:
    asked = re.search(r"\bbill\b|\btotal\b|altogether|in all\b|combined|\bhow much\b", text, re.I)
    each = roles["unit_price"] + roles["rate"]
    if not (asked and each and roles["count"]):
        return []
    count, rate = max(roles["count"], key=lambda q: q.value), each[0]
    unit = "$" if rate.unit.startswith("usd") else rate.unit
    first = f"{_fmt(count.value)} * {_fmt(rate.value)}"
    out = [Sum(first, f"{count.text} x {rate.text}", unit)]
    if unit == "$" and re.search(r"\bthat many\b|\bthe same (?:number|count)\b", text, re.I):
        for other in roles["money"]:  # "... and what would that many chips cost at $40k?": another price each
            again = f"{_fmt(count.value)} * {_fmt(other.value)}"
            out.append(Sum(again, f"{count.text} x {other.text}", "$"))
            out.append(Sum(f"({again}) / ({first})", f"{count.text} x {other.text} against {rate.text}", "x"))
    return out


#: One figure of each kind, to test whether a question's sum lacks only a figure the passage would give.
_PROBES = ("$1", "1 GW", "1x", "1,000", "10%")


def waits_for_figure(text: str) -> bool:
    """Whether ``text`` states no sum by itself but would with one more figure (the one a podcast passage gives:
    "what revenue did he give, and if it grew 30% a year, what after 3 years?")."""
    return not stated_sums(text) and any(stated_sums(f"{probe}: {text}") for probe in _PROBES)
