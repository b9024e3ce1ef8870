"""TPU slices named by size: "v6e-8", "tpu v5p-16", "v5litepod-256" -> the number of chips.

Google names a slice by its generation and a count. For v5e ("v5litepod-N") and v6e the count is chips; for v4 and
v5p it is TensorCores, two per chip, so "v5p-16" is 8 chips (Google Cloud TPU documentation, "TPU v4" and "TPU v5p"
pages: "v4-8 ... 4 chips", "v5p-8 ... 4 chips"; "TPU v5e"/"TPU v6e" pages: "v6e-8 ... 8 chips").
"""

from __future__ import annotations

import re

#: TensorCores per chip counted in the slice name, by generation.
_CORES_PER_CHIP = {"v4": 2, "v5p": 2, "v5e": 1, "v6e": 1}
_SLICE = re.compile(
    r"\b(?P<tpu>tpu\s*)?(?P<gen>v4|v5p|v5e|v5litepod|v6e)\s*-\s*(?P<n>\d{1,5})\b(?!\s*(?:gb|gib|tb|%|x\b))", re.I
)


def as_chip_count(text: str) -> str:
    """``text`` with each TPU slice named by size written as a chip count the count patterns read.

    >>> as_chip_count("llama 70b on a v5p-16 slice")
    'llama 70b on a 8 x v5p slice'
    >>> as_chip_count("tpu v6e-8 at $2.70/chip-hr")
    '8 x tpu v6e at $2.70/chip-hr'
    """

    def chips(m: re.Match[str]) -> str:
        generation = "v5e" if m.group("gen").lower() == "v5litepod" else m.group("gen").lower()
        count, cores = int(m.group("n")), _CORES_PER_CHIP[generation]
        if count % cores:
            return m.group(0)  # not a slice size of this generation: left as written
        return f"{count // cores} x {m.group('tpu') or ''}{generation}"

    return _SLICE.sub(chips, text)
