"""Units the evals understand, and the quantities of free text in those units.

Numbers are read by the one quantities lexer (:func:`tools.quantities.lex`: magnitudes k, M, B, T and
the words, thousands separators, money, rates, percents); here each is put in the dimension an
expected figure names, in its base unit, so that "800 KiB", "819,200 bytes" and "0.82 MB" can be
compared with one expected figure. Signs are dropped (expected figures are magnitudes):

========================  ===============  =========================================
dimension                 base unit        written as
========================  ===============  =========================================
bytes                     B                B, bytes, KB/kB, KiB, MB, MiB, GB, GiB, TB, TiB
bytes_per_s               B/s              GB/s, TB/s
tokens_per_s              tokens/s         tokens/s, tok/s, tokens per second
usd_per_hour              $/hour           $2.28/hour, $2.28 per GPU-hour, USD/hr
usd_per_m_tokens          $/M tokens       $0.12/M tokens, $0.12 per million tokens, /Mtok
usd                       $                $47.06 billion, $70B, 1.2 million USD
percent                   %                30%, 30 percent
power                     W                W, kW, MW, GW
seconds                   s                s, sec, seconds, ms
ratio                     x                6x, 4.33×
energy                    Wh               kWh, MWh
count                     (none)           a bare number, tokens, params, years, or any other word
========================  ===============  =========================================

GB is 10^9 bytes and GiB 2^30; they are never conflated. A bare ``B`` after a number is
ambiguous ("70B" parameters vs "70 B" per token): both readings are returned. A plain number takes
a unit named earlier on its line ("tokens/s: 148.3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools import quantities as lexed

#: unit -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {
    "": ("count", 1.0),
    "requests": ("count", 1.0),
    "users": ("count", 1.0),
    "sequences": ("count", 1.0),
    "accelerators": ("count", 1.0),
    "GPUs": ("count", 1.0),
    "parameters": ("count", 1.0),
    "tokens": ("count", 1.0),
    "B": ("bytes", 1.0),
    "KB": ("bytes", 1e3),
    "KiB": ("bytes", 2.0**10),
    "MB": ("bytes", 1e6),
    "MiB": ("bytes", 2.0**20),
    "GB": ("bytes", 1e9),
    "GiB": ("bytes", 2.0**30),
    "TB": ("bytes", 1e12),
    "TiB": ("bytes", 2.0**40),
    "GB/s": ("bytes_per_s", 1e9),
    "TB/s": ("bytes_per_s", 1e12),
    "tokens/s": ("tokens_per_s", 1.0),
    "$/hour": ("usd_per_hour", 1.0),
    "$/M tokens": ("usd_per_m_tokens", 1.0),
    "$": ("usd", 1.0),
    "$M": ("usd", 1e6),
    "$B": ("usd", 1e9),
    "$T": ("usd", 1e12),
    "%": ("percent", 1.0),
    "W": ("power", 1.0),
    "kW": ("power", 1e3),
    "MW": ("power", 1e6),
    "GW": ("power", 1e9),
    "s": ("seconds", 1.0),
    "ms": ("seconds", 1e-3),
    "x": ("ratio", 1.0),
}

#: The lexer's unit (:mod:`tools.quantities`) -> (dimension, factor from the lexer's base value).
_FROM_LEXER: dict[str, tuple[str, float]] = {
    "": ("count", 1.0), "tokens": ("count", 1.0), "params": ("count", 1.0), "years": ("count", 1.0),
    "hours": ("count", 1.0), "year": ("count", 1.0),
    "usd": ("usd", 1.0), "usd/year": ("usd", 1.0), "usd/mw": ("usd", 1.0), "usd/kw-month": ("usd", 1.0),
    "usd/kwh": ("usd", 1.0), "usd/hour": ("usd_per_hour", 1.0), "usd/mtok": ("usd_per_m_tokens", 1.0),
    "fraction": ("percent", 100.0), "fraction/year": ("percent", 100.0),
    "bytes": ("bytes", 1.0), "bytes/s": ("bytes_per_s", 1.0), "W": ("power", 1.0), "Wh": ("energy", 1.0),
    "tokens/s": ("tokens_per_s", 1.0), "s": ("seconds", 1.0), "x": ("ratio", 1.0),
}  # fmt: skip
#: "70B" and "70 B/token": 70 billion, or 70 bytes.
_BARE_B = re.compile(r"[\d,.]+(?:e[+-]?\d+)?\s?B(?![A-Za-z])")
_UNIT_BEFORE = re.compile(
    r"(?P<u>tokens?/s|tok/s|tokens per second|\$/hour|\$/hr|\$/GPU-hour|\$/M tokens|\$/Mtok|TiB|GiB|MiB|KiB|TB|GB|MB|KB|bytes|%)"
)


@dataclass(frozen=True)
class Quantity:
    """A number found in text, converted to its dimension's base unit."""

    value: float
    dimension: str
    text: str
    start: int
    inferred_unit: bool = False

    def describe(self) -> str:
        return f"{self.text.strip()} (= {self.value:,.6g} {BASE_UNIT[self.dimension]})"


BASE_UNIT = {
    "count": "", "bytes": "B", "bytes_per_s": "B/s", "tokens_per_s": "tokens/s", "usd_per_hour": "$/hour",
    "usd_per_m_tokens": "$/M tokens", "usd": "$", "percent": "%", "power": "W", "seconds": "s", "ratio": "x",
    "energy": "Wh",
}  # fmt: skip


def _readings(text: str, q: lexed.Quantity) -> list[tuple[float, str, bool]]:
    """The (value, dimension, inferred) readings of one lexed quantity: signs dropped; a bare ``B`` read both
    ways; a plain number takes a unit named earlier on its line."""
    dim, factor = _FROM_LEXER[q.unit]
    value = abs(q.value) * factor
    if dim == "count" and q.magnitude == 1e9 and _BARE_B.match(q.text.lstrip("-")):
        return [(value, dim, False), (abs(float(q.digits.replace(",", ""))), "bytes", False)]
    if q.unit == "" and (inferred := _unit_before(text, q.start)):
        dim, factor = UNITS[inferred]
        return [(value * factor, dim, True)]
    return [(value, dim, False)]


def _unit_before(text: str, start: int) -> str | None:
    """A unit named earlier on the same line with no number in between ("tokens/s: 148.3")."""
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    last_digit = max((i for i, ch in enumerate(prefix) if ch.isdigit()), default=-1)
    prefix = prefix[last_digit + 1 :]
    found = list(_UNIT_BEFORE.finditer(prefix))
    if not found:
        return None
    unit = found[-1].group("u")
    aliases = {
        "tokens/s": "tokens/s", "token/s": "tokens/s", "tok/s": "tokens/s", "tokens per second": "tokens/s",
        "$/hour": "$/hour", "$/hr": "$/hour", "$/GPU-hour": "$/hour", "$/M tokens": "$/M tokens", "$/Mtok": "$/M tokens",
        "bytes": "B",
    }  # fmt: skip
    return aliases.get(unit, unit)


def quantities(text: str) -> list[Quantity]:
    """Every quantity reading in ``text``, read by the one lexer (a bare ``B`` suffix gives two readings)."""
    return [
        Quantity(value, dim, q.text, q.start, inferred)
        for q in lexed.lex(text)
        for value, dim, inferred in _readings(text, q)
    ]


def to_base(value: float, unit: str) -> tuple[float, str]:
    """``value`` in ``unit`` as (value in base unit, dimension)."""
    dim, factor = UNITS[unit]
    return value * factor, dim
