"""The cost of one query made of priced token parts (input, thinking, answer), by ``calculate``.

"reasoning query: 1000 output tokens plus 10k thinking tokens, output priced at $60/mil. per query cost vs a plain
1000-token answer?", "300 input toks, 10,000 thinking + 1,000 answer toks out; output $0.60/Mtok, input $0.15/Mtok:
cost per query?", "1,500 in + 800 out tokens at a blended $0.35 per mil tok: cost per query and per 1.5M queries"
describe one query (USD, tokens):

    cost per query = input tokens x input price / 10^6 + (thinking + answer tokens) x output price / 10^6
                     (thinking tokens are generated, so billed as output; one stated price prices every part)
    plain answer   = its tokens x output price / 10^6;  ratio = cost per query / plain answer      ("vs a plain ...")
    N queries      = cost per query x N                                                            ("per 1.5M queries")

Nothing is computed unless the question asks for a cost per query (or per answer, request, call) and every stated
number is a token part, a price per million tokens, a plain answer's tokens or a number of queries.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(r"(?:per|each|a|one|the)\s+(?:query|request|answer|call|response)|cost of (?:a|one) query", re.I)
#: The part of a query a count names, by the first word after the number.
_ROLES = (
    ("thinking", re.compile(r"think|reason", re.I)),
    ("input", re.compile(r"\b(?:in|input|prompt)\b", re.I)),
    ("output", re.compile(r"\b(?:out|output|answer|completion|generated|response)\b", re.I)),
)
_PLAIN = re.compile(
    r"(?:plain|normal|non-reasoning|regular|simple|ordinary|vs\.?|versus|compared to)\s+(?:an?\s+)?$", re.I
)
_QUERIES = re.compile(r"\s*(?P<mag>[kmb])?\s*(?:queries|requests|calls|answers)\b", re.I)
_MAG = {"k": 1e3, "m": 1e6, "b": 1e9}
_NUMBER = re.compile(
    r"(?<![\w.,$])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?=\s*[kmb]?\s*(?:queries|requests|calls|answers)\b)", re.I
)


_PRICE_WORD = re.compile(r"\b(?:input|in|prompt|output|out|completion)\b", re.I)


def _role(question: str, q: Quantity) -> str | None:
    """The part a token count names: the first role word in its own text or just after it (up to the next number)."""
    tail = question[q.end :]
    nxt = re.search(r"\d", tail)
    window = q.text + tail[: min(24, nxt.start() if nxt else 24)]
    found = [(m.start(), name) for name, pattern in _ROLES if (m := pattern.search(window))]
    return min(found)[1] if found else None


def _price_roles(question: str, prices: list[Quantity]) -> dict[str, Quantity] | None:
    """Output and input price: one price prices every part; two are told apart by 'input' / 'output' near them."""
    if len(prices) == 1:
        return {"input": prices[0], "output": prices[0]}
    out: dict[str, Quantity] = {}
    for p in prices:
        before = list(_PRICE_WORD.finditer(question[max(0, p.start - 24) : p.start]))
        after = re.match(r"\s*" + _PRICE_WORD.pattern, question[p.end : p.end + 16], re.I)  # "$3/M input"
        word = after if after is not None else before[-1] if before else None
        role = None if word is None else "input" if word.group(0).lower() in ("input", "in", "prompt") else "output"
        if role is None or role in out:
            return None
        out[role] = p
    return out if len(out) == 2 else None


def query_bill_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that bill."""
    if not _ASKED.search(question):
        return None
    prices = [q for q in quantities if q.unit == "usd/mtok"]
    priced = _price_roles(question, prices) if prices else None
    if priced is None:
        return None
    parts: dict[str, Quantity] = {}
    plain: Quantity | None = None
    for q in quantities:
        if q in prices:
            continue
        if q.unit not in ("tokens", "") or q.value < 1:
            return None
        if _PLAIN.search(question[: q.start]) and plain is None:
            plain = q
            continue
        role = _role(question, q)
        if role is None or role in parts:
            return None
        parts[role] = q
    if not parts or ("input" in parts and len(prices) == 1 and re.search(r"output (?:priced|at|only)", question, re.I)):
        return None
    terms = []
    how = []
    for role in ("input", "thinking", "output"):
        if role in parts:
            price = priced["input" if role == "input" else "output"]
            terms.append(f"{expr_number(parts[role].value)} * {expr_number(price.value)} / 1e6")
            how.append(f"{parts[role].text} {role} at {price.text}")
    per_query = " + ".join(terms)
    labels: Labels = {per_query: ("Cost per query", "USD", "; ".join(how))}
    if plain is not None:
        out_price = priced["output"]
        plain_expr = f"{expr_number(plain.value)} * {expr_number(out_price.value)} / 1e6"
        labels[plain_expr] = ("Plain answer", "USD", f"{plain.text} at {out_price.text}")
        labels[f"({per_query}) / ({plain_expr})"] = ("Ratio to the plain answer", "x", "cost per query / plain answer")
    m = _NUMBER.search(question)
    if m:
        mag = _QUERIES.match(question, m.end())
        n = float(m.group(1).replace(",", "")) * (_MAG[mag.group("mag").lower()] if mag and mag.group("mag") else 1)
        labels[f"({per_query}) * {expr_number(n)}"] = (
            f"Cost of {question[m.start() : mag.end() if mag else m.end()].strip()}",
            "USD",
            "cost per query x queries",
        )
    note = "Each query priced part by part on your prices: thinking tokens are generated, so billed as output."
    return [make("calculate", {"expression": e}) for e in labels], labels, note
