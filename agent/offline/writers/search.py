"""Passages: a short extractive answer and the quotes of a transcript search, and a datasheet question's
figure from each named chip's catalog row."""

from __future__ import annotations

import itertools
import re
from typing import Any

from agent.offline.writers.provenance import short_sources

_EXCERPT_CHARS = 420


def search_section(passages: list[dict[str, Any]], args: dict[str, Any], question: str = "") -> list[str]:
    """A short extractive answer (quoted sentences, numbered like the citations), then the quotes.
    When no passage shares a word with the question, says so instead of showing unrelated passages.

    ``question``: the analyst's words. When it asks for a figure (:func:`knowledge.figures.asked_kinds`), the
    answer is read from every passage returned and the passages holding it are shown first (:func:`figure_sentences`).
    """
    from knowledge.extract import NOTHING_CLOSE, answer_line, extract, nothing_close
    from knowledge.figures import asked_kinds, glosses, hourly_glosses
    from knowledge.speakers import bundled_cast

    query = str(args.get("query", ""))
    cast = bundled_cast()
    names = tuple(n for n in (cast.guest, *cast.hosts) if n)
    if not passages or nothing_close(query, passages, names):
        return [f'{NOTHING_CLOSE} "{query}" (no passage uses its words); try other words or source=all.']
    from agent.offline.unsaid_figure import unsaid

    if question and args.get("source") != "specs" and (reply := unsaid(question, passages)):
        return [reply]
    heading = "From the spec sheets" if args.get("source") == "specs" else "What was said"
    wanted = _wanted(query, args)
    kinds = asked_kinds(question) if question and args.get("source") != "specs" else ()
    said = figure_sentences(passages, args, kinds)
    first = [passages[n - 1] for n in dict.fromkeys(s.ref for s in said)]
    picked = first + [p for p in rerank(passages, query) if not any(p is q for q in first)]
    picked = picked[: max(1, min(3, len(passages)), len(first))]
    shown = [p for p in passages if any(p is q for q in picked)]
    refs = [next(n for n, q in enumerate(passages, start=1) if q is p) for p in shown]
    lines = []
    answer = answer_line(said or extract(query, shown, wanted, names, refs))
    if said:
        hourly = [g for s in said for g in hourly_glosses(s.text, question)]
        answer += "".join(f" ({g})" for s in said for g in glosses(s.text) if not hourly)
        answer += f" (read as rental prices, quoted per GPU-hour: {'; '.join(hourly)})" if hourly else ""
    if answer:
        lines.append(f"**In short** (quoted from the passages below): {answer}")
    lines.append(f'**{heading}** (search: "{query}"):')
    for n, p in zip(refs, shown):
        where = ", ".join(
            x for x in (p.get("chapter"), f"~{p['timestamp']}" if p.get("timestamp") else None, p.get("speaker")) if x
        )
        lines.append(
            f"> [{n}] {excerpt(p.get('text', ''), query)}\n>\n> — {p.get('source', '')}"
            + (f", *{where}*" if where else "")
        )
    return lines


def _wanted(query: str, args: dict[str, Any]) -> tuple[str, str | None] | None:
    from knowledge.search import wanted_speaker

    try:
        return wanted_speaker(query, args.get("speaker"))
    except ValueError:
        return None


def figure_sentences(passages: list[dict[str, Any]], args: dict[str, Any], kinds: tuple[str, ...]) -> list[Any]:
    """The sentences of every returned passage that answer a question asking for a figure of ``kinds``
    (:func:`knowledge.extract.extract`), cited by the passage's place in the results; [] for no kinds."""
    from knowledge.extract import extract
    from knowledge.speakers import bundled_cast

    if not kinds or not passages:
        return []
    cast = bundled_cast()
    names = tuple(n for n in (cast.guest, *cast.hosts) if n)
    query = str(args.get("query", ""))
    every = list(range(1, len(passages) + 1))  # [n] = n-th passage returned
    return extract(query, passages, _wanted(query, args), names, every, kinds)


_QUERY_STOP = frozenset(
    "why what how does did the and for with that this his her their about call calls called mean means".split()
)


def rerank(passages: list[dict[str, Any]], query: str) -> list[dict[str, Any]]:
    """Passages holding more of the query's words first (word stems of 5 letters, so "basics" meets
    "AmazonBasics"); the search order breaks ties. The search ranks by meaning; this puts the
    passage that uses the asker's own words, usually the one quoted, at the top."""
    stems = _stems(query)
    if not stems:
        return passages
    ranked = sorted(enumerate(passages), key=lambda ip: (-_hits(str(ip[1].get("text", "")), stems), ip[0]))
    return [p for _, p in ranked]


def _stems(query: str) -> list[str]:
    """The query's content words cut to 5 letters, in order (see :func:`rerank`)."""
    return [w[:5] for w in re.findall(r"[a-z0-9]{3,}", query.lower()) if w not in _QUERY_STOP]


def _hits(text: str, stems: list[str]) -> int:
    """Distinct query stems in ``text``, plus two for each pair of query words found side by side."""
    low = text.lower()
    score = sum(1 for w in set(stems) if w in low)
    for a, b in itertools.pairwise(stems):
        if re.search(rf"{re.escape(a)}[\w']*\W+{re.escape(b)}", low):
            score += 2
    return score


def excerpt(text: str, query: str = "") -> str:
    """About :data:`_EXCERPT_CHARS` of ``text``: from the sentence where the query's words are
    densest (the part that answers), cut at word boundaries."""
    text = " ".join(text.split())
    if len(text) <= _EXCERPT_CHARS:
        return text
    start = 0
    stems = _stems(query)
    if stems:
        starts = [0] + [m.end() for m in re.finditer(r"[.?!]\s+", text)]
        best = max(starts, key=lambda i: (_hits(text[i : i + _EXCERPT_CHARS], stems), -i))
        if _hits(text[best : best + _EXCERPT_CHARS], stems) > _hits(text[:_EXCERPT_CHARS], stems):
            start = best
    window = text[start : start + _EXCERPT_CHARS + 1]
    cut = window.rsplit(" ", 1)[0] if len(window) > _EXCERPT_CHARS else window
    return ("… " if start else "") + cut + (" …" if start + len(cut) < len(text) else "")


_SPEC_VALUE = {
    "memory bandwidth": r"memory bandwidth ([\d.,]+ ?[TG]B/s)",
    "memory": r"Memory: ([\d.,]+ ?GB of [\w]+)",
    "fp8 tflops": r"FP8 ([\d.,]+ TFLOPS(?: dense)?)",
    "fp4 tflops": r"FP4 ([\d.,]+ TFLOPS(?: dense)?)",
    "bf16 tflops": r"BF16 ([\d.,]+ TFLOPS(?: dense)?)",
    "power": r"Power \(TDP\): ([\d.,]+ ?k?W)",
    "interconnect": r"Scale-up interconnect: ([\d.,]+ ?[GT]B/s per chip(?: \([a-z]+\))?)",
    "price": r"Estimated price: (\$[\d.,]+ per chip(?: \([^)]*\))?)",
}


_SPEC_LABEL = {
    "fp8 tflops": "FP8 compute",
    "fp4 tflops": "FP4 compute",
    "bf16 tflops": "BF16 compute",
    "memory": "memory",
    "power": "power (TDP)",
    "interconnect": "scale-up interconnect",
    "price": "estimated price",
}


def spec_section(spec: tuple[list[str], str | None], passages: Any, args: dict[str, Any]) -> tuple[list[str], bool]:
    """A datasheet question: the figure from each named chip's catalog row, quoted and cited.

    A chip's row is the passage whose source names it (``Spec sheet: <catalog name>``); rows of
    chips not asked about are not shown. Without any such row among the results, the usual
    passage list.
    """
    chips, attribute = spec
    rows = passages if isinstance(passages, list) else []
    found = [
        (chip, next((p for p in rows if isinstance(p, dict) and (p.get("source") or "").endswith(chip)), None))
        for chip in chips
    ]
    if not any(row for _, row in found):
        return search_section(rows, args), bool(rows)
    lines: list[str] = []
    for chip, row in found:
        if row is None:
            lines.append(f"**{chip}**: its catalog row was not among the search results; ask for it alone.")
            continue
        text = " ".join(str(row.get("text", "")).split())
        m = re.search(_SPEC_VALUE[attribute], text) if attribute in _SPEC_VALUE else None
        if m:
            label = _SPEC_LABEL.get(attribute, attribute)
            lines.append(f"**{chip}: {label} {m.group(1)}** (catalog row `{row.get('chunk_id', '')}`)")
        elif attribute:
            lines.append(f"**{chip}**: the catalog row gives no {attribute}; the row is below.")
        lines.append(f"> {excerpt(text)}\n>\n> — {row.get('source', '')}")
        urls = row.get("source_urls") or []
        if urls:
            lines.append("**Source:** " + "; ".join(short_sources([str(u) for u in urls])))
    return lines, True
