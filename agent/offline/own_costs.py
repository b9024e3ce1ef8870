"""A cost question on the analyst's own inputs: only the cost components they stated, or a clear decline.

* Own cost model: when the question gives its own capital cost (a server price or a price per
  accelerator) with at least two more inputs of its own cost model (life, power, PUE, electricity,
  financing) and says nothing of networking, maintenance, facility or colocation, the tco call gets
  ``networking_fraction=0``, ``maintenance=0`` and ``facility="none"``: the hourly cost is then exactly
  capital + power from the analyst's figures. A second tco call with the calculator's default adders
  (tools/defaults.py, each sourced or marked ASSUMPTION) is made beside it, so the answer shows what
  those adders would add; the difference is never computed here.
* A cost per hour or per token asked with neither a chip nor a price is declined, saying what is needed
  (no default chip, no illustration).
"""

from __future__ import annotations

import re
from typing import Any

#: Fields a stated own capex sets when the question is silent on the adders (tools/tco_inputs.py TCOInput).
OWN_ONLY = {"networking_fraction": 0.0, "maintenance": 0.0, "facility": "none"}
#: Words that mean the analyst spoke about an adder (then the calculator's defaults stand unless stated).
_ADDER_WORDS = re.compile(
    r"network|infiniband|switch|maint|facilit|colo|data ?cent|\bdc\b|building|overhead|all[- ]in cost"
)
#: Arguments that carry the analyst's own capital cost.
_OWN_CAPEX = ("capex_per_accelerator", "server_price")


#: The other inputs of an analyst's own cost model (life, power, PUE, electricity price, financing).
_OWN_MODEL = ("years", "power_kw", "server_kw", "pue", "electricity", "cost_of_capital")


def states_own_capex(text: str, args: dict[str, Any]) -> bool:
    """The question builds its own cost model (its capex and at least two of :data:`_OWN_MODEL`) and mentions
    none of the adders. A price alone ("tco of a b200 at $40k") keeps the calculator's full defaults."""
    own = sum(k in args for k in _OWN_MODEL)
    return any(k in args for k in _OWN_CAPEX) and own >= 2 and not _ADDER_WORDS.search(text.lower())


def own_cost_args(args: dict[str, Any]) -> dict[str, Any]:
    """``args`` with the adders set to zero / none, unless the question set them."""
    return {**OWN_ONLY, **args}


NOTE = (
    "Costs you gave only: no networking, maintenance or facility cost is added (networking_fraction 0, maintenance 0, "
    "facility none). The second cost result below adds Siliconomics' default networking, maintenance and facility "
    "costs, for comparison."
)


def _split(args: dict[str, Any]) -> bool:
    """A tco call already made with only the analyst's costs (the adders at zero / none)."""
    return all(args.get(k) == v for k, v in OWN_ONLY.items())


def split_own_costs(question: str, calls: list[Any], make: Any) -> tuple[list[Any], str | None]:
    """Each tco call on the analyst's own capex becomes two: own costs only, then with the default adders.

    ``make(name, args)`` builds a call; returns the calls and the note for the answer (None when nothing
    applies). A follow-up that reruns an already split pair keeps it as it is (the note is said again)."""
    tco = [c for c in calls if c.name == "tco"]
    if any(_split(c.args) for c in tco):
        return calls, NOTE
    out: list[Any] = []
    note = None
    for call in calls:
        if call.name == "tco" and states_own_capex(question, call.args):
            out.append(make("tco", own_cost_args(call.args)))
            note = NOTE
        out.append(call)
    return out, note


#: A unit cost asked for: per hour, per token or per million tokens.
_UNIT_COST = re.compile(
    r"per[- ](?:gpu[- ]|chip[- ]|accelerator[- ])?(?:hour|hr|token|mtok|million)"
    r"|/\s*(?:gpu[- ]?)?(?:h|hr|hour|tok|mtok)\b"
)


def missing_price_and_chip(text: str, args: dict[str, Any]) -> str | None:
    """A unit cost asked with neither a chip nor a price (no dollar amount in the question): the reply
    saying what is needed (no figure), else None.

    Call only when the question names no chip (known or unknown)."""
    from agent.input_accounting import stated_quantities

    if any(k in args for k in _OWN_CAPEX) or not _UNIT_COST.search(text.lower()):
        return None
    if any(q.unit.startswith("usd") for q in stated_quantities(text)):
        return None  # a price of its own (capex, rental): the cost tools take it
    return (
        "I need a chip or a price to give a cost per hour or per token, and the question gives neither, so I give no "
        "figure. Name a chip (e.g. 'H100 cost per GPU-hour') or give your own price ('$<N>k per GPU' or "
        "'$<N>k per <G>-GPU server'), with the power draw, years of life and electricity price if they differ from the "
        "calculator's defaults; for a cost per token also name a model or give a tokens/s."
    )
