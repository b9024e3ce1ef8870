"""A calculator's subject asked with nothing to compute it from: say what to give, not a podcast passage or a default.

"what does a data center cost?", "how much power does a cluster need", "whats the tco" name a figure the
calculators compute, but no size (power, accelerator count), no chip and no price. Searching the podcast for them
shows passages that answer something else, and the calculator's defaults would describe a site nobody asked about.
Two kinds are caught, only when the question states no quantity, names no chip, model or company and asks nobody's
view ("what did Dylan say about data-center costs" goes to the podcast as before):

* **a site or fleet without a size**: a data centre, campus, cluster, fleet, site or build-out, asked for its cost,
  capex, power or accelerator count (a rate such as "capex per MW of a build-out" needs no size and is not caught);
* **a bare cost of ownership**: "what's the TCO", "total cost of ownership?" with nothing else.

Each reply names what to give and how to ask the podcast instead.
"""

from __future__ import annotations

import re

from agent.offline.parse import Parsed
from tools.quantities import Quantity

_SITE = re.compile(
    r"\b(?:data ?cent(?:er|re)s?|dcs?|campus(?:es)?|clusters?|fleets?|sites?|build[- ]?outs?|supercomputers?|"
    r"facilit(?:y|ies)|ai factor(?:y|ies))\b",
    re.I,
)
_SITE_ASK = re.compile(
    r"\b(?:cost|costs|price|capex|spend|how much|power|draw|need|megawatts?|gigawatts?|how many (?:gpus|chips|"
    r"accelerators))\b",
    re.I,
)
_BARE_TCO = re.compile(
    r"^\W*(?:so\s+|and\s+|ok\s+)?(?:what(?:'?s| is| would be)?|how much is|give me|tell me)?\s*(?:the\s+|a\s+)?"
    r"(?:tco|total cost of ownership|cost of ownership|cost to own)\W*$",
    re.I,
)
#: A rate needs no size: "capex per MW for a build-out", "cost per GPU of a cluster".
_RATE = re.compile(r"\bper (?:mw|gw|kw|megawatt|gigawatt|watt|gpu|accelerator|chip)\b|/\s*(?:mw|gw|kw|w)\b", re.I)
#: Asking someone's view or the podcast: the knowledge search answers it.
_VIEW = re.compile(
    r"\b(?:say|said|says|think|thinks|thought|mention\w*|argue\w*|claim\w*|podcast|episode|guest|hosts?|dylan|"
    r"brad|bill|semianalysis|according|view|opinion|quote\w*|why)\b",
    re.I,
)


def bare_topic_reply(question: str, parsed: Parsed, quantities: list[Quantity]) -> str | None:
    """The reply for a calculator subject asked with nothing to compute it from (module docstring), or None."""
    named = parsed.chips or parsed.models or parsed.unknown_chips or parsed.unknown_models or parsed.companies
    if quantities or named or parsed.count or _VIEW.search(question):
        return None
    if _BARE_TCO.search(question):
        return (
            "I need an accelerator to give a cost of ownership, and the question names none, so I give no figure. "
            "Name one ('H100 TCO per GPU-hour') or give your own price per accelerator or per server, with the power "
            "draw, years of life and electricity price if they differ from the calculator's defaults. To hear what "
            "the podcast said, ask 'what did Dylan say about TCO?'."
        )
    if _SITE.search(question) and _SITE_ASK.search(question) and not _RATE.search(question):
        return (
            "I need a size to compute that, and the question gives none, so I give no figure: the facility power "
            "('a <N> GW campus', '<N> MW of IT') or the number of accelerators ('<N>k B200s'), and the chip if it is "
            "not the catalog's H100; add your own $/MW, price per accelerator or kW per accelerator if they differ "
            "from the defaults. To hear what the podcast said about it, ask 'what did Dylan say about data-center "
            "costs?'."
        )
    return None
