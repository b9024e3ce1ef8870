"""Score an analyst question set (blind-set format) as correct / declined / wrong.

The blind format (one YAML list): ``id``, ``category``, ``question``, ``history`` (earlier
questions, asked first), ``expected`` (``answer`` | ``decline`` | ``error``), ``figures``
(``value``, ``unit``, ``rel_tol``). Each answer is scored as

* **correct**: ``answer``: every expected figure is in the answer text (unit-aware,
  :func:`evals.scorers.score_figure`); ``error``: a tool error or an error line, no invented
  number; ``decline``: says what is missing, no calculator figure;
* **declined**: not correct, but it says clearly what it could not do or use (a tool error, a
  refusal, a "Not used" list) and no calculator produced a headline figure;
* **wrong**: anything else (a confident figure that is not the expected one).

    python -m evals.blind evals/suites/agent_blind.yaml [--model offline] [--json out.json]

A blind-format file (a YAML list) is read the same way; ``--write-suite`` freezes it as an agent
suite (``AgentCase`` schema: history -> ``follow_up_of``, decline -> ``refuse``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from evals.schema import AgentCase, AgentExpect, AgentSuite, Figure
from evals.scorers import _ERROR_WORDS, _REFUSAL_WORDS, score_behaviour, score_figure

#: Blind-set unit names -> evals.units names.
UNIT_MAP = {"USD": "$", "USD/Mtok": "$/M tokens", "USD/h": "$/hour", "count": "", "tok/s": "tokens/s", "years": "",
            "%": "%", "B": "B", "GB": "GB", "GiB": "GiB", "GW": "GW", "MW": "MW", "x": "x"}  # fmt: skip
#: Tools whose successful result is a computed figure (a headline the analyst would read).
CALCULATORS = {
    "kv_cache",
    "memory_fit",
    "throughput",
    "tco",
    "buildout",
    "capex",
    "calculate",
    "growth",
    "serving_cost",
}


def figure(spec: dict[str, Any]) -> Figure:
    """A blind-set figure as an eval :class:`Figure`."""
    return Figure(
        value=float(spec["value"]), unit=UNIT_MAP[spec.get("unit", "count")], rel_tol=float(spec.get("rel_tol", 0.02))
    )


#: Paths of the set writer's working notes, which are not in this repository.
_OUTSIDE = re.compile(r"(?:\.\./)?shared/\S+?\.csv")
_BEHAVIOUR = {"answer": "answer", "error": "error", "decline": "refuse"}


def to_case(row: dict[str, Any]) -> AgentCase:
    """One blind-format row as an :class:`AgentCase` (history -> follow_up_of, decline -> refuse)."""
    return AgentCase(
        id=row["id"],
        tags=[row["category"]],
        source="Blind set, written without reading the planner: "
        + _OUTSIDE.sub("a proposed catalog row", row["derivation"]),
        question=row["question"],
        follow_up_of=list(row.get("history") or []),
        expect=AgentExpect(
            figures=[figure(f) for f in row.get("figures") or []], behaviour=_BEHAVIOUR[row["expected"]]
        ),
    )


def load_cases(path: Path) -> list[AgentCase]:
    """Cases from a blind-format list or from an agent suite file."""
    data = yaml.safe_load(path.read_text())
    if isinstance(data, dict):
        return list(AgentSuite.model_validate(data).cases)
    return [to_case(row) for row in data]


def _computed(answer: Any) -> bool:
    return any(c.name in CALCULATORS and not c.error for c in answer.tool_calls)


def _signals_limit(answer: Any) -> bool:
    text = answer.answer
    return bool(
        getattr(answer, "unused_inputs", [])
        or _ERROR_WORDS.search(text)
        or _REFUSAL_WORDS.search(text)
        or any(c.error for c in answer.tool_calls)
    )


def classify(case: AgentCase, answer: Any) -> tuple[str, list[str]]:
    """``("correct" | "declined" | "wrong", reasons)`` for one case (module docstring)."""
    text = answer.answer
    errors = [c.error for c in answer.tool_calls if c.error]
    behaviour = case.expect.behaviour
    if behaviour == "answer":
        checks = [score_figure(text, f) for f in case.expect.figures]
        missing = [f"{c.expected} ({c.got})" for c in checks if not c.passed]
    else:
        check = score_behaviour(
            behaviour, text, question=case.question, tool_errors=errors, error_field=case.expect.error_field
        )
        clean = bool(errors) if behaviour == "error" else not _computed(answer)
        missing = (
            []
            if check.passed and (clean or not _computed(answer))
            else [check.got if not check.passed else "computed a figure"]
        )
    if not missing:
        return "correct", []
    if _signals_limit(answer) and not _computed(answer):
        return "declined", missing
    return "wrong", missing


def run(cases: list[AgentCase], model: str = "offline") -> list[dict[str, Any]]:
    """Ask every case (its earlier questions first) and classify the answers."""
    from agent.ask import ask

    out = []
    for case in cases:
        history: list[tuple[str, str]] = []
        for earlier in case.follow_up_of:
            before = ask(earlier, history=history, model=model)
            history += [("user", earlier), ("assistant", before.answer)]
        answer = ask(case.question, history=history, model=model)
        verdict, reasons = classify(case, answer)
        out.append(
            {
                "id": case.id,
                "category": (case.tags or [""])[0],
                "verdict": verdict,
                "reasons": reasons,
                "unused_inputs": getattr(answer, "unused_inputs", []),
                "warnings": len(answer.warnings),
                "tools": [c.name for c in answer.tool_calls],
            }
        )
    return out


def rates(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Share of each verdict."""
    counts = Counter(r["verdict"] for r in rows)
    return {k: counts.get(k, 0) / len(rows) for k in ("correct", "declined", "wrong")}


def summary(rows: list[dict[str, Any]]) -> str:
    """One line per verdict, the rates, and wrong answers whose 'Not used' list is empty."""
    n = len(rows)
    counts = Counter(r["verdict"] for r in rows)
    silent = sum(1 for r in rows if r["verdict"] == "wrong" and not r["unused_inputs"])
    grounded = sum(1 for r in rows if r["warnings"] == 0)
    parts = [f"{k} {counts.get(k, 0)}/{n} ({counts.get(k, 0) / n:.1%})" for k in ("correct", "declined", "wrong")]
    return (
        "; ".join(parts)
        + f"; wrong with an empty Not-used list {silent}; answers with no grounding warning {grounded}/{n}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--model", default="offline")
    parser.add_argument("--json", type=Path, default=None, help="Write every row here.")
    parser.add_argument("--show", default="wrong,declined", help="Verdicts to list (comma-separated).")
    parser.add_argument("--write-suite", type=Path, default=None, help="Freeze the cases as an agent suite here.")
    args = parser.parse_args(argv)
    cases = load_cases(args.path)
    if args.write_suite:
        suite = {
            "suite": args.write_suite.stem,
            "kind": "agent",
            "cases": [c.model_dump(exclude_defaults=True) for c in cases],
        }
        args.write_suite.write_text(yaml.safe_dump(suite, sort_keys=False, allow_unicode=True, width=120))
    rows = run(cases, args.model)
    show = set(args.show.split(","))
    for r in rows:
        if r["verdict"] in show:
            print(f"{r['id']} [{r['category']}] {r['verdict']}: {'; '.join(r['reasons'])[:300]}")
    print(summary(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
