"""Read a CSV shipped in ``knowledge/data`` (package data) as rows of strings."""

from __future__ import annotations

import csv
import io
from importlib import resources


def knowledge_csv(filename: str) -> list[dict[str, str]]:
    """Rows of ``knowledge/data/<filename>`` keyed by header, read as UTF-8 with newlines kept as written.

    Same result as ``open(path, newline="", encoding="utf-8")`` fed to ``csv.DictReader``; reading the
    bytes keeps it working when the package is a zip or other non-file resource.
    """
    text = (resources.files("knowledge") / "data" / filename).read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))
