"""Numbers with units as analysts type them: "12k", "10,000", "1.5M", "$0.08/kWh", "30%/yr".

Pure functions over the question text. Every value returned was written in the question;
nothing here supplies a default.
"""

from __future__ import annotations

import re

#: One number as typed: digits with optional thousands commas and decimals, an optional
#: k/M/B suffix ("12k", "1.5M", "10,000"). Group 1 = digits, group 2 = suffix.
NUMBER = r"(?<![a-z\d.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:\s?(k|m|b|bn|mm|thousand|million|billion)(?![a-z0-9]))?"
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9}


def to_number(digits: str, suffix: str | None = None) -> float:
    """``"12", "k"`` -> 12000.0; ``"10,000"`` -> 10000.0."""
    value = float(digits.replace(",", ""))
    return value * _SCALE.get((suffix or "").lower(), 1.0)


def as_int(value: float) -> int:
    """A token or unit count as an int (12k -> 12000)."""
    return int(round(value))


def first(pattern: str, text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` (``{N}`` stands for :data:`NUMBER`) in lower-cased ``text``."""
    return re.search(pattern.replace("{N}", NUMBER), text, flags=re.IGNORECASE)


def number_at(match: re.Match[str], group: int = 1) -> float:
    """The number captured by a ``{N}`` placeholder whose digits are group ``group``."""
    return to_number(match.group(group), match.group(group + 1))


def find_number(patterns: list[str], text: str) -> float | None:
    """The number from the first pattern that matches (each pattern holds one ``{N}``)."""
    for pattern in patterns:
        m = first(pattern, text)
        if m:
            return number_at(m)
    return None


def percent(patterns: list[str], text: str) -> float | None:
    """A percentage written as "30%" or "30 percent", returned as a fraction (0.3)."""
    value = find_number(patterns, text)
    return None if value is None else value / 100.0
