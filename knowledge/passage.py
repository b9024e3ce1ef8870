"""What a knowledge search returns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """One retrieved chunk with enough to cite it."""

    text: str
    source: str = Field(description="Document title.")
    chapter: str | None = None
    timestamp: str | None = Field(None, description="'MM:SS', estimated for the transcript.")
    score: float
    chunk_id: str
    source_urls: list[str] = Field(default_factory=list)
