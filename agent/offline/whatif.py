"""The analyst's own numbers in the plan: fill the calculators' what-if fields, route to the tool they fill.

Two steps after the intent-based plan (:func:`agent.offline.plan.make_plan`):

* :func:`refill`: each calculator call takes the fields the question's quantities fill
  (:func:`agent.offline.slots.fill`); an argument the intent reading took from the same number
  under another name is dropped ("$240k per 8-GPU server" is a server price, not a price per
  accelerator);
* :func:`route`: when the plan is a reply, or leaves a stated quantity unused, the first tool
  whose fields take every stated quantity and which accepts them is used instead (a stated
  value out of range is accepted: the tool's error names it, and no figure is printed).
"""

from __future__ import annotations

import math
import re
from typing import Any

from agent.offline.slots import FIELDS, assign, fill
from tools.errors import InputError
from tools.quantities import Quantity

#: What-if tools tried in order when the intent reading does not use every stated quantity.
ROUTES = ("serving_cost", "growth", "tco", "buildout", "memory_fit", "kv_cache")
#: Tools that also take the parser's readings when routed to (names, formats, token lengths, batch,
#: accelerators): their numbers are read by the question parser, not only by unit and cue.
PARSED = ("memory_fit", "kv_cache")
#: Tools with required fields no other calculator has (accelerators per replica and a price; a base year and
#: value): a question that fills them is asked of them even when a neighbouring tool could take the numbers.
DISTINCT = ("serving_cost", "growth")


def _close(a: Any, b: Any) -> bool:
    numeric = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b))
    return numeric and math.isclose(float(a), float(b), rel_tol=1e-9)


def refill(name: str, args: dict[str, Any], question: str, quantities: list[Quantity]) -> dict[str, Any]:
    """``args`` with the fields the question fills for tool ``name`` (module docstring)."""
    if name not in FIELDS:
        return args
    filled, source = assign(name, question, quantities)
    out = dict(args)
    for field, value in filled.items():
        q = source.get(field)
        kin = {s.field for s in FIELDS[name] if q is not None and q.unit in s.units and s.field != field}
        same = {q.value, q.value * 1e-3} if q is not None else set()  # as written, or W read as kW
        for key in kin & set(out) - set(filled):
            if any(_close(out[key], v) for v in same):
                del out[key]  # the same number read under another name of the same kind (a server price as a GPU price)
        out[field] = value
    if name == "tco" and {"server_price", "server_kw"} & set(out) and "gpus_per_server" not in out and "count" in out:
        out["gpus_per_server"] = out.pop("count")  # "$300k 8x H100 server": the GPUs in that server
    if name == "tco" and {"server_price", "server_kw"} & set(out) and "gpus_per_server" not in out:
        from agent.offline.server_size import named_server_size

        if size := named_server_size(question):  # "HGX B200 box", "nvl72 rack": the system's name holds the count
            out["gpus_per_server"] = size
    if name == "tco" and restates_server_kw(out):
        del out["power_kw"]  # "10.2 kW box (so ~1.275 kW per gpu)": the same power restated per GPU
    if name == "kv_cache" and _explicit_shape(filled):
        out.pop(
            "model", None
        )  # "MLA shape like deepseek-v2-lite: 27 layers, ...": the stated shape, not the named model
    elif name == "kv_cache" and out.get("model"):
        out.pop("attention", None)  # "its MLA right": a catalog model's attention is the catalog's
    return out


def restates_server_kw(args: dict[str, Any]) -> bool:
    """A per-accelerator kW that is the server's kW over its accelerators (within 3%): one power, written twice."""
    kw, server, n = args.get("power_kw"), args.get("server_kw"), args.get("gpus_per_server")
    if not all(isinstance(v, (int, float)) and v for v in (kw, server, n)):
        return False
    return math.isclose(float(kw), float(server) / float(n), rel_tol=0.03)


def _explicit_shape(args: dict[str, Any]) -> bool:
    """A whole KV-cache shape stated by hand: layers with heads x head dim, or an MLA latent rank and RoPE dim."""
    return "layers" in args and ({"kv_heads", "head_dim"} <= set(args) or {"kv_lora_rank", "rope_dim"} <= set(args))


def _accepts(name: str, args: dict[str, Any], strict: bool) -> bool:
    """The tool runs on ``args``, or (not ``strict``) rejects a value the question stated (the error names it)."""
    from tools.registry import get

    try:
        get(name).run(args)
    except InputError as err:
        return not strict and (err.field in args or err.field.split(".")[0] in args)
    except ValueError:
        return False
    return True


def route(
    question: str,
    quantities: list[Quantity],
    extra: dict[str, dict[str, Any]],
    tools: tuple[str, ...] = ROUTES,
    strict: bool = False,
) -> tuple[str, dict[str, Any]] | None:
    """The first of ``tools`` that takes every stated quantity (``extra``: catalog names per tool).

    ``strict``: the tool must also run on them (used before the intent reading is set aside)."""
    from agent.input_accounting import unused_inputs

    for name in tools:
        args = {**fill(name, question, quantities), **parsed_args(name, question), **extra.get(name, {})}
        if name == "memory_fit" and "params" in args and "model" not in args:
            args["weights_only"] = True  # "assume 65e9 params" and no catalog model: no KV shape, the weights only
        if not args or unused_inputs(question, [args], ""):
            continue
        if _accepts(name, args, strict):
            return name, args
    return None


def parsed_args(name: str, question: str) -> dict[str, Any]:
    """For a tool in :data:`PARSED`: the catalog names and the parser's readings it takes (the intent
    plan's own argument reading, :func:`agent.offline.plan.calculator_args`); {} for other tools."""
    if name not in PARSED:
        return {}
    from agent.offline.calc_args import calculator_args
    from agent.offline.names import _pick, chip_arg
    from agent.offline.parse import parse
    from agent.offline.plan_types import tool_fields

    p = parse(question)
    args = calculator_args(name, p, [])
    fields = tool_fields(name)
    models = [m for m in (_pick(m, "model", None, [], p.text) for m in p.models) if m]
    chips = [m.name for m in p.chips if m.name]
    if models and "model" in fields:
        args["model"] = models[0]
    if chips and "chip" in fields:
        args["chip"] = chip_arg(chips[0])
    return args


#: "does it fit? if not try 16 GPUs": a second deployment to size when the first does not fit.
_IF_NOT = re.compile(
    r"\bif (?:it does)?\s*not\b,?\s*(?:then\s+)?(?:try|use|go (?:to|with)|with|on)\s+(\d+)\s*(?:x\s*)?"
    r"(?:gpus?|accelerators?|cards?|chips?)\b",
    re.I,
)


def alternatives(name: str, args: dict[str, Any], question: str) -> list[dict[str, Any]]:
    """Fit arguments for the fallback deployment the question names ("if not, try 16 GPUs"); [] when none."""
    m = _IF_NOT.search(question)
    if name != "memory_fit" or not m or int(m.group(1)) == args.get("gpus"):
        return []
    return [{**args, "gpus": int(m.group(1))}]
