"""The cost per concurrent user-hour of a deployment, by ``calculate``.

"cost per concurrent user per hour at $2/hr/gpu, 8 gpus, 128 concurrent users": the GPUs are paid every hour
and shared by the users served at once, so (USD per user-hour)

    cost per user-hour = price per GPU-hour x GPUs / concurrent users

Nothing is computed unless the question states exactly one price per GPU-hour, one GPU count and one count of
users (or streams, sessions), and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from tools.quantities import Quantity

_ASKED = re.compile(
    r"per (?:concurrent |active |simultaneous )?(?:user|stream|seat|session)s?(?:[- ]hours?\b|\s+per\s+(?:hour|hr)\b)"
)
_GPUS = re.compile(r"\s*(?:x\s*)?(?:gpus?|accelerators?|chips?|cards?|[a-z]{1,8}\d{2,4}[a-z]?s?)\b", re.I)
_USERS = re.compile(r"\s*(?:concurrent |active |simultaneous )?(?:users?|streams?|seats?|sessions?)\b", re.I)


def per_user_hour_calls(
    question: str, quantities: list[Quantity], make: Any
) -> tuple[list[Any], dict[str, tuple[str, str, str]], str] | None:
    """The ``calculate`` call, label and note for a cost per concurrent user-hour (module docstring); None when
    the question is not that. ``make(name, args)`` builds a call."""
    if not _ASKED.search(question.lower()):
        return None
    prices = [q for q in quantities if q.unit == "usd/hour"]
    gpus = [q for q in quantities if q.unit == "" and _GPUS.match(question, q.end)]
    users = [q for q in quantities if q.unit == "" and _USERS.match(question, q.end)]
    if not (len(prices) == len(gpus) == len(users) == 1) or len(quantities) != 3:
        return None
    price, n, u = prices[0], int(gpus[0].value), users[0].value
    expr = f"{price.value!r} * {n} / {u!r}"
    label = ("Cost per concurrent user-hour", "$ per hour", f"{price.text} x {n:,} GPUs / {u:,.0f} concurrent users")
    note = "Every paid GPU-hour is shared by the users served at once; no other cost is added."
    return [make("calculate", {"expression": expr})], {expr: label}, note
