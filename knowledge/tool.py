"""``search_knowledge`` as a registry tool: passages to quote, with source, chapter and time.

The entry (:data:`SEARCH_KNOWLEDGE`) is joined to the calculators by :mod:`agent.toolset`, so
the agent, MCP and the eval runner describe and validate it like any calculator. The agent
reads the passages as a JSON list (:attr:`Tool.payload`); MCP gets ``{"passages": [...]}``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from knowledge.passage import Passage
from tools.registry import Tool


class SearchKnowledgeInput(BaseModel):
    """Search the knowledge base (the BG2 transcript and the spec sheets) for passages to quote."""

    query: str = Field(min_length=1, description="What to look for, in words, e.g. 'Trainium2 price per chip'.")
    k: int = Field(5, ge=1, le=20, description="How many passages to return (1-20).")
    source: Literal["transcript", "specs", "all"] = Field(
        "all", description="'transcript' (what was said), 'specs' (datasheets and catalog notes) or 'all'."
    )
    speaker: str | None = Field(
        None, description="Prefer one speaker's turns: 'guest', 'host', or a name ('Dylan', 'Brad', 'Bill')."
    )


class SearchKnowledgeResult(BaseModel):
    passages: list[Passage] = Field(
        description="Best first, each with source, chapter and estimated time; empty when nothing is close."
    )
    verdict: Literal["close", "nothing close"] = Field(
        "close", description="One verdict for the whole result (knowledge.verdict): close passages, or none."
    )
    statement: str | None = Field(None, description="What to tell the user when nothing is close.")
    speaker_says_it: bool | None = Field(
        None,
        description="When the question asks about a speaker: whether that speaker says one of its terms in the "
        "passages (False: say so, and attribute the words to whoever does say them).",
    )


def search_knowledge(inp: SearchKnowledgeInput) -> SearchKnowledgeResult:
    """The ``inp.k`` best passages for ``inp.query`` when they are close to it, else none and a statement
    (the index is opened, or built, on first use)."""
    from knowledge.search import search_checked

    source = None if inp.source == "all" else inp.source
    passages, verdict = search_checked(inp.query, k=inp.k, source=source, speaker=inp.speaker)
    return SearchKnowledgeResult(
        passages=passages, verdict=verdict.label, statement=verdict.statement, speaker_says_it=verdict.speaker_says_it
    )


SEARCH_KNOWLEDGE = Tool(
    name="search_knowledge",
    summary="Search what was said (the BG2 podcast transcript) and the spec notes.",
    input_model=SearchKnowledgeInput,
    fn=search_knowledge,
    result_model=SearchKnowledgeResult,
    examples=('siliconomics search "what did Dylan say about HBM margins"',),
    key_fields=("passages",),
    guidance="Returns passages with source, chapter, timestamp (MM:SS) and speaker. Cite them as [n] in the order "
    "returned, with the speaker of the words quoted (each passage's speakers list), chapter and time; quote only "
    "words copied exactly; cite only what they say. No passages: nothing in the knowledge base is close; say so.",
    payload=lambda result: [p.model_dump(mode="json") for p in result.passages],
)
