"""Catalog names in a query: which chip or model rows it names, and whether it asks for specs.

"mi300x hbm capacity" names the MI300X row; without help, dense and BM25 rank the MI325X sheet
(nearly the same words) above it. :func:`named_docs` finds the rows a query names by exact
name or alias (``accelerators.csv`` / ``models.csv``, matched as the catalog matches names:
lower case, vendor words dropped, punctuation ignored), longest phrase first, so search can
put the named row where it belongs. Aliases shorter than 3 characters ("v3", "r1", "v4") are
not used here: in free text they are too often something else ("TPU v3").

:func:`asks_for_specs` says whether the query uses a spec-sheet word (a field of the
documents in :mod:`knowledge.specs`: memory, bandwidth, TDP, FLOPS, parameters, layers,
context window ...). Only then is a named row put first; "why does he call Trainium2 an
Amazon Basics TPU?" names a chip but asks about the conversation.
"""

from __future__ import annotations

import re
from functools import cache

from knowledge.aliases import canonicalize

#: Longest alias phrase tried, in words ("gb200 nvl72", "llama 3.1 405b").
_MAX_WORDS = 3
_MIN_LABEL = 3
_WORDS = re.compile(r"[a-z0-9.]+")
#: Words naming a field of a spec sheet or model card (knowledge/specs.py).
_SPEC_WORDS = re.compile(
    r"\b(?:bandwidth|hbm\w*|memory|capacity|sram|tdp|power|watts?|t?flops|pflops|fp(?:4|8|16|32)|bf16|int8|"
    r"param(?:eter)?s?|layers?|heads?|hidden|dimensions?|context|vocab\w*|specs?|datasheet|interconnect|"
    r"nvlink|scale-?up|pod|gb|tb/s)\b",
    re.IGNORECASE,
)


@cache
def _labels() -> dict[str, tuple[str, ...]]:
    """Normalised name or alias -> chunk ids of the rows it names."""
    from knowledge.specs import row_doc_id
    from tools.catalog import _normalise, accelerators, models

    out: dict[str, list[str]] = {}
    for row in (*accelerators(), *models()):
        for label in (row.name, *row.aliases):
            key = _normalise(label)
            if len(key) >= _MIN_LABEL and row_doc_id(row) not in out.get(key, []):
                out.setdefault(key, []).append(row_doc_id(row))
    return {k: tuple(v) for k, v in out.items()}


def named_docs(query: str) -> list[str]:
    """Chunk ids of the catalog rows ``query`` names, in order of mention.

    >>> named_docs("H200 vs MI300X bandwidth")
    ['spec:nvidia-h200-sxm-141gb', 'spec:amd-instinct-mi300x']
    """
    from tools.catalog import _normalise

    labels = _labels()
    words = _WORDS.findall(canonicalize(query).lower())
    found: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            key = _normalise(" ".join(words[i : i + n]))
            if key in labels:
                found += [d for d in labels[key] if d not in found]
                i += n
                break
        else:
            i += 1
    return found


def asks_for_specs(query: str) -> bool:
    """True when ``query`` uses a spec-sheet word: 'H200 bandwidth' yes, 'why is Trainium2 cheap' no."""
    return bool(_SPEC_WORDS.search(query))
