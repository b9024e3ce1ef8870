"""Catalog names for a question's model and chip mentions, and the model and chip of the turn before.

A bare size ("70b") naming several models of one family is read as the newest of them (catalog
order) and said so; across families the planner asks instead of guessing.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.entities import Mention, family
from agent.offline.parse import Parsed
from agent.offline.plan_types import CALCULATORS, Call, Plan
from tools.catalog import _normalise, accelerators, find_accelerator, find_model, models
from tools.errors import InputError


def _narrow(mention: Mention, text: str) -> list[str]:
    """Candidates a nearby family word picks out: '7b llama2' -> Llama-2-7B, 'mistral ... 7b' -> Mistral."""
    window = text[max(0, mention.start - 24) : mention.end + 24]
    words = {_normalise(w) for w in re.findall(r"[a-z][a-z0-9.]{3,}", window)} - {_normalise(mention.text)}
    hits = [c for c in mention.candidates if any(_normalise(c).startswith(w) for w in words if len(w) >= 4)]
    return hits or mention.candidates


def _pick(mention: Mention, kind: str, prior: str | None, notes: list[str], text: str = "") -> str | None:
    """One catalog name for ``mention``: unique, or the newest of one family (stated), else None."""
    if mention.name:
        return mention.name
    cands = _narrow(mention, text)
    if len(cands) == 1:
        return cands[0]
    if prior in cands:
        notes.append(f"'{mention.text}' read as {prior}, the model of the previous question.")
        return prior
    if prior and kind == "model":
        same = [c for c in cands if family(c) == family(prior)]
        if len(same) == 1:
            notes.append(f"'{mention.text}' read as {same[0]}, the family of the previous question ({prior}).")
            return same[0]
    if len({family(c) for c in cands}) == 1:
        order = [r.name for r in (models() if kind == "model" else accelerators())]
        newest = max(cands, key=order.index)
        others = ", ".join(c for c in cands if c != newest)
        notes.append(
            f"'{mention.text}' read as {newest}, the newest of that size in the catalog (say {others} for the older one)."
        )
        return newest
    return None


def _ambiguity_reply(kind: str, mention: Mention) -> str:
    return (
        f"I'm not sure which {kind} you mean by '{mention.text}': it could be {', '.join(mention.candidates)}. "
        f"I did not guess. Ask again with the full name, e.g. '{mention.candidates[0]}'."
    )


def catalog_names(p: Parsed, kind: str, ctx_value: str | None, plan: Plan) -> tuple[list[str], str | None]:
    """Catalog names of ``kind`` the question gives (or the previous turn's), or an ambiguity reply."""
    mentions = p.models if kind == "model" else p.chips
    unknown = p.unknown_models if kind == "model" else p.unknown_chips
    if unknown and not mentions:
        return unknown[:1], None  # the calculator answers with an error naming the field
    names = []
    for m in mentions:
        name = _pick(m, kind, ctx_value, plan.notes, p.text)
        if name is None:
            return [], _ambiguity_reply(kind, m)
        names.append(name)
    if not names and ctx_value:
        plan.notes.append(
            f"{'Model' if kind == 'model' else 'Chip'} carried over from the previous question: {ctx_value}."
        )
        names = [ctx_value]
    return names, None


def previous_context(prior: list[Call]) -> dict[str, Any]:
    """Model, chip and shape of the previous turn's calculator calls (first value wins)."""
    ctx: dict[str, Any] = {}
    for call in prior:
        if call.name not in CALCULATORS:
            continue
        for k, v in call.args.items():
            if k == "chip" and isinstance(v, list):
                v = v[0] if v else None
            if v is not None:
                ctx.setdefault(k, v)
    for k, find in (("model", find_model), ("chip", find_accelerator)):
        if isinstance(ctx.get(k), str):
            try:
                ctx[k] = find(ctx[k]).name
            except InputError:
                ctx.pop(k)  # an unknown name from a failed call is not carried over
    return ctx


def chip_arg(name: str) -> str:
    """The short catalog alias for a chip ('NVIDIA H100 SXM5 80GB' -> 'h100'): readable in 'Read as:'."""
    for row in accelerators():
        if row.name == name:
            return row.aliases[0] if row.aliases else name
    return name


def short_chip(name: str) -> str:
    """A chip's first one-word alias ('NVIDIA H200 SXM 141GB' -> 'H200', Intel Gaudi 3 -> 'GAUDI3')."""
    for row in accelerators():
        if row.name == name:
            words = [a for a in row.aliases if " " not in a]
            return words[0].upper() if words else name
    return name


def catalog_price(name: str) -> float | None:
    """The catalog's public price estimate for a chip (None when it has none)."""
    return next((r.est_price_usd for r in accelerators() if r.name == name), None)


def costable(tool: str, name: str) -> bool:
    """The calculator can cost ``name`` with no price given: tco from a sourced price or a sourced cost of owning
    per hour (:func:`tools.defaults.cost_basis`; a rental list price is what a renter pays, not a cost to own),
    buildout from a sourced price per accelerator."""
    from tools import defaults as D
    from tools.catalog import find_accelerator
    from tools.errors import InputError

    try:
        chip = find_accelerator(name)
        if tool == "tco":
            return not D.cost_basis(chip).basis.startswith("rental")
        else:
            D.capex_per_accelerator(chip)
    except (InputError, LookupError):
        return False
    return True
