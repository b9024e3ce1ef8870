"""The one domain error every calculator raises for bad input.

A front-end prints ``str(err)`` as one line (CLI exit code 2, a Slack reply, an MCP tool
error, a tool message the language model can act on). The message always names the field,
the offending value and what is allowed, plus the closest catalog names when there are any.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pydantic


class InputError(ValueError):
    """Bad input to a calculator: which field, what was given, what is allowed."""

    def __init__(
        self,
        field: str,
        message: str,
        *,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.field = field
        self.message = message
        self.suggestions = tuple(suggestions)
        text = f"{field}: {message}"
        if self.suggestions:
            text += f" Did you mean: {', '.join(self.suggestions)}?"
        super().__init__(text)


def from_validation_error(exc: pydantic.ValidationError) -> InputError:
    """Turn pydantic's first validation error into one readable ``InputError``.

    >>> from pydantic import BaseModel, Field, ValidationError
    >>> class M(BaseModel):
    ...     batch: int = Field(ge=1)
    >>> try:
    ...     M(batch=0)
    ... except ValidationError as e:
    ...     print(from_validation_error(e))
    batch: must be >= 1 (got 0).
    """
    err = exc.errors(include_url=False)[0]
    field = ".".join(str(p) for p in err.get("loc", ())) or "input"
    ctx = err.get("ctx") or {}
    kind = err.get("type", "")
    value = err.get("input")
    bounds = {
        "greater_than": f"must be > {ctx.get('gt')}",
        "greater_than_equal": f"must be >= {ctx.get('ge')}",
        "less_than": f"must be < {ctx.get('lt')}",
        "less_than_equal": f"must be <= {ctx.get('le')}",
    }
    if kind in bounds:
        return InputError(field, f"{bounds[kind]} (got {value}).")
    if kind == "missing":
        return InputError(field, "is required.")
    if kind == "literal_error":
        return InputError(field, f"got {value!r}; allowed: {ctx.get('expected')}.")
    if kind == "value_error" and isinstance(ctx.get("error"), InputError):
        return ctx["error"]
    msg = err.get("msg", "invalid value").removeprefix("Value error, ")
    return InputError(field, f"{msg} (got {value!r}).")
