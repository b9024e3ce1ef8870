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
    source_kind: str = Field(
        "bundled transcript",
        description="Set by code from where the chunk came from, never by its text: 'bundled transcript', "
        "'bundled spec' or 'user file' (then source is 'your note: <file name>' and source_urls its path).",
    )
    speaker: str | None = Field(
        None, description="Who speaks most of the passage, e.g. 'Dylan Patel (guest)' or 'a host' (transcripts only)."
    )
    best_sentence: str | None = Field(
        None, description="The passage's sentence closest in meaning to the query (transcripts only), verbatim."
    )
    speaker_rule: str | None = Field(
        None, description="The attribution rule that decided the speaker (knowledge.speakers)."
    )
