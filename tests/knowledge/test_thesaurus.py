"""Query expansion (knowledge/thesaurus.py): hyphen and space alike, figures of speech replaced, and the
ninth round's classes reaching the right passage on the real index (questions in new wording)."""

from __future__ import annotations

import pytest

from evals.scorers import overlap
from knowledge.search import search
from knowledge.thesaurus import expand


@pytest.mark.parametrize(
    ("query", "added"),
    [
        ("vendor lock in for training", "moat"),  # the key is written "lock-in"
        ("which gpu-clouds survive", "neo cloud"),  # the key is written "gpu clouds"
        ("scale up  domain of a TPU", "NVLink"),
        ("in house chips at Meta", "custom ASIC"),
    ],
)
def test_a_key_matches_with_a_hyphen_or_a_space(query: str, added: str) -> None:
    assert added in expand(query)


def test_a_figure_of_speech_is_replaced_not_kept() -> None:
    out = expand("what year is the moment of truth for capex")
    assert "reckoning" in out and "truth" not in out
    assert expand("the big iron comparison").split()[:2] == ["the", "comparison"]
    assert "test" in expand("unit test coverage")  # a literal test stays


def test_a_word_inside_another_word_does_not_match() -> None:
    assert expand("hedge funds") == "hedge funds"  # "edge" is a key
    assert expand("developer tools") == "developer tools"  # "dev" is a key


@pytest.mark.parametrize(
    ("question", "gold"),
    [
        ("what year is the real test for the AI buildout", "But 2026 is like where the reckoning comes"),
        ("which memory suppliers make the DRAM stacked on AI accelerators", "There's Samsung, SK Hynix, and Micron"),
        (
            "the big-iron comparison he uses for why CPUs keep selling",
            "IBM mainframes sell more volume and revenue every single cycle",
        ),
        (
            "did Nvidia sacrifice some gross margin on Blackwell to fend off Amazon's and Google's chips",
            "They've decided to cut their margin too",
        ),
    ],
)
def test_the_answer_is_first_or_second(knowledge_store, question: str, gold: str) -> None:
    passages = search(question, k=2, store=knowledge_store)
    assert any(overlap(gold, p.text) >= 0.6 for p in passages)
