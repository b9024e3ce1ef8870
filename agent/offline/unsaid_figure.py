"""A question for a forecast the guest may not have given: "what did Dylan forecast for NVIDIA's 2026 revenue
in dollars?", "what capex did he predict for Meta next year?".

Such a question asks for one figure (money or a share) about a named company. The passages a
search returns always hold figures, but a figure about another company or another quantity is not the
answer. The forecast counts as given only when a sentence of the returned passages holds a figure of the kind
asked (:func:`knowledge.figures.figures`) said of the company asked about (named in that sentence, or in the
one before when the figure's sentence names no other company) and of the quantity (revenue, capex, spend,
price, margin, share, ...). Otherwise the answer
says the podcast gives no such figure, shows no passage (their figures would read as the answer) and
names what to ask for the passages on the topic.
"""

from __future__ import annotations

import re
from typing import Any

#: "forecast / predict / project / expect / estimate" a figure.
_FORECAST = re.compile(r"\b(?:forecast\w*|predict\w*|project(?:s|ed|ion)?|expect\w*|estimat\w*|guid\w*)\b", re.I)
#: The quantity asked, with the kind of its figure and the words a sentence uses for it.
_QUANTITIES = (
    ("%", r"\b(?:margins?|share)\b", r"margin|share|percent|%"),
    ("$", r"\b(?:revenues?|sales|capex|spend\w*|prices?|cost|dollars?|valuation|profit|earnings)\b|\$", None),
)
#: Words for money in a sentence ("revenue", "spend", "$10 billion").
_MONEY_WORDS = r"revenue|sales|capex|spend|\bspent\b|price|cost|dollar|billion|\$|valuation|profit|earn"
#: Companies the analyst may ask about, as the transcript writes them (after :func:`knowledge.aliases.canonicalize`).
_COMPANIES = (
    "NVIDIA", "AMD", "Intel", "Broadcom", "TSMC", "OpenAI", "Anthropic", "CoreWeave", "Oracle", "Microsoft",
    "Google", "Alphabet", "Amazon", "AWS", "Meta", "Facebook", "Apple", "xAI", "Marvell", "Micron", "Hynix",
    "Samsung",
)  # fmt: skip


def asked_forecast(question: str) -> tuple[str, str, str] | None:
    """(kind, company, words for the quantity) of a forecast-figure question about one company, else None."""
    from knowledge.aliases import canonicalize

    text = canonicalize(question).lower()
    if not _FORECAST.search(text):
        return None
    company = next((c for c in _COMPANIES if re.search(rf"\b{c.lower()}\b", text)), None)
    for kind, asked, words in _QUANTITIES:
        if company and re.search(asked, text):
            return kind, company, words or _MONEY_WORDS
    return None


def _names(text: str, company: str) -> bool:
    return bool(re.search(rf"\b{company.lower()}\b", text))


def _given(sentences: list[str], kind: str, company: str, words: str) -> bool:
    """Whether a sentence holds a figure of ``kind`` said of ``company`` and the quantity (``words``): the
    company named in that sentence, or in the one before when that sentence names no other company."""
    from knowledge.aliases import canonicalize
    from knowledge.figures import figures

    for before, sentence in zip(["", *sentences], sentences):
        own, prior = canonicalize(sentence).lower(), canonicalize(before).lower()
        others = any(_names(own, c) for c in _COMPANIES if c != company)
        about = _names(own, company) or (_names(prior, company) and not others)
        if about and any(f.kind == kind for f in figures(sentence)) and re.search(words, f"{prior} {own}"):
            return True
    return False


def unsaid(question: str, passages: list[dict[str, Any]]) -> str | None:
    """The reply when ``question`` asks for a forecast figure the returned passages do not give (module
    docstring); None when it asks for none or a passage gives it."""
    from knowledge.transcript import sentence_spans

    asked = asked_forecast(question)
    if asked is None:
        return None
    kind, company, words = asked
    for p in passages:
        text = str(p.get("text", ""))
        if _given([" ".join(text[a:b].split()) for a, b in sentence_spans(text)], kind, company, words):
            return None
    what = {"$": "dollar", "%": "percentage"}[kind]
    return (
        f"The podcast gives no such {what} figure: none of the passages the search returned has a forecast "
        f"figure for {company} of the kind you asked for, "
        "so I can't quote one and I give no figure. Ask what Dylan said about the topic (without asking for "
        "a figure) for the passages that discuss it."
    )
