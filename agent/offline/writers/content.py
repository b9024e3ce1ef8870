"""A tool message's content as data."""

from __future__ import annotations

import json
from typing import Any


def load(content: Any) -> Any:
    """A tool message's content as JSON (a dict, a list of passages, or ``{"error": ...}``)."""
    if isinstance(content, (dict, list)):
        return content
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return {"error": str(content)}
