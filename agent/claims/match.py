"""``check_claim``: find the episode's claim closest to a sentence and check it.

Matching is fuzzy (rapidfuzz over each claim's quote, normalised text and other phrasings); a
claim matches only when it involves every chip and model the sentence names. The registry
entry :data:`CHECK_CLAIM` joins the calculators in :mod:`agent.toolset`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from agent.claims.check import ClaimCheck, Verdict, check
from agent.claims.specs import ClaimSpec, load_claims
from tools.errors import InputError
from tools.registry import Tool

#: check_claim's fuzzy score (rapidfuzz, 0-100) below which no claim is taken as a match.
MATCH_THRESHOLD = 62.0


class CheckClaimInput(BaseModel):
    """Check a claim from the BG2 episode against the calculators."""

    claim: str = Field(
        min_length=1,
        description="The claim in words, e.g. 'reasoning models serve 4-5x fewer users' or 'Trainium2 costs $5,000 per chip'.",
    )


#: What a language model is told about ``check_claim`` after its summary.
CHECK_CLAIM_GUIDANCE = (
    "Finds the closest claim from the episode with Dylan Patel, runs its check "
    "through the calculators and returns the verdict (consistent / consistent under assumptions / inconsistent / "
    "not checkable), the computed figures, the assumptions with their plausible ranges and flip points, and the "
    "quote with chapter and timestamp. Quote its figures; never compute them yourself."
)


class ClaimMatch(BaseModel):
    """``check_claim``'s answer: the matching claim checked, or none found with the nearest ones."""

    query: str
    found: bool
    verdict: Verdict | None = Field(None, description="The matched claim's computed verdict.")
    score: float = Field(description="Fuzzy match score 0-100 of the best claim.")
    result: ClaimCheck | None = None
    message: str
    nearest: list[str] = Field(default_factory=list, description="'id: quantity' of the closest claims.")


def _candidates(spec: ClaimSpec) -> list[str]:
    return [spec.quote, spec.claim.quantity, *spec.questions]


def match_claims(query: str, limit: int = 3) -> list[tuple[ClaimSpec, float]]:
    """Claims ranked by fuzzy similarity of ``query`` to their quote, quantity and phrasings."""
    from rapidfuzz import fuzz, utils

    scored = []
    for spec in load_claims():
        score = max(
            fuzz.token_sort_ratio(query, text, processor=utils.default_process) * 0.5
            + fuzz.partial_token_set_ratio(query, text, processor=utils.default_process) * 0.2
            + fuzz.token_set_ratio(query, text, processor=utils.default_process) * 0.3
            for text in _candidates(spec)
        )
        scored.append((spec, score))
    scored.sort(key=lambda p: -p[1])
    return scored[:limit]


def _named_rows(text: str) -> set[str]:
    """Catalog rows (chips, models) that ``text`` names, as spec-document ids."""
    from knowledge.catalog_names import named_docs

    return set(named_docs(text))


def _claim_rows(spec: ClaimSpec) -> set[str]:
    """Catalog rows a claim involves: named in its quote or phrasings, or used by its recipe's calls."""
    texts = [spec.quote, spec.claim.quantity, *spec.questions]
    if spec.check is not None:
        texts += [str(v) for call in spec.check.calls.values() for v in call.args.values()]
    return set().union(*(_named_rows(t) for t in texts))


def check_claim(claim: str) -> ClaimMatch:
    """Find the podcast claim closest to ``claim`` and check it; or say none matched and list the nearest.

    A claim only matches when every chip or model the question names is one the claim involves:
    "405b fits on a single h100" is not the podcast's 70B-on-one-GPU claim, however similar the words.
    """
    if not claim.strip():
        raise InputError("claim", "is empty; give the claim in words, e.g. 'reasoning models serve 4-5x fewer users'.")
    ranked = match_claims(claim)
    best, score = ranked[0]
    nearest = [f"{s.id}: {s.claim.quantity}" for s, _ in ranked]
    foreign = _named_rows(claim) - _claim_rows(best)
    if score < MATCH_THRESHOLD or foreign:
        reason = (
            f"the question names {', '.join(sorted(r.split(':', 1)[-1] for r in foreign))}, which the closest "
            "claim does not involve"
            if foreign and score >= MATCH_THRESHOLD
            else "none matches this closely enough"
        )
        return ClaimMatch(
            query=claim,
            found=False,
            score=score,
            message=f"No claim from the BG2 episode matches: {reason}; the nearest are listed.",
            nearest=nearest,
        )
    result = check(best)
    return ClaimMatch(
        query=claim,
        found=True,
        verdict=result.verdict,
        score=score,
        result=result,
        message=f'{result.summary} Quote ({result.chapter}, {result.timestamp}): "{result.quote}"',
        nearest=nearest,
    )


def _check_claim_entry(inp: CheckClaimInput) -> ClaimMatch:
    return check_claim(inp.claim)


CHECK_CLAIM = Tool(
    name="check_claim",
    summary="Check a quantitative claim from the BG2 podcast with the calculators.",
    input_model=CheckClaimInput,
    fn=_check_claim_entry,
    result_model=ClaimMatch,
    examples=('siliconomics claims check "Trainium2 costs $5,000 per chip"',),
    key_fields=("found", "verdict", "message"),
    guidance=CHECK_CLAIM_GUIDANCE,
)
