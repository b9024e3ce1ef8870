"""A podcast quote with a computation on the analyst's numbers: both parts, never the quote alone.

"Dylan put the server at ~$300k; if that's 8 GPUs over 4 years straight-line, ignoring power, what's
capex per GPU-hour?" asks for the passage *and* a calculation. The numbers also go into the search
query, but that does not make them used: the what-if tool whose fields take every stated quantity
(:func:`agent.offline.whatif.route`) is called beside the search. A sum the question states in words ("256
users cut to 1/4-1/5") is computed by ``calculate`` (:mod:`agent.offline.quote_arithmetic`); a sum on a figure the
question does not state waits for the cited sentence (:mod:`agent.offline.passage_figure`). A catalog default
never stands in for the podcast's figure.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import CALCULATORS
from tools.quantities import Quantity


def computation(
    question: str, quantities: list[Quantity], names: dict[str, dict[str, Any]]
) -> tuple[str, dict[str, Any]] | None:
    """The (tool, args) that computes with every stated quantity, or None. No catalog default stands in for a
    figure the podcast gave ("what does that server cost" after a quote is the podcast's price, not a TCO):
    with no chip named, a cost is not priced from the catalog (:mod:`agent.offline.passage_figure` reads the
    figure from the cited sentence instead)."""
    from agent.offline.whatif import route

    if not quantities:
        return None
    return route(question, quantities, names)


def stated_calls(question: str, plan: Any, calculating: bool = False) -> bool:
    """Append ``calculate`` for each sum the question states in words (:mod:`agent.offline.quote_arithmetic`)
    and the chip power at the catalog TDP it asks for (:mod:`agent.offline.quote_tdp`), labelled in
    ``plan.sums``; whether there were any. With a calculator already planned (``calculating``) the sums
    replace it only when they take every number the question states; otherwise nothing changes."""
    from agent.input_accounting import unused_inputs
    from agent.offline.plan_types import Call
    from agent.offline.quote_arithmetic import stated_sums
    from agent.offline.quote_tdp import tdp_sums

    sums = stated_sums(question) + tdp_sums(question)
    calls = [Call("calculate", {"expression": s.expression}) for s in sums]
    if not sums or (calculating and unused_inputs(question, calls, "")):
        return False
    if calculating:
        plan.calls = [c for c in plan.calls if c.name not in CALCULATORS]
        plan.notes = [n for n in plan.notes if not n.startswith(("No chip named", "Illustration", "Left out"))]
    plan.calls += calls
    for s in sums:
        plan.sums[s.expression] = (s.what, s.unit)
    return True


def sums_instead(question: str, plan: Any) -> Any:
    """A question no calculator could take (``plan`` holds only a reply asking for a chip or a price) that states
    a whole sum in words ("using his numbers, 10x the tokens and 4-5x the cost per token: the cost multiple
    range?"): the ``calculate`` plan of those sums, when they take every number stated; else ``plan``."""
    from agent.input_accounting import unused_inputs
    from agent.offline.plan_types import Call, Plan
    from agent.offline.quote_arithmetic import stated_sums

    if plan.reply is None or plan.calls:
        return plan
    sums = stated_sums(question)
    calls = [Call("calculate", {"expression": s.expression}) for s in sums]
    if not sums or unused_inputs(question, calls, ""):
        return plan
    out = Plan(calls=calls, notes=["Computed on the numbers the question states, as written."])
    out.sums = {s.expression: (s.what, s.unit) for s in sums}
    return out


#: A quote question that also asks for arithmetic on what was said ("... and combined with 10x the tokens, what's
#: the cost multiple per user?", "so what does that imply per year?").
_ASKS_ARITHMETIC = re.compile(
    r"\b(?:multiple|multiply|multiplied|combined with|combine|implied|implies|imply|work (?:it )?out|compute|"
    r"calculate|in total|altogether|annuali[sz]ed|what (?:does|would) (?:that|this) (?:mean|come to|cost)|"
    r"how much (?:would|does|is) (?:that|it)|what(?:'s| is| would be) the (?:total|product|cost multiple|ratio))\b",
    re.I,
)
#: Said when such a question gets the quote but no calculation (no stated numbers a tool takes).
UNCOMPUTED = (
    "I cannot compute the arithmetic you asked for on top of the quote: figures inside a passage are not taken "
    "as inputs. Restate them as numbers in your question and I will compute it."
)


def uncomputed_note(question: str, tools: list[str]) -> str | None:
    """:data:`UNCOMPUTED` when ``question`` asks for arithmetic and no computing tool (``calculate`` or a
    calculator) is among ``tools``; else None."""
    computing = {"calculate", *CALCULATORS}
    if computing & set(tools) or not _ASKS_ARITHMETIC.search(question):
        return None
    return UNCOMPUTED
