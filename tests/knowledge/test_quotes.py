"""Quotation marks pair within a line, so a passage excerpt cut after an opening mark makes no false "quote"."""

from __future__ import annotations

from knowledge.quotes import quotes, unverified_quotes

PASSAGE = (
    'So, when you talk about, "Hey, what is the difficulty here?" On training, this is users constantly '
    "experimenting, right? Researchers saying, \"Hey, let's try this. Let's try that.\""
)


def test_an_excerpt_cut_after_an_opening_mark_does_not_pair_with_a_later_line():
    answer = (
        "> [2] … Researchers saying, \"Hey, let's try this. Let's try …\n"
        ">\n"
        "> — the episode, Potential Vulnerabilities, ~15:22\n\n"
        'Read as: search_knowledge(query="gpu failure rate at cluster scale", source=transcript)'
    )
    assert quotes(answer) == ["gpu failure rate at cluster scale"]  # the search query, checked against the queries
    assert unverified_quotes(answer, [PASSAGE, "gpu failure rate at cluster scale"]) == []


def test_a_made_up_quote_on_its_own_line_is_still_caught():
    answer = (
        "> [1] … Researchers saying, \"Hey, let's try …\n\n"
        'He said "researchers never experiment on training runs" [1].\n'
        'Read as: search_knowledge(query="training experiments")'
    )
    assert unverified_quotes(answer, [PASSAGE]) == ["researchers never experiment on training runs"]


def test_balanced_quotes_on_several_lines_are_each_checked():
    answer = 'First: "users constantly experimenting, right?" [1]\nSecond: "what is the difficulty here" [1]'
    assert quotes(answer) == ["users constantly experimenting, right?", "what is the difficulty here"]
    assert unverified_quotes(answer, [PASSAGE]) == []
