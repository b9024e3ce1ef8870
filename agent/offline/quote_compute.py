"""A podcast quote with a computation on the analyst's numbers: both parts, never the quote alone.

"Dylan put the server at ~$300k; if that's 8 GPUs over 4 years straight-line, ignoring power, what's
capex per GPU-hour?" asks for the passage *and* a calculation. The numbers also go into the search
query, but that does not make them used: the what-if tool whose fields take every stated quantity
(:func:`agent.offline.whatif.route`) is called beside the search. A cost or build-out question naming no
chip gets the planner's default chip for its catalog price and power (said in the answer).
"""

from __future__ import annotations

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
    # a cost or a build-out with no chip named: the default chip's catalog price and power (said in the answer)
    routed = route(
        question,
        quantities,
        {**names, "tco": {"chip": [default_chip]}, "buildout": {"chip": default_chip}},
        ("tco", "buildout"),
    )
    return routed, routed is not None
