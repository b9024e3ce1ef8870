"""What a question asks for, from the words analysts use. Pure functions over lower-cased text.

Each intent maps to one tool: ``claim`` -> check_claim, ``search`` -> search_knowledge,
``kv`` -> kv_cache, ``fit`` -> memory_fit, ``speed`` -> throughput, ``cost`` -> tco,
``buildout`` -> buildout, ``capex`` -> capex, ``calc`` -> calculate. A question can hold several
("where did he say it and what's the annual bill for 1,024 GPUs?" -> search + cost).
"""

from __future__ import annotations

import re

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
}

_PATTERNS: dict[str, str] = {
    "claim": (
        r"\b(?:is it (?:really )?true|is (?:that|this|it) (?:really )?(?:true|right|correct)|true that|"
        r"does (?:the|that|this|his) (?:claim|statement|number|math)|claim (?:that|hold)|was (?:he|dylan) right|"
        r"is (?:he|dylan) right|(?:did|does) (?:he|dylan) get .{0,40} right|fact[- ]?check|check (?:the |this |that |his )?claim|"
        r"(?:does|do) (?:that|this|the numbers?) (?:hold|check out|add up)|hold up|verify (?:that|the|his))"
    ),
    "search": (
        r"\b(?:what did|what does (?:he|dylan|patel|the guest)|what was said|where did|when did|did (?:he|dylan|they|bill|brad|patel)\b|"
        r"according to|in the (?:podcast|pod|episode|interview|transcript|show)|on the (?:pod|podcast|show)|"
        r"(?:he|dylan|they|patel|brad|bill|gurley|gerstner) (?:say|says|said|mention|mentioned|think|thinks|claim|claimed|talk|talked|argue|argued)|"
        r"quote|talk(?:ed)? about|his (?:take|view|opinion|point)|dylan|patel|transcript|podcast|\bbg2\b|"
        r"(?:spec|data) ?sheet says|per the (?:spec|data) ?sheet)"
    ),
    "kv": r"\bkv\b|kv[- ]?cache|\bcache size|key[- ]value",
    "fit": (
        r"\bfit\b|\bfits\b|concur|how many (?:users|requests|sequences|seqs|sessions|people|streams|chats|conversations|reqs)|"
        r"max(?:imum)? (?:batch|concurrency|users|requests)|\boom\b|out of memory|enough (?:memory|vram|hbm)|"
        r"how many (?:gpus|chips|accelerators|cards|\w+s) (?:do (?:i|we|you) need|needed|are needed|to (?:serve|run|hold|host))|"
        r"min(?:imum)? (?:number of )?(?:gpus|accelerators|chips)|\bvram\b|can (?:i|we|it|you) (?:run|serve|host|load)|"
        r"\b(?:run|serve|host|load)\b.{0,30}?\bon (?:a|one|an|single|\d)"
    ),
    "speed": (
        r"tok(?:en)?s?\s*/\s*s(?:ec)?\b|tokens? (?:per|a|/) ?sec|\btps\b|throu?g?h?put|thruput|\bspeed|how fast|\bfast(?:er|est)?\b|\b(?:quicker|slower)\b|latency|\bttft\b|"
        r"time to first|decode rate|per[- ]user (?:speed|rate)|tokens per second"
    ),
    "cost": (
        r"\bcosts?\b|\bcosting\b|\$\s*/\s*(?:hr|hour|mtok|m tok)|per (?:hour|gpu[- ]?h(?:ou)?r|million tokens|m tokens|mtok|1m tokens)|"
        r"\btco\b|\bown(?:ing)?\b|\bbill\b|price per (?:hour|token|million)|/\s*mtok|\$/m\b|dollars per|"
        r"how much (?:does|would|will|do) .{0,40} (?:cost|run)|\bopex\b|power bill|electricity bill|\bpay\b"
    ),
    "buildout": r"\bgw\b|gigawatt|build[- ]?out|\bcampus\b|\bmw\b|megawatt|\d\s*-?\s*(?:gw|mw)\b",
    "capex": r"\bcapex\b|capital (?:expenditure|spend)|\bspend(?:ing)?\b|\binvest(?:ment|ing)?\b",
    "spec": (
        r"how much (?:hbm|memory|bandwidth|power)|(?:memory|hbm) (?:bandwidth|capacity|size)|\btdp\b|\bspecs?\b|"
        r"data ?sheet|how many (?:tflops|flops|pflops)|what(?:'s| is) the (?:hbm|memory|bandwidth|flops)"
    ),
    "calc": r"\b(?:calculate|compute|what'?s|what is|how much is|eval(?:uate)?|work out)\b",
}


def detect(text: str, *, has_expression: bool = False, has_companies: bool = False) -> list[str]:
    """Intents in ``text`` (lower-case), most specific first; see the module docstring."""
    found = [name for name, pattern in _PATTERNS.items() if re.search(pattern, text)]
    if "claim" in found:
        return ["claim"]  # the claim's own numbers are what check_claim checks, not new inputs
    if "capex" in found and not (has_companies or re.search(r"hyperscal|big tech|big (?:4|5|four|five)", text)):
        if len(found) > 1 or "capex" not in text:
            found.remove("capex")
    if "capex" in found and "buildout" in found and not re.search(r"\d\s*-?\s*(?:gw|mw)\b|gigawatt|megawatt", text):
        found.remove("buildout")
    if "capex" in found and "cost" in found and not re.search(r"per (?:hour|million)|/\s*(?:hr|hour|mtok)|\btco\b", text):
        found.remove("cost")
    if "buildout" in found and "cost" in found:
        found.remove("cost")
    if "spec" in found and len(set(found) - {"spec", "calc"}) > 0:
        found.remove("spec")  # "how much memory for 405b at 8k": a calculator question, not a datasheet one
    if "calc" in found and not has_expression:
        found.remove("calc")
    if has_expression and "calc" not in found and not (set(found) - {"search"}):
        found.append("calc")
    if "calc" in found and len(set(found) - {"calc", "search"}) > 0 and not re.search(r"\b(?:calculate|compute)\b", text):
        found.remove("calc")
    return found
