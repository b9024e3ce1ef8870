"""The capex tool's readings: which companies a group word stood for, which year 'next year' is."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.parse import Parsed
from agent.offline.plan_types import Plan


def capex_notes(p: Parsed, args: dict[str, Any], plan: Plan) -> None:
    """Say which company set a group word stood for, and which year 'next year' is."""
    from agent.offline.entities import UNNUMBERED_GROUPS
    from tools.capex_history import COMPANY_ALIASES

    companies = args.get("company") or []
    named_one = any(w in COMPANY_ALIASES for w in re.findall(r"[a-z]+", p.text))
    group = re.search(r"\bbig\s*-?\s*(?:\d|three|four|five)\b", p.text)
    unnumbered = re.search(UNNUMBERED_GROUPS, p.text)
    if not named_one and unnumbered and not group:
        plan.notes.append(
            f"'{unnumbered.group(0)}' read as every company in the capex table: "
            + ", ".join(companies or ["all five"])
            + " (say 'big 4' for Microsoft, Alphabet, Amazon and Meta)."
        )
    elif not named_one and group:
        plan.notes.append(f"'{group.group(0)}' read as " + ", ".join(companies) + ".")
    if p.year is not None and p.year_words:
        import datetime

        plan.notes.append(f"'{p.year_words}' read as {p.year} (today is {datetime.date.today().isoformat()}).")
