"""The frozen blind sets (evals/suites/agent_blind*.yaml, sets A to H) through the real ask() loop, scored correct / declined /
wrong by evals.blind: the suite's gates (the correct share and the share of wrong answers that hold today) must
hold. The targets (correct >= 85%, wrong <= 3%, no wrong answer with an empty 'Not used' list) are not reached."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.blind import load_cases, rates, run
from evals.loader import load_suite

SUITES = Path(__file__).resolve().parents[2] / "evals" / "suites"


@pytest.mark.parametrize("name", [f"agent_blind{s}.yaml" for s in ("", "_b", "_c", "_d", "_e", "_f", "_g", "_h")])
def test_blind_set_gates_hold(name: str) -> None:
    path = SUITES / name
    suite = load_suite(path)
    rows = run(load_cases(path))
    share = rates(rows)
    wrong = sorted(r["id"] for r in rows if r["verdict"] == "wrong")
    assert len(rows) >= 80
    assert share["correct"] >= suite.gate, f"correct {share['correct']:.1%} < {suite.gate:.0%}"
    assert share["wrong"] <= suite.max_wrong, f"wrong {share['wrong']:.1%} > {suite.max_wrong:.0%}: {wrong}"
