"""What a question asks for, from the words analysts use. Pure functions over lower-cased text.

Each intent maps to one tool: ``claim`` -> check_claim, ``search`` -> search_knowledge,
``kv`` -> kv_cache, ``fit`` -> memory_fit, ``speed`` -> throughput, ``cost`` -> tco,
``buildout`` -> buildout, ``capex`` -> capex, ``calc`` -> calculate. A question can hold several
("where did he say it and what's the annual bill for 1,024 GPUs?" -> search + cost).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from agent.offline.parse import Parsed

INTENT_TOOL = {
    "claim": "check_claim",
    "search": "search_knowledge",
    "kv": "kv_cache",
    "fit": "memory_fit",
    "speed": "throughput",
    "cost": "tco",
    "buildout": "buildout",
    "capex": "capex",
    "calc": "calculate",
    "spec": "search_knowledge",
    "chip_attribute": "search_knowledge",
}

_PATTERNS: dict[str, str] = {
    "claim": (
        r"\b(?:is it (?:really )?true|is (?:that|this|it) (?:really )?(?:true|right|correct)|true that|"
        r"does (?:the|that|this|his) (?:claim|statement|number|math)|claim (?:that|hold)|was (?:he|dylan) right|"
        r"is (?:he|dylan) right|(?:did|does) (?:he|dylan) get .{0,40} right|fact[- ]?check|check (?:the |this |that |his )?claim|"
        r"(?:does|do) (?:that|this|the numbers?) (?:hold|check out|add up)|hold up|verify (?:that|the|his)|"
        r"\bclaims?\b.{0,30}\b(?:right|true|correct|accurate|legit|hold|valid|realistic)\b)"
    ),
    "search": (
        r"\b(?:wh?at (?:did|does|do) (?:he|dylan|patel|the guest|they) (?:thi?nk|say|sa[iy]d)|what did|what does (?:he|"
        r"dylan|patel|the guest)|what was said|where did|when did|did (?:he|dylan|they|bill|brad|patel)\b|"
        r"according to|in the (?:podcast|pod|episode|interview|transcript|show)|on the (?:pod|podcast|show)|"
        r"(?:he|dylan|they|patel|brad|bill|gurley|gerstner) (?:say|says|said|mention|mentioned|think|thinks|claim|claimed|talk|talked|argue|argued)|"
        r"quote|talk(?:ed)? about|(?:his|their|the guest'?s?|dylan'?s) (?:take|view|opinion|point|argument|thesis|prediction)|"
        r"dylan|patel|transcript|podcast|\bbg2\b|the guests?\b|\b(?:comment|remark|analogy|quip)\b|"
        r"\bwhy (?:does|did|do|is|was|would|are|were) (?:he|she|dylan|they|the guests?|bill|brad|patel|gurley|gerstner)\b|"
        r"\b(?:he|dylan|they|patel|brad|bill|gurley|gerstner|the guests?) (?:calls?|called|means?|meant|believes?|believed|"
        r"predicts?|predicted|expects?|expected|compares?|compared|describes?|described|explains?|explained|reckons?|"
        r"thinks?|argues?|argued|sees?|views?|feels?)\b|"
        r"what (?:do|did|does) (?:they|he|bill|brad|the guests?) (?:mean|think|believe|say|predict|expect)|"
        r"(?:spec|data) ?sheet says|per the (?:spec|data) ?sheet|"
        r"\bwho (?:said|says|called|calls|mentioned|talked)\b|\b(?:what|which) (?:chapter|part|section|segment)\b|"
        r"\b(?:what|which) (?:time|minute|timestamp)\b|at what point|\bdiscuss(?:ed|es|ing|ion)?\b)"
    ),
    # "ignore kv", "no kv reads": a condition on another calculation, not a question about the cache
    "kv": r"(?<!ignore )(?<!ignoring )(?<!no )(?<!without )(?<!excluding )(?<!exclude )(?<!minus )\bkv\b(?! reads?\b)|"
    r"kv[- ]?cache|\bcache size|key[- ]value",
    "fit": (
        r"\bfit\b|\bfits\b|concur|(?<!power )(?<!grid )\b(?:memory )?headroom\b|"
        r"how many (?:[\w()-]+\s+){0,3}?(?:users|requests|sequences|seqs|sessions|people|streams|chats|conversations|reqs)\b|"
        r"max(?:imum)? (?:batch|concurrency|users|requests)|\boom\b|out of memory|enough (?:memory|vram|hbm)|"
        r"how many (?:gpus|chips|accelerators|cards|\w+s) (?:do (?:i|we|you) need|needed|are needed|to (?:serve|run|hold|host))|"
        r"min(?:imum)? (?:number of )?(?:gpus|accelerators|chips)|\bvram\b|can (?:i|we|it|you) (?:run|serve|host|load)|"
        r"\bcan (?:a|an|one|single|\d+|the|my|our)\b.{0,30}\b(?:hold|run|serve|host|load|handle|take)\b|"
        r"(?<!\d )(?<!\d)\busers\b(?! per)|"
        r"how much (?:vram|memory|gpu memory|hbm) (?:for|to run|to serve|to host|is needed|needed|do (?:i|we|you) need|would (?:i|we|it) need)|"
        r"\b(?:run|serve|host|load)\b.{0,30}?\bon (?:a|one|an|single|\d)"
    ),
    "speed": (
        r"how long (?:would|will|does|do|to)\b.{0,30}\b(?:take|generate|produce|decode)|"
        r"tok(?:en)?s?\s*/\s*s(?:ec)?\b|tokens? (?:per|a|/) ?sec|\btps\b|throu?g?h?put|thruput|"
        r"\bspeed|how fast|\bfast(?:er|est)?\b|\b(?:quicker|slower)\b|latency|\bttft\b|"
        r"time to first|decode rate|per[- ]user (?:speed|rate)|tokens per second|"
        r"\bceiling\b|\broofline\b|(?:bandwidth|memory|mem|bw)[- ]bound|decode (?:bound|limit)|upper bound on (?:decode|tok)|"
        r"\b(?:decode|thro\w{0,4}put)\s+(?:\w+\s+)?(?:upper )?(?:bound|limit)\b"
    ),
    "cost": (
        r"\bcosts?\b|\bcosting\b|\$\s*/\s*(?:(?:gpu|chip|accelerator|card)[- ]?)?(?:hr|hour|mtok|m tok)|"
        r"per (?:hour|gpu[- ]?h(?:ou)?r|million tokens|m tokens|mtok|1m tokens)|"
        r"\btco\b|\bown(?:ing)?\b|\bbill\b|price per (?:hour|token|million)|/\s*mtok|\$/m\b|dollars per|"
        r"how much (?:does|would|will|do) .{0,40} (?:cost|run)|\bopex\b|power bill|electricity bill|\bpay\b|"
        r"break[- ]?even|\brent(?:ing|al|s)?\b|\bmargins?\b|per dollar|tokens? per \$|per mw\b|/\s*mw\b|"
        r"make money|\bprofit(?:able|ability)?\b|pay ?back|\bcharge\b|\bbucks?\b|power draw|\bdraws?\b"
    ),
    "buildout": r"\bgw\b|gigawatt|build[- ]?out|\bcampus\b|(?<!per )(?<!/)\bmw\b|(?<!per )megawatt|\d\s*-?\s*(?:gw|mw)\b",
    "capex": r"\bcapex\b|capital (?:expenditure|spend)|property,? (?:&|and) equipment|\bpp&e\b|\bspend(?:ing)?\b|\binvest(?:ment|ing)?\b",
    "spec": (
        r"how much (?:hbm|memory|bandwidth|power)|(?:memory|hbm) (?:bandwidth|capacity|size)|\btdp\b|\bspecs?\b|"
        r"data ?sheet|how many (?:tflops|flops|pflops)|what(?:'s| is) the (?:hbm|memory|bandwidth|flops)|"
        r"which (?:chip|gpu|accelerator|card|xpu)s? (?:has|have|with|offers?|"
        r"gives?) (?:the )?(?:most|highest|largest|biggest|lowest|least|fastest|best)"
    ),
    # a chip's datasheet attribute named with the chip ("mi300x fp8 tflops", "b200 bandwidth"): see detect()
    "chip_attribute": (
        r"\b(?:t|p)?flops\b|\btops\b|bandwidth|\bhbm\d?e?\b|\bmemory\b|\bvram\b|\btdp\b|\bwatts?\b|interconnect|nvlink|"
        r"\bprice\b|\bpriced\b|list price|street price"
    ),
    "calc": r"\b(?:calculate|compute|what'?s|what is|how much is|eval(?:uate)?|work out)\b",
}


#: Fit words that ask about fitting even beside a cost question ("run ... on 8 h100s" alone does not).
_STRONG_FIT = (
    r"\bfits?\b|concur|how many (?:users|requests)|\boom\b|out of memory|"
    r"enough (?:memory|vram|hbm)|\bvram\b|min(?:imum)? (?:gpus|accelerators)"
)
#: Words naming the podcast or its speakers: "what did dylan say about capex" stays a transcript question.
_SPEAKERS = (
    r"\b(?:he|she|they|dylan|patel|bill|brad|gurley|gerstner|guests?|podcast|pod|episode|transcript|interview|bg2|"
    r"show|say|said|says|think|thinks|mention(?:ed)?|discuss(?:ed)?)\b"
)
#: "why ..." with no calculator words: a question about reasons, which only the transcript can answer.
_WHY = re.compile(r"^\s*(?:but |so |and |ok,? )?(?:why|how come)\b")


@dataclass
class Cues:
    """What :data:`RULES` read: the question's lower-case text, the intents found so far, and what parsing saw."""

    text: str
    found: list[str]
    has_expression: bool = False
    has_companies: bool = False
    has_chip: bool = False
    fired: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class Rule:
    """One override of the word patterns: when ``when`` holds, ``drop`` leaves and ``add`` joins the intents
    (appended, once); ``only`` makes the intents that one alone and ends the rules.

    ``example`` is the question that motivated the rule and ``gives`` what :func:`detect` returns for it
    (tests/agent/test_offline_intent_rules.py checks every row: the rule fires and the intents match).
    """

    example: str
    gives: tuple[str, ...]
    when: Callable[[Cues], bool]
    drop: str | None = None
    add: str | None = None
    only: str | None = None


def _has(c: Cues, *names: str) -> bool:
    return all(n in c.found for n in names)


def _others(c: Cues, *besides: str) -> set[str]:
    return set(c.found) - set(besides)


#: The overrides, in the order they apply; each row's example is the question that motivated it.
RULES: tuple[Rule, ...] = (
    # a chip's datasheet attribute named with the chip: that chip's spec row
    Rule(
        "mi300x fp8 tflops",
        ("spec",),
        lambda c: _has(c, "chip_attribute") and c.has_chip and "spec" not in c.found,
        add="spec",
    ),
    # a datasheet word alone is no question: "fp8 tflops" with no chip
    Rule("fp8 tflops", (), lambda c: _has(c, "chip_attribute"), drop="chip_attribute"),
    # the claim's own numbers are what check_claim checks, not new inputs
    Rule("is it true that a GW costs $50 billion?", ("claim",), lambda c: _has(c, "claim"), only="claim"),
    # "what did MSFT spend in FY24": the filings, not the podcast
    Rule(
        "what did MSFT spend in FY24",
        ("capex",),
        lambda c: (
            _has(c, "search")
            and c.has_companies
            and ("capex" in c.found or bool(re.search(r"\bguid(?:e|ed|ance)\b", c.text)))
            and not re.search(_SPEAKERS, c.text)
        ),
        drop="search",
        add="capex",
    ),
    # "how many MW does a 100k H100 cluster draw": the fleet's draw, not a build-out of N GW
    Rule(
        "how many MW does a 100k H100 cluster draw",
        ("cost",),
        lambda c: (
            _has(c, "buildout")
            and not re.search(r"\d\s*-?\s*(?:gw|mw|gigawatts?|megawatts?)\b", c.text)
            and bool(re.search(r"\bdraws?\b|power draw|how many (?:mw|megawatts)", c.text))
        ),
        drop="buildout",
        add="cost",
    ),
    # "KV for qwen 72b at 12k, 16 concurrent": the cache of that batch, no accelerator named
    Rule(
        "KV for qwen 72b at 12k, 16 concurrent",
        ("kv",),
        lambda c: _has(c, "kv", "fit") and not c.has_chip and not re.search(r"\bfits?\b", c.text),
        drop="fit",
    ),
    # capex words with no company: a company's capex only when named ("capex" alone, or hyperscalers)
    Rule(
        "(1) GPUs in 1 GW of facility power at 1.25 kW IT per GPU and PUE 1.2; (2) capex for them at $40k per GPU",
        ("buildout",),
        lambda c: (
            _has(c, "capex")
            and not (c.has_companies or re.search(r"hyperscal|big tech|big (?:4|5|four|five)", c.text))
            and (len(_others(c, "calc")) > 1 or "capex" not in c.text)
        ),
        drop="capex",
    ),
    # a company's capex with build-out words but no size: the company's, not a build-out
    Rule(
        "hyperscaler capex build-out plans for 2026",
        ("capex",),
        lambda c: _has(c, "capex", "buildout") and not re.search(r"\d\s*-?\s*(?:gw|mw)\b|gigawatt|megawatt", c.text),
        drop="buildout",
    ),
    # a company's capex with cost words but no unit cost: the company's spend
    Rule(
        "how much will meta spend on capex next year and what will it cost them",
        ("capex",),
        lambda c: (
            _has(c, "capex", "cost") and not re.search(r"per (?:hour|million)|/\s*(?:hr|hour|mtok)|\btco\b", c.text)
        ),
        drop="cost",
    ),
    # a build-out's own bill: the build-out prices the site, not the cost calculator
    Rule(
        "1 gw buildout, 1.5 kw/accelerator, $25k each, power at $0.05/kwh - annual power bill?",
        ("buildout",),
        lambda c: _has(c, "buildout", "cost"),
        drop="cost",
    ),
    # "what does it cost to run 70b on 8 h100s": a cost question, not a fit one
    Rule(
        "what does it cost to run 70b on 8 h100s",
        ("cost",),
        lambda c: _has(c, "cost", "fit") and not re.search(_STRONG_FIT, c.text),
        drop="fit",
    ),
    # "how much memory for 405b at 8k": a calculator question, not a datasheet one
    Rule(
        "how much memory for 405b at 8k",
        ("fit",),
        lambda c: _has(c, "spec") and bool(_others(c, "spec", "calc")),
        drop="spec",
    ),
    # "what is ..." reads as arithmetic only when there is an expression to evaluate
    Rule("what is the tco of an h100?", ("cost",), lambda c: _has(c, "calc") and not c.has_expression, drop="calc"),
    # a bare expression ("3 * 4.5"), alone or beside a quote: evaluate it
    Rule(
        "1024 * 8",
        ("calc",),
        lambda c: c.has_expression and "calc" not in c.found and not _others(c, "search"),
        add="calc",
    ),
    # an expression inside a calculator question is that calculator's input, unless asked to compute it
    Rule(
        "what's the tco of 8 x 8 h100s",
        ("cost",),
        lambda c: (
            _has(c, "calc")
            and bool(_others(c, "calc", "search"))
            and not re.search(r"\b(?:calculate|compute)\b", c.text)
        ),
        drop="calc",
    ),
    # "why is X ...": the reasons given in the conversation, not a refusal
    Rule(
        "why is everyone buying nvidia?", ("search",), lambda c: not c.found and bool(_WHY.search(c.text)), add="search"
    ),
    # a company's purchases of P&E are its capex (the cash series the filings report)
    Rule(
        "total Alphabet purchases of P&E 2019 through 2024?",
        ("capex",),
        lambda c: c.has_companies and bool(re.search(r"\bp\s?&\s?e\b|purchases of property", c.text)),
        add="capex",
    ),
    # "per the pod, how does X compare": what was said, not a calculator's figure
    Rule(
        "per the pod, how does the price of trainium compare with h100?",
        ("search",),
        lambda c: bool(re.search(r"\b(?:per|from) the (?:pod|podcast|episode|show|interview|guest)\b", c.text)),
        only="search",
    ),
)


def apply_rules(cues: Cues) -> Cues:
    """Apply :data:`RULES` in order to ``cues.found``, recording each rule that fired in ``cues.fired``."""
    for rule in RULES:
        if not rule.when(cues):
            continue
        cues.fired.append(rule)
        if rule.only:
            cues.found[:] = [rule.only]
            break
        if rule.drop in cues.found:
            cues.found.remove(rule.drop)
        if rule.add and rule.add not in cues.found:
            cues.found.append(rule.add)
    return cues


def detect(
    text: str, *, has_expression: bool = False, has_companies: bool = False, has_chip: bool = False
) -> list[str]:
    """Intents in ``text`` (lower-case), most specific first; see the module docstring.

    The word patterns find candidates; :data:`RULES` then settle overlaps. ``has_chip``: the question
    names a catalog chip, so a bare datasheet word ("mi300x fp8 tflops", "h200 bandwidth") asks for
    that chip's spec row.
    """
    found = [name for name, pattern in _PATTERNS.items() if re.search(pattern, text)]
    return apply_rules(Cues(text, found, has_expression, has_companies, has_chip)).found


@dataclass(frozen=True)
class QuestionRule:
    """An override read from the parsed question rather than its words: when ``when(parsed, intents, focus)``
    holds, the intents become ``gives`` alone. ``example`` is the question that motivated it
    (tests/agent/test_offline_intent_rules.py plans it and checks the tool ``gives`` maps to)."""

    example: str
    gives: str
    when: Callable[[Parsed, list[str], list[str]], bool]


#: Overrides the planner applies after the words' intents (agent.offline.plan), in order.
QUESTION_RULES: tuple[QuestionRule, ...] = (
    # a model and a chip, no other question: does it fit
    QuestionRule(
        "70b on 8 h100s",
        "fit",
        lambda p, i, f: not i and bool(p.models or p.unknown_models) and bool(p.chips or p.unknown_chips),
    ),
    # a fleet's capex, not a company's
    QuestionRule(
        "capex for 100,000 h100s",
        "cost",
        lambda p, i, f: i == ["capex"] and not p.companies and bool(p.chips or p.count),
    ),
    # the model's memory, not a datasheet
    QuestionRule(
        "hey, quick one: how much HBM does llama 3.1 405b need at fp8 for 64 users at 8k?",
        "fit",
        lambda p, i, f: i == ["spec"] and bool(p.models) and not (p.chips or p.unknown_chips),
    ),
    # a fleet, so the cost tool's all-in kW
    QuestionRule("tdp of 1,024 h100s", "cost", lambda p, i, f: i == ["spec"] and (p.count or 0) > 1),
    # nothing to compute, so what was said
    QuestionRule(
        "how does inference cost scale with reasoning?",
        "search",
        lambda p, i, f: (
            i == ["cost"] and not (p.chips or p.models or p.unknown_chips or p.unknown_models or p.stated() or f)
        ),
    ),
)


def question_intents(p: Parsed, intents: list[str], focus: list[str]) -> list[str]:
    """``intents`` after :data:`QUESTION_RULES` (``focus``: the quantities asked for, agent.offline.focus)."""
    for rule in QUESTION_RULES:
        if rule.when(p, intents, focus):
            intents = [rule.gives]
    return intents
