"""Racks, servers and GPUs of a site or a fleet on the analyst's rack rule, by ``calculate``.

"gb200 nvl72 racks at 132 kW each, 300 MW of IT load: how many racks and gpus", "48 MW hall, 8-gpu H100 servers at
12 kW each, 4 servers per rack: racks and gpus?", "100,000 B200, 8 per server, servers are 14.3 kW, 4 servers/rack:
racks and IT MW?" (W, counts):

    from a site's IT power (the power as stated; / PUE when a PUE is stated and the power is not called IT):
        racks   = floor(IT W / rack W),            GPUs = racks x GPUs per rack           (a rack's power given)
        servers = floor(IT W / server W),          racks = floor(servers / servers per rack),
        GPUs    = servers x GPUs per server                                                (a server's power given)
    from a fleet of N GPUs:
        servers = ceil(N / GPUs per server),       racks = ceil(servers / servers per rack),
        IT MW   = servers x server W / 10^6

GPUs per rack or server: a count written ("8-gpu servers", "8 per server") or the system's name ("nvl72": 72,
:mod:`agent.offline.server_size`). Nothing is computed unless racks are asked for and every stated number is one
of these.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

_ASKED = re.compile(r"how many racks|\bracks?\s*(?:and|/|&|,|\?)|# of racks|number of racks|rack count", re.I)
_PER_RACK = re.compile(r"^\s*(?:servers?|nodes?|boxes)\s*(?:per|/|a|each)\s*rack", re.I)
_GPU_AFTER = re.compile(r"^\s*-?\s*(?:gpus?|accelerators?|chips?|cards?)\b|^\s*per (?:server|node|box)", re.I)
_IT = re.compile(r"\bit\b", re.I)
_PUE = re.compile(r"\bpue\b", re.I)


def _sort(question: str, quantities: list[Quantity]) -> dict[str, list[Quantity]] | None:
    roles: dict[str, list[Quantity]] = {k: [] for k in ("site", "rack_w", "server_w", "gps", "spr", "fleet", "pue")}
    for q in quantities:
        after = question[q.end : q.end + 24]
        near = question[max(0, q.start - 24) : q.end + 16].lower()
        if q.unit == "W" and q.value >= 1e6:
            roles["site"].append(q)
        elif q.unit == "W" and "rack" in near and not re.search(r"server|node|box", near):
            roles["rack_w"].append(q)
        elif q.unit == "W":
            roles["server_w"].append(q)
        elif q.unit == "" and _PUE.search(near) and q.value < 3:
            roles["pue"].append(q)
        elif q.unit == "" and _PER_RACK.match(after):
            roles["spr"].append(q)
        elif q.unit == "" and (q.per == "server" or _GPU_AFTER.match(after)) and q.value <= 144:
            roles["gps"].append(q)
        elif q.unit == "" and q.value >= 1000:
            roles["fleet"].append(q)
        else:
            return None
    return roles if all(len(v) <= 1 for v in roles.values()) else None


def rack_calls(question: str, quantities: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """The ``calculate`` calls, labels and note (module docstring); None when the question is not that arithmetic."""
    from agent.offline.server_size import named_server_size

    if not _ASKED.search(question):
        return None
    roles = _sort(question, quantities)
    if roles is None:
        return None
    gps = int(roles["gps"][0].value) if roles["gps"] else None
    spr = int(roles["spr"][0].value) if roles["spr"] else None
    named = named_server_size(question)
    labels: Labels = {}
    if roles["site"] and not roles["fleet"]:
        site = roles["site"][0]
        divide = roles["pue"] and not _IT.search(question[max(0, site.start - 12) : site.end + 20])
        it = f"{expr_number(site.value)} / {expr_number(roles['pue'][0].value)}" if divide else expr_number(site.value)
        if roles["rack_w"] and (named or (gps and spr)):
            per_rack = named or (gps or 0) * (spr or 0)
            racks = f"floor({it} / {expr_number(roles['rack_w'][0].value)})"
            labels[racks] = ("Racks", "racks", f"IT power / {roles['rack_w'][0].text}")
            labels[f"{racks} * {per_rack}"] = ("GPUs", "GPUs", f"racks x {per_rack} per rack")
        elif roles["server_w"] and gps and spr:
            servers = f"floor({it} / {expr_number(roles['server_w'][0].value)})"
            labels[servers] = ("Servers", "servers", f"IT power / {roles['server_w'][0].text}")
            labels[f"floor({servers} / {spr})"] = ("Racks", "racks", f"servers / {spr} per rack")
            labels[f"{servers} * {gps}"] = ("GPUs", "GPUs", f"servers x {gps} per server")
        else:
            return None
        note = "Racks on your rule, from the site's power" + (
            " after PUE" if divide else " as stated (read as IT power)"
        )
    elif roles["fleet"] and not roles["site"] and roles["server_w"] and gps and spr and not roles["pue"]:
        n = int(roles["fleet"][0].value)
        servers = f"ceil({n} / {gps})"
        labels[servers] = ("Servers", "servers", f"{n:,} GPUs / {gps} per server")
        labels[f"ceil({servers} / {spr})"] = ("Racks", "racks", f"servers / {spr} per rack")
        labels[f"{servers} * {expr_number(roles['server_w'][0].value)} / 1e6"] = (
            "IT power",
            "MW",
            f"servers x {roles['server_w'][0].text}",
        )
        note = "Racks on your rule, from the fleet's GPUs (whole servers and racks, rounded up)"
    else:
        return None
    return [make("calculate", {"expression": e}) for e in labels], labels, note + "."
