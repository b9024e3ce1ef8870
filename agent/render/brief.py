"""The brief answer: the headline, 3 to 6 key figures (a table when comparing), one line of what was assumed.

The full answer text keeps everything (formula, defaults, assumptions, sources, ``Read as:``
lines); the brief view is read from it, so the language-model path and the offline planner are
treated alike:

- **lead**: the paragraphs before the first section title (``**Fit, ...** (...):``), and a
  ``**Change:**`` line (the follow-up delta) wherever it is;
- **figures**: a comparison table when two or more scenarios of one calculator are in the
  answer (:mod:`agent.render.scenarios`), else the first list of figures of the last section
  (at most :data:`MAX_FIGURES`), or for a search the first quoted passage;
- **assumed**: the first note of the answer (``*No chip named: assumed ...*``) or the first
  sentence of "How I read the question", else the defaults of the first result;
- **more**: what the work holds, for the front-end's "show work" affordance.

Formula, defaults, assumptions and sources stay one step away (``/work``, ``--verbose``,
the Slack "Show work" button) and in ``--json`` and exports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.answer import Answer
from agent.render.scenarios import TOOL_TITLES, comparisons, scenarios, table_rows

#: Most bullet figures the brief answer shows.
MAX_FIGURES = 5
#: Most lead paragraphs kept (a comparison's per-chip leads give way to its table).
MAX_LEAD = 2
#: Characters of a quoted passage the brief answer keeps.
QUOTE_CHARS = 280
_TITLE = re.compile(r"^\*\*[^*\n]+\*\*[^\n]*:\s*$")
_WORK = (
    "**Formula",
    "**Defaults used",
    "**Assumptions",
    "**Sources",
    "Read as:",
    "(the other assumptions",
    "**How I read",
)
_NOTE = re.compile(r"^(?:\*[^*].*[^*]\*|_[^_].*_)$", re.S)


@dataclass
class Brief:
    """The pieces of a brief answer (markdown strings), assembled by each front-end."""

    lead: list[str] = field(default_factory=list)
    table: tuple[str, list[str], list[list[str]]] | None = None  # (caption, header, rows)
    figures: list[str] = field(default_factory=list)
    assumed: str | None = None
    more: list[str] = field(default_factory=list)  # what the full work holds: "formula", "sources", ...

    def markdown(self, hint: str = "") -> str:
        """The brief answer as Markdown (tables as GFM tables)."""
        from agent.render.scenarios import markdown_table

        parts = list(self.lead)
        if self.table is not None:
            caption, head, rows = self.table
            parts.append(f"{caption}\n\n{markdown_table(head, rows)}" if caption else markdown_table(head, rows))
        if self.figures:
            parts.append("\n".join(self.figures))
        if self.assumed:
            parts.append(f"_{self.assumed}_")
        if hint:
            parts.append(hint)
        return "\n\n".join(parts)


def blocks(text: str) -> list[str]:
    """The answer's paragraphs, lists, quotes and tables: text between blank lines."""
    return [b.strip() for b in re.split(r"\n\s*\n", text.strip()) if b.strip()]


def _is_list(block: str) -> bool:
    return all(line.lstrip().startswith(("- ", "* ", "• ")) or line.startswith("  ") for line in block.splitlines())


def _sections(items: list[str]) -> tuple[list[str], list[list[str]], list[str]]:
    """-> (lead blocks, sections as [title, blocks...], note blocks)."""
    lead: list[str] = []
    sections: list[list[str]] = []
    notes: list[str] = []
    after_assumptions = False
    for b in items:
        if _NOTE.match(b) and not b.startswith("**"):
            notes.append(b.strip("*_ "))
            continue
        if b.startswith(_WORK):
            after_assumptions = b.startswith("**Assumptions")
            if sections:
                sections[-1].append(b)
            else:
                lead.append(b)
            continue
        if after_assumptions and _is_list(b):
            after_assumptions = False
            continue
        after_assumptions = False
        if _TITLE.match(b):
            sections.append([b])
        elif sections:
            sections[-1].append(b)
        else:
            lead.append(b)
    return lead, sections, notes


def _figures(sections: list[list[str]]) -> list[str]:
    """The first list of figures of the last section that has one, or the first quoted passage."""
    for section in reversed(sections):
        for b in section[1:]:
            if b.startswith(_WORK):
                continue
            if _is_list(b):
                items = [line for line in b.splitlines() if line.lstrip().startswith(("- ", "* ", "• "))]
                return items[:MAX_FIGURES]
    for section in sections:
        quotes = [b for b in section[1:] if b.startswith(">")]
        if quotes:
            return [section[0], _clip_quote(quotes[0])]
    return []


def _clip_quote(block: str) -> str:
    lines = block.splitlines()
    body = " ".join(line.lstrip("> ").strip() for line in lines if line.strip() not in (">",) and "— " not in line[:6])
    where = next((line.lstrip("> ").strip() for line in lines if line.lstrip("> ").startswith("— ")), "")
    if len(body) > QUOTE_CHARS:
        body = body[: QUOTE_CHARS - 1].rsplit(" ", 1)[0] + " …"
    return f"> {body}" + (f"\n>\n> {where}" if where else "")


def _first_sentence(text: str, limit: int = 160) -> str:
    head = re.split(r"(?<=[.;])\s", text, maxsplit=1)[0].rstrip(";")
    return head if len(head) <= limit else head[: limit - 1].rsplit(" ", 1)[0] + " …"


def _assumed(items: list[str], notes: list[str]) -> str | None:
    if notes:
        return _first_sentence(notes[0], 200)
    for b in items:
        if b.startswith("**How I read the question:**"):
            return "Reading: " + _first_sentence(b.removeprefix("**How I read the question:**").strip())
    for b in items:
        if b.startswith("**Defaults used**"):
            body = b.split(":", 1)[1].strip() if ":" in b else b
            return "Defaults: " + _first_sentence(body, 110)
    return None


def _more(answer: Answer, items: list[str]) -> list[str]:
    text = answer.answer
    more = [
        word
        for word, marker in (("formula", "**Formula"), ("defaults", "**Defaults used"), ("sources", "**Sources"))
        if marker in text
    ]
    if answer.citations:
        more.append(f"{len(answer.citations)} citation{'s' if len(answer.citations) > 1 else ''}")
    if answer.tool_calls:
        n = len(answer.tool_calls)
        more.append(f"{n} tool call{'s' if n > 1 else ''}")
    return more


def brief(answer: Answer) -> Brief:
    """The brief view of ``answer`` (see the module docstring)."""
    items = blocks(answer.answer)
    lead, sections, notes = _sections(items)
    lead = [b for b in lead if not b.startswith(_WORK)]
    change = [b for s in sections for b in s if b.startswith("**Change:**")]
    out = Brief(assumed=_assumed(items, notes), more=_more(answer, items))
    groups = comparisons(scenarios(answer.tool_calls))
    if groups:
        tool, group, fields = groups[0]
        head, rows = table_rows(group, fields)
        out.table = ("", head, rows)
        out.lead = lead[:1]  # the headline (what was asked) stays above the table
        if not out.lead:
            out.lead = [f"**{TOOL_TITLES.get(tool, tool)}, {len(group)} scenarios side by side:**"]
    else:
        out.lead = lead[:MAX_LEAD]
        out.figures = _figures(sections) if sections else _loose_figures(lead[MAX_LEAD:])
    out.lead += [c for c in change if c not in out.lead]
    if not out.lead and sections:
        out.lead = [sections[0][0]]
        out.figures = [f for f in out.figures if f != sections[0][0]]
    return out


def _loose_figures(rest: list[str]) -> list[str]:
    """Free text with no section titles (a language model's answer): its first list, if any."""
    for b in rest:
        if _is_list(b):
            return [line for line in b.splitlines() if line.lstrip().startswith(("- ", "* ", "• "))][:MAX_FIGURES]
    return []


def has_more(answer: Answer, view: Brief | None = None) -> bool:
    """Whether the full answer shows anything the brief one leaves out."""
    view = view or brief(answer)
    return bool(view.more) or len(blocks(answer.answer)) > len(view.lead) + 2
