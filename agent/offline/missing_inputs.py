"""A unit cost asked from an hourly price alone: say what is missing instead of computing another question.

"what's the cost per million tokens if I rent H100s at $2/hr?", "our cost per query at $3/hr per GPU?":
a price per accelerator-hour becomes a price per token only through the tokens an accelerator makes
per hour, which nothing in the question gives (no tokens/s and no model to estimate them from; a
query also needs its tokens). The serving-cost calculator (:mod:`tools.serving_cost`) takes exactly
these: its required fields name what to ask for. An illustration on a default model would price the
owner's cost, not the stated rent, so no figure is given.
"""

from __future__ import annotations

import re

from tools.quantities import Quantity

#: The question asks for a cost per token, per million tokens or per query.
_UNIT_COST = re.compile(
    r"per (?:1\s*m|one million|a million|million|m) (?:(?:output|input|generated) )?tok|/\s*m\s*tok|\bmtok\b|"
    r"per (?:output |input )?token|\$/m\b|per million|per (?:query|request|answer|response|call)|/\s*query",
    re.I,
)


def missing_for_unit_cost(question: str, quantities: list[Quantity], has_model: bool) -> str | None:
    """The reply naming what a cost per token or per query needs, when the question gives only an hourly price
    (module docstring); None when it gives a throughput, a model, or no hourly price."""
    hourly = [q for q in quantities if q.unit == "usd/hour"]
    if not hourly or has_model or not _UNIT_COST.search(question):
        return None
    if any(q.unit == "tokens/s" for q in quantities):
        return None
    per_query = bool(re.search(r"per (?:query|request|answer|response|call)|/\s*query", question, re.I))
    need = [
        "a throughput: tokens/s per stream with the number of concurrent streams, or tokens/s per replica "
        "(or a model and chip to estimate it)",
        "the accelerators per replica"
        if not re.search(r"\d\s*(?:x\s*)?(?:gpus?|accelerators?)", question, re.I)
        else "",
        "the tokens per query (output, and prompt if it is billed)"
        if per_query and not any(q.unit == "tokens" for q in quantities)
        else "",
    ]
    listed = "; ".join(n for n in need if n)
    price = hourly[0].text
    return (
        f"I can't turn {price} into a cost per {'query' if per_query else 'million tokens'} without knowing how many "
        f"tokens that hour produces, and I won't assume it. Missing: {listed}. For example: '{price}, <G> GPUs per "
        "replica, <S> streams at <T> tok/s each, <Q> output tokens per query: cost per query?'"
    )


#: Units that say the question brings its own cost or serving figures (a price, a throughput, token counts).
_OWN_FIGURES = ("usd", "usd/hour", "usd/mtok", "tokens/s", "tokens", "usd/kwh", "W")


#: Words that make a "per million tokens" question a money question ("bytes per token" is not).
_MONEY = re.compile(r"\bcost|\$|\bprice|\busd\b|dollar|\bcheap|\bspend|\bpay", re.I)


def missing_throughput_for_mtok(
    question: str, focus: list[str], quantities: list[Quantity], has_model: bool, has_chip: bool
) -> str | None:
    """A cost per million tokens asked alone on a chip (``has_chip``), with no model, no tokens/s and no figures of the
    question's own: the reply naming what is needed, else None. A $/Mtok needs the tokens an hour produces, and
    a default model and batch would price a deployment the analyst never described (the $/Mtok beside a cost per
    hour, asked together, stays a labelled illustration: :func:`agent.offline.planners.cost.illustrate`)."""
    if focus[:1] != ["per_mtok"] or "per_hour" in focus or has_model or not has_chip or not _MONEY.search(question):
        return None  # no chip either: the cost planner asks for a chip or a price (own_costs.missing_price_and_chip)
    if any(q.unit in _OWN_FIGURES for q in quantities):
        return None
    return (
        "A cost per million tokens needs the tokens an accelerator-hour produces, and the question names no model "
        "and gives no tokens/s, so I give no figure rather than assume a model and batch. Give a throughput and a "
        "price ('at $<P>/hr doing <T> tok/s per GPU: $/Mtok?'), or name the model served ('$/Mtok for <model> on "
        "<N> x <chip>'); for the chip's cost per hour alone, ask for its cost per GPU-hour."
    )


def missing_chip_power(focus: list[str], unknown_chips: list[str], quantities: list[Quantity]) -> str | None:
    """A fleet's power draw or power bill for a chip the catalog does not hold, with no power per chip stated:
    the reply naming what is needed (no figure), else None. The catalog's sourced kW are per catalog chip; a
    neighbouring chip's, or a spec sheet's passage, would size a different fleet."""
    if not unknown_chips or not set(focus) & {"power_draw", "power_year"}:
        return None
    if any(q.unit == "W" for q in quantities):
        return None
    chip = unknown_chips[0]
    return (
        f"The catalog has no power figure for '{chip}' (it is not a catalog chip), so I give no figure rather than "
        "borrow another chip's. Give the power per chip, all-in or at TDP with the host share, and the PUE, e.g. "
        f"'<N> {chip} at <kW> kW each all-in, PUE <P>: facility MW?'"
    )
