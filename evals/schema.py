"""The eval suite formats (``evals/suites/*.yaml``) as pydantic models.

Every model forbids unknown keys, so a typo in a suite (``rel_tl``, ``expects``) is a load
error, not a silently ignored expectation. Three kinds of suite share a header
(``suite``, ``kind``, ``description``, ``cases``); each case names its ``source``: where the
expected value comes from (a paper, a datasheet, a filing, a peer tool, a hand derivation).

* ``tools``: run one registry tool with ``args``; compare result fields (``expect``), or
  expect an ``InputError`` naming ``error_field``.
* ``retrieval``: a question and a gold quote (an exact substring of the corpus) with
  acceptable alternates; a hit is a top-``k`` passage overlapping the gold quote.
* ``agent``: a question as a person types it (optionally after earlier turns); the figures
  that must appear in the answer, the tools that must be called, a citation, a behaviour.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from agent.toolset import TOOLS
from evals.units import UNITS

#: Tool names an agent may call: every registry entry.
AGENT_TOOLS = frozenset(t.name for t in TOOLS)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SuiteHeader(_Strict):
    """What every suite has besides its cases."""

    suite: str
    description: str = ""
    known_failures: list[str] = Field(
        default_factory=list,
        description="Case ids that fail today, each kept as a strict known failure: a listed case that passes, "
        "or an unlisted case that fails, breaks the build.",
    )

    @model_validator(mode="after")
    def _known_ids(self) -> "_SuiteHeader":
        ids = {c.id for c in getattr(self, "cases", [])}
        unknown = [i for i in self.known_failures if i not in ids]
        if unknown:
            raise ValueError(f"known_failures names cases the suite does not have: {unknown}")
        return self


class CaseBase(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$", description="Unique within the suite; a pytest id.")
    tags: list[str] = Field(default_factory=list)
    source: str = Field(min_length=3, description="Where the expected value comes from.")


# --- tools -----------------------------------------------------------------------------------


class FieldExpect(_Strict):
    """One expected result field. Numbers need ``exact: true``, ``rel_tol`` or ``abs_tol``."""

    field: str = Field(description="Result field; dotted path into lists/objects, e.g. 'forecast.0.capex_usd_b'.")
    value: bool | int | float | str
    exact: bool = False
    rel_tol: float | None = Field(None, gt=0, lt=1)
    abs_tol: float | None = Field(None, gt=0)
    unit: str | None = Field(None, description="Documentation only: the unit the field is in.")

    @model_validator(mode="after")
    def _tolerance(self) -> "FieldExpect":
        numeric = isinstance(self.value, (int, float)) and not isinstance(self.value, bool)
        if numeric and not (self.exact or self.rel_tol or self.abs_tol):
            raise ValueError(f"field {self.field!r}: a number needs exact: true, rel_tol or abs_tol")
        if self.exact and (self.rel_tol or self.abs_tol):
            raise ValueError(f"field {self.field!r}: exact and a tolerance are exclusive")
        if not numeric and (self.rel_tol or self.abs_tol):
            raise ValueError(f"field {self.field!r}: a tolerance needs a numeric value")
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"field {self.field!r}: unknown unit {self.unit!r}")
        return self


class ToolCase(CaseBase):
    tool: str
    args: dict[str, Any]
    expect: list[FieldExpect] = Field(default_factory=list)
    error_field: str | None = Field(None, description="Expect an InputError naming this field instead of a result.")

    @model_validator(mode="after")
    def _one_expectation(self) -> "ToolCase":
        if bool(self.expect) == bool(self.error_field):
            raise ValueError(
                f"case {self.id!r}: give either expect (result fields) or error_field, not both or neither"
            )
        return self


class ToolsSuite(_SuiteHeader):
    kind: Literal["tools"]
    cases: list[ToolCase] = Field(min_length=1)


# --- retrieval -------------------------------------------------------------------------------


class RetrievalCase(CaseBase):
    question: str = Field(min_length=3)
    gold: str = Field(min_length=8, description="Exact substring of the source text.")
    alternates: list[str] = Field(default_factory=list, description="Other acceptable exact substrings.")
    corpus: Literal["transcript", "specs", "all"] = Field(
        "all", description="Which part of the knowledge base to search."
    )


class RetrievalSuite(_SuiteHeader):
    kind: Literal["retrieval"]
    k: int = Field(5, ge=1, le=50)
    min_overlap: float = Field(0.6, gt=0, le=1, description="Fraction of the gold quote a passage must contain.")
    gate: float | None = Field(None, ge=0, le=1, description="Pass rate the suite must reach (recall@k).")
    cases: list[RetrievalCase] = Field(min_length=1)


# --- agent -----------------------------------------------------------------------------------


class Figure(_Strict):
    """A quantity that must appear in the answer text, in any unit of the same dimension."""

    value: float
    unit: str = Field("", description="A unit from evals.units.UNITS, or '' for a plain count.")
    rel_tol: float = Field(0.02, gt=0, lt=1)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        if unit not in UNITS:
            raise ValueError(f"unknown unit {unit!r}; known: {', '.join(sorted(u for u in UNITS if u))}")
        return unit


class CitationExpect(_Strict):
    chapter_contains: str | None = None
    source: str | None = Field(None, description="Citation source kind, e.g. 'transcript' or 'specs'.")
    text_contains: str | None = None

    @model_validator(mode="after")
    def _something(self) -> "CitationExpect":
        if not (self.chapter_contains or self.source or self.text_contains):
            raise ValueError("citation needs chapter_contains, source or text_contains (or write citation: null)")
        return self


Behaviour = Literal["answer", "error", "does_not_fit", "refuse"]


class AgentExpect(_Strict):
    figures: list[Figure] = Field(default_factory=list)
    tools: list[str] = Field(default_factory=list, description="Tools that must be among the calls made.")
    citation: CitationExpect | None = None
    behaviour: Behaviour = "answer"
    error_field: str | None = Field(None, description="For behaviour error: the field the message must name.")
    text_contains: list[str] = Field(
        default_factory=list, description="Phrases (case-insensitive) the answer must hold."
    )

    @field_validator("tools")
    @classmethod
    def _known_tools(cls, tools: list[str]) -> list[str]:
        unknown = [t for t in tools if t not in AGENT_TOOLS]
        if unknown:
            raise ValueError(f"unknown tool(s) {unknown}; allowed: {', '.join(sorted(AGENT_TOOLS))}")
        return tools

    @model_validator(mode="after")
    def _coherent(self) -> "AgentExpect":
        if self.behaviour in ("error", "refuse") and self.figures:
            raise ValueError(f"behaviour {self.behaviour} expects no number, so figures must be empty")
        if self.error_field and self.behaviour != "error":
            raise ValueError("error_field only applies to behaviour: error")
        return self


class Turn(_Strict):
    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class AgentCase(CaseBase):
    question: str = Field(min_length=2)
    history: list[Turn] = Field(
        default_factory=list, description="Earlier turns given as text (a follow-up question reads them)."
    )
    follow_up_of: list[str] = Field(
        default_factory=list,
        description="Earlier questions asked through ask() first; their answers become the history of this one.",
    )
    expect: AgentExpect


class AgentSuite(_SuiteHeader):
    kind: Literal["agent"]
    live: bool = Field(False, description="True: needs a provider model (skipped without a key).")
    gate: float | None = Field(None, ge=0, le=1)
    max_wrong: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Highest share of wrong answers (a figure, not the expected one, and no decline); scored by evals.blind.",
    )
    cases: list[AgentCase] = Field(min_length=1)


# --- measured ----------------------------------------------------------------------------------


class MeasuredCase(CaseBase):
    """One figure over measured serving points, compared with the throughput calculator.

    ``bound_share``: share of the selected points whose measured tokens/s per user is at most the roofline
    bound (efficiencies 1, no overhead). ``median_abs_log``: median |ln(measured / default estimate)|.
    ``bucket_median_ratio``: median measured / default estimate in one concurrency bucket;
    ``median_ratio``: the same over every selected point.
    """

    check: Literal["bound_share", "median_abs_log", "bucket_median_ratio", "median_ratio"]
    bucket: str | None = Field(None, description="Concurrency bucket for bucket_median_ratio: 1, 2-8, 9-32, 33+.")
    chips: list[str] = Field(default_factory=list, description="Only points on these chips (all when empty).")
    speculative: Literal["include", "exclude", "only"] = "include"
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "MeasuredCase":
        if self.min is None and self.max is None:
            raise ValueError(f"case {self.id!r}: give min, max or both")
        if (self.check == "bucket_median_ratio") != (self.bucket is not None):
            raise ValueError(f"case {self.id!r}: bucket is required by bucket_median_ratio and only by it")
        return self


class MeasuredSuite(_SuiteHeader):
    kind: Literal["measured"]
    data: str = Field(description="CSV under knowledge/data/ (formats in tools/measured.py).")
    format: Literal["interactive", "max_throughput"] = Field(
        "interactive",
        description="interactive: InferenceX columns, tokens/s per user; max_throughput: output tokens/s.",
    )
    gate: float | None = Field(None, ge=0, le=1)
    cases: list[MeasuredCase] = Field(min_length=1)

    @model_validator(mode="after")
    def _buckets_need_concurrency(self) -> "MeasuredSuite":
        if self.format == "max_throughput" and any(c.bucket or c.speculative != "include" for c in self.cases):
            raise ValueError(
                "max_throughput points have no concurrency or speculation: no bucket or speculative selection"
            )
        return self


Suite = Annotated[ToolsSuite | RetrievalSuite | AgentSuite | MeasuredSuite, Field(discriminator="kind")]


def unique_ids(cases: list[CaseBase]) -> list[str]:
    """Case ids that occur more than once (a suite with duplicates is malformed)."""
    seen: set[str] = set()
    dupes = []
    for c in cases:
        if c.id in seen:
            dupes.append(c.id)
        seen.add(c.id)
    return dupes
