"""Query slips reach the corpus word one letter away (knowledge/typo_terms.py, BM25 only)."""

from __future__ import annotations

import pytest

from knowledge.bm25 import LexicalIndex
from knowledge.thesaurus import expand
from knowledge.typo_terms import NearTerms, english_words

TEXTS = [
    "Qualcomm wants to sell its Snapdragon parts into datacenters.",
    "Marvell builds the custom parts for several hyperscalers.",
    "The stack of software matters more than the silicon.",
]


@pytest.mark.parametrize(
    ("typed", "text"),
    [("qualcom snapdragon", 0), ("marvelll custom", 1), ("snapdragn", 0), ("qualcomn", 0)],
)
def test_a_misspelt_name_scores_the_text_that_spells_it(typed, text):
    scores = LexicalIndex(TEXTS).scores(typed)
    assert scores.argmax() == text and scores[text] > 0


def test_without_the_correction_the_slip_finds_nothing():
    index = LexicalIndex(TEXTS)
    index.near = None
    assert not index.scores("qualcom snapdragn").any()


def test_an_english_word_is_never_taken_for_a_slip():
    # "stock" is one letter from "stack" (in the texts) but is an English word: it is not changed
    assert "stock" in english_words()
    assert not LexicalIndex(TEXTS).scores("stock").any()


def test_short_tokens_digits_and_ambiguous_slips_are_left_alone():
    near = NearTerms(["wager", "water", "gpus", "h200", "orion"])
    assert near.correct("gpux") == []  # shorter than MIN_LENGTH letters
    assert near.correct("h100") == []  # digits are never changed
    assert near.corrections([("wafer", "wafer")], ["wager", "water"]) == []  # two neighbours: no guess
    assert near.corrections([("oriin", "oriin")], ["orion"]) == ["orion"]
    assert near.corrections([("orion", "orion")], ["orion"]) == []  # already in the vocabulary


@pytest.mark.parametrize(
    ("query", "added"),
    [
        ("why would a thinking model cost more per call", "o1"),
        ("did the maia accelerator ship in volume", "Microsoft"),
        ("which gpu clouds go bust", "neo cloud"),
        ("biggest upside for the memory vendors", "good news"),
        ("is the sector going to overbuild", "overbuilt"),
    ],
)
def test_thesaurus_classes_reach_the_speakers_words(query, added):
    assert added in expand(query).removeprefix(query)
