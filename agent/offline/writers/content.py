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


def result(tool: str, data: dict[str, Any]) -> Any:
    """``data`` validated as ``tool``'s result model (tools.registry), so a writer reads typed fields: a field
    the calculator renamed or dropped fails (a validation error, an AttributeError) instead of printing nothing
    or a wrong figure."""
    from tools.registry import get

    return get(tool).result_model.model_validate(data)
