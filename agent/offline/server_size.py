"""The accelerators in a server or rack a question names by its system name, not a number.

"HGX B200 box $450,000", "one gb200 nvl72 rack pulls 132 kW", "DGX H100 at $300k" give a price or power per
server with no count of GPUs; the system's name holds it (NVIDIA's product names: an HGX / DGX board carries 8
GPUs; an NVL<N> rack N GPUs, e.g. GB200 NVL72 = 72). A count written in the question always wins.
"""

from __future__ import annotations

import re

#: "nvl72", "NVL 36": the GPUs the name says.
_NVL = re.compile(r"\bnvl\s?(\d{2,3})\b", re.I)
#: HGX and DGX boards: 8 GPUs (NVIDIA HGX / DGX product pages: "eight GPUs").
_EIGHT = re.compile(r"\b(?:hgx|dgx)\b", re.I)
#: NVIDIA HGX / DGX systems carry eight GPUs.
HGX_GPUS = 8


#: Words for one server ("a b300 box") and one rack.
_BOX = re.compile(r"\b(?:box|server|node|system)\b", re.I)
_RACK = re.compile(r"\brack\b", re.I)


def named_server_size(question: str) -> int | None:
    """The accelerators per server or rack the system's name gives, or None (no such name, or two sizes).

    The name is the question's ("HGX B200", "nvl72"), else the catalog row of the one chip it names when the
    question speaks of its box or rack: "a b300 box" is the catalog's "NVIDIA B300 (HGX B300 ...)", 8 GPUs."""
    sizes = {int(m.group(1)) for m in _NVL.finditer(question)}
    if _EIGHT.search(question):
        sizes.add(HGX_GPUS)
    if not sizes:
        sizes = _catalog_sizes(question)
    return sizes.pop() if len(sizes) == 1 else None


def _catalog_sizes(question: str) -> set[int]:
    """The server (HGX / DGX) or rack (NVL<N>) size in the catalog name of the chip a question names."""
    from agent.offline.parse import parse

    names = {m.candidates[0] for m in parse(question).chips if m.candidates}
    if len(names) != 1:
        return set()
    name = names.pop()
    if _BOX.search(question) and _EIGHT.search(name):
        return {HGX_GPUS}
    if _RACK.search(question) and (m := _NVL.search(name)):
        return {int(m.group(1))}
    return set()
