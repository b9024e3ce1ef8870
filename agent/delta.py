"""The delta line of a follow-up: this turn's headline figure against the previous turn's, and the ratio.

"and at fp8?" after a KV-cache question: ``**Change:** 41.94 GB vs 83.89 GB KV cache in total
(kv_dtype fp8, was bf16): 0.5x``. Both figures are tool results (this turn's and the previous
turn's, kept in the conversation store); the ratio is new / old. A scenario is compared with
the previous scenario of the same calculator that differs in the fewest inputs (one to
:data:`MAX_CHANGED`); none when nothing comparable was computed before. Used by
:func:`agent.ask.ask` for the offline planner and language models alike.
"""

from __future__ import annotations

import json
from typing import Any

from agent.answer import ToolCallRecord
from agent.render.figures import figure
from agent.render.scenarios import Scenario, scenarios, value_text

#: Most inputs that may differ for two results to be "the same calculation, changed".
MAX_CHANGED = 3
#: The figure a change is told in, per calculator (the first present in both results).
HEADLINE: dict[str, tuple[tuple[str, str], ...]] = {
    "kv_cache": (("total_bytes", "KV cache in total"), ("bytes_per_token", "KV bytes per token")),
    "memory_fit": (("max_concurrent_sequences", "requests at peak"), ("min_accelerators", "accelerators at least")),
    "throughput": (
        ("decode_tokens_per_s_per_accelerator", "tokens/s per accelerator"),
        ("decode_tokens_per_s", "tokens/s"),
    ),
    "tco": (("cost_per_million_tokens", "per million tokens"), ("cost_per_accelerator_hour", "per accelerator-hour")),
    "buildout": (("total_capex_usd", "capex"), ("accelerators", "accelerators")),
    "capex": (("cumulative_usd_b", "cumulative capex"),),
}
_IGNORED = {"sensitivity"}


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _changed(new: Scenario, old: Scenario) -> list[str]:
    keys = (set(new.inputs) | set(old.inputs)) - _IGNORED
    changed = sorted(k for k in keys if _key(new.inputs.get(k)) != _key(old.inputs.get(k)))
    if "chip" in changed:  # a chip's catalog price and power follow the chip
        changed = [k for k in changed if k not in ("capex_per_accelerator", "power_kw") or k in new.stated]
    return changed


def _ratio(new: float, old: float) -> str:
    """'2.0x', '4.7x', '0.50x', '0.18x' (none when the old figure is 0)."""
    if not old:
        return ""
    r = new / old
    return f"{r:.1f}x" if abs(r) >= 1 else f"{r:.2f}x"


def _what(new: Scenario, old: Scenario, changed: list[str]) -> str:
    return ", ".join(f"{k} {value_text(k, new.inputs.get(k))}, was {value_text(k, old.inputs.get(k))}" for k in changed)


def _fit_flip(new: Scenario, old: Scenario, changed: list[str]) -> str | None:
    """A fit that now fits, or no longer does: said in words (a ratio to 0 requests means nothing)."""
    a, b = bool(new.outputs.get("fits")), bool(old.outputs.get("fits"))
    if a == b:
        return "" if a else None
    if a:
        peak = figure("max_concurrent_sequences", new.outputs.get("max_concurrent_sequences"))
        return f"**Change:** fits now, {peak} requests at peak ({_what(new, old, changed)}); before it did not fit."
    return f"**Change:** no longer fits ({_what(new, old, changed)}); before it did."


def _line(new: Scenario, old: Scenario, changed: list[str]) -> str | None:
    for name, words in HEADLINE.get(new.tool, ()):
        a, b = new.outputs.get(name), old.outputs.get(name)
        if (
            isinstance(a, bool)
            or isinstance(b, bool)
            or not isinstance(a, (int, float))
            or not isinstance(b, (int, float))
        ):
            continue
        what = _what(new, old, changed)
        if a == b:
            return f"**Change:** none in {words}, {figure(name, a)} either way ({what})."
        ratio = _ratio(a, b)
        return f"**Change:** {figure(name, a)} vs {figure(name, b)} {words} ({what})" + (
            f": {ratio}." if ratio else "."
        )
    return None


def delta_line(previous: list[ToolCallRecord], current: list[ToolCallRecord]) -> str | None:
    """The change from the previous turn's closest result to this turn's first comparable one, or None."""
    before = scenarios(previous)
    now = scenarios(current)
    if not before or not now or len(now) > 2:  # a comparison shows its own table
        return None
    for new in now:
        same = [(len(c), old, c) for old in before if old.tool == new.tool and (c := _changed(new, old))]
        if not same:
            continue
        n, old, changed = min(same, key=lambda t: t[0])
        if n <= MAX_CHANGED:
            flip = _fit_flip(new, old, changed) if new.tool == "memory_fit" else ""
            if flip is None:  # neither fits: no figure to compare
                continue
            line = flip or _line(new, old, changed)
            if line:
                return line
    return None


def with_delta(text: str, line: str | None) -> str:
    """``text`` with ``line`` as its first paragraph."""
    return f"{line}\n\n{text}" if line else text
