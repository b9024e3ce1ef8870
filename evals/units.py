"""Units the evals understand, and a parser that finds quantities in free text.

A quantity is a number with an optional magnitude suffix (k, M, B, T or the words thousand,
million, billion, trillion; thousands separators allowed) and a unit. Values are converted to
the base unit of their dimension so that "800 KiB", "819,200 bytes" and "0.82 MB" can be
compared with one expected figure:

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
count                     (none)           a bare number, or one followed by any other word
========================  ===============  =========================================

GB is 10^9 bytes and GiB 2^30; they are never conflated. A bare ``B`` after a number is
ambiguous ("70B" parameters vs "70 B" per token): both readings are returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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

_MAGNITUDE = {
    "k": 1e3, "K": 1e3, "thousand": 1e3,
    "M": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "bn": 1e9, "billion": 1e9, "billions": 1e9, "B": 1e9,
    "T": 1e12, "tn": 1e12, "trillion": 1e12,
}  # fmt: skip
_BYTE_FACTORS = {
    "TiB": 2.0**40, "GiB": 2.0**30, "MiB": 2.0**20, "KiB": 2.0**10, "kiB": 2.0**10,
    "TB": 1e12, "GB": 1e9, "MB": 1e6, "KB": 1e3, "kB": 1e3, "bytes": 1.0, "byte": 1.0, "B": 1.0,
}  # fmt: skip

_NUMBER = re.compile(r"(?<![\w.,])(?P<dollar>\$\s?)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)")
_SUFFIX = re.compile(r"\s?(?P<mag>thousand|millions?|billions?|trillion|mn|bn|tn|[kKMBT])(?![A-Za-z])")
_USD_WORD = re.compile(r"\s*(?:USD|US\$|dollars?)\b")
_PER_HOUR = re.compile(r"\s*(?:/|per|an?)\s*(?:(?:GPU|accelerator|chip|H100|device)s?[- ]?)?(?:hours?|hrs?|h)\b", re.I)
_PER_MTOK = re.compile(
    r"\s*(?:/|per)\s*(?:1\s*)?(?:M|million|mn)\s*(?:output\s+|input\s+)?(?:tokens?|tok)\b|\s*/\s*Mtok\b", re.I
)
_BW = re.compile(r"\s*(?P<u>TB|GB)\s*/\s*s\b")
_BYTES = re.compile(r"\s*(?P<u>TiB|GiB|MiB|KiB|kiB|TB|GB|MB|KB|kB|bytes?|B)(?![A-Za-z/])|\s*(?P<u2>B)(?=/)")
_TOKS = re.compile(r"\s*(?:tokens?|tok|t)\s*(?:/\s*s(?:ec(?:ond)?)?\b|per\s+sec(?:ond)?\b)", re.I)
_PERCENT = re.compile(r"\s*(?:%|percent\b|per\s?cent\b)")
_POWER = re.compile(r"\s*(?P<u>GW|MW|kW|KW|W)\b")
_TIME = re.compile(r"\s*(?P<u>ms|milliseconds?|s|secs?|seconds?)\b")
_RATIO = re.compile(r"\s*(?:x|×)(?![A-Za-z0-9])")
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
}  # fmt: skip


def _readings(text: str, m: re.Match[str]) -> list[tuple[float, str, int, bool]]:
    """Possible (value, dimension, end, inferred) readings of one number match."""
    value = float(m.group("num").replace(",", ""))
    dollar = bool(m.group("dollar"))
    pos = m.end()
    out: list[tuple[float, str, int, bool]] = []

    suffix = _SUFFIX.match(text, pos)
    if suffix:
        mag = suffix.group("mag")
        if mag == "B" and not dollar:
            # "70B": 70 billion (parameters) or 70 bytes; keep both readings.
            rest = _per_unit(text, suffix.end(), value, dollar=False, bytes_ok=False)
            out.append(rest if rest else (value * 1e9, "count", suffix.end(), False))
            out.append((value, "bytes", suffix.end(), False))
            return out
        value *= _MAGNITUDE[mag]
        pos = suffix.end()
    reading = _per_unit(text, pos, value, dollar=dollar, bytes_ok=True)
    if reading:
        return [reading]
    inferred = _unit_before(text, m.start())
    if inferred:
        dim, factor = UNITS[inferred]
        return [(value * factor, dim, pos, True)]
    return [(value, "count", pos, False)]


def _per_unit(
    text: str, pos: int, value: float, *, dollar: bool, bytes_ok: bool
) -> tuple[float, str, int, bool] | None:
    """The unit right after a number (and its suffix), if any."""
    usd = _USD_WORD.match(text, pos)
    if dollar or usd:
        end = usd.end() if usd else pos
        for pat, dim in ((_PER_HOUR, "usd_per_hour"), (_PER_MTOK, "usd_per_m_tokens")):
            hit = pat.match(text, end)
            if hit:
                return value, dim, hit.end(), False
        return value, "usd", end, False
    if hit := _BW.match(text, pos):
        return value * _BYTE_FACTORS[hit.group("u")], "bytes_per_s", hit.end(), False
    if bytes_ok and (hit := _BYTES.match(text, pos)):
        unit = hit.group("u") or hit.group("u2")
        return value * _BYTE_FACTORS[unit], "bytes", hit.end(), False
    if hit := _TOKS.match(text, pos):
        return value, "tokens_per_s", hit.end(), False
    if hit := _PERCENT.match(text, pos):
        return value, "percent", hit.end(), False
    if hit := _POWER.match(text, pos):
        return value * UNITS[hit.group("u").replace("KW", "kW")][1], "power", hit.end(), False
    if hit := _RATIO.match(text, pos):
        return value, "ratio", hit.end(), False
    if hit := _TIME.match(text, pos):
        return value * (1e-3 if hit.group("u").startswith("m") else 1.0), "seconds", hit.end(), False
    return None


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
    """Every quantity reading in ``text`` (a bare ``B`` suffix gives two readings)."""
    found = []
    for m in _NUMBER.finditer(text):
        for value, dim, end, inferred in _readings(text, m):
            found.append(Quantity(value, dim, text[m.start() : end], m.start(), inferred))
    return found


def to_base(value: float, unit: str) -> tuple[float, str]:
    """``value`` in ``unit`` as (value in base unit, dimension)."""
    dim, factor = UNITS[unit]
    return value * factor, dim
