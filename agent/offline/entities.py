"""Catalog names in free text: models, chips and companies, with the catalog's forgiving aliases.

``find_mentions("405b fp8 on 8xH100")`` finds Llama-3.1-405B and the H100 by scanning windows
of up to four words against every catalog name and alias (normalised the way
:func:`tools.catalog.find_model` normalises them), longest window first, with plurals
("h200s") and bare sizes ("70b") resolved by containment. A bare size that several models
share is returned with its candidates so the planner can pick within one family and say so,
or ask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from tools.capex_history import COMPANY_ALIASES
from tools.catalog import _normalise, accelerators, models

COMPANIES = ("Microsoft", "Alphabet", "Amazon", "Meta", "Oracle")  # the companies in capex.csv
#: Group names analysts use -> the capex-table companies they stand for. "Big 4" is the usual
#: hyperscaler capex set (Microsoft, Alphabet, Amazon, Meta); "big 3" the three public clouds;
#: "big 5" adds Oracle. Words without a number ("hyperscalers", "big tech") mean every company in
#: the table, and the planner says which set it used (:data:`UNNUMBERED_GROUPS`).
COMPANY_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\bbig\s*-?\s*(?:3|three)\b", ("Microsoft", "Alphabet", "Amazon")),
    (r"\bbig\s*-?\s*(?:4|four)\b", ("Microsoft", "Alphabet", "Amazon", "Meta")),
    (r"\bbig\s*-?\s*(?:5|five)\b", COMPANIES),
    (r"\bhyper\s*-?\s*scal\w*|\bbig tech\b|\ball of them\b|\bmag(?:nificent)?\s*7\b", COMPANIES),
)
UNNUMBERED_GROUPS = r"\bhyper\s*-?\s*scal\w*|\bbig tech\b|\ball of them\b|\bmag(?:nificent)?\s*7\b"

_WORD = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_MAX_WINDOW = 4


@dataclass
class Mention:
    """A catalog row named in the text: ``name`` is canonical, ``candidates`` lists every reading."""

    kind: str  # "model" | "chip"
    text: str
    start: int
    end: int
    candidates: list[str] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


@cache
def _index(kind: str) -> tuple[dict[str, str], tuple[tuple[str, frozenset[str]], ...]]:
    """(normalised name/alias -> canonical name, (canonical, words of its names) per row)."""
    rows = models() if kind == "model" else accelerators()
    exact: dict[str, str] = {}
    words = []
    for r in rows:
        labels = (r.name, *r.aliases)
        for label in labels:
            exact.setdefault(_normalise(label), r.name)
        words.append(
            (r.name, frozenset(_normalise(w) for label in labels for w in re.split(r"[\s\-_/(),]+", label) if w))
        )
    return exact, tuple(words)


def _resolve(kind: str, words: str) -> list[str]:
    """Canonical names ``words`` can mean: an exact name or alias, else rows with it as one word ("70b")."""
    exact, rows = _index(kind)
    norm = _normalise(words)
    tries = [norm] + ([norm[:-1]] if norm.endswith("s") else [])
    for q in tries:
        if q in exact:
            return [exact[q]]
    # Bare sizes and model words only when they hold a letter and a digit ("70b", "8b"):
    # plain words ("ultra", "the") would match far too much.
    for q in tries:
        if re.search(r"\d", q) and re.search(r"[a-z]", q):
            hits = [name for name, ws in rows if q in ws]
            # Several rows only for a size ("70b"); "llama2" alone names a family, not a model.
            if len(hits) == 1 or (hits and re.fullmatch(r"[\dx.]+b", q)):
                return hits
    return []


def find_mentions(text: str, kind: str) -> list[Mention]:
    """Every ``kind`` ("model" or "chip") named in ``text``, in order, longest alias first."""
    lower = text.lower()
    words = list(_WORD.finditer(lower))
    taken = [False] * len(words)
    found: list[Mention] = []
    for size in range(_MAX_WINDOW, 0, -1):
        for i in range(len(words) - size + 1):
            if any(taken[i : i + size]):
                continue
            start, end = words[i].start(), words[i + size - 1].end()
            span = lower[start:end]
            if size > 1 and not re.fullmatch(r"[a-z0-9.\-\s]+", span):
                continue
            cands = _index(kind)[0].get(_normalise(span)) or _one_letter_off(kind, span) if size > 1 else None
            cands = [cands] if cands else (_resolve_word(kind, span) if size == 1 else [])
            if cands:
                found.append(Mention(kind, text[start:end], start, end, cands))
                for j in range(i, i + size):
                    taken[j] = True
    found.sort(key=lambda m: m.start)
    return _dedupe(found)


def _one_letter_off(kind: str, words: str) -> str | None:
    """The one catalog model name or alias ``words`` misspells by one letter ("lama3.1 8b" -> Llama-3.1-8B), else
    None. The digits must be the same, in order: "llama 3.2" is never read as "llama 3.1"; a name of fewer than six
    characters, a window holding a one-letter word and chip names are never corrected."""
    norm = _normalise(words)
    if kind != "model" or len(norm) < 6 or not re.match(r"[a-z]", norm) or any(len(w) == 1 for w in words.split()):
        return None  # "tpu v6e x 8": a count's "x" is not a slip in the chip's name
    digits = re.sub(r"\D", "", norm)
    hits = {
        name for label, name in _index(kind)[0].items() if re.sub(r"\D", "", label) == digits and _one_edit(norm, label)
    }
    return hits.pop() if len(hits) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` differ by exactly one inserted, deleted or replaced character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = next((k for k in range(len(a)) if a[k] != b[k]), len(a))
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _resolve_word(kind: str, word: str) -> list[str]:
    word = word.strip(".-")
    if len(word) < 2 or word.isdigit():
        return []
    return _resolve(kind, word)


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if not any(o.candidates == m.candidates for o in out):
            out.append(m)
    return out


def find_companies(text: str) -> list[str]:
    """Companies named in ``text`` (capex table names), in the order first named; a numbered group ('big 4' ->
    Microsoft, Alphabet, Amazon, Meta) with any company named besides it; else an unnumbered group
    ('hyperscalers' -> all five, see :data:`COMPANY_GROUPS`)."""
    lower = text.lower()
    found: list[str] = []
    for word in re.findall(r"[a-z]+", lower):
        name = COMPANY_ALIASES.get(word)
        if name and name not in found:
            found.append(name)
    for pattern, names in COMPANY_GROUPS:
        numbered = pattern != UNNUMBERED_GROUPS
        if re.search(pattern, lower) and (numbered or not found):
            # "big 4 combined capex (msft fiscal year)": the group, with any company named besides it
            return list(names) + [n for n in found if n not in names]
    return found


def family(name: str) -> str:
    """The family prefix of a catalog model name: 'Llama-3.1-70B' -> 'llama'."""
    return re.split(r"[^a-z]", name.lower(), maxsplit=1)[0]


_MODEL_WORDS = (
    r"llama|lama|mistral|mixtral|qwen|gemma|deepseek|gpt|opt|phi|falcon|claude|grok|command[- ]r|yi|olmo|nemotron|kimi|"
    r"granite|dbrx|jamba|palm|gemini"
)
_UNKNOWN_MODEL = re.compile(
    rf"\b(?:{_MODEL_WORDS})(?:[\s\-]*(?:v?\d[\w.]*|[a-z]?\d+[a-z]*|instruct|chat|base|mini|pro|turbo|oss))*", re.I
)
_UNKNOWN_CHIP = re.compile(
    r"\b(?:[hbagl]\d{2,3}[a-z]*|gb\d{3}|mi\s?\d{3}[a-z]*|tpu\s?v?\d+[a-z]*|rtx\s?\d{4}\w*|[3-5]0[6-9]0(?:\s?ti)?|v100|t4|a10g?|l40s?|gaudi\s?\d|"
    r"trainium\s?\d|inferentia\s?\d|maia\s?\d*|mtia\w*|ascend\s?\d{3}\w*|wse-?\d\w*|kunlun\w*|mlu\s?\d{3}\w*|sn\d{2}\w*)\b",
    re.I,
)


def unknown_names(text: str, kind: str, known: list[Mention]) -> list[str]:
    """Phrases that look like a model ("llama 5") or chip ("h300", "rtx 4090") but match no catalog row.

    The planner passes them to the calculator as written, so the answer is the calculator's
    error naming the field with the closest catalog names, never a silent substitute.
    """
    pattern = _UNKNOWN_MODEL if kind == "model" else _UNKNOWN_CHIP
    out = []
    for m in pattern.finditer(text):
        if any(k.start <= m.start() < k.end or m.start() <= k.start < m.end() for k in known):
            continue
        phrase = m.group(0).strip(" -")
        if kind == "model" and not re.search(r"\d", phrase):
            continue  # a bare family word ("llama") is handled as an ambiguity, not an unknown name
        out.append(phrase)
    return out


def drop_versioned_sizes(text: str, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` without a bare size ("70b") that stands inside a model phrase with a version the catalog
    does not have ("llama-9 70b"): that phrase is an unknown model (:func:`unknown_names`), never the
    catalog's 70B of another version."""
    out = []
    for m in mentions:
        phrase = next((u for u in _UNKNOWN_MODEL.finditer(text) if u.start() <= m.start and m.end <= u.end()), None)
        if phrase is not None and re.fullmatch(r"[\dx.]+b", m.text.lower()):
            rest = (text[phrase.start() : m.start] + text[m.end : phrase.end()]).strip(" -")
            if re.search(r"\d", rest):
                continue
        out.append(m)
    return out
