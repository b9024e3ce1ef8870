"""Verbatim check of the quotes in an answer against the passages the search returned.

A quote is text between double quotes (straight or curly) of at least ``MIN_QUOTE_WORDS`` words, one of them
with a letter (an arithmetic expression in quotes is not a quote), inside one paragraph.
It is verbatim when, after both are lower-cased and reduced to words (punctuation, dashes and
whitespace dropped; a leading or trailing "…"/"..." marks an elision and is ignored), it is a
contiguous run of words of one passage. Anything else is reported: a language model that
paraphrases inside quotation marks, or a quote stitched from two places, is caught.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MIN_QUOTE_WORDS = 4
#: A quoted span within one paragraph: an opening mark left open in an excerpt cut short ("“Hey, let's try …")
#: does not pair with a closing mark paragraphs later.
_QUOTE = re.compile(r"\"((?:(?!\n\n)[^\"])+)\"|“((?:(?!\n\n)[^”])+)”")
_WORD = re.compile(r"[a-z0-9$%]+(?:[.,'’][a-z0-9]+)*")


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower().replace("’", "'")))


def quotes(answer: str) -> list[str]:
    """The quoted spans of ``answer`` with at least ``MIN_QUOTE_WORDS`` words, as written.

    Quotation marks pair within a line: a passage excerpt cut after a speaker's opening mark
    (`Researchers saying, "Hey, let's try …`) must not pair with a mark lines below (a citation's
    `query="...`) and turn the text between into a "quote". Arithmetic in quotes (a calculate call's
    `expression="300000 / 8 / (5 * 8760)"`) is no one's words.
    """
    found = [a or b for line in answer.splitlines() for a, b in _QUOTE.findall(line)]
    return [q.strip() for q in found if len(_words(q).split()) >= MIN_QUOTE_WORDS and re.search(r"[a-z]", q.lower())]


def unverified_quotes(answer: str, passages: Iterable[str]) -> list[str]:
    """The quotes of ``answer`` that are not verbatim in any of ``passages`` (see the module docstring).

    >>> unverified_quotes('He said "margins on HBM have not been fantastic" [1].', ["the gross margins on HBM have not been fantastic."])
    []
    >>> unverified_quotes('He said "HBM margins are terrible".', ["the gross margins on HBM have not been fantastic."])
    ['HBM margins are terrible']
    """
    texts = [f" {_words(p)} " for p in passages]
    out = []
    for q in quotes(answer):
        needle = f" {_words(q.strip('.… '))} "
        if not any(needle in t for t in texts):
            out.append(q)
    return out
