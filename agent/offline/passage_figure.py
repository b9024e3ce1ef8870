"""A podcast question whose sum needs one figure from the cited passage ("What inference revenue did Dylan give
for Microsoft, and if it grew 30% a year, what would it be 3 years later?").

First round: the search. Second round (:func:`passage_plan`, called by :func:`agent.offline.rounds.more_calls`):
the sentence that best answers the question (:func:`agent.offline.writers.search.figure_sentences`) is read
for figures (:func:`knowledge.figures.figures`). Each figure is tried in the question's sum
(:func:`agent.offline.quote_arithmetic.stated_sums` on "<figure>: <question>"). The figure is used only when exactly one
number of the sentence completes the sum, so the number traces to the cited sentence; otherwise the
answer says the figure could not be read and what to pass. No catalog default stands in for it.
"""

from __future__ import annotations

import json
from typing import Any

from agent.offline.plan_types import Call, Plan
from agent.offline.quote_arithmetic import Sum, ranges, stated_sums

#: Said when no single figure of the cited sentence completes the sum.
UNREAD = (
    "I could not read one figure for your calculation from the passages{seen}, so I did not compute it. "
    "Restate the figure as a number in your question (e.g. 'at $<N> billion of revenue, ...') and I will compute it."
)


def _passages(content: Any) -> list[dict[str, Any]]:
    data = content
    if isinstance(content, str):
        try:
            data = json.loads(content)
        except ValueError:
            return []
    if isinstance(data, dict):
        data = data.get("passages") or data.get("results") or []
    return [p for p in data if isinstance(p, dict)] if isinstance(data, list) else []


def _completions(question: str, sentence: str) -> list[tuple[str, list[Sum]]]:
    """(figure as written, the sums it completes) for each distinct figure of ``sentence`` that completes one; a
    range ("50 to 70%") is one figure."""
    from knowledge.figures import figures

    spans = [r[3] for r in ranges(sentence)]  # "50 to 70%" is one figure, a range
    written_all = [sentence[a:b] for a, b in spans]
    for f in figures(sentence):
        at = sentence.find(f.text)
        if not any(a <= at < b for a, b in spans):
            written_all.append(f.digits or f.text)
    seen: dict[str, tuple[str, list[Sum]]] = {}
    for written in written_all:
        sums = stated_sums(f"{written}: {question}")
        if sums:
            seen.setdefault(" ".join(s.expression for s in sums), (written, sums))
    return list(seen.values())


def passage_plan(plan: Plan, done: list[tuple[Call, Any]]) -> Plan | None:
    """The second round of a question marked ``plan.from_passage``: the calls on the one figure read from the
    best sentence, with a note quoting that sentence; or a note saying why nothing was computed. None when the
    plan waits for no figure or the search has not run."""
    from agent.offline.writers.search import figure_sentences
    from knowledge.figures import KINDS, asked_kinds

    question = plan.from_passage
    search = next(((c, r) for c, r in done if c.name == "search_knowledge"), None)
    if not question or search is None:
        return None
    call, content = search
    passages = _passages(content)
    said = figure_sentences(passages, call.args, asked_kinds(question) or KINDS)
    sub = Plan()
    if not said:
        sub.notes.append(UNREAD.format(seen=""))
        return sub
    best = max(said, key=lambda s: s.score)  # the best-matching sentence (the answer lists them in passage order)
    found = _completions(question, best.text)
    if len(found) != 1:
        seen = f" (the best sentence, [{best.ref}], gives {'; '.join(w for w, _ in found)})" if found else ""
        sub.notes.append(UNREAD.format(seen=seen))
        return sub
    written, what = found[0]
    sub.notes.append(f'Figure read from [{best.ref}]: {written}, in "{best.text}"; the rest is your numbers.')
    for s in what:
        sub.calls.append(Call("calculate", {"expression": s.expression}))
        sub.sums[s.expression] = (s.what, s.unit)
    return sub
