"""A fleet's power from a per-chip power and a stated overhead, by ``calculate``: its draw, its bill, or the chips a
site's power holds.

"400k trainium2 at catalog TDP, add 50% for host/network, PUE 1.3: facility MW?", "8x mi355x box: gpus at tdp plus
2 kW host, pue 1.15, 11c/kWh, a month of 730 h: power cost?", "1.5GW facility at PUE 1.2, MI355X at 1400W TDP plus
30% for host/network: how many gpus?" build the power per chip from the analyst's own rule (kW, hours, USD):

    kW per chip     p = the stated kW per chip, or the catalog chip's datasheet TDP when the question says "TDP"
                        (tools/catalog.py accelerators.csv tdp_w, sourced per row)
    IT kW           I = N x p x (1 + overhead) + host kW         (overhead: "plus 40%"; host: "plus 2 kW host", one box)
    facility MW       = I x PUE / 1000                           (PUE: stated, else the cost calculator's default, said)
    power bill        = I x PUE x hours x $/kWh                  (hours: stated, else 730 a month, 8,760 a year, 24 a day)
    chips in a site   = floor(site W / PUE / (p x (1 + overhead)))   (the site's power read as facility power unless
                        the question calls it IT power or gives no PUE; then PUE is not divided out, said; a plain
                        all-in kW per chip with no overhead is the build-out calculator's)

Nothing is computed unless every stated number is one of these, the chip power is known (stated, or a catalog
chip's TDP asked for), and the question asks for a power, a bill or a chip count. A catalog chip's all-in kW
with no rule of the analyst's is :func:`agent.offline.planners.cost.power_calls`'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_TDP = re.compile(r"\btdp\b|datasheet|rated power|nameplate", re.I)
_HOST = re.compile(r"host|cpu|server overhead|head ?node|per (?:box|server|node)", re.I)
_OVERHEAD = re.compile(
    r"host|network|overhead|on top|everything else|\bplus\b|\badd\b|\bextra\b|cooling|\bcpus?\b", re.I
)
_PUE = re.compile(r"\bpue\b", re.I)
_SITE = re.compile(r"facility|campus|site|data ?cent(?:er|re)|\bit\b (?:power|load)|\bgw\b|hall|\bbuild", re.I)
_IT_SITE = re.compile(r"\bit\b (?:power|load)|of it\b|\bit\b\)|\(it\b|not facility", re.I)
_PER_GPU = re.compile(r"per[- ](?:gpu|accelerator|chip|card)[- ]?(?:hour|hr|year|yr)|/\s*gpu")
_NOT_IT = re.compile(r"not (?:the )?it\b|not it power", re.I)
_COUNT_ASKED = re.compile(r"how many (?:gpus|chips|accelerators|cards)|(?:gpu|chip|accelerator) count", re.I)
_DRAW_ASKED = re.compile(
    r"\bmw\b|megawatt|how much power|power draw|\bdraw\b|facility power|it power|total power|power (?:need|budget)|"
    r"power\s*\?|\bkw\b\s*\?",
    re.I,
)
_HOURS_AFTER = re.compile(r"\s*(?:h|hrs?|hours?)\b", re.I)


def _chip_kw(question: str, chip: Any, per_chip: list[Quantity]) -> tuple[str, str] | None:
    """(kW per chip as an expression, its basis): the stated per-chip power, else the catalog TDP when asked."""
    if len(per_chip) == 1:
        return expr_number(per_chip[0].value / 1000), per_chip[0].text + " per chip"
    if not per_chip and chip is not None and chip.tdp_w and _TDP.search(question):
        from agent.offline.names import short_chip

        return expr_number(
            chip.tdp_w / 1000
        ), f"{chip.tdp_w / 1000:g} kW datasheet TDP of the {short_chip(chip.name)} (catalog)"
    return None


def _sort(question: str, quantities: list[Quantity]) -> dict[str, list[Quantity]] | None:
    """The stated numbers by role; None when one is none of them."""
    from agent.offline.slots import clause_around

    roles: dict[str, list[Quantity]] = {
        k: [] for k in ("pue", "count", "hours", "price", "site", "host", "chip", "over")
    }
    for q in quantities:
        clause = clause_around(question, q)
        if q.unit == "W" and (q.per == "server" or q.per_count):
            return None  # a server's power ("12 kW per 8-GPU server"): the power-cost planner's
        if q.unit == "" and _PUE.search(clause) and 1 <= q.value <= 3:
            roles["pue"].append(q)
        elif q.unit in ("", "hours") and (q.unit == "hours" or _HOURS_AFTER.match(question, q.end)):
            roles["hours"].append(q)
        elif q.unit == "" and q.value >= 1 and float(q.value).is_integer():
            roles["count"].append(q)
        elif q.unit == "usd/kwh":
            roles["price"].append(q)
        elif (
            q.unit == "fraction" and 0 < q.value <= 3 and _OVERHEAD.search(question[max(0, q.start - 16) : q.end + 32])
        ):
            roles["over"].append(q)
        elif q.unit == "W" and q.value >= 1e6 and _SITE.search(clause):
            if not any(s.value == q.value for s in roles["site"]):  # "2GW site ... 2 GW facility power": one site
                roles["site"].append(q)
        elif q.unit == "W" and _HOST.search(clause) and q.value < 1e5:
            roles["host"].append(q)
        elif q.unit == "W" and q.value < 2e4:
            roles["chip"].append(q)
        elif q.unit != "W" or q.value not in {s.value for s in roles["site"]}:
            return None
    return roles if all(len(v) <= 1 for v in roles.values()) else None


@dataclass
class _Rule:
    """The power per accelerator on the analyst's rule, and the PUE (stated, or the default with ``said``)."""

    each: str  # kW per accelerator with the overhead, as an expression
    each_how: str
    pue: float
    pue_stated: bool
    said: list[str]


def fleet_power_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    from agent.offline.parse import parse
    from agent.offline.plan_types import tool_default
    from agent.offline.power_cost import _BILL, _period
    from tools.catalog import find_accelerator

    p = parse(question)
    roles = _sort(question, quantities)
    chips = {m.candidates[0] for m in p.chips if m.candidates}
    text = question.lower()
    if roles is None or len(chips) > 1 or p.unknown_chips or _PER_GPU.search(text):
        return None  # several chips, an unknown one, or a share per accelerator (the power-cost planner's)
    chip = find_accelerator(next(iter(chips))) if chips else None
    tdp = chip is not None and bool(_TDP.search(question))
    kw = _chip_kw(question, chip, roles["chip"])
    if kw is None or not (roles["over"] or roles["host"] or tdp or roles["chip"]):
        return None
    if not (roles["over"] or roles["host"]) and roles["price"]:
        return (
            None  # a bill on a kW per chip (stated, or at TDP): the power-cost planners' (agent.offline.planners.cost)
        )
    period = _period(text)
    wants_bill = bool(_BILL.search(text) and period and roles["price"])
    wants_count = bool(_COUNT_ASKED.search(text) and roles["site"])
    wants_draw = bool(_DRAW_ASKED.search(text)) and not wants_count
    if not (wants_bill or wants_count or wants_draw) or (roles["price"] and not wants_bill):
        return None
    over = roles["over"][0] if roles["over"] else None
    pue_q = roles["pue"][0] if roles["pue"] else None
    pue = pue_q.value if pue_q else float(tool_default("tco", "pue"))
    rule = _Rule(
        f"{kw[0]} * (1 + {expr_number(over.value)})" if over else kw[0],
        kw[1] + (f" + {over.text}" if over else ""),
        pue,
        pue_q is not None,
        [] if pue_q else [f"PUE {pue:g} is the cost calculator's default (none given)"],
    )
    if wants_count:
        if not (roles["over"] or (tdp and not roles["chip"])):
            return None  # a stated all-in kW per chip: the build-out calculator's (its follow-ups rerun it)
        return _site_count(question, roles, rule, make)
    n = int(roles["count"][0].value) if roles["count"] else p.count
    if roles["site"] or not n:
        return None
    return _fleet(roles, rule, n, (period if wants_bill else None), wants_draw, make)


def _site_count(
    question: str, roles: dict[str, list[Quantity]], rule: _Rule, make: Any
) -> tuple[list[Any], Labels, str] | None:
    """The accelerators a site's power holds on the rule (module docstring)."""
    if roles["count"] or roles["host"] or roles["hours"] or roles["price"]:
        return None
    site = roles["site"][0]
    near = question[max(0, site.start - 16) : site.end + 24]
    it_site = not rule.pue_stated or (bool(_IT_SITE.search(near)) and not _NOT_IT.search(near))
    it_w = expr_number(site.value) if it_site else f"{expr_number(site.value)} / {expr_number(rule.pue)}"
    said = rule.said if rule.pue_stated else [f"no PUE given: {site.text} read as the power the accelerators draw"]
    labels: Labels = {}
    if not it_site:
        labels[f"{it_w} / 1e6"] = ("IT power", "MW", f"{site.text} / PUE {rule.pue:g}")
    labels[f"floor({it_w} / 1000 / ({rule.each}))"] = (
        "Accelerators the site holds",
        "accelerators",
        f"IT power / ({rule.each_how})",
    )
    return _finish(labels, make, rule.each_how, said)


def _fleet(
    roles: dict[str, list[Quantity]],
    rule: _Rule,
    n: int,
    period: tuple[str, float] | None,
    wants_draw: bool,
    make: Any,
) -> tuple[list[Any], Labels, str] | None:
    """The draw (IT and facility MW) and the bill over ``period`` of ``n`` accelerators (plus one host) on the rule."""
    host = roles["host"][0] if roles["host"] else None
    if (host and n > 16) or (roles["hours"] and period is None):
        return None  # a host per box with the fleet's boxes not stated (not guessed), or hours with no bill
    it_kw = f"{n} * {rule.each}" + (f" + {expr_number(host.value / 1000)}" if host else "")
    it_how = f"{n:,} x ({rule.each_how})" + (f" + {host.text} host" if host else "")
    labels: Labels = {}
    said = list(rule.said)
    if wants_draw:
        labels[f"({it_kw}) / 1000"] = ("IT power", "MW", it_how)
        labels[f"({it_kw}) * {expr_number(rule.pue)} / 1000"] = ("Facility power", "MW", f"IT power x PUE {rule.pue:g}")
    if period is not None:
        name, hours = period
        h = roles["hours"][0].value if roles["hours"] else hours
        price = roles["price"][0]
        expr = f"({it_kw}) * {expr_number(rule.pue)} * {expr_number(h)} * {expr_number(price.value)}"
        labels[expr] = (f"Power bill per {name}", "USD", f"IT {it_how} x PUE {rule.pue:g} x {h:,.0f} h at {price.text}")
        if not roles["hours"] and name != "year":
            said.append(f"a {name} is {hours:,.0f} h")
    return _finish(labels, make, rule.each_how, said)


def _finish(labels: Labels, make: Any, each_how: str, said: list[str]) -> tuple[list[Any], Labels, str]:
    note = f"Power per accelerator on your rule: {each_how}" + ("; " + "; ".join(said) if said else "") + "."
    return [make("calculate", {"expression": e}) for e in labels], labels, note


_SERVERS_ASKED = re.compile(r"how many (?:servers|boxes|nodes|systems)|(?:server|box|node) count", re.I)


def site_server_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The servers (and their accelerators) a site's power holds at a stated kW per N-accelerator server:

        IT power     = site power / PUE                (the site read as facility power when a PUE is given)
        servers      = floor(IT power / kW per server)
        accelerators = servers x accelerators per server

    None unless the question asks how many servers (or accelerators) and states exactly a site power, one server
    power with its accelerator count ("12 kW per 8-GPU box") and at most a PUE."""
    from agent.offline.slots import clause_around

    sites = [q for q in quantities if q.unit == "W" and q.per is None and q.value > 1e6]
    boxes = [q for q in quantities if q.unit == "W" and q.per == "server" and q.per_count]
    pues = [q for q in quantities if q.unit == "" and _PUE.search(clause_around(question, q)) and 1 <= q.value <= 3]
    if not (_SERVERS_ASKED.search(question) or _COUNT_ASKED.search(question)) or len(sites) != 1 or len(boxes) != 1:
        return None
    if len(pues) > 1 or len(sites) + len(boxes) + len(pues) != len(quantities):
        return None
    site, box = sites[0], boxes[0]
    near = question[max(0, site.start - 16) : site.end + 24]
    it_site = not pues or (bool(_IT_SITE.search(near)) and not _NOT_IT.search(near))
    it_w = expr_number(site.value) if it_site else f"{expr_number(site.value)} / {expr_number(pues[0].value)}"
    labels: Labels = {}
    if not it_site:
        labels[f"{it_w} / 1e6"] = ("IT power", "MW", f"{site.text} / PUE {pues[0].value:g}")
    servers = f"floor({it_w} / {expr_number(box.value)})"
    labels[servers] = ("Servers the site holds", "servers", f"IT power / {box.value / 1000:g} kW per server")
    n = int(box.per_count or 0)
    labels[f"{servers} * {n}"] = ("Accelerators in them", "accelerators", f"servers x {n}")
    note = f"Servers on your rule: {box.text}" + (
        "; no PUE given: the site's power read as the power the servers draw" if not pues else ""
    )
    return [make("calculate", {"expression": e}) for e in labels], labels, note + "."
