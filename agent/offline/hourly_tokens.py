"""Cost per million tokens and per query from a stated hourly price and a stated throughput, by ``calculate``.

"8xH200 node costs us $28/hr, aggregate ~12k output tok/s: $ per million output tokens?", "b200 at $3.50/hr doing
30,000 tok/s per gpu; a chat turn is 3k tokens: cost per mil tok and per query", "rented at $1.85/h, 1,100 tok/s,
we charge $0.90/Mtok: cost per mil tok and gross margin?" state both sides of the ratio (USD, hours, tokens):

    hourly price of the tokens' producer  H = price per hour              (same basis as the tokens/s; "at the
                                                                           catalog price": the chip's rental list
                                                                           price, :mod:`agent.offline.catalog_rate`)
                                            = price per accelerator x N   (price per GPU, tokens/s of an N-GPU node)
    tokens per hour                       T = tokens/s x 3,600            (x N for tokens/s per GPU, price per node)
    $ per million tokens                    = H / (T x utilization) x 10^6     (utilization 1 unless stated)
    $ per query                             = $ per million tokens x tokens per query / 10^6   (x 1,000 per 1k)
    gross margin (%)                        = (charge - cost) / charge x 100   (charge per million tokens)

Every token of a query is charged at the one rate (the throughput given is the only rate there is). A question
the serving-cost calculator (:mod:`tools.serving_cost`) reads whole is left to it; this takes the rest: a node's
price beside its aggregate rate, a rate per GPU with a token total, a charge for the margin, a catalog rate. Nothing is
computed unless the question asks for a cost per token or per query and states exactly one price per hour and
one tokens/s; any other stated number must be one of the inputs above, else another planner answers.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(
    r"per (?:1\s*m|one million|a million|million|mil|m)\b|/\s*m\s*tok|\bmtok\b|\$/m\b|per (?:output |input )?token"
    r"|per (?:query|request|answer|response|call|turn|chat)|/\s*query",
    re.I,
)
_PER_QUERY = re.compile(r"per (?:query|request|answer|response|call|turn|chat)|/\s*query", re.I)
_EACH = re.compile(r"per (?:gpu|chip|card|accelerator)|/\s*(?:gpu|chip)|\beach\b|(?:gpu|chip|card)[- ]h(?:ou)?r")
_GROUP = re.compile(r"\bnode|\bbox|server|instance|\btotal\b|aggregate|whole|\brack|\bpod\b|cluster|system|replica")
_PER_THOUSAND = re.compile(r"per (?:1k|1,000|1000|one thousand|a thousand|thousand) (?:quer|req|answer|call)")
_STREAMS = re.compile(r"concurrent|\busers?\b|\bstreams?\b|\bsessions?\b")
_UTIL = re.compile(r"\butili[sz]|\bbusy\b|\bloaded\b")
_QUERY_WORDS = re.compile(r"query|queries|request|turn|answer|response|chat|call|conversation")
_CHIPS_AFTER = re.compile(r"\s*(?:x\s*)?(?:gpus?|chips?|cards?|accelerators?)\b", re.I)


def _query_tokens(question: str, quantities: list[Quantity]) -> list[Quantity]:
    """The tokens of a query: those stated as tokens in a clause about a query, or the parts of a sum that ends in
    tokens ("1k output + 4k hidden reasoning tokens": both parts, every generated token counted)."""
    from agent.offline.slots import clause_around

    tokens = [q for q in quantities if q.unit == "tokens" and _QUERY_WORDS.search(clause_around(question, q))]
    parts = [
        q
        for q in quantities
        if q.unit == ""
        and q.value >= 10
        and not _CHIPS_AFTER.match(question, q.end)
        and "tok" in re.split(r"[,;.]\s|[()?]", question[q.end :].lower(), maxsplit=1)[0]
        and _QUERY_WORDS.search(clause_around(question, q))
    ]
    return sorted(tokens + parts, key=lambda q: q.start)


def _basis(question: str, q: Quantity) -> str | None:
    """'each' (one accelerator), 'group' (a node, instance or replica) or None (not said): read from the
    quantity's own words and those right after it (up to a comma, a full stop or the next number), else those
    right before it."""
    if q.per == "accelerator":
        return "each"
    if q.per == "server":
        return "group"
    if q.start < 0:  # a catalog price: per accelerator-hour
        return "each"
    after = re.split(r"[,.;]\s|\d", question[q.end : q.end + 24], maxsplit=1)[0]
    before = re.split(r"[,;]\s", question[max(0, q.start - 24) : q.start])[-1]
    for window in (q.text + after, before):
        if _EACH.search(window.lower()):
            return "each"
        if _GROUP.search(window.lower()):
            return "group"
    return None


def _hourly_side(question: str, price: Quantity, rate: Quantity, count: Quantity | None) -> tuple[str, str] | None:
    """(expression for $ per million tokens before utilization, its basis); None when the bases differ with no
    accelerator count to bridge them."""
    pb, rb = _basis(question, price), _basis(question, rate)
    if pb is None and rb == "group" and count is not None:
        pb = "each"  # "4 GPUs x $1.80/hr, 1,200 tok/s total": an hourly price beside a GPU count is per GPU
    h, t = expr_number(price.value), expr_number(rate.value)
    if pb == rb or None in (pb, rb):
        return f"{h} / ({t} * 3600) * 1e6", f"{price.text} / ({rate.text} x 3,600 s)"
    if count is None:
        return None
    n = expr_number(count.value)
    if pb == "each":  # price per GPU, tokens/s of the node
        return f"{h} * {n} / ({t} * 3600) * 1e6", f"{price.text} x {n} / ({rate.text} x 3,600 s)"
    return f"{h} / ({t} * {n} * 3600) * 1e6", f"{price.text} / ({rate.text} x {n} x 3,600 s)"


def hourly_token_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note for the cost per million tokens (and per query, and the gross margin)
    from a stated $/hour and tokens/s (module docstring); None when the question is not that arithmetic."""
    from agent.offline.catalog_rate import catalog_rate
    from agent.offline.slots import clause_around
    from agent.offline.whatif import route

    text = question.lower()
    prices = [q for q in quantities if q.unit == "usd/hour"]
    rates = [q for q in quantities if q.unit == "tokens/s"]
    listed = catalog_rate(question) if not prices else None
    if len(rates) != 1 or not _ASKED.search(text) or len(prices) + bool(listed) != 1 or _STREAMS.search(text):
        return None  # tokens/s per user or stream: the serving-cost calculator's concurrent streams
    if route(question, quantities, {}, ("serving_cost",), strict=True) is not None:
        return None  # the serving-cost calculator reads every number: its answer (with its queries per hour)
    utils = [
        q for q in quantities if q.unit == "fraction" and 0 < q.value <= 1 and _UTIL.search(clause_around(question, q))
    ]
    tokens = _query_tokens(question, quantities)
    charges = [q for q in quantities if q.unit == "usd/mtok"] if re.search(r"\bmargin", text) else []
    counts = [q for q in quantities if q.unit == "" and q.value >= 1 and float(q.value).is_integer()]
    counts = [q for q in counts if q not in tokens]
    taken = prices + rates + utils[:1] + tokens + charges[:1] + counts[:1]
    if len(tokens) > 1 and not all(re.search(r"\+", question[a.end : b.start]) for a, b in zip(tokens, tokens[1:])):
        return None  # several token counts that are not one sum
    if len(utils) > 1 or len(charges) > 1 or len(counts) > 1 or len(taken) != len(quantities):
        return None
    if listed:
        prices = [listed[0]]
    side = _hourly_side(question, prices[0], rates[0], counts[0] if counts else None)
    if side is None:
        return None
    per_m, how = side
    plain = f"{prices[0].text} / ({rates[0].text} x 3,600 s)"
    if utils:
        per_m, how = f"{per_m} / {expr_number(utils[0].value)}", f"{how} / {utils[0].value:.0%} utilization"
    labels: Labels = {per_m: ("Cost per million tokens", "$ per million tokens", how)}
    if tokens and (_PER_QUERY.search(text) or "query" in text):
        n, said = expr_number(sum(q.value for q in tokens)), " + ".join(q.text for q in tokens)
        labels[f"({per_m}) * {n} / 1e6"] = ("Cost per query", "USD", f"{said} at the rate above")
        if _PER_THOUSAND.search(text):
            labels[f"({per_m}) * {n} / 1e3"] = ("Cost per 1,000 queries", "USD", "cost per query x 1,000")
    if charges:
        c = charges[0]
        labels[f"({expr_number(c.value)} - ({per_m})) / {expr_number(c.value)} * 100"] = (
            "Gross margin",
            "%",
            f"(charge {c.text} - cost) / charge",
        )
    note = (
        "Cost per token from the hourly price and the throughput you gave"
        + ("" if utils else " (every paid hour serving: no utilization given)")
        + (
            f"; {counts[0].text} accelerators bridge the per-GPU and per-node figures"
            if counts and side[1] != plain
            else ""
        )
        + "; every token of a query is charged at the one rate"
        + (f". Price: {listed[1]}" if listed else "")
        + "."
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note


_USERS_X = re.compile(
    r"\s*(?:concurrent\s+)?(?:users?|streams?|sessions?|requests?)\s*(?:x|×|\*|at|@|each at)\s*$", re.I
)
_MULTIPLE = re.compile(r"multiple|ratio|how many times|\btimes\b|x (?:more|higher|cheaper)|differ", re.I)


def stream_cases_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """$ per million tokens of one hourly price in two or more cases of N concurrent users at a tokens/s each
    ("$12/hr server: chat = 256 users x 20 tok/s, reasoning = 64 users x 20 tok/s: $/Mtok each and the multiple"):

        tokens per hour of a case  = users x tokens/s per user x 3,600
        $ per million tokens       = price per hour / tokens per hour x 10^6
        multiple                   = the dearest case's $/Mtok / the cheapest's

    None unless the question asks a cost per token, states one price per hour and each tokens/s right after its
    user count, in at least two cases, and nothing else."""
    text = question.lower()
    prices = [q for q in quantities if q.unit == "usd/hour"]
    rates = [q for q in quantities if q.unit == "tokens/s"]
    if len(prices) != 1 or len(rates) < 2 or not _ASKED.search(text):
        return None
    cases = []
    for r in rates:
        users = [
            q for q in quantities if q.unit == "" and q.end <= r.start and _USERS_X.match(question[q.end : r.start])
        ]
        if len(users) != 1:
            return None
        cases.append((users[0], r))
    if 1 + 2 * len(cases) != len(quantities):
        return None
    price = prices[0]
    labels: Labels = {}
    costs = []
    for users, r in cases:
        expr = f"{expr_number(price.value)} / ({expr_number(users.value)} * {expr_number(r.value)} * 3600) * 1e6"
        how = f"{price.text} / ({users.text} users x {r.text} x 3,600 s)"
        labels[expr] = (f"Cost per million tokens, {users.text} users", "$ per million tokens", how)
        costs.append((users.value * r.value, expr))
    if _MULTIPLE.search(text):
        dearest, cheapest = min(costs)[1], max(costs)[1]  # the fewest tokens per hour cost the most per token
        labels[f"({dearest}) / ({cheapest})"] = (
            "Multiple (dearest / cheapest)",
            "x",
            "the two costs per million tokens",
        )
    note = "Cost per token of the hourly price at each case's aggregate tokens/s (users x tokens/s each); every paid hour serving."
    return [make("calculate", {"expression": e}) for e in labels], labels, note
