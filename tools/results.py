"""What every calculator result carries so an answer can show its work."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field


class Worked(BaseModel):
    """Base of every result model: the formula, the inputs after defaults, assumptions, sources."""

    formula: str = Field(description="The formula applied, in words and symbols.")
    inputs: dict[str, Any] = Field(description="Every input after defaults and catalog lookups.")
    assumptions: list[str] = Field(default_factory=list, description="Defaults used and simplifications made.")
    sources: list[str] = Field(default_factory=list, description="Where the catalog rows and defaults come from.")
    inputs_given: dict[str, Any] = Field(default_factory=dict, description="The inputs the caller stated, as given.")
    defaults_used: dict[str, Any] = Field(
        default_factory=dict,
        description="Inputs the caller did not state that the result depends on, with the default or catalog value "
        "used.",
    )


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, (list, tuple, dict, str)) and not value)


def record_provenance(result: Worked, inp: BaseModel, unused: Iterable[str] = ()) -> Worked:
    """Fill ``inputs_given`` (fields the caller set) and ``defaults_used`` (every other input in ``result.inputs``
    with a value, except the ``unused`` ones the result does not depend on); returns ``result``."""
    fields = type(inp).model_fields
    given = {k: getattr(inp, k) for k in fields if k in inp.model_fields_set}
    skip = set(unused) | set(given)
    result.inputs_given = given
    result.defaults_used = {k: v for k, v in result.inputs.items() if k not in skip and k in fields and not _empty(v)}
    return result
