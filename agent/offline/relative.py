"""Multipliers on an earlier question's inputs, read from a follow-up: "2x as many GPUs", "double the batch"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.offline.parse import Parsed, _Text


#: Words for a multiplier on something the previous question stated ("double the batch").
_FACTOR = (
    r"(?P<factor>double|doubled|twice|triple|tripled|quadruple|half|halve|halved|a quarter of|"
    r"\d+(?:\.\d+)?\s*(?:x|times))"
)
#: What a multiplier applies to -> the slot it changes (see :func:`agent.offline.plan` follow-ups).
_RELATIVE_FIELDS = (
    (r"(?:gpus?|accelerators?|chips?|cards?|devices?|nodes?|servers?|fleet|cluster)", "count"),
    (r"(?:batch(?:[- ]?size)?|users|requests|concurrency)", "batch"),
    (r"(?:context|ctx|tokens?|sequence(?: length)?|seq(?: ?len)?|length|prompt)", "tokens"),
    (r"(?:reasoning|thinking)", "reasoning"),
    (r"(?:electricity(?: price)?|power price|power cost)", "electricity"),
    (r"(?:price|capex|cost per (?:gpu|chip|accelerator))", "capex_per_accelerator"),
    (r"(?:gw|gigawatts?|campus|power)", "gw"),
)


def _factor(word: str) -> float:
    word = word.strip()
    named = {
        "double": 2.0,
        "doubled": 2.0,
        "twice": 2.0,
        "triple": 3.0,
        "tripled": 3.0,
        "quadruple": 4.0,
        "half": 0.5,
        "halve": 0.5,
        "halved": 0.5,
        "a quarter of": 0.25,
    }
    if word in named:
        return named[word]
    return float(re.match(r"\d+(?:\.\d+)?", word).group(0))


def relative(w: _Text, p: Parsed) -> None:
    """Multipliers on an earlier question's inputs: '2x as many GPUs', 'double the batch', 'half the context'."""
    for words, slot in _RELATIVE_FIELDS:
        # a bare "8x gpus" states a count; a numeric factor needs "as many" / "more" / "the"
        patterns = (
            rf"{_FACTOR}\s*(?:as (?:many|much|long|big|large)\s*|more\s*|bigger\s*|larger\s*|longer\s*)(?:the\s*|our\s*|my\s*)?"
            rf"(?:number of\s*)?{words}\b",
            rf"{_FACTOR}\s*(?:the\s*|our\s*|my\s*)(?:number of\s*)?{words}\b",
            rf"(?P<factor>double|doubled|twice|triple|tripled|quadruple|half|halve|halved)\s*{words}\b",
            rf"\b{words}(?:\s*(?:count|number|size))?\s*(?:is\s*|are\s*)?(?P<factor>doubled|halved|tripled|x\s*\d+(?:\.\d+)?)\b",
        )
        for pattern in patterns:
            if m := re.search(pattern, w.text):
                word = m.group("factor")
                if word.startswith("x"):
                    word = word[1:].strip() + "x"
                p.relative[slot] = _factor(word)
                p.relative_words[slot] = m.group("factor").strip()
                w.text = w.text[: m.start()] + " ~ " + w.text[m.end() :]
                break
