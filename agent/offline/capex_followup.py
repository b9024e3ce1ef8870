"""A capex follow-up that compares with another year: "and how much is that up vs FY23?" after "MSFT FY25 capex?".

The follow-up names a year and a comparison but no company; "that" is the figure the previous capex question
asked for. Planned as one question, the previous one and the follow-up together, so the comparison of the two
years runs as it does when asked in one line (:mod:`agent.offline.capex_compare`).
"""

from __future__ import annotations

import re

from agent.offline.plan_types import Call

_COMPARES = re.compile(
    r"\b(?:vs\.?|versus|compared (?:to|with)|up|down|growth|grew|change|changed|increase|decrease|from|since|over)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:fy\s*'?\d{2}|(?:fy\s*)?20[0-4]\d)\b", re.I)


def capex_comparison_question(question: str, prior: list[Call], prior_question: str) -> str | None:
    """The previous capex question and this follow-up as one question, when the follow-up compares the figure
    with another year and names no company; else None."""
    from agent.offline.parse import parse

    capex = [c for c in prior if c.name == "capex" and c.args.get("company")]
    if not capex or not prior_question or len(question.split()) > 12:
        return None
    if not (_COMPARES.search(question) and _YEAR.search(question)) or parse(question).companies:
        return None
    if not _YEAR.search(prior_question):
        return None  # the previous question named no year: "that" is a series, not one year's figure
    return f"{prior_question.rstrip(' ?.')}; {question}"
