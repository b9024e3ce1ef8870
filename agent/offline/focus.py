"""What a question asks for first (per hour, per million tokens, the power bill...), in the order written."""

from __future__ import annotations

import re

#: Quantities a cost / build-out / capex question asks for, in the words analysts use. The answer
#: leads with these, in the order written, before the rest of the result.
_FOCUS = (
    (
        "power_year",
        r"power bill|electric(?:ity)? (?:bill|cost)|power (?:cost|spend)|energy (?:bill|cost)|cost of (?:power|electricity)|"
        r"electricity (?:spend |use |usage )?(?:per|a|each|/)\s*(?:year|yr|month|annum)|(?:yearly|annual) (?:electricity|energy)\b",
    ),
    (
        "per_mtok",
        r"per (?:1\s*m|one million|a million|million|mil|m) (?:(?:output|input|generated) )?tok|/\s*m\s*tok|\bmtok\b|"
        r"per (?:output |input )?token|\$/m\b|per million",
    ),
    ("per_mw", r"per mw\b|/\s*mw\b|per megawatt"),
    ("time_for_tokens", r"how long\b"),
    ("per_hour", r"per (?:gpu[- ]?)?(?:hour|hr)\b|/\s*(?:gpu[- ]?)?h(?:ou)?r\b|hourly|an hour|a gpu[- ]hour"),
    ("per_year", r"\bannual|per year|a year|yearly|/\s*yr\b|each year|per annum"),
    (
        "break_even",
        r"break[- ]?even|rent(?:ing|al)? (?:vs|or|versus)|(?:vs\.?|or|versus) rent|\bmargins?\b|make money|"
        r"\bprofit(?:able|ability)?\b|pay ?back|\bworth (?:it|renting|buying)",
    ),
    ("per_dollar", r"tokens? per (?:dollar|\$)|tok(?:en)?s?/\$"),
    (
        "power_draw",
        r"how much power|power draw|\bdraws?\b(?!\s*(?:~|about|around|roughly)?\s*\d)|how many (?:mw|megawatts|kw|kilowatts)",
    ),
    (
        "capex",
        r"\bcapex\b|cost of (?:a|an|the)\b.{0,30}\b(?:cluster|fleet|campus|data ?cent(?:er|re)|build)|up[- ]?front|to buy|"
        r"purchase|how much (?:would|will|does|do) .{0,30}cost\b(?!.{0,20}(?:per|to run|/))|build cost|what would .{0,30}cost",
    ),
    ("count", r"how many (?:chips|gpus|accelerators)"),
    # "max total tokens of kv i can hold", "how many kv tokens fit": the KV budget in tokens, not a count of requests
    (
        "kv_tokens",
        r"\btokens? of (?:the )?kv\b|\bkv(?:[- ]cache)? tokens?\b|tokens? (?:of kv )?(?:can|could|would|will) "
        r"(?:it|i|we|they|the (?:gpus?|cards?|box|node)) (?:hold|fit|store|cache)",
    ),
    ("ratio", r"\bratio\b|how many times (?:more|bigger|larger|smaller)|how much (?:bigger|larger|smaller)"),
    ("ttft", r"\bttft\b|time to first|first[- ]token"),
    (
        "ceiling",
        r"\bceiling\b|upper (?:bound|limit)|\broofline\b|theoretical (?:max|peak|limit|bound)|"
        r"(?:bandwidth|memory|mem|bw)[- ]bound|\b(?:decode|speed|throughput|tok(?:en)?s?/s) (?:bound|limit)\b|"
        r"\bbound (?:on|for) (?:decode|tok)|\bmax(?:imum)? (?:possible )?(?:tok(?:en)?s?(?:/s| per second)|decode)",
    ),
    (
        "token_latency",
        r"(?:latency|time|ms) per (?:output )?token|inter[- ]token|\btpot\b|\bitl\b|per[- ]token latency",
    ),
    (
        "min_accelerators",
        r"how many (?:[\w\-]+ ){0,2}(?:do (?:i|we|you) need|are needed|needed|would (?:i|we|it) need|does it take)|"
        r"how much (?:vram|memory|gpu memory|hbm) (?:does|do|would|will)\b.{0,40}\bneed|"
        r"how much (?:vram|memory|gpu memory|hbm) (?:for|to run|to serve|to host|is needed|needed|do (?:i|we|you) need|would (?:i|we|it) need)|"
        r"\bmin(?:imum)? (?:number of |no\.? of |# ?of )?(?:gpus|accelerators|chips|cards|\w+s)\b|smallest (?:setup|number|config)|fewest",
    ),
)


def asked_quantities(text: str) -> list[str]:
    """The quantities asked for, ordered by where the question names them ("per hour and per Mtok")."""
    hits = []
    for name, pattern in _FOCUS:
        m = re.search(pattern, text)
        if m:
            hits.append((m.start(), name))
    names = [n for _, n in sorted(hits)]
    if "power_year" in names and "per_year" in names:
        names.remove("per_year")  # "annual power bill": the power part of the year
    return names
