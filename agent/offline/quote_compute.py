"""A podcast quote with a computation on the analyst's numbers: both parts, never the quote alone.

"Dylan put the server at ~$300k; if that's 8 GPUs over 4 years straight-line, ignoring power, what's
capex per GPU-hour?" asks for the passage *and* a calculation. The numbers also go into the search
query, but that does not make them used: the what-if tool whose fields take every stated quantity
(:func:`agent.offline.whatif.route`) is called beside the search. A cost question naming no chip, or a
count of accelerators in a stated power, gets the planner's default chip (said in the answer).
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity


def computation(
    question: str, quantities: list[Quantity], names: dict[str, dict[str, Any]], default_chip: str
) -> tuple[tuple[str, dict[str, Any]] | None, bool]:
    """The (tool, args) that computes with every stated quantity, and whether ``default_chip`` was assumed."""
    from agent.offline.whatif import route

    if not quantities:
        return None, False
    routed = route(question, quantities, names)
    if routed is not None:
        return routed, False
    if "chip" in names.get("tco", {}):
        return None, False
    # a cost with no chip named: the default chip's catalog price and power (said in the answer); a count of
    # accelerators in a stated power ("how many GPUs is that?") does not depend on the price the default chip lends
    tools = ("tco", "buildout") if re.search(r"\bhow many\b", question, re.I) else ("tco",)
    routed = route(
        question, quantities, {**names, "tco": {"chip": [default_chip]}, "buildout": {"chip": default_chip}}, tools
    )
    return routed, routed is not None


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
    computing = {
        "calculate",
        "kv_cache",
        "memory_fit",
        "throughput",
        "tco",
        "buildout",
        "capex",
        "serving_cost",
        "growth",
    }
    if computing & set(tools) or not _ASKS_ARITHMETIC.search(question):
        return None
    return UNCOMPUTED
