"""Figures in a sentence, and the kinds of figure a question about a passage asks for.

A question such as "what share of AI workloads did Dylan say run on NVIDIA?" or "size of the
Louisiana data center on the pod?" asks for a figure, not a topic: the sentence that answers it
holds a number of the asked kind. Kinds:

    "%"      a share, percentage, split or margin      ("over 98%", "50 to 70%")
    "$"      a price, cost, rent, bill or revenue      ("$300,000 server", "two bucks")
    "x"      a multiple: faster, cheaper, per year      ("5X", "15x cheaper", "10 times as many")
    "power"  a power: GW or MW                         ("2 GW", "two gigawatt")
    "count"  a plain number: users, chips, sizes        ("over 256 users", "world size of 64")

Numbers are read by the quantities lexer (:func:`tools.quantities.lex`); a model size after its
family name ("Llama 405B"), calendar years and a figure said only to be denied ("not 2X every two years")
are not figures. Small numbers spelled out before a
unit word ("two gigawatt", "two bucks") are figures too, with their digits given
(:func:`spelled`), so an answer can print "2 GW" beside the passage's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.quantities import lex

KINDS = ("%", "$", "x", "power", "count")

#: A question that asks for a figure rather than a topic ("what did he say about HBM margins?" asks for a topic).
_ASKS_FIGURE = re.compile(
    r"\bhow (?:much|many|big|large|fast|much faster|much cheaper)\b|\bsize of\b|\bhow (?:does|do|did) .{0,60}\bcompare\b|"
    r"\bwhat(?:'s| is| was| were)? (?:(?:the|a|his|their) )?(?:[\w-]+ ){0,3}"
    r"(?:share|percent(?:age)?|%|split|price|figure|number|margin|multiple|pace|sizes?|speed ?up)\b|"
    r"\bwhat (?:does|did|do|would) (?:that|this|the|a|one) (?:[\w-]+ ){0,3}cost\b|\bwhat %|"
    r"\b(?:say|said) (?:an? |the )?(?:[\w-]+ ){0,4}(?:costs?|is priced|sells for)\b|"
    r"\b(?:rent|buy|get) (?:an? |one )?[\w-]+ for\b|\band what share\b|\b(?:go|goes|going|rents?|sells?) for\b",
    re.I,
)

#: The words that say which kind of figure is asked for.
_KIND_WORDS = (
    ("%", r"\bshare\b|percent|%|\bsplit\b|\bwhat (?:[\w-]+ )?margins?\b|\bfraction\b|how much of\b"),
    (
        "$",
        r"\bcosts?\b|\bprices?\b|\brents?\b|\bgo(?:es|ing)? for\b|\bsells? for\b|\brevenue\b|\bspend|\$|\bdollars?\b|\bbill\b|\bpay\b",
    ),
    ("x", r"faster|slower|cheaper|pricier|\btimes\b|\bmultiple\b|\bcompare\b|\bpace\b|speed ?up"),
    ("power", r"\bgigawatts?\b|\bgw\b|\bmw\b|\bmegawatts?\b|\bsize of .{0,40}(?:data ?cent|campus|site)|how big"),
    ("count", r"\bhow many\b|\bnumber of\b|\bsizes?\b|\bscale[- ]?up\b|\bbatch"),
)


def asked_kinds(question: str) -> tuple[str, ...]:
    """The kinds of figure ``question`` asks for, in :data:`KINDS` order; () when it asks for no figure.
    A question that asks for a figure of no recognisable kind ("what figure did he give?") gets every kind."""
    if not _ASKS_FIGURE.search(question):
        return ()
    for q in reversed(lex(question)):  # the question's own figures ("if it grew 30% a year") are not asked for
        question = question[: q.start] + " " + question[q.end :]
    found = tuple(k for k, words in _KIND_WORDS if re.search(words, question, re.I))
    if "x" in found and "$" in found and re.search(r"cheaper|compare", question, re.I):
        found = tuple(k for k in found if k != "$")  # "how much cheaper", "how does the cost compare": a multiple
    return found or KINDS


_WORD_VALUES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}  # fmt: skip
#: A spelled number before a unit word: (unit word pattern, kind, how the digits are written).
_SPELLED_UNITS = (
    (r"gigawatts?|gw", "power", "{} GW"),
    (r"megawatts?|mw", "power", "{} MW"),
    (r"bucks|dollars", "$", "${}"),
    (r"percent", "%", "{}%"),
    (r"x|times", "x", "{}x"),
)
_SPELLED = re.compile(
    r"\b(?P<n>" + "|".join(_WORD_VALUES) + r")[\s-]+(?P<unit>" + "|".join(u for u, _, _ in _SPELLED_UNITS) + r")\b",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """One figure in a sentence: as written, its value, its kind, and (spelled out only) its digits."""

    text: str
    value: float
    kind: str
    digits: str | None = None


def spelled(sentence: str) -> list[Figure]:
    """Small numbers spelled out before a unit word ("two gigawatt" -> 2 GW, "two bucks" -> $2)."""
    out = []
    for m in _SPELLED.finditer(sentence):
        n = _WORD_VALUES[m.group("n").lower()]
        for unit, kind, written in _SPELLED_UNITS:
            if re.fullmatch(unit, m.group("unit"), re.I):
                out.append(Figure(m.group(0), float(n), kind, written.format(n)))
                break
    return out


_UNIT_KIND = {"fraction": "%", "usd": "$", "x": "x", "W": "power", "": "count", "tokens": "count"}
#: A model size after its family name ("LLAMA 405B") is a name, not a figure.
_MODEL_SIZE = re.compile(r"(?:llama|qwen|mistral|gemma|deepseek|gpt|model)[\s-]*(?:\d+(?:\.\d+)?[\s-]*)?$", re.I)


#: A figure said only to be denied ("not 2X every two years, ... 5X every year").
_DENIED = re.compile(r"\b(?:not|never|isn't|wasn't)\s+(?:\w+\s+)?$", re.I)


def figures(sentence: str) -> list[Figure]:
    """The figures in ``sentence`` with their kinds (module docstring), in order."""
    out = []
    for q in lex(sentence):
        kind = _UNIT_KIND.get(q.unit)
        if kind is None or _MODEL_SIZE.search(sentence[: q.start]) or _DENIED.search(sentence[: q.start]):
            continue
        if kind == "count" and re.match(r"\s*(?:times|x)\b", sentence[q.end :], re.I):
            kind = "x"  # "10 times as many tokens"
        out.append(Figure(q.text, q.value, kind))
    out += spelled(sentence)
    return out


def holds(sentence: str, kinds: tuple[str, ...]) -> bool:
    """Whether ``sentence`` holds a figure of one of ``kinds``."""
    return any(f.kind in kinds for f in figures(sentence))


#: A range whose unit is written once, after its second number ("50 to 70%", "10 to 15 times").
_UNIT_AFTER_RANGE = re.compile(
    r"(?<![\w.$])(\d+(?:\.\d+)?)\s*(?:to|-|–)\s*(\d+(?:\.\d+)?)\s*(%|percent\b|times\b|x\b)", re.I
)


def glosses(sentence: str) -> list[str]:
    """The figures of ``sentence`` as digits with their units beside the passage's words: 'two gigawatt = 2 GW'
    for a spelled figure, '50 to 70% = 50% to 70%' for a range whose unit is written once."""
    out = [f"{f.text} = {f.digits}" for f in spelled(sentence) if f.digits]
    for m in _UNIT_AFTER_RANGE.finditer(sentence):
        unit = "%" if m.group(3).lower() in ("%", "percent") else "x"
        out.append(f"{m.group(0)} = {m.group(1)}{unit} to {m.group(2)}{unit}")
    return out


#: A question about renting a GPU: what it goes for, rents for, costs on a deal or a term, against list.
_RENTAL = re.compile(
    r"\brent\w*|\blease\w*|\bdeal\b|\bterm\b|\bcontract\b|\blist(?: price)?\b|\bquoted\b|\bgo(?:es)? for\b|"
    r"\bget (?:an? |one )?[\w-]+ for\b|per hour|/h(?:ou)?r\b|hourly",
    re.I,
)
_GPU = re.compile(r"\b(?:gpus?|[a-z]{1,3}\d{2,4}[a-z]?|tpus?|accelerators?)\b", re.I)
#: Above this a dollar figure said of a GPU is not an hourly rent (USD; H100 on-demand list prices in the
#: transcript's era were $2-$4 per GPU-hour, claims.yaml h100-two-bucks; no GPU rents for $20 an hour).
MAX_HOURLY_USD = 20.0


def hourly_glosses(sentence: str, question: str) -> list[str]:
    """A question about renting a GPU ("what did he say you can rent an H100 for?"): each dollar figure of
    ``sentence`` up to :data:`MAX_HOURLY_USD` read as a price per GPU-hour, "two bucks = $2/hour per GPU";
    [] for any other question. A GPU's rent is quoted per hour; a dollar figure that small is no purchase price."""
    if not (_RENTAL.search(question) and _GPU.search(question)):
        return []
    out = []
    for f in figures(sentence):
        if f.kind == "$" and 0 < f.value <= MAX_HOURLY_USD:
            out.append(f"{f.text} = ${f.value:g}/hour per GPU")
    return out
