"""The shape every front-end renders: ``ask(...) -> Answer``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ToolCallRecord(BaseModel):
    """One tool call the agent made, with its result (JSON-able) or its error line."""

    name: str
    args: dict[str, Any]
    result: Any = None
    error: str | None = None


class Citation(BaseModel):
    """A passage the answer relies on, with where to find it."""

    text: str
    source: str
    chapter: str | None = None
    timestamp: str | None = Field(None, description="'MM:SS' (estimated for the transcript).")
    chunk_id: str | None = None
    source_urls: list[str] = Field(default_factory=list)
    source_kind: str | None = Field(None, description="'bundled transcript', 'bundled spec' or 'user file'.")
    speaker: str | None = Field(
        None, description="Who speaks most of the passage, e.g. 'Dylan Patel (guest)' (transcripts)."
    )


class Answer(BaseModel):
    """An answer: markdown text, the tool calls behind it, citations, grounding warnings."""

    answer: str
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    unused_inputs: list[str] = Field(
        default_factory=list,
        description="Quantities stated in the question that no tool call used and the answer does not set aside, as written.",
    )
    model: str
    usage: dict[str, int] = Field(default_factory=dict, description="Token counts where the provider reports them.")
    elapsed_s: float = 0.0
    charts: list[str] = Field(default_factory=list, description="Paths of PNG charts written for this answer.")
