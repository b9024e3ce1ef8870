"""Readings settled after the slots are filled: a growth rate in x with no base is a multiplier per step, and a
price per node is the replica's price (:func:`agent.offline.slots.assign` calls these)."""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity


def growth_mode(args: dict[str, Any], source: dict[str, Quantity]) -> None:
    """With no base value, "3x per year for 4 years" is a multiplier per step (year) over that many steps
    ("improves 5x every year ... after 4 years": the multiplier read directly, the years are its steps)."""
    if "multiplier" in args and "base" not in args and "years" in args and "steps" not in args:
        args["steps"] = args.pop("years")
        source["steps"] = source.pop("years")
        return
    rate = source.get("rate")
    if "base" in args or rate is None or rate.unit != "x" or "multiplier" in args:
        return
    args["multiplier"] = rate.value
    source["multiplier"] = source.pop("rate")
    del args["rate"]
    if "years" in args and "steps" not in args:
        args["steps"] = args.pop("years")
        source["steps"] = source.pop("years")


#: A price per hour of a whole machine ("8xH200 node costs us $28/hr"), not of each accelerator in it.
_NODE_PRICE = re.compile(
    r"\b(?:node|server|box|system|machine|instance|pod)s?\b(?![^,.;]*\bper (?:gpu|chip|accelerator))"
)


def price_per_node(text: str, price: Quantity, args: dict[str, Any]) -> None:
    """A price per node: the node is the replica's one billed unit (accelerators_per_replica 1), so the replica
    costs the stated price per hour, not that price times its accelerators."""
    if price.per == "accelerator" or re.search(r"gpu|chip|accelerator|card", price.text, re.I):
        return  # "$3.20/GPU-hr": per accelerator, whatever machine it sits in
    before = text[max(0, price.start - 40) : price.start].lower()
    if _NODE_PRICE.search(before) and not re.search(r"per (?:gpu|chip|accelerator)|/\s*(?:gpu|chip)|each", before):
        args["accelerators_per_replica"] = 1
