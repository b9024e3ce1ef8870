"""Quantities as analysts write them: numbers with magnitudes, units and rates, found in free text.

One lexer for the whole code base. :func:`lex` returns every quantity in a text, each converted
to its unit's base so that "96e9 bytes" and "96 GB" compare equal:

==================  ===============================  =============================================
unit                base value                       written as
==================  ===============================  =============================================
``""``              a plain count                    12k, 1.5M, 1,024, 65e9, 8x (before a name)
``usd``             US dollars                       $240k, $1.5M, $300B, 200 dollars, 7 cents
``usd/hour``        USD per (accelerator-)hour       $1.85/GPU-hr, $2 per hour, $2.20 an hour
``usd/kwh``         USD per kWh                      $0.07/kWh, 7c/kWh, 7 cents per kWh
``usd/mtok``        USD per million tokens           $2.5/M tokens, $3 per million tokens, $1/Mtok, $60/mil
``usd/year``        USD per year                     $1.5M/yr, $1.5M a year
``usd/mw``          USD per MW                       $11.7M per MW, $11/W (= $11M per MW)
``usd/kw-month``    USD per kW-month                 $150/kW-month
``fraction``        a fraction (30% = 0.3)           30%, 30 percent
``fraction/year``   a fraction per year              18%/yr, 25% a year, 25% yoy, 30% CAGR
``bytes``           bytes (GB = 1e9, GiB = 2^30)     96e9 bytes, 192 GB, 80 GiB, 1.5 TB
``bytes/s``         bytes per second                 3.35 TB/s
``W``               watts                            700 W, 12 kW, 500 MW, 1 GW, 2 gigawatts
``tokens``          tokens                           32k ctx, 32768 tokens, 8k context
``tokens/s``        tokens per second                25 tok/s, 1,000 tokens per second, 40 tps
``params``          parameters                       65e9 params, 70B parameters
``years``           a duration in years              4 years, 4-year, 5 yrs
``hours``           a duration in hours              8,760 hours
``s``               seconds                          200 ms, 2 seconds, 0.5 s, 40 us
``x``               a multiplier                     10x, 2.5×
``year``            a calendar year                  in 2027, through 2030, 2024=100
==================  ===============================  =============================================

Spelled-out counts with a magnitude ("fifty million") are read too. Magnitudes: k/K/thousand,
M/m/mn/mm/million(s), B/b/bn/billion(s), T/tn/trillion(s) (B is always
billion; bytes are spelled out or written KB/MB/GB/TB). A rate's denominator is kept: "$240k
per 8-GPU server" is ``usd`` with ``per="server"`` and ``per_count=8``. Each quantity also keeps the
number as written (``digits``, e.g. "2.1", and ``magnitude``, e.g. 1e6 for "2.1M"): ``figure`` is that
number before any unit conversion ("405.9 GB" -> 405.9), for callers that treat unit words as labels
(``calculate``) or weigh the rounding the digits show (the grounding check).

Two readings of the same thing count once:

* the exact form wins over a rounded one beside it: "32k ctx (32768 tokens)" is one quantity of
  32768 tokens whose ``rounded`` is 32000;
* "9,000 tokens (1k answer + 8k thinking)" is one quantity of 9,000 tokens with ``parts``
  (1000, 8000): a total, not three inputs.

Pure functions, no catalog: a caller that knows names ("llama 3.1 70b", "h100") passes their
spans in ``skip`` so the digits inside them are not read. Digits glued to letters ("h100",
"fp8", "FY24", "4-bit") are never quantities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

_MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
    "t": 1e12, "tn": 1e12, "trillion": 1e12, "millions": 1e6, "billions": 1e9, "trillions": 1e12,
}  # fmt: skip
_BYTES = {"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12, "pb": 1e15, "kib": 2.0**10, "mib": 2.0**20, "gib": 2.0**30,
          "tib": 2.0**40, "bytes": 1.0, "byte": 1.0}  # fmt: skip
_WATTS = {"w": 1.0, "watt": 1.0, "watts": 1.0, "kw": 1e3, "kilowatt": 1e3, "kilowatts": 1e3, "mw": 1e6,
          "megawatt": 1e6, "megawatts": 1e6, "gw": 1e9, "gigawatt": 1e9, "gigawatts": 1e9}  # fmt: skip

#: A number as typed: optional sign, thousands commas, decimals, exponent ("-2048", "1,024", "96e9", ".5").
#: A minus sign is attached to its number ("-2048", "=- 2048" after "=" or ":"); a dash set apart by spaces
#: ("8x h100 - 80GB each", "5% - 10%") is punctuation.
_NUMBER = re.compile(
    r"(?P<sign>(?:(?<=[=:])\s?|(?<![\w.,\s]))-\s?|(?<=\s)-)?(?:(?P<cur>\$\s?)(?P<sign2>-\s?)?)?"
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?P<exp>e[+-]?\d{1,3}(?![a-z]))?",
    re.I,
)
_MAG = re.compile(r"\s?(?P<mag>thousand|millions?|billions?|trillions?|mn|mm|bn|tn|[kmbt])(?![a-z0-9])", re.I)
_RATE_TAIL = r"(?:\s*(?:/|per|an?|each)\s*)"
_PER = re.compile(
    _RATE_TAIL + r"(?:(?P<n>\d+)\s*-?\s*(?:x\s*)?(?:gpus?|accelerators?|chips?|cards?)\s*-?\s*)?"
    r"(?P<per>gpu|accelerator|chip|card|xpu|server|box|node|system|rack|query|queries|request|stream|replica|user|answer|"
    r"month|mo|year|yr|hour|hr|day|second|sec|generation|gen|step)s?\b",
    re.I,
)
_PER_WORDS = {"queries": "query", "mo": "month", "yr": "year", "hr": "hour", "sec": "second", "gen": "generation",
              "box": "server", "node": "server", "system": "server", "card": "accelerator", "chip": "accelerator",
              "gpu": "accelerator", "xpu": "accelerator"}  # fmt: skip
#: (unit, pattern right after the number and magnitude, multiplier or None = from a table)
_MONEY_RATES = (
    ("usd/hour", r"\s*(?:/|per|an?)\s*(?:(?:gpu|accelerator|chip|card)s?[- ]?)?(?:hours?|hrs?|h)\b"),
    ("usd/kwh", r"\s*(?:/|per|a)\s*kwh\b"),
    (
        "usd/mtok",
        r"\s*(?:/|per|a)\s*(?:(?:1\s*)?m|one million|a million|million|mn|mil)\s*(?:(?:output|input|generated)\s+)?"
        r"(?:tokens?|toks?)\b|\s*/\s*mtok\b|\s*/\s*mil\b(?!\s*(?:gpus?|users?|quer|req|\$))"
        r"|\s*(?:/|per)\s*(?:1\s*)?m\s+(?=(?:input|output|prompt|completion)\b)",
    ),
    ("usd/mw", r"\s*(?:/|per|a)\s*mw\b"),
    ("usd/kw-month", r"\s*(?:/|per|a)\s*kw[- /]?(?:per\s*)?(?:month|mo)\b"),
    ("usd/year", r"\s*(?:/\s*(?:yr|year)|per (?:year|yr|annum)|a year|an?nually|/\s*y)\b"),
)
#: "$11/W", "$12 per watt": USD per watt, read as USD per MW (x 10^6).
_PER_WATT = re.compile(r"\s*(?:/|per|a)\s*(?:w|watts?)\b", re.I)
_CURRENCY_WORDS = re.compile(r"\s*(?:usd|dollars?|bucks?)\b", re.I)
_CENTS = re.compile(r"\s*(?:c|cents?|¢)(?![a-z])", re.I)
_POWER_OF_TWO_BYTES = re.compile(r"\s*[x×*]\s*2\s*(?:\^|\*\*)\s*(\d{1,2})\s*(?:bytes?|b)\b", re.I)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s?cent\b|pct\b)", re.I)
_PER_YEAR = re.compile(r"\s*(?:/\s*(?:yr|year)|a year|per year|per annum|annual(?:ly)?|yoy|y/y|cagr|a yr)\b", re.I)
_UNIT_WORDS = (
    ("bytes/s", re.compile(r"\s*(?P<u>[kmgtp]i?b)\s*/\s*s\b", re.I), None),
    ("bytes", re.compile(r"\s*-?(?P<u>[kmgtp]i?b|bytes?)(?![a-z0-9/])", re.I), _BYTES),
    ("energy", re.compile(r"\s*(?P<u>[kmg]?wh)\b", re.I), None),
    ("W", re.compile(r"\s*-?(?P<u>[kmg]?w|watts?|kilowatts?|megawatts?|gigawatts?)(?![a-z0-9])", re.I), _WATTS),
    (
        "tokens/s",
        re.compile(
            r"\s*(?:(?:output|input|generated|decode|prefill|aggregate|total)\s+)?"  # "12k output tok/s"
            r"(?:tok(?:en)?s?\s*/\s*s(?:ec)?|tok(?:en)?s? (?:per|a) sec(?:ond)?|tps)\b",
            re.I,
        ),
        None,
    ),
    ("tokens", re.compile(r"\s*-?(?:tokens?|toks?|tkns?|ctx|context)\b", re.I), None),
    ("params", re.compile(r"\s*(?:params?|parameters?)\b", re.I), None),
    ("years", re.compile(r"\s*-?(?:years?|yrs?)\b(?!\s*/)", re.I), None),
    ("hours", re.compile(r"\s*(?:hours?|hrs?)\b", re.I), None),
    ("s", re.compile(r"\s*(?P<u>ms|milliseconds?|us|µs|microseconds?|seconds?|secs?|s)(?![\w/])", re.I), None),
)
_EXP_BYTES = re.compile(r"\s?-?b(?![a-z0-9/])", re.I)
_NAME_X = re.compile(r"\s*[x×]\s*(?=[a-z]*\d|tpus?\b|gpus?\b|accelerators?\b|chips?\b|cards?\b)", re.I)
_RATIO = re.compile(r"\s*[x×](?![a-z0-9])", re.I)
_YEAR_CONTEXT = re.compile(
    r"(?:\b(?:in|through|thru|until|till|by|from|to|since|before|after|vs\.?|and|between|of|year|fy|end|what'?s|what is)"
    r"\s*'?|[,(]\s*|"
    r"\b(?:19|20)\d\d\s?-\s?)$",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A quantity found in text. ``value`` is in the base of ``unit`` (see the module table)."""

    value: float
    unit: str
    text: str
    start: int
    end: int
    per: str | None = None  # the rate's denominator: "accelerator", "server", "query", "year", ...
    per_count: int | None = None  # "per 8-GPU server" -> 8
    rounded: float | None = None  # a rounded form written beside the exact one ("32k" beside 32768)
    parts: tuple[float, ...] = field(default_factory=tuple)  # "9,000 tokens (1k + 8k)" -> (1000, 8000)
    digits: str = ""  # the number as typed: "2.1" of "$2.1M", "1,300", "96e9"
    magnitude: float = 1.0  # the magnitude written after it: 1e6 for "2.1M", 1 for "405.9 GB"

    @property
    def figure(self) -> float:
        """The number as written with its magnitude, before any unit conversion: "405.9 GB" -> 405.9,
        "$2.1M" -> 2.1e6, "7c/kWh" -> 7, "-2048" -> -2048."""
        if not self.digits:
            return self.value
        number = float(self.digits.replace(",", "")) * self.magnitude
        return -number if self.value < 0 else number


def _magnitude(text: str, pos: int, exponent: bool = False) -> tuple[float, int]:
    """The magnitude suffix at ``pos`` and where it ends (1 when none, or when it starts a unit: "12 kW",
    "5 mb", "1 TB"). After an exponent a lone "B" is bytes, not billion: "80e9 B" is 80e9 bytes."""
    m = _MAG.match(text, pos)
    if not m:
        return 1.0, pos
    if exponent and m.group("mag").lower() == "b":
        return 1.0, pos
    if re.match(r"\s?(?:[kmgt]i?b\b|[kmg]w|[kmg]wh|ms\b)", text[pos:], re.I):
        return 1.0, pos
    return _MAGNITUDES[m.group("mag").lower()], m.end()


def _money(text: str, pos: int, value: float, dollar: bool) -> tuple[str, float, int] | None:
    """A money unit after the number: ``$...`` or a currency word or cents, with a rate if one follows."""
    end = pos
    if not dollar:
        if (c := _CENTS.match(text, pos)) is not None:
            value, end, dollar = value / 100.0, c.end(), True
        elif (w := _CURRENCY_WORDS.match(text, pos)) is not None:
            end, dollar = w.end(), True
    if not dollar:
        return None
    for unit, pattern in _MONEY_RATES:
        if (hit := re.match(pattern, text[end:], re.I)) is not None:
            return unit, value, end + hit.end()
    if (hit := _PER_WATT.match(text, end)) is not None:
        return "usd/mw", value * 1e6, hit.end()  # "$11/W" of a campus = $11M per MW
    return "usd", value, end


def _seconds(unit: str) -> float:
    """Seconds in one ``unit``: ms/millisecond 1e-3, us/µs/microsecond 1e-6, s/sec/second 1."""
    if unit in ("us", "µs") or unit.startswith("micro"):
        return 1e-6
    return 1e-3 if unit.startswith("m") else 1.0


def _plain_unit(text: str, pos: int, value: float) -> tuple[str, float, int] | None:
    """A non-money unit after the number."""
    if (p := _POWER_OF_TWO_BYTES.match(text, pos)) is not None:
        return "bytes", value * 2 ** int(p.group(1)), p.end()  # "80 x 2^30 bytes": 80 GiB in bytes
    if (p := _PERCENT.match(text, pos)) is not None:
        rate = _PER_YEAR.match(text, p.end())
        return ("fraction/year", value / 100, rate.end()) if rate else ("fraction", value / 100, p.end())
    for unit, pattern, table in _UNIT_WORDS:
        m = pattern.match(text, pos)
        if m is None:
            continue
        if unit == "bytes/s":
            return unit, value * _BYTES[m.group("u").lower()], m.end()
        if unit == "energy":
            return "Wh", value * _WATTS[m.group("u").lower()[:-1] or "w"], m.end()
        if unit == "s":
            return unit, value * _seconds(m.group("u").lower()), m.end()
        if table is not None:
            return unit, value * table[m.group("u").lower()], m.end()
        if unit == "tokens" and (rate := re.match(r"\s*(?:/\s*s(?:ec)?|per sec(?:ond)?)\b", text[m.end() :], re.I)):
            return "tokens/s", value, m.end() + rate.end()
        return unit, value, m.end()
    if _NAME_X.match(text, pos):
        return "", value, pos  # "8x H100", "8 x gpus": a count of what follows
    if (r := _RATIO.match(text, pos)) is not None:
        return "x", value, r.end()
    return None


def _per(text: str, pos: int) -> tuple[str | None, int | None, int]:
    m = _PER.match(text, pos)
    if not m:
        return None, None, pos
    word = m.group("per").lower()
    return _PER_WORDS.get(word, word), int(m.group("n")) if m.group("n") else None, m.end()


def _is_year(text: str, m: re.Match[str], value: float) -> bool:
    if m.group("cur") or m.group("exp") or "," in m.group("num") or "." in m.group("num") or not 2000 <= value <= 2100:
        return False
    if re.match(
        r"\s*-?(?:out(?:put)?|in(?:put)?(?!\s*(?:19|20)\d\d)|prompt|tok(?:en)?s?|ctx|context)\b", text[m.end() :], re.I
    ):
        return False  # "8000 in 2000 out": a token count, not a year
    return bool(_YEAR_CONTEXT.search(text[: m.start()])) or bool(
        re.match(r"\s*(?:=|vs\b|to\b|-\s*20\d\d)", text[m.end() :])
    )


def _glued(text: str, m: re.Match[str]) -> bool:
    """Digits inside a name or format: 'h100', 'fp8', 'llama-3.1', '4-bit', 'q3', '2nd'."""
    start = m.start("num")
    before = text[max(0, start - 1) : start]
    if not m.group("cur") and before and (before.isalpha() or before in "_"):
        return True
    if not m.group("cur") and before == "-" and re.search(r"[a-z\d]-$", text[max(0, start - 2) : start], re.I):
        return not re.search(
            r"(?<![\w.])(?:19|20)\d\d-$", text[max(0, start - 6) : start]
        )  # "llama-3.1-70b", not "2025-2029"
    after = text[m.end() : m.end() + 8]
    return bool(re.match(r"(?:-|\s)?bits?\b|(?:st|nd|rd|th)\b|(?!x)[a-z]+\d", after, re.I))


def _one(text: str, m: re.Match[str]) -> Quantity | None:
    if _glued(text, m):
        return None
    value = float(m.group("num").replace(",", "") + (m.group("exp") or ""))
    negative = bool(m.group("sign") or m.group("sign2"))
    dollar = bool(m.group("cur"))
    year = _is_year(text, m, value)
    pos, magnitude = m.end(), 1.0
    if not year:
        magnitude, pos = _magnitude(text, pos, exponent=bool(m.group("exp")))
        value *= magnitude
    found = _money(text, pos, value, dollar) or (None if year else _plain_unit(text, pos, value))
    if found is None and m.group("exp") and (b := _EXP_BYTES.match(text, pos)):
        found = ("bytes", value, b.end())  # "141e9 B each": bytes (see _magnitude)
    unit, value, pos = found if found else ("year" if year else "", value, pos)
    per, per_count, end = _per(text, pos) if unit not in ("year",) else (None, None, pos)
    value = -value if negative else value
    return Quantity(
        value=value,
        unit=unit,
        text=text[m.start() : end].strip(),
        start=m.start(),
        end=end,
        per=per,
        per_count=per_count,
        digits=m.group("num") + (m.group("exp") or ""),
        magnitude=magnitude,
    )


def _exact_forms(text: str, found: list[Quantity]) -> list[Quantity]:
    """Merge "32k ctx (32768 tokens)" into one exact quantity, and "N tokens (a + b)" into a total with parts."""
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        inner = _bracketed(text, q, found[i + 1 :])
        if inner:
            if len(inner) == 1 and _same(q, inner[0]):
                exact, rounded = (inner[0], q) if _digits(inner[0].text) >= _digits(q.text) else (q, inner[0])
                unit = q.unit or inner[0].unit
                out.append(
                    replace(
                        exact,
                        unit=unit,
                        rounded=rounded.value,
                        start=q.start,
                        end=inner[0].end,
                        text=text[q.start : _close_paren(text, inner[0].end)],
                    )
                )
                i += 2
                continue
            total = sum(p.value for p in inner)
            if len(inner) > 1 and math.isclose(total, q.value, rel_tol=0.01):
                out.append(
                    replace(
                        q, parts=tuple(p.value for p in inner), text=text[q.start : _close_paren(text, inner[-1].end)]
                    )
                )
                i += 1 + len(inner)
                continue
        out.append(q)
        i += 1
    return out


def _bracketed(text: str, q: Quantity, rest: list[Quantity]) -> list[Quantity]:
    """The quantities inside a parenthesis that opens right after ``q`` (nothing else numeric between)."""
    m = re.match(r"\s*(?:\w+\s*){0,2}\(", text[q.end :])
    if not m:
        return []
    close = text.find(")", q.end + m.end())
    if close < 0:
        return []
    return [r for r in rest if q.end + m.end() <= r.start < close]


def _close_paren(text: str, pos: int) -> int:
    close = text.find(")", pos)
    return close + 1 if close >= 0 else pos


def _same(a: Quantity, b: Quantity) -> bool:
    compatible = a.unit == b.unit or "" in (a.unit, b.unit)
    return compatible and a.value != 0 and math.isclose(a.value, b.value, rel_tol=0.05)


def _digits(text: str) -> int:
    m = re.search(r"[\d,.]+(?:e[+-]?\d+)?", text)
    return len(re.sub(r"[^\d]", "", m.group(0)).rstrip("0")) if m else 0


_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100,
}  # fmt: skip
#: A spelled-out count with a magnitude ("fifty million"); "a million" is a figure of speech, not read.
_WORDS = re.compile(r"\b(?P<n>" + "|".join(_WORD_VALUES) + r")\s+(?P<mag>thousand|million|billion|trillion)\b", re.I)
#: Power said in words: "a gigawatt", "half a gigawatt", "two megawatts" (not "$10M a megawatt", a rate).
_SPELLED_POWER = re.compile(
    r"\b(?P<n>half an?|an?|" + "|".join(_WORD_VALUES) + r")\s+(?P<u>(?:giga|mega|kilo)watts?)\b", re.I
)
_POWER_WORD_VALUES = {"a": 1.0, "an": 1.0, "half a": 0.5, "half an": 0.5}


def _spelled(text: str) -> list[Quantity]:
    out = []
    for m in _WORDS.finditer(text):
        number, magnitude = _WORD_VALUES[m.group("n").lower()], _MAGNITUDES[m.group("mag").lower()]
        out.append(
            Quantity(
                value=number * magnitude,
                unit="",
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                digits=str(number),
                magnitude=magnitude,
            )
        )
    for m in _SPELLED_POWER.finditer(text):
        if re.search(r"[\d$][\w.,]*\s*$", text[max(0, m.start() - 12) : m.start()]):
            continue  # "$10M a megawatt": a rate's denominator, not a power
        word = " ".join(m.group("n").lower().split())
        power = _POWER_WORD_VALUES.get(word) or float(_WORD_VALUES[word])
        scale = _WATTS[m.group("u").lower()]
        out.append(Quantity(value=power * scale, unit="W", text=m.group(0), start=m.start(), end=m.end(),
                            digits=f"{power:g}", magnitude=scale))  # fmt: skip
    return out


def lex(
    text: str, skip: list[tuple[int, int]] | tuple[tuple[int, int], ...] = (), *, merge: bool = True
) -> list[Quantity]:
    """Every quantity in ``text``, in order (see the module docstring). ``skip``: spans of names to ignore.
    ``merge=False`` keeps "32k (32768)" and "9,000 (1k + 8k)" as the separate numbers written (arithmetic)."""
    found: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        if any(s <= m.start("num") < e for s, e in skip) or (found and m.start() < found[-1].end):
            continue  # inside a name, or inside the last quantity's rate ("per 8-GPU server")
        q = _one(text, m)
        if q is not None:
            found.append(q)
    found += [w for w in _spelled(text) if not any(s <= w.start < e for s, e in skip)]
    found.sort(key=lambda q: q.start)
    return _exact_forms(text, found) if merge else found


def read_number(text: str, units: tuple[str, ...] = ("",)) -> float | None:
    """The value of ``text`` when the whole of it is one quantity in one of ``units`` ("128k" -> 128000.0,
    "1.5M" -> 1.5e6, "-2048" -> -2048.0, "80%" -> 0.8 with ``units=("fraction",)``), else None ("abc",
    "2 x 3", "12 GB" when bytes are not allowed)."""
    stripped = text.strip()
    found = lex(stripped)
    if len(found) != 1:
        return None
    q = found[0]
    if q.unit not in units or q.start != 0 or q.end < len(stripped.rstrip()):
        return None
    return q.value


# --- formatting (the inverse of lex, for round trips and restating an input) -----------------


def _short(value: float, sig: int = 4) -> str:
    """``value`` with a k/M/B/T suffix and at most ``sig`` significant digits ("12k", "1.5M")."""
    mag = abs(value)
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if mag >= scale:
            return f"{value / scale:.{sig}g}{suffix}"
    return f"{value:.{sig}g}"


def format_quantity(value: float, unit: str) -> str:
    """``value`` (in the base of ``unit``) written the way an analyst would, readable by :func:`lex`."""
    writers = {
        "": lambda v: _short(v),
        "usd": lambda v: f"${_short(v)}",
        "usd/hour": lambda v: f"${v:.4g}/GPU-hr",
        "usd/kwh": lambda v: f"{v * 100:.4g}c/kWh" if v < 1 else f"${v:.4g}/kWh",
        "usd/mtok": lambda v: f"${v:.4g}/M tokens",
        "usd/year": lambda v: f"${_short(v)}/yr",
        "usd/mw": lambda v: f"${_short(v)} per MW",
        "usd/kw-month": lambda v: f"${v:.4g}/kW-month",
        "fraction": lambda v: f"{v * 100:.4g}%",
        "fraction/year": lambda v: f"{v * 100:.4g}%/yr",
        "bytes": lambda v: f"{v / 1e9:.4g} GB" if v >= 1e6 else f"{v:.4g} bytes",
        "bytes/s": lambda v: f"{v / 1e12:.4g} TB/s",
        "W": lambda v: f"{v / 1e3:.4g} kW" if v < 1e6 else f"{v / 1e6:.4g} MW",
        "Wh": lambda v: f"{v / 1e3:.4g} kWh",
        "tokens": lambda v: f"{_short(v)} tokens",
        "tokens/s": lambda v: f"{v:.4g} tok/s",
        "params": lambda v: f"{v:.4g} params",
        "years": lambda v: f"{v:.4g} years",
        "hours": lambda v: f"{v:.4g} hours",
        "s": lambda v: f"{v * 1e3:.4g} ms" if v < 1 else f"{v:.4g} seconds",
        "x": lambda v: f"{v:.4g}x",
        "year": lambda v: f"in {int(v)}",
    }
    return writers[unit](value).replace("e+", "e")


#: Every unit :func:`lex` returns (the keys of :func:`format_quantity`'s writers).
UNITS = (
    "",
    "usd",
    "usd/hour",
    "usd/kwh",
    "usd/mtok",
    "usd/year",
    "usd/mw",
    "usd/kw-month",
    "fraction",
    "fraction/year",
    "bytes",
    "bytes/s",
    "W",
    "Wh",
    "tokens",
    "tokens/s",
    "params",
    "years",
    "hours",
    "s",
    "x",
    "year",
)
