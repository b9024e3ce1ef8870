"""A follow-up written into the question before it: "what about on an 8 TB/s chip?" after "70 GB of weights on
one 4.8 TB/s GPU, batch 1: tok/s?" is that question with 8 TB/s in place of 4.8 TB/s.

Used when the previous answer was computed from the question's own numbers (a spelled-out ``calculate``, no
calculator call whose arguments a rerun could change): the earlier question, restated, is planned again, so
every earlier input is kept and only what the follow-up names is changed.

Rules (nothing is guessed; any doubt gives no restatement):

* a quantity in the follow-up replaces the one quantity of the earlier question in the same unit (and per the
  same thing); several of that unit: no restatement; none ("and with 80% bandwidth efficiency?"): the
  follow-up's clause is added to the earlier question, when it changes nothing else;
* a chip in the follow-up replaces the one chip the earlier question names, and a bandwidth, power or price
  written right after the old chip ("H200 (4.8 TB/s)", "H100 at 3.35 TB/s") goes with it, since it was that
  chip's figure;
* the follow-up must change something, and a model named in it (another question) gives no restatement.
"""

from __future__ import annotations

import re

from agent.offline.parse import parse

#: A follow-up's opening words, left out when its clause is added to the earlier question.
_OPENER = re.compile(
    r"^\s*(?:(?:and|ok|okay|so|now|then|but|same|same thing|what about|how about|what if)\b[\s,]*)+", re.I
)
#: Units of a figure that belongs to one chip (its bandwidth, its power, its price).
_CHIP_UNITS = ("bytes/s", "W", "usd", "usd/hour")


def _chip_span(question: str) -> tuple[int, int] | None:
    """Where the one chip the question names is written (None for none or several)."""
    p = parse(question)
    if len(p.chips) != 1 or p.unknown_chips:
        return None
    m = p.chips[0]
    if question.lower()[m.start : m.end] == m.text:
        return m.start, m.end
    found = question.lower().find(m.text)
    return (found, found + len(m.text)) if found >= 0 else None


def _chip_figure_after(question: str, end: int) -> int:
    """The end of a chip's own figure written right after its name ("(4.8 TB/s)", "at 3.35 TB/s"), else ``end``."""
    from agent.input_accounting import stated_quantities

    rest = question[end:]
    m = re.match(r"\s*(?:\(([^)]*)\)|(?:at|with|@)\s+(\S+(?:\s?[a-z/]+)?))", rest, re.I)
    if not m:
        return end
    inner = m.group(1) if m.group(1) is not None else m.group(2)
    quantities = stated_quantities(inner)
    if quantities and all(q.unit in _CHIP_UNITS for q in quantities):
        return end + m.end()
    return end


def restated(earlier: str, follow_up: str) -> tuple[str, list[str]] | None:
    """``earlier`` with ``follow_up``'s quantities and chip written in, and what changed (module docstring)."""
    from agent.input_accounting import stated_quantities

    p = parse(follow_up)
    if p.models or p.unknown_models or p.unknown_chips or len(p.chips) > 1:
        return None
    edits: list[tuple[int, int, str]] = []
    changed: list[str] = []
    if p.chips:
        span = _chip_span(earlier)
        if span is None:
            return None
        m = p.chips[0]
        new = follow_up[m.start : m.end] if follow_up.lower()[m.start : m.end] == m.text else m.text
        edits.append((span[0], _chip_figure_after(earlier, span[1]), new))
        changed.append(f"{earlier[span[0] : span[1]]} -> {new}")
    before = stated_quantities(earlier)
    added = []
    for q in stated_quantities(follow_up):
        same = [b for b in before if b.unit == q.unit and b.per == q.per]
        if not same:
            added.append(q)
            continue
        if len(same) != 1 or any(s <= same[0].start < e for s, e, _ in edits):
            return None
        edits.append((same[0].start, same[0].end, q.text))
        changed.append(f"{same[0].text} -> {q.text}")
    if added:
        # "and with 80% bandwidth efficiency?": a new input, added as the follow-up wrote it (only on its own)
        clause = _OPENER.sub("", follow_up).strip().rstrip("?.! ")
        if edits or p.chips or not clause:
            return None
        return f"{earlier.rstrip().rstrip('?.! ')}, {clause}", [f"{', '.join(q.text for q in added)} added"]
    if not edits:
        return None
    text = earlier
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text, changed
