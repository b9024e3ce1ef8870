"""The form of a question each ranking sees: what it is about, without the question's frame.

"what did he say about HBM gross margins" is about "HBM gross margins"; the frame ("what did he
say about") is worded the same for every topic, so it pulls a question's vector towards passages
where someone *says* or *asks* something, and gives BM25 the word "say", which the speakers use
hundreds of times.

- Dense ranking (:func:`dense_forms`): the question as typed and, when it has a frame, the
  question without it (:func:`without_frame`); the query vector is the normalised sum of their
  embeddings (:meth:`knowledge.index.KnowledgeStore.query_vector`). Keeping the typed form too
  keeps what the frame does carry ("why", "how far").
- BM25 ranking (:func:`without_frame_words`): the words of the question frame
  (:data:`knowledge.verdict.FRAME_WORDS`: say, think, ask, talk ...) are left out.

Measured on the seven retrieval suites (.readme/knowledge.md, seventh round): each one alone
raised recall@5 on one to three suites and lowered none.
"""

from __future__ import annotations

import re

from knowledge.bm25 import tokenize
from knowledge.verdict import FRAME_WORDS

_VERBS = (
    r"(?:say|said|says|think|thinks|thought|ask|asked|asks|mention|mentioned|mentions|talk|talked|explain|"
    r"explained|describe|described|argue|argued|claim|claimed|believe|believes|predict|predicted|see|sees|"
    r"suggest|suggested|frame|framed|make of|view|expect|expects)"
)
#: Who a frame asks about: a pronoun, a role, or one of the episode's speakers.
_WHO = (
    r"(?:he|she|they|the guest|the hosts?|a host|one of the hosts|dylan(?: patel)?|bill(?: gurley)?|brad(?: gerstner)?)"
)
_ABOUT = r"(?:\s+(?:about|on|regarding|that|of))?\b"
_FRAME = re.compile(
    rf"^\s*(?:so\s+)?what\s+(?:did|does|do)\s+{_WHO}\s+{_VERBS}{_ABOUT}"
    rf"|\b(?:did|does|do)\s+{_WHO}\s+{_VERBS}{_ABOUT}"
    rf"|\b(?:according to|per)\s+{_WHO}\b",
    re.IGNORECASE,
)


def without_frame(question: str) -> str:
    """``question`` without its frame ("what did he say about", "does Dylan think", "according to
    Bill"), or unchanged when it has none or fewer than two words would be left.

    >>> without_frame("What did he say about HBM gross margins?")
    'HBM gross margins'
    >>> without_frame("How far into the cycle did Brad say we were?")
    'How far into the cycle we were'
    >>> without_frame("HBM gross margins")
    'HBM gross margins'
    """
    stripped = " ".join(_FRAME.sub(" ", question).split()).strip(" ?,.")
    return stripped if stripped != question.strip(" ?,.") and len(stripped.split()) >= 2 else question


def dense_forms(question: str) -> list[str]:
    """The texts whose embeddings make the dense query: the question, and without its frame when it has one."""
    bare = without_frame(question)
    return [question] if bare == question else [question, bare]


def without_frame_words(text: str) -> str:
    """``text`` without the words whose BM25 tokens are all frame words ("say", "thinks", "guest's").

    >>> without_frame_words("what did he say about the cost of serving inference")
    'what did he about the cost of serving inference'
    """
    words = text.split()
    kept = [w for w in words if not (tokens := tokenize(w)) or not set(tokens) <= FRAME_WORDS]
    return " ".join(kept) if kept else text
