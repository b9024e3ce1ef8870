"""What an answer rests on, shown under each section: the defaults used, at most :data:`MAX_ASSUMPTIONS`
assumptions and :data:`MAX_SOURCES` short source names (the full lists stay in the tool result)."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Call


def clip(text: str, limit: int = 240) -> str:
    """Shorten at a space, so no figure is cut in half."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


#: At most this many assumptions and sources in the answer; the full lists stay in the tool result.
MAX_ASSUMPTIONS = 5


MAX_SOURCES = 4


_URL = re.compile(r"\(?\bhttps?://[^\s);,]+\)?|\bwww\.[^\s);,]+")


def _short(text: str, limit: int = 150) -> str:
    """Text without URLs, cut at a word boundary (never inside a URL or a figure)."""
    text = _URL.sub("", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s*[;,]\s*\)", ")", text)
    text = re.sub(r"\s*[;,]\s*$", "", text)
    text = " ".join(text.split()).replace(" ,", ",").replace(" )", ")").replace("… …", "…")
    return clip(text, limit)


def key_assumptions(call: Call, assumptions: list[str]) -> list[str]:
    """The assumptions worth reading in the answer: those about inputs the question did not give
    first (a calculator default such as ``pue = 1.3``), then the rest, at most :data:`MAX_ASSUMPTIONS`."""
    stated = set(call.args)

    def rank(a: str) -> int:
        name = re.match(r"\s*(\w+)\s*=", a)
        if name and name.group(1) in stated:
            return 2  # the question gave it: the assumption text only repeats the input
        return 0 if name else 1

    ordered = sorted(range(len(assumptions)), key=lambda i: (rank(assumptions[i]), i))
    return [_short(assumptions[i]) for i in ordered[:MAX_ASSUMPTIONS]]


def short_sources(sources: list[str]) -> list[str]:
    """Sources as short names: a URL as its host, other text to its first clause; no duplicates."""
    out: list[str] = []
    for s in sources:
        s = re.sub(r"^[^:]{2,60}:\s+(?=\S)", "", s, count=1) if not s.startswith("http") else s
        url = re.search(r"https?://([^/\s]+)", s)
        if url and s.strip().startswith("http"):
            name = url.group(1).removeprefix("www.")
            if "archive.org" in name:
                inner = re.search(r"https?://[^/]+/web/\d+/https?://([^/\s]+)", s)
                name = inner.group(1).removeprefix("www.") if inner else name
        else:
            name = _short(re.split(r"\s\(|;\s", s)[0], 70)
            if url and (len(name) < 12 or re.search(r"\b(?:at|via|from|in|on|see)$", name)):
                name = url.group(1).removeprefix("www.")  # "as transcribed at <url>": the host says more
        if name and name not in out:
            out.append(name)
        if len(out) >= MAX_SOURCES:
            break
    return out


def defaults_used(call: Call, result: dict[str, Any]) -> list[str]:
    """Inputs the result reports that the call did not give: the calculator's defaults."""
    inputs = result.get("inputs") or {}
    skip = {"model", "chip", "tokens_per_sequence", "sensitivity"}
    if call.name == "tco" and not inputs.get("model"):
        skip |= {"gpus", "batch", "prompt", "output", "weights_dtype"}  # the serving shape only matters with a model
    out = []
    for k, v in inputs.items():
        if k in call.args or v is None or isinstance(v, (list, dict, bool)) or k in skip:
            continue
        if isinstance(v, float):
            out.append(f"{k}={v:g}" if abs(v) < 1e5 else f"{k}={v:,.0f}")
        else:
            out.append(f"{k}={v}")
    return out


def once(shown: set[str], kind: str, text: str) -> bool:
    """True the first time ``text`` of this kind is shown in the answer."""
    key = f"{kind}:{text}"
    if key in shown:
        return False
    shown.add(key)
    return True
