"""Plain arithmetic written in a question ('1,024 x $2 x 8,760'), as the ``calculate`` tool takes it."""

from __future__ import annotations

import re


def arithmetic_expression(question: str) -> str | None:
    """A plain arithmetic expression in the question ('1,024 x $2 x 8,760'), as the calculator takes it.

    Only digits, operators and parentheses survive; 'x' and '×' become '*', '$', thousands
    commas and unit words are dropped. Returns None when there is no operator between numbers.
    """
    t = question.lower().replace("×", "x")
    t = re.sub(r"(?<=\d),(?=\d{3}\b)", "", t)
    t = re.sub(r"\b(\d+(?:\.\d+)?)e([+-]?\d{1,2})\b", lambda m: f"{float(m.group(0)):.12g}", t)  # 2e6 -> 2000000
    t = re.sub(
        r"\b(\d+(?:\.\d+)?)\s*([mb])\s+(?=tok)",
        lambda m: f"{float(m.group(1)) * (1e6 if m.group(2) == 'm' else 1e9):.12g} ",
        t,
    )  # "1B tokens": a count, not a model size
    t = re.sub(
        r"\btok(?:en)?s?\s*/\s*s(?:ec(?:ond)?)?\b|\btok(?:en)?s?\b", " ", t
    )  # "1M tokens / 2,000 tok/s": counts and rates
    t = re.sub(r"\b(gpus?|hours?|hrs?|h|days?|years?|yrs?|per|an?|the|usd|dollars?)\b", " ", t)
    # "(128 heads x (192+128) dims x 61 layers x 2 B)": a KV formula's dimension words and its closing byte unit
    t = re.sub(r"\b(?:heads?|dims?|dimensions?|layers?)\b", " ", t)
    t = re.sub(r"(\d)\s*b\s*\)", r"\1)", t)
    t = t.replace("$", " ")
    t = re.sub(r"(?<=[\d)\s])x(?=[\s\d(])", "*", t)
    t = re.sub(r"(\d+(?:\.\d+)?)\s*k\b", lambda m: f"{float(m.group(1)) * 1000:g}", t)
    scale = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
    t = re.sub(
        r"(\d+(?:\.\d+)?)\s*(thousand|million|mn|billion|bn|trillion)\b",
        lambda m: f"{float(m.group(1)) * scale[m.group(2)]:.12g}",
        t,
    )
    # "2.5% of $200 billion": a share of an amount
    # (not "30% of 2 GW": an amount with a unit left is a quantity for a calculator, not an operand)
    t = re.sub(r"(\d+(?:\.\d+)?)\s*%\s*of\s*(?:the\s*)?(\d+(?:\.\d+)?)\b(?!\s*[a-z])", r"(\1 / 100 * \2)", t)
    t = re.sub(r"\b(\d+(?:\.\d+)?)(?:w|kw|kwh|mwh|watts?)\b", r"\1", t)  # "700W": a quantity with its unit, not a name
    t = re.sub(r"\w*(?:[a-z]\d|\d[a-z])\w*", " ", t)  # names and sizes: 'h100', '8x7b', '2gw'
    t = re.sub(r"\d+(?:\.\d+)?\s*%", " ", t)  # rates are not operands
    t = re.sub(
        r"\b(?:19|20)\d{2}\s*[-–]\s*(?:19|20)?\d{2}\b", " ", t
    )  # "2021-2024": a range of years, not a subtraction
    best = None
    for m in re.finditer(r"[(\d.][\d\s.()+\-*/^]*[\d)]", t):
        expr = re.sub(r"\s+", " ", m.group(0)).strip()
        if expr.count("(") != expr.count(")"):
            continue  # "8x h200 (141e9 each)": a count beside an aside, not arithmetic
        if re.search(r"\d\s*[-+*/^]\s*[\d(]", expr) and (best is None or len(expr) > len(best)):
            best = expr
    return best.replace("^", "**") if best else None


#: "8k in / 8k out (8192+8192)", "1k+1k (1000+1000) requests": a request length written as prompt + output,
#: restated in exact tokens in brackets.
_RESTATED = re.compile(
    r"(?P<sum>\d+(?:\.\d+)?\s*k\s*\+\s*\d+(?:\.\d+)?\s*k\s*)?"
    r"(?P<said>(?<=k\s)|(?<=k)|\b(?:in|input|prompt|out|output|answer)\b[^()]{0,12})"
    r"\(\s*(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s*\+\s*(?P<b>\d{1,3}(?:,\d{3})+|\d+)\s*\)",
    re.I,
)


def restated_split(text: str) -> tuple[int, int, tuple[int, int]] | None:
    """(prompt, output, the bracket's span) when a request's prompt + output is restated in exact tokens in
    brackets after the words that state it; the bracket is then that split, not arithmetic to evaluate."""
    m = _RESTATED.search(text)
    if m is None:
        return None
    start = m.start("sum") if m.group("sum") else m.start("a") - 1  # "2k+1k (2000+1000)": both restate the split
    return int(m.group("a").replace(",", "")), int(m.group("b").replace(",", "")), (start, m.end())


#: "128k requests (131,072 tok)", "32k requests (32,768 tokens each incl. output)": a request length in k,
#: restated in exact tokens in brackets.
_RESTATED_TOTAL = re.compile(
    r"\d+(?:\.\d+)?\s*k\s*-?\s*(?:tokens?\s*)?(?:requests?|sessions?|sequences?|seqs|users|contexts?|ctx)\s*"
    r"\(\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?:tokens?|toks?)\b[^()]*\)",
    re.I,
)


def restated_total(text: str) -> int | None:
    """The exact tokens of a request length written in k and restated in brackets, else None."""
    m = _RESTATED_TOTAL.search(text)
    return int(m.group("n").replace(",", "")) if m else None
