"""A question about what was said on the podcast that names a chip the episode never mentions.

"What did Dylan say about MI355X pricing vs B200?": no sentence of the bundled transcript names the MI355X,
so there is nothing he said about it to quote; the passages a search would return are about other chips.
The answer says so and quotes nothing.

A chip counts as mentioned when its name as the question writes it, or a token of that name holding both
letters and digits (the model code: "mi355x", "b200", "gb200"), occurs in the transcript once case, spaces
and hyphens are dropped ("GB200 NVL72" is mentioned when "GB200" is) and the transcript's slips are mended
("Tranium 2" names Trainium2).
"""

from __future__ import annotations

import re
from functools import cache

from agent.offline.entities import Mention


@cache
def _transcript_squashed() -> str:
    from knowledge.transcript import bundled_text

    return _squash(bundled_text())


def _squash(text: str) -> str:
    """Lower case, the transcript's slips mended (:func:`knowledge.aliases.canonicalize`: "Tranium 2" is
    Trainium2), spaces, hyphens and underscores dropped."""
    from knowledge.aliases import canonicalize

    return re.sub(r"[\s\-_]+", "", canonicalize(text).lower())


def mentioned(written: str) -> bool:
    """Whether the chip written as ``written`` is named anywhere in the bundled transcript (module docstring)."""
    body = _transcript_squashed()
    if _squash(written) in body:
        return True
    from knowledge.aliases import canonicalize

    codes = [
        t
        for t in re.findall(r"[a-z0-9]+", canonicalize(written).lower())
        if re.search(r"\d", t) and re.search(r"[a-z]", t)
    ]
    return any(c in body for c in codes)


def absent_chips(chips: list[Mention]) -> list[str]:
    """The chips of ``chips`` (as written) the transcript never names, in question order, once each."""
    return list(dict.fromkeys(m.text for m in chips if not mentioned(m.text)))


def not_discussed(absent: list[str], present: list[str]) -> str:
    """The reply: the podcast never names ``absent``; ``present`` (also asked about) it does."""
    names = " or ".join(absent)
    also = f" It does mention {', '.join(present)}: ask about that alone for what was said." if present else ""
    return (
        f"The podcast does not discuss {names}: no sentence of the transcript names it, so I can't quote anything "
        f"Dylan or the hosts said about it, and I give no figure.{also}"
    )
