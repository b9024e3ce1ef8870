"""The final answer, written from the tool results only: figures with units, formula, assumptions,
defaults, citations, and one ``Read as:`` line per call.

Layout (blocks separated by blank lines, so markdown never runs them together): first what was
asked (:func:`leads`: per hour, per million tokens, the fleet's power bill, capex, the year's
forecast, the fit at fp8, the spec figure), then any default the answer rests on ("No chip
named: ...", "Illustration: ..."), then each call's section with its formula, defaults, at most
:data:`MAX_ASSUMPTIONS` assumptions and short source names (the full lists stay in the tool
result), then how the question was read, then the ``Read as:`` lines.

Every figure printed here is a field of a tool result (rounded, or converted between B/KB/GB
and $/$ billion), a value from the question, or text of a cited passage, so the grounding
check can trace it. A failed call is reported as its error line and a hint, never a number.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.history import read_as_line
from agent.offline.plan_types import Call, Plan
from agent.offline.writers.buildout import buildout_section
from agent.offline.writers.content import load
from agent.offline.writers.generic import calculate_section, check_claim_section, chip_specs_section, generic_section
from agent.offline.writers.kv_cache import kv_cache_section
from agent.offline.writers.leads import leads
from agent.offline.writers.memory_fit import memory_fit_section
from agent.offline.writers.provenance import defaults_used, key_assumptions, once, short_sources
from agent.offline.writers.search import search_section, spec_section
from agent.offline.writers.tco import tco_section
from agent.offline.writers.throughput import blocked_speed_leads, throughput_section

_SECTIONS = {
    "kv_cache": kv_cache_section,
    "memory_fit": memory_fit_section,
    "throughput": throughput_section,
    "tco": tco_section,
    "buildout": buildout_section,
    "calculate": calculate_section,
    "check_claim": check_claim_section,
    "chip_specs": chip_specs_section,
}


#: Planner notes shown right under the lead, because the figures rest on them.
_UPFRONT_NOTES = (
    "No chip named",
    "No size given",
    "Illustration",
    "Left out",
    "Figure read from",
    "I could not read one",
)


def section(call: Call, content: Any, shown: set[str] | None = None, question: str = "") -> tuple[list[str], bool]:
    """The lines for one call, and whether it succeeded (``question``: the analyst's words, for a search).

    ``shown``: formula, assumption and source blocks already in the answer (a second call of the
    same tool, e.g. the fp8 fit beside the bf16 one); they are not repeated.
    """
    shown = set() if shown is None else shown
    data = load(content)
    if isinstance(data, dict) and "error" in data and len(data) == 1:
        return [f"**{call.name} failed**: {data['error']}", _hint(call, data["error"])], False
    if call.name == "search_knowledge":
        return search_section(data if isinstance(data, list) else [], call.args, question), True
    try:
        lines = _SECTIONS[call.name](data) if call.name in _SECTIONS else generic_section(call.name, data)
    except (KeyError, TypeError):
        lines = generic_section(call.name, data)
    if isinstance(data, dict) and data.get("formula") and once(shown, "formula", data["formula"]):
        lines.append(f"**Formula:** {data['formula']}")
    if isinstance(data, dict):
        defaults = defaults_used(call, data)
        if defaults and call.name in ("kv_cache", "memory_fit", "throughput", "tco", "buildout"):
            lines.append("**Defaults used** (not in the question): " + ", ".join(defaults) + ".")
        if data.get("assumptions"):
            picked = key_assumptions(call, [str(a) for a in data["assumptions"]])
            if once(
                shown,
                "assumptions",
                call.name + "|".join(re.sub(r"\b(?:bf16|fp16|fp8|int8|int4|fp4)\b", "", a) for a in picked),
            ):
                lines.append("**Assumptions:**")
                lines += [f"- {a}" for a in picked]
                if len(data["assumptions"]) > len(picked):
                    lines.append("(the other assumptions are in the tool result)")
        if data.get("sources"):
            names = short_sources([str(s) for s in data["sources"]])
            if once(shown, "sources", "; ".join(names)):
                lines.append("**Sources:** " + "; ".join(names))
    return lines, True


def _hint(call: Call, error: str) -> str:
    field = error.split(":", 1)[0].strip()
    if field in ("model", "chip"):
        how = f"use a {field} name from the catalog (the suggestions above, or `siliconomics {call.name.replace('_', '-')} --help`)"
    elif field == "capex_per_accelerator":
        how = "give a price per accelerator, e.g. 'at $<N>k per GPU'"
    elif field in ("context", "prompt", "output"):
        how = "say how many tokens per request, e.g. 'at <N>k context' or '<N>k in, <M>k out'"
    else:
        how = f"change `{field}` as the message says"
    return f"No figure is given for this part. To ask again, {how}."


def markdown(lines: list[str]) -> str:
    """Lines as markdown blocks: consecutive '- ' items form one list, every other line its own paragraph."""
    blocks: list[str] = []
    for line in lines:
        previous = blocks[-1].split("\n")[-1] if blocks else ""
        if (line.startswith("- ") and previous.startswith("- ")) or (line.startswith("|") and previous.startswith("|")):
            blocks[-1] += "\n" + line
        else:
            blocks.append(line.strip("\n"))
    return "\n\n".join(b for b in blocks if b)


def compose(
    calls: list[tuple[Call, Any]], notes: list[str], plan: Plan | None = None, question: str | None = None
) -> str:
    """The markdown answer from ``(call, tool message content)`` pairs and the planner's readings.

    Order: the quantities asked for (:func:`leads`), any default the answer rests on ("No chip
    named: ...", "Illustration: ..."), each call's section, how the question was read, and the
    ``Read as:`` lines.

    ``question``: the question's own words. When a call fails there is no result for the numbers
    the planner derived (``gpus=1`` from "a single", the 1,000-token default prompt), so the
    readings and ``Read as:`` arguments whose figures trace to neither the question nor a tool
    message are left out (:func:`_traceable`), and the answer says which.
    """
    plan = plan or Plan()
    if question is not None and any(_failed(content) for _, content in calls):
        calls, notes = _traceable(calls, notes, question)
    parts: list[str] = []
    ok_any = False
    top = blocked_speed_leads(plan, calls) + leads(plan, calls)
    if top:
        parts.append("\n\n".join(top))
    upfront = [n for n in notes if n.startswith(_UPFRONT_NOTES)]
    notes = [n for n in notes if n not in upfront]
    parts += [f"*{n}*" for n in upfront]
    shown: set[str] = set()
    for call, content in calls:
        if call.name == "search_knowledge" and plan.spec and call.args.get("source") == "specs":
            lines, ok = spec_section(plan.spec, load(content), call.args)
        else:
            lines, ok = section(call, content, shown, question or "")
        ok_any |= ok
        parts.append(markdown(lines))
    notes = list(dict.fromkeys(notes))
    if notes:
        parts.append("**How I read the question:** " + " ".join(notes))
    if not ok_any:
        parts.append("I could not compute an answer from the tools, so I give no figure.")
    parts.append("\n\n".join(read_as_line(c) for c, _ in calls))
    return "\n\n".join(parts)


def _failed(content: Any) -> bool:
    data = load(content)
    return isinstance(data, dict) and "error" in data and len(data) == 1


def _traceable(
    calls: list[tuple[Call, Any]], notes: list[str], question: str
) -> tuple[list[tuple[Call, Any]], list[str]]:
    """Readings and failed-call arguments whose numbers trace to the question or a tool message.

    A failed call has no result, so an argument the planner derived (``gpus=1`` from "one",
    ``gw=0.3`` from "300 MW", a default prompt beside a stated total) would be a number nobody
    can check; it is dropped from that call's ``Read as:`` line (named in a note), and so is a
    reading sentence whose figures trace nowhere. Chip names are written short ("h100"), so
    their digits are not figures to check.
    """
    from agent.grounding import untraced
    from agent.offline.numbers import NUMBER, to_number

    sources: list[Any] = [question] + [content for _, content in calls]
    # the numbers as the question writes them ("12k" = 12,000; "200%" is 200, not the 2.0 read from it)
    written = {abs(to_number(m.group(1), m.group(2))) for m in re.finditer(NUMBER, question.lower())}
    out_calls: list[tuple[Call, Any]] = []
    dropped: list[str] = []
    for call, content in calls:
        if not _failed(content):
            out_calls.append((call, content))
            continue
        args = {}
        for k, v in call.args.items():
            numbers = v if isinstance(v, list) else [v]  # a list of rates ("30% growth" read as 0.3) too
            if any(
                isinstance(x, (int, float)) and not isinstance(x, bool) and abs(float(x)) not in written
                for x in numbers
            ):
                dropped.append(k)
                continue
            args[k] = v
        out_calls.append((Call(call.name, args), content))
    kept = [n for n in notes if not untraced(n, sources)]
    if dropped:
        kept.append(
            "Arguments I derived rather than read (" + ", ".join(dict.fromkeys(dropped)) + ") are left out of the "
            "Read as line, since the call failed and there is no result to check them against."
        )
    return out_calls, kept
