"""Query words one typing slip away from a word of the corpus ("Orian" -> orion, "sonet" -> sonnet).

Analysts type fast ("claud sonet", "Orian", "Nvidai") and BM25 drops a query token that no
indexed text holds. A query token the vocabulary lacks is replaced by the vocabulary tokens
at edit distance 1 (one letter deleted, inserted or changed), found with a symmetric-deletion
table: every vocabulary token is stored under itself and under each of its one-letter
deletions, so a lookup of the query token and of its own deletions finds them all without
comparing against every word. Only tokens of ``MIN_LENGTH`` letters or more are corrected (a
short token has too many neighbours: "gpu" -> "cpu"), digits are never changed ("h100" is
not "h200"), an English word is never changed ("stock" is not a slip for "stack"; English words =
the whole words of the embedder's WordPiece vocabulary, 30,522 entries, vendored with it), and a
slip with more than one neighbour is left out ("wafers" -> wager or water).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache

#: Shortest query token (letters, after stemming) that is corrected.
MIN_LENGTH = 5


@cache
def english_words() -> frozenset[str]:
    """The whole (not "##" continuation) alphabetic words of the embedder's WordPiece vocabulary."""
    from knowledge.embeddings import tokenizer_path

    vocab = json.loads(tokenizer_path().read_text(encoding="utf-8"))["model"]["vocab"]
    return frozenset(w for w in vocab if w.isalpha())


def _deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def _distance_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one deleted, inserted or changed letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


class NearTerms:
    """Vocabulary tokens within one slip of a query token.

    >>> NearTerms(["orion", "sonnet", "cloud"]).correct("orian")
    ['orion']
    >>> NearTerms(["h200"]).correct("h100")
    []
    """

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._table: dict[str, set[str]] = {}
        for token in vocabulary:
            if token.isalpha() and len(token) >= MIN_LENGTH - 1:
                for key in {token, *_deletions(token)}:
                    self._table.setdefault(key, set()).add(token)

    def correct(self, token: str) -> list[str]:
        """The vocabulary tokens at edit distance 1 from ``token`` (none for short or non-alphabetic tokens)."""
        if not token.isalpha() or len(token) < MIN_LENGTH:
            return []
        found = {t for key in {token, *_deletions(token)} for t in self._table.get(key, ())}
        return sorted(t for t in found if _distance_one(token, t))

    def corrections(self, words: Iterable[tuple[str, str]], vocabulary: Iterable[str]) -> list[str]:
        """Replacement tokens for the query's slips: ``words`` are (word as typed, its BM25 token) pairs; a
        word is a slip when its token is not in ``vocabulary`` and the word is not English; its
        replacement is the one vocabulary token one slip away (none when there are several)."""
        known, english = set(vocabulary), english_words()
        out = []
        for word, token in words:
            if token in known or word in english:
                continue
            near = self.correct(token)
            if len(near) == 1:
                out.append(near[0])
        return out
