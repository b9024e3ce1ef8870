"""Questions a calculator would answer only by inventing their subject: say what is missing instead.

The calculators model a cost or a build from inputs (a chip, a count or a power, a price). Three kinds of
question give none of those and ask about something the catalog does not hold, so a figure from the
calculator's defaults would answer a different question:

* **the analyst's own fleet** with nothing stated: "what's the payback period on our gpus", "what do our
  racks cost per hour" (no chip, no count, no price: the defaults are not their fleet);
* **a size in words**: "how much does a big cluster cost?" (no chip, no power, no count);
* **an actual or measured figure**: "stargate abilene's actual capex per MW", "the measured vLLM
  throughput of X on Y, not a bound" (the calculators model; they hold no reported or benchmarked
  figures for a named site or deployment).

Each reply names what to give instead. A question with a stated quantity or a catalog chip or model is
not caught here (its calculator reads it), except the measured-figure case, which no calculator answers.
"""

from __future__ import annotations

import re

from agent.offline.parse import Parsed
from tools.quantities import Quantity

_OURS = re.compile(r"\b(?:our|my|we|us)\b", re.I)
_WORD_SIZE = re.compile(
    r"\b(?:a |an )?(?:big|large|huge|giant|massive|small|typical|mid-?size[d]?|decent[- ]sized)\s+"
    r"(?:gpu\s+)?(?:cluster|data ?cent(?:er|re)|campus|fleet|build|deployment|training run)",
    re.I,
)
_ACTUAL = re.compile(r"\bactual(?:ly)?\b|\breal[- ]world\b|\breported\b|\bdisclosed\b", re.I)
_MEASURED = re.compile(r"\bmeasured\b|\bbenchmark(?:ed|s)?\b(?! (?:it|this))|\bnot (?:a|the) (?:bound|estimate)", re.I)
#: Calculators that model from inputs (and fall back to catalog defaults when the question gives none).
MODELLING = {"tco", "buildout", "serving_cost", "throughput", "memory_fit"}


def vague_reply(question: str, parsed: Parsed, quantities: list[Quantity], tools: list[str]) -> str | None:
    """The reply for a question the calculators could only answer from defaults (module docstring), or None."""
    modelling = [t for t in tools if t in MODELLING]
    if not modelling:
        return None
    if "throughput" in modelling and _MEASURED.search(question):
        return (
            "I don't have measured or benchmarked serving figures to look up: the throughput calculator gives an "
            "estimate fitted to public measurements, or a bandwidth bound, never a benchmark result. Ask for the "
            "estimate ('estimate the decode tokens/s of <model> on <N> x <chip>') or the bound ('bs1 decode ceiling')."
        )
    named = parsed.chips or parsed.models or parsed.unknown_chips or parsed.unknown_models
    if quantities or named:
        return None
    if _ACTUAL.search(question):
        return (
            "I don't have reported or actual figures for a named site or company's build: the calculators model "
            "from inputs. Give the inputs to model it (power in MW or GW, a chip, an all-in price per accelerator, "
            "facility capex per MW), or ask what the podcast said about it."
        )
    if _WORD_SIZE.search(question):
        return (
            "I can't price that without a size and a chip: how many accelerators (or how many MW / GW), which chip, and the price per "
            "accelerator if it is not the catalog's. For example: 'what would <N>k B200s cost?' or 'what would a "
            "<N> GW campus of GB200s cost?'"
        )
    if _OURS.search(question):
        return (
            "I can't answer that for your fleet: the question gives no chip, count or price, and the catalog's "
            "defaults would describe a different fleet. Give the chip and count, the price per accelerator (or per server), and for "
            "a payback the rental price and share of hours sold; for example: '1,024 H100s at $30k each, rented at "
            "$2.10/hr, 70% sold: payback?'"
        )
    return None
