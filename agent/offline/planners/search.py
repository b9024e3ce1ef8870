"""Calls that read text: the transcript search, a datasheet (spec) question, a claim check."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.intents import detect
from agent.offline.parse import Parsed
from agent.offline.plan_types import Call, Plan
from knowledge.figures import asked_kinds

#: Passages read for a question that asks for a figure (the answer shows the ones holding it, up to 3 in all).
FIGURE_PASSAGES = 10


def clauses(question: str) -> list[str]:
    """The parts of a several-part question: split at '?', ';' and 'and what/how/where/if...'."""
    parts = re.split(
        r"\?|;|,? (?:and|also|plus|then) (?=what|what's|how|where|when|who|why|is|does|did|can|could|if)\b", question
    )
    return [c.strip() for c in parts if c and c.strip()]


def asked_speaker(question: str) -> str | None:
    """'guest', 'host' or the name of the speaker a question asks about ("what did Brad ask"), else None."""
    from knowledge.speakers import bundled_cast, query_speaker

    found = query_speaker(question, bundled_cast())
    return (found[1] or found[0]) if found else None


def search_query(question: str, prior: list[Call], prior_question: str) -> str:
    """The part of the question about what was said ('where did he say it' reuses the last query)."""
    parts = clauses(question)
    said = [c for c in parts if "search" in detect(c.lower())] or parts or [question]
    query = _SAID.sub(" ", " ".join(said)).replace('"', " ").replace("“", " ").replace("”", " ")
    query = re.sub(r"(?<![a-z0-9])'s\b|(?<=\s)'|'(?=\s)", " ", query)
    query = " ".join(query.split()).strip(" ,.?!—–-") or question
    content = [w for w in re.findall(r"[a-z0-9$]+", query.lower()) if w not in _STOP]
    if not content:  # "where did he say that?": the last topic; "what did he say about HBM?" searches HBM
        earlier = [c.args.get("query") for c in prior if c.name == "search_knowledge" and c.args.get("query")]
        if earlier:
            return earlier[0]
        if prior_question:
            return " ".join(_SAID.sub(" ", prior_question).split()).strip(" ,.?!")
    return query


SPEC_NOISE = re.compile(
    r"\b(?:how|much|many|does|do|an?|the|have|has|what'?s?|is|of|on|for|tell me|pls|please)\b|'s\b|\?", re.I
)


#: Words that say "search the transcript" but are not what to search for.
_SAID = re.compile(
    r"\b(?:(?:per|from) (?:the )?(?:pod|podcast|episode|show|interview|guest)|"
    r"(?:at )?(?:what|which) (?:chapter|part|section|segment|time|minute|timestamp)|what|where|"
    r"when|how|did|does|do|was|is|the|guest|dylan(?:'s)?|patel|he|they|bill|brad|gurley|gerstner|"
    r"say|said|says|ask(?:s|ed)?|mention(?:ed)?|talk(?:ed)?|think|thinks|claim(?:ed)?|argue[sd]?|about|on|in|podcast|pod|episode|"
    r"interview|transcript|bg2|according to|(?:his|their|the) (?:take|view|opinion|point)|view|take|quote|anything|something|there|"
    r"why|call(?:s|ed)?|mean(?:s|t)?|by|believe[sd]?|guests?|what'?s|think(?:s|ing)?|and|their|his|do|"
    r"wat|wht|thnk|thnks|abt|bout|sed|sayd|who|chapter|timestamp|at what point|discuss(?:ed|es|ing|ion)?|talks?|tell me|explain)\b",
    re.I,
)


_STOP = set(
    "what did does do he she they dylan patel say said says where when how about the a an it that this is was of on in to "
    "and or for with his their podcast pod episode transcript mention mentioned talk talked think thinks".split()
)


CLAIM_PREFIX = re.compile(
    r"^\s*(?:is it (?:really )?true|fact[- ]?check:?|check (?:the |this |his )?claim:?|was (?:he|dylan) right|"
    r"is (?:he|dylan) right|does (?:the|his|this) claim hold|verify|(?:can you )?(?:check|confirm)(?: whether| if)?)"
    r"\s*(?:the claim|his claim|this claim)?\s*(?:that|about|when he said|saying)?\s*",
    re.I,
)


#: Datasheet attributes as analysts ask for them -> a label the spec-row text uses (see compose).
SPEC_ATTRIBUTES = (
    ("interconnect", r"interconnect|nvlink|scale[- ]?up|infinity fabric"),
    ("memory bandwidth", r"bandwidth|\bbw\b|tb/s|gb/s(?! per chip)"),
    ("fp4 tflops", r"\bfp4\b.{0,20}(?:flops|tops|compute|perf)|(?:flops|tops|compute).{0,20}\bfp4\b"),
    ("fp8 tflops", r"\bfp8\b.{0,20}(?:flops|tops|compute|perf)|(?:flops|tops|compute).{0,20}\bfp8\b"),
    (
        "bf16 tflops",
        r"(?:bf16|fp16)\b.{0,20}(?:flops|compute|perf)|(?:flops|compute).{0,20}(?:bf16|fp16)|\bt?flops\b|compute",
    ),
    ("memory", r"\bhbm|\bmemory\b|\bvram\b|capacity"),
    ("power", r"\btdp\b|\bwatts?\b|\bpower\b"),
    ("price", r"\bprice\b|\bcost\b"),
)


#: "which chip has the most HBM / highest bandwidth / lowest TDP": a ranking over the catalog rows.
SUPERLATIVE = r"\b(most|highest|largest|biggest|fastest|best|lowest|least|smallest|fewest)\b"


#: Each datasheet attribute as the ``chip_specs`` sort field that ranks it.
SPEC_SORT = {
    "interconnect": "interconnect",
    "memory bandwidth": "bandwidth",
    "fp4 tflops": "fp4",
    "fp8 tflops": "fp8",
    "bf16 tflops": "bf16",
    "memory": "memory",
    "power": "power",
    "price": "price",
}


def spec_attribute(text: str) -> str | None:
    """The datasheet attribute a spec question asks for ("h200 memory bandwidth" -> "memory bandwidth")."""
    for label, pattern in SPEC_ATTRIBUTES:
        if re.search(pattern, text):
            return label
    return None


def text_calls(intent: str, question: str, p: Parsed, before: tuple[list[Call], str], plan: Plan) -> None:
    """The call for a claim, a search of what was said, or a datasheet question (one search per plan).

    ``before``: the previous turn's calls and question ("where did he say that?" searches the last topic).
    """
    if intent == "claim":
        plan.calls.append(Call("check_claim", {"claim": CLAIM_PREFIX.sub("", question).strip() or question}))
        return
    if any(c.name == "search_knowledge" for c in plan.calls):
        return
    query = search_query(question, *before)
    if intent == "spec":
        plan.calls.append(_spec_call(query, p, plan))
        return
    source = "all" if re.search(r"spec|data ?sheet", p.text) else "transcript"
    if source == "transcript" and _unmentioned(question, p, plan):
        return
    args: dict[str, Any] = {"query": query, "source": source}
    if source == "transcript" and (who := asked_speaker(question)):
        args["speaker"] = who  # "what did Dylan say" prefers the guest's turns, "what did Brad ask" the hosts'
    if asked_kinds(question):
        args["k"] = FIGURE_PASSAGES  # the sentence with the figure may sit in a passage ranked below the top 5
    plan.calls.append(Call("search_knowledge", args))


def _unmentioned(question: str, p: Parsed, plan: Plan) -> bool:
    """A question only about what was said, naming a chip the episode never mentions: the reply says so
    (:mod:`agent.offline.absent_subject`); whether it did."""
    from agent.offline.absent_subject import absent_chips, not_discussed

    absent = absent_chips(p.chips)
    if not absent or set(detect(question.lower())) - {"search"}:
        return False
    plan.reply = not_discussed(absent, [m.text for m in p.chips if m.text not in absent])
    return True


def _spec_call(query: str, p: Parsed, plan: Plan) -> Call:
    """A datasheet question: the named chips' catalog rows, or a ranking of every row ("which chip has the most HBM")."""
    query = " ".join(SPEC_NOISE.sub(" ", query).split()) or query
    chips = [m.name for m in p.chips if m.name]
    attribute = spec_attribute(p.text)
    if chips:
        # the catalog names first, so the rows of the chips asked about rank high; more
        # rows than shown, so the answer can pick those rows (see compose.spec_section)
        query = f"{' '.join(chips)} {attribute or query}"
        plan.spec = (chips, attribute)
    elif attribute and (rank := re.search(SUPERLATIVE, p.text)):
        # "which chip has the most HBM": every catalog row ranked by the typed catalog, not prose
        least = rank.group(1) in ("lowest", "least", "smallest", "fewest")
        return Call("chip_specs", {"sort": SPEC_SORT[attribute], "ascending": least, "limit": 5})
    return Call(
        "search_knowledge", {"query": query, "source": "specs", "k": 20 if len(chips) > 8 else 8 if chips else 5}
    )
