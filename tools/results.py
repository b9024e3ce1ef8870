"""What every calculator result carries so an answer can show its work."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Worked(BaseModel):
    """Base of every result model: the formula, the inputs after defaults, assumptions, sources."""

    formula: str = Field(description="The formula applied, in words and symbols.")
    inputs: dict[str, Any] = Field(description="Every input after defaults and catalog lookups.")
    assumptions: list[str] = Field(default_factory=list, description="Defaults used and simplifications made.")
    sources: list[str] = Field(default_factory=list, description="Where the catalog rows and defaults come from.")
