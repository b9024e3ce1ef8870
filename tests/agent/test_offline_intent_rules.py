"""The intent overrides (agent.offline.intents.RULES and QUESTION_RULES), tested from the tables: each row's
example question makes that row fire and gives the intents the row states."""

from __future__ import annotations

import re

import pytest

from agent.offline.intents import (
    _PATTERNS,
    INTENT_TOOL,
    QUESTION_RULES,
    RULES,
    Cues,
    QuestionRule,
    Rule,
    apply_rules,
    detect,
)
from agent.offline.parse import parse
from agent.offline.plan import make_plan


def _cues(question: str) -> Cues:
    """The question as the planner reads it (agent.offline.plan): lower-cased text and the parse's flags."""
    p = parse(question)
    found = [name for name, pattern in _PATTERNS.items() if re.search(pattern, p.text)]
    return Cues(p.text, found, p.expression is not None, bool(p.companies), bool(p.chips))


@pytest.mark.parametrize("rule", RULES, ids=[r.example[:40] for r in RULES])
def test_each_rule_fires_on_its_example_and_gives_its_intents(rule: Rule) -> None:
    cues = apply_rules(_cues(rule.example))
    assert rule in cues.fired
    assert tuple(cues.found) == rule.gives
    p = parse(rule.example)
    flags = {"has_expression": p.expression is not None, "has_companies": bool(p.companies), "has_chip": bool(p.chips)}
    assert tuple(detect(p.text, **flags)) == rule.gives


def test_examples_are_distinct_and_every_rule_changes_something() -> None:
    assert len({r.example for r in RULES}) == len(RULES)
    assert all(r.drop or r.add or r.only for r in RULES)


def test_a_claim_stops_the_rules() -> None:
    cues = apply_rules(_cues("is it true that a 2 GW datacenter needs a million GPUs?"))
    assert cues.found == ["claim"]
    assert [r.only for r in cues.fired] == [None] * (len(cues.fired) - 1) + ["claim"]


@pytest.mark.parametrize("rule", QUESTION_RULES, ids=[r.example[:40] for r in QUESTION_RULES])
def test_each_question_rule_fires_on_its_example_and_plans_the_tool_of_its_intent(
    rule: QuestionRule, monkeypatch: pytest.MonkeyPatch
) -> None:
    import agent.offline.plan as plan_module

    fired: list[QuestionRule] = []

    def traced(p, intents, focus):  # the planner's own rules, recording which fire
        for row in QUESTION_RULES:
            if row.when(p, intents, focus):
                fired.append(row)
                intents = [row.gives]
        return intents

    monkeypatch.setattr(plan_module, "question_intents", traced)
    plan = make_plan(rule.example)
    assert rule in fired
    assert plan.calls, plan.reply
    assert INTENT_TOOL[rule.gives] in [c.name for c in plan.calls]
