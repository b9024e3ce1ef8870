"""The claims file (``knowledge/data/claims.yaml``) as validated models, and where each quote sits.

Each :class:`ClaimSpec` is a verified quote (an exact substring of the bundled transcript), the
claim normalised (:class:`Claimed`), and a :class:`Recipe` of calculator calls and assumptions
that computes its counterpart (see :mod:`agent.claims.check` for the verdict rules).
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, Field, model_validator

from tools.errors import InputError

CLAIMS_FILE = "claims.yaml"


class Claimed(BaseModel):
    """What the speaker claimed, normalised: a quantity, a value or range, a unit."""

    quantity: str = Field(description="What is claimed, in words.")
    text: str = Field(description="The claimed value as said, e.g. 'over 1 TB', '4-5x'.")
    unit: str
    value: float | None = Field(None, description="The stated figure (accepted within +- rel_tol).")
    rel_tol: float = Field(0.0, ge=0, lt=1, description="Accepted relative spread around value, for 'about'/'like'.")
    min: float | None = Field(None, description="Lower bound ('over', 'at least').")
    max: float | None = Field(None, description="Upper bound ('under', 'at most').")

    @model_validator(mode="after")
    def _some_bound(self) -> "Claimed":
        if self.value is None and self.min is None and self.max is None:
            raise ValueError("a claim needs value, min or max")
        return self

    def bounds(self) -> tuple[float, float]:
        """The accepted interval [low, high] for the computed value."""
        lo, hi = -math.inf, math.inf
        if self.value is not None:
            lo, hi = self.value * (1 - self.rel_tol), self.value * (1 + self.rel_tol)
        if self.min is not None:
            lo = max(lo, self.min) if self.value is not None else self.min
        if self.max is not None:
            hi = min(hi, self.max) if self.value is not None else self.max
        return lo, hi


class Assumption(BaseModel):
    """A named input the check depends on, with its plausible range and where that comes from."""

    name: str
    value: float = Field(description="Nominal value.")
    low: float
    high: float
    unit: str = ""
    source: str = Field(min_length=3, description="Where the nominal value and the range come from.")

    @model_validator(mode="after")
    def _ordered(self) -> "Assumption":
        if not self.low <= self.value <= self.high:
            raise ValueError(f"assumption {self.name}: need low <= value <= high")
        return self


class Call(BaseModel):
    """One tool call of a recipe: a registry tool or a catalog row."""

    tool: str = Field(description="Registry tool name, or catalog.accelerator / catalog.model.")
    args: dict[str, Any] = Field(default_factory=dict)


class Recipe(BaseModel):
    """How a claim is checked."""

    method: str = Field(description="The check in words (what is computed and why it answers the claim).")
    calls: dict[str, Call] = Field(default_factory=dict)
    assumptions: list[Assumption] = Field(default_factory=list)
    value: str = Field(description="Expression for the computed counterpart of the claimed value.")
    figures: dict[str, str] = Field(default_factory=dict, description="More named expressions to report.")
    unsourced: str | None = Field(
        None, description="Why an input lacks an independent source (makes it not checkable)."
    )


class ClaimSpec(BaseModel):
    """One entry of claims.yaml."""

    id: str
    quote: str = Field(min_length=10)
    chapter: str
    speaker: str | None = None
    claim: Claimed
    check: Recipe | None = None
    not_checkable: str | None = Field(None, description="Why the calculators cannot check it.")
    notes: str | None = None
    questions: list[str] = Field(default_factory=list, description="Other phrasings, for check_claim matching.")

    @model_validator(mode="after")
    def _one_route(self) -> "ClaimSpec":
        if (self.check is None) == (self.not_checkable is None):
            raise ValueError(f"claim {self.id}: give exactly one of check or not_checkable")
        return self


def transcript_text() -> str:
    from knowledge.transcript import bundled_text

    return bundled_text()


def _transcript():
    from knowledge.transcript import bundled

    return bundled()


def locate(quote: str) -> tuple[str | None, str | None]:
    """(chapter, estimated 'MM:SS') of the first occurrence of ``quote``; (None, None) if absent."""
    from knowledge.transcript import format_timestamp, time_at

    t = _transcript()
    offset = t.body.find(quote)
    if offset < 0:
        return None, None
    chapter = None
    for c in t.chapters:
        if c.start <= offset:
            chapter = c.title
    secs = time_at(t.body, t.chapters, offset)
    return chapter, (format_timestamp(secs) if secs is not None else None)


@cache
def load_claims() -> tuple[ClaimSpec, ...]:
    """The claims of claims.yaml, validated: every quote must be an exact substring of the transcript."""
    import yaml

    raw = yaml.safe_load(resources.files("knowledge").joinpath("data", CLAIMS_FILE).read_text(encoding="utf-8"))
    specs = tuple(ClaimSpec.model_validate(c) for c in raw["claims"])
    text = transcript_text()
    seen: set[str] = set()
    for s in specs:
        if s.quote not in text:
            raise ValueError(f"claims.yaml: quote of {s.id!r} is not a substring of the transcript")
        if s.id in seen:
            raise ValueError(f"claims.yaml: duplicate id {s.id!r}")
        seen.add(s.id)
    return specs


def get_claim(claim_id: str) -> ClaimSpec:
    """The claim with this id, or InputError listing the closest ids."""
    specs = {s.id: s for s in load_claims()}
    if claim_id in specs:
        return specs[claim_id]
    from rapidfuzz import process

    near = [m[0] for m in process.extract(claim_id, list(specs), limit=3)]
    raise InputError("claim", f"unknown claim id {claim_id!r}.", suggestions=near)
