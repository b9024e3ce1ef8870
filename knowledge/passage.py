"""What a knowledge search returns."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SpokenPart(BaseModel):
    """Who speaks one part of a transcript passage; the part runs from its ``opening`` words to the next part's.

    No character offsets: every number in a passage's JSON is one the agent may cite, so it carries
    only the text's own words (:func:`knowledge.speakers.spoken_parts` recovers each part's text).
    """

    opening: str = Field(description="The part's first words, copied from the text (whitespace collapsed).")
    speaker: str = Field(description="'Dylan Patel (guest)', 'Brad Gerstner (host)' or 'a host'.")
    role: str = Field(description="'guest' or 'host'.")
    name: str | None = Field(None, description="The speaker's name when the text makes it clear.")
    rule: str = Field(description="The attribution rule that decided it (knowledge.speakers).")


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
    best_sentence_speaker: str | None = Field(
        None, description="Who says best_sentence (a host's question inside a guest's passage is the host's)."
    )
    speakers: list[SpokenPart] = Field(
        default_factory=list,
        description="Who speaks each part of the text, in order (bundled transcript): cite the speaker of the part "
        "quoted (knowledge.speakers.speaker_of_quote), not the passage's main speaker.",
    )
