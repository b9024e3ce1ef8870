"""Scorers: small pure functions, each returning a :class:`Check` (passed, expected, got).

* :func:`score_figure`: an expected quantity appears in free text (unit-aware, relative tolerance).
* :func:`score_field`: a structured tool result field equals / is close to the expected value.
* :func:`score_retrieval`: the gold quote (or an alternate) overlaps one of the top-k passages.
* :func:`score_tools`: the expected tools are among the tool calls made.
* :func:`score_citation`: a citation with the expected chapter / source / text exists.
* :func:`score_behaviour`: for bad input, an error or refusal and no invented number; for a
  model that does not fit, the answer says so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from difflib import SequenceMatcher
from typing import Any

from pydantic import BaseModel

from evals.schema import Behaviour, CitationExpect, FieldExpect, Figure
from evals.units import BASE_UNIT, Quantity, quantities, to_base
from tools.quantities import Quantity as Lexed
from tools.quantities import lex


class Check(BaseModel):
    """One scored expectation."""

    name: str
    passed: bool
    expected: str
    got: str


# --- numbers ---------------------------------------------------------------------------------


def close(got: float, expected: float, rel_tol: float = 0.0, abs_tol: float = 0.0) -> bool:
    """``|got - expected| <= max(rel_tol * |expected|, abs_tol)``; exact when both are 0."""
    if math.isnan(got):
        return False
    return abs(got - expected) <= max(rel_tol * abs(expected), abs_tol)


def score_figure(text: str, figure: Figure) -> Check:
    """Pass when some quantity of the figure's dimension in ``text`` is within ``rel_tol``.

    The unit must be present (written after the number, or named earlier on the same line)
    for every dimension except plain counts, so "70,272 KB" does not pass for 70,272 B.
    """
    expected, dim = to_base(figure.value, figure.unit)
    label = f"{figure.value:,.6g} {figure.unit}".strip() + f" (±{figure.rel_tol:.0%})"
    same_dim = [q for q in quantities(text) if q.dimension == dim]
    for q in same_dim:
        if close(q.value, expected, figure.rel_tol):
            return Check(name=f"figure {label}", passed=True, expected=label, got=q.describe())
    return Check(name=f"figure {label}", passed=False, expected=label, got=_nearest(same_dim, expected, dim))


def _nearest(found: Sequence[Quantity], expected: float, dim: str) -> str:
    if not found:
        return f"no quantity in {BASE_UNIT[dim] or 'plain numbers'}" if dim != "count" else "no plain number"
    best = min(found, key=lambda q: abs(math.log(abs(q.value) + 1e-300) - math.log(abs(expected) + 1e-300)))
    return f"nearest: {best.describe()}"


def lookup(result: Any, path: str) -> Any:
    """Value at a dotted path in a result (model or dict): 'forecast.0.capex_usd_b'."""
    node: Any = result.model_dump() if isinstance(result, BaseModel) else result
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise KeyError(f"no field {part!r} (have: {', '.join(sorted(node))})")
            node = node[part]
        else:
            raise KeyError(f"cannot read {part!r} of {type(node).__name__}")
    return node


def score_field(result: Any, exp: FieldExpect) -> Check:
    """Compare one result field with the expectation (exact, rel_tol or abs_tol; bools/strings equal)."""
    unit = f" {exp.unit}" if exp.unit else ""
    if exp.exact:
        want = f"{exp.value!r}{unit} exactly"
    elif exp.rel_tol:
        want = f"{exp.value!r}{unit} ±{exp.rel_tol:g} rel"
    elif exp.abs_tol:
        want = f"{exp.value!r}{unit} ±{exp.abs_tol:g}"
    else:
        want = repr(exp.value)
    try:
        got = lookup(result, exp.field)
    except (KeyError, IndexError, ValueError) as err:
        return Check(name=exp.field, passed=False, expected=want, got=f"missing: {err}")
    if isinstance(exp.value, bool) or isinstance(exp.value, str):
        passed = got == exp.value
    elif isinstance(got, bool) or not isinstance(got, (int, float)):
        passed = False
    elif exp.exact:
        passed = got == exp.value
    else:
        passed = close(float(got), float(exp.value), exp.rel_tol or 0.0, exp.abs_tol or 0.0)
    return Check(name=exp.field, passed=passed, expected=want, got=repr(got))


# --- retrieval -------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9$%]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def overlap(gold: str, passage: str) -> float:
    """Fraction of the gold quote's words found as one contiguous run in the passage (0..1).

    Words are compared lower-cased without punctuation, so chunking and whitespace do not
    matter; a gold quote split across two chunks scores the larger part.
    """
    g, p = _words(gold), _words(passage)
    if not g:
        return 0.0
    m = SequenceMatcher(None, g, p, autojunk=False).find_longest_match(0, len(g), 0, len(p))
    return m.size / len(g)


def score_retrieval(passages: Sequence[str], golds: Sequence[str], k: int, min_overlap: float) -> Check:
    """Hit when one of the first ``k`` passages covers at least ``min_overlap`` of a gold quote."""
    best, best_rank = 0.0, None
    for rank, passage in enumerate(passages[:k], start=1):
        for gold in golds:
            o = overlap(gold, passage)
            if o > best:
                best, best_rank = o, rank
    passed = best >= min_overlap
    got = f"best overlap {best:.0%}" + (f" at rank {best_rank}" if best_rank else "") + f" of {len(passages[:k])}"
    return Check(
        name=f"recall@{k}", passed=passed, expected=f"gold quote in top {k} (overlap >= {min_overlap:.0%})", got=got
    )


# --- agent answers ---------------------------------------------------------------------------


def score_tools(called: Iterable[str], expected: Sequence[str]) -> Check:
    """Every expected tool is among the calls made (extra calls are allowed)."""
    made = list(called)
    missing = [t for t in expected if t not in made]
    return Check(
        name="tools",
        passed=not missing,
        expected=", ".join(expected),
        got=(", ".join(made) or "no tool calls") + (f" (missing {', '.join(missing)})" if missing else ""),
    )


def score_citation(citations: Sequence[Any], exp: CitationExpect) -> Check:
    """Some citation matches every given criterion (chapter substring, source, text substring)."""

    def ok(c: Any) -> bool:
        chapter = (getattr(c, "chapter", None) or "").lower()
        text = (getattr(c, "text", None) or "").lower()
        return (
            (exp.chapter_contains is None or exp.chapter_contains.lower() in chapter)
            and (exp.source is None or exp.source.lower() in (getattr(c, "source", "") or "").lower())
            and (exp.text_contains is None or exp.text_contains.lower() in text)
        )

    want = ", ".join(f"{k}={v!r}" for k, v in exp.model_dump(exclude_none=True).items())
    got = "; ".join(f"{getattr(c, 'source', '?')}/{getattr(c, 'chapter', None)}" for c in citations) or "no citations"
    return Check(name="citation", passed=any(ok(c) for c in citations), expected=want, got=got)


def score_text(text: str, phrases: Sequence[str]) -> Check:
    low = text.lower()
    missing = [p for p in phrases if p.lower() not in low]
    return Check(
        name="text",
        passed=not missing,
        expected=" & ".join(repr(p) for p in phrases),
        got="all present" if not missing else f"missing {', '.join(repr(p) for p in missing)}",
    )


_IDENTIFIER = re.compile(r"[\w.\-/]*[A-Za-z][\w.\-/]*\d[\w.\-/]*|[\w.\-/]*\d[\w.\-/]*[A-Za-z][\w.\-/]*")
_ERROR_WORDS = re.compile(
    r"\b(error|unknown|not (?:in|found|a known|recogni[sz]ed|valid|supported)|invalid|must be|allowed|did you mean|"
    r"cannot|can't|could not|couldn't|unable|no such|not sure which)\b",
    re.I,
)
_REFUSAL_WORDS = re.compile(
    r"\b(can't|cannot|won't|will not|unable|not able|don't have|do not have|no (?:data|source|figure)|"
    r"outside|not something|decline|refuse)\b",
    re.I,
)
_NOT_FIT = re.compile(
    r"\b(does not fit|doesn't fit|do not fit|don't fit|won't fit|will not fit|cannot fit|can't fit|not fit)\b", re.I
)


def invented_numbers(answer: str, allowed: Iterable[str]) -> list[str]:
    """Numbers in ``answer`` that appear in none of the ``allowed`` texts (question, error lines).

    Both sides are read by the quantities lexer, digits as written ("12k" is 12, "$1,024" 1024); the
    allowed side also keeps every digit run, names included. Identifiers mixing letters and digits
    (llama-3.1-70b, h100, fp8) are not numbers; spelled-out numbers are not checked.
    """
    allowed_text = " ".join(allowed)
    allowed_nums = {_digits(q) for q in lex(_IDENTIFIER.sub(" ", allowed_text), merge=False)}
    allowed_nums |= {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", allowed_text)}
    out = []
    for q in lex(_IDENTIFIER.sub(" ", answer), merge=False):
        if q.digits[:1].isdigit() or q.digits[:1] == ".":
            if _digits(q) not in allowed_nums:
                out.append(q.digits)
    return out


def _digits(q: Lexed) -> str:
    return q.digits.replace(",", "")


def score_behaviour(
    behaviour: Behaviour, answer: str, *, question: str, tool_errors: Sequence[str], error_field: str | None
) -> Check:
    """The expected behaviour for the answer text.

    * ``error``: the answer (or a tool call) reports an error, names ``error_field`` when given,
      and states no number that is not in the question or the error message.
    * ``refuse``: a refusal, no invented number.
    * ``does_not_fit``: the answer says it does not fit.
    * ``answer``: always passes here (figures, tools and citations carry the checks).
    """
    if behaviour == "answer":
        return Check(name="behaviour", passed=True, expected="an answer", got="an answer")
    if behaviour == "does_not_fit":
        hit = _NOT_FIT.search(answer)
        return Check(
            name="behaviour",
            passed=bool(hit),
            expected="says it does not fit",
            got=f"says {hit.group(0)!r}" if hit else f"no 'does not fit' in: {_clip(answer)}",
        )
    invented = invented_numbers(answer, [question, *tool_errors])
    if behaviour == "error":
        flagged = bool(tool_errors) or bool(_ERROR_WORDS.search(answer))
        names_field = (
            error_field is None
            or error_field.lower().replace("_", " ") in answer.lower().replace("_", " ")
            or any(error_field in e for e in tool_errors)
        )
        problems = []
        if not flagged:
            problems.append("no error reported")
        if not names_field:
            problems.append(f"does not name {error_field!r}")
        if invented:
            problems.append(f"invented numbers {invented[:5]}")
        want = "an error" + (f" naming {error_field!r}" if error_field else "") + ", no invented number"
    else:
        flagged = bool(_REFUSAL_WORDS.search(answer)) or bool(_ERROR_WORDS.search(answer))
        problems = ([] if flagged else ["no refusal"]) + ([f"invented numbers {invented[:5]}"] if invented else [])
        want = "a refusal, no invented number"
    return Check(name="behaviour", passed=not problems, expected=want, got="; ".join(problems) or _clip(answer))


def _clip(text: str, n: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
