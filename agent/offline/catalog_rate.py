"""The catalog's rental list price of the chip a question names, when the question asks for it ("at the catalog
on-demand price", "the a100 rate in your price list"): a price per accelerator-hour read from the price catalog
(tools/catalog.py prices.csv, basis ``rental_per_hour``, sourced per row), as a :class:`~tools.quantities.Quantity`
the arithmetic planners take like a stated one."""

from __future__ import annotations

import re

from tools.quantities import Quantity

#: Words that point at the catalog's price rather than state one.
_CATALOG = re.compile(
    r"catalog|list price|price ?list|on-?demand|(?:your|the) (?:\w+ )?(?:rate|price)s? (?:in|from|on) (?:your|the)|"
    r"at (?:the )?list\b|listed (?:rate|price)|public (?:rate|price)",
    re.I,
)


def catalog_rate(question: str) -> tuple[Quantity, str] | None:
    """(the rental list price per accelerator-hour as a quantity, a note naming its source row) for the one chip the
    question names, when it asks for the catalog's price; None otherwise (no such words, no chip, several chips, or
    no rental row)."""
    from agent.offline.names import short_chip
    from agent.offline.parse import parse
    from tools.catalog import default_price_row

    if not _CATALOG.search(question):
        return None
    chips = {m.candidates[0] for m in parse(question).chips if m.candidates}
    if len(chips) != 1:
        return None
    row = default_price_row(next(iter(chips)))
    if row is None or row.basis != "rental_per_hour":
        return None
    name = short_chip(row.chip)
    text = f"${row.price_usd:g}/hr ({name} rental list price, catalog)"
    q = Quantity(value=row.price_usd, unit="usd/hour", text=text, start=-1, end=-1, per="accelerator")
    return q, f"{name}: ${row.price_usd:g} per accelerator-hour, the catalog's rental list price (prices.csv, sourced)"
