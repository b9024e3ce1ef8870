"""Follow-ups that rerun the previous turn's calculator calls with what the new question changes.

"and at fp8?", "what about on H200s?", "with 16 GPUs?" change arguments; relative ones ("2x as many
GPUs", "double the batch", "half the context") scale the previous value (or the calculator's
default), and the follow-up keeps what the previous question asked for.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.calc_args import calculator_args, token_args
from agent.offline.focus import asked_quantities
from agent.offline.names import catalog_names, chip_arg
from agent.offline.parse import Parsed
from agent.offline.plan_types import CALCULATORS, MAX_CALLS, TOKEN_ARGS, Call, Plan, tool_default, tool_fields
from agent.offline.planners.cost import illustrate


def is_follow_up(question: str, p: Parsed, intents: list[str], prior: list[Call]) -> bool:
    if not any(c.name in CALCULATORS for c in prior):
        return False
    if (
        p.relative
        and scales_anything(prior, p)
        and len(question.split()) <= 8
        and not (p.models or p.unknown_models or set(p.stated()) - {"relative"})
    ):
        return True  # "and 3x the campus?": "campus" names what to scale, not a new build-out
    if intents:
        # "and the power bill?", "what about per million tokens?": the same calculation, another figure first
        return (
            set(intents) <= {"cost"}
            and bool(asked_quantities(p.text))
            and len(question.split()) <= 7
            and not (p.models or p.chips or p.unknown_models or p.unknown_chips or p.stated())
            and bool(re.match(r"\s*(?:and|what about|how about|also|plus)\b", question, re.I))
        ) or same_calculation(question, p, intents, prior)
    changed = bool(p.models or p.chips or p.unknown_models or p.unknown_chips or p.stated())
    changed = changed or slot_changes(question, prior)
    return changed and bool(FOLLOW_UP_OPENER.match(question) or len(question.split()) <= 8)


def slot_changes(question: str, prior: list[Call]) -> bool:
    """Whether the question fills an input of a previous calculator by its words and units ('what if streams drop
    to 50?', 'and straight-line instead?', as :mod:`agent.offline.slots` reads them), or by its unit alone
    (:func:`unit_changes`: 'and at 25%?' after a growth series)."""
    from agent.input_accounting import stated_quantities
    from agent.offline.slots import FIELDS, assign

    quantities = stated_quantities(question)
    return any(
        assign(c.name, question, quantities)[0] or unit_changes(c, question)
        for c in prior
        if c.name in CALCULATORS and c.name in FIELDS
    )


def unit_changes(call: Call, question: str) -> dict[str, tuple[Any, str]]:
    """A value the question states with no cue word, in the unit of exactly one input the previous call was given:
    that input, changed ("and at 25%?" after a growth at 30% a year is the rate; after a cost with a cost of
    capital and a utilization it is neither, and nothing changes)."""
    from agent.input_accounting import stated_quantities
    from agent.offline.slots import FIELDS, assign

    quantities = stated_quantities(question)
    _, read = assign(call.name, question, quantities)
    out: dict[str, tuple[Any, str]] = {}  # field -> (value, the quantity as written)
    for q in quantities:
        if any(q is r for r in read.values()):
            continue
        slots = [s for s in FIELDS.get(call.name, ()) if q.unit in s.units and s.field in call.args]
        if len({s.field for s in slots}) != 1 or q.per is not None:
            continue
        slot = slots[0]
        value = q.value * slot.scale + slot.shift
        typed = [value] if isinstance(call.args[slot.field], list) else (int(value) if slot.integer else value)
        out[slot.field] = (typed, q.text)
    return out


FOLLOW_UP_OPENER = re.compile(
    r"\s*(?:and|what about|how about|same|ok|okay|now|then|so|at|with|on|for|but|what if|if|try|instead)\b", re.I
)
#: The calculators an intent's words can mean when a calculation of theirs was just run ("cost per query" after a
#: serving cost is that serving cost again).
_INTENT_CALCULATORS = {
    "cost": ("tco", "serving_cost", "buildout"),  # "and at $45k per gpu, the gpu bill?" after a build-out
    "buildout": ("buildout",),
    "kv": ("kv_cache",),
    "fit": ("memory_fit",),
    "speed": ("throughput",),
    "capex": ("capex", "growth"),
}
#: A size asked in bytes ("how much ... in GiB?"): the KV cache's total, not a fit's count of requests.
_SIZE_ASKED = re.compile(r"\bhow much\b|\bin (?:gi?b|ti?b|bytes?)\b", re.I)


def same_calculation(question: str, p: Parsed, intents: list[str], prior: list[Call]) -> bool:
    """'now with a 7% cost of capital instead', 'and for 2.5 GW?', 'same deployment but 4,000-token answers -
    cost per query?': words that name the calculation just run, with an input changed, rerun it.

    It takes a follow-up's opening words (or a short line), no new model, something stated or a chip named, and
    every intent one the previous turn's calculators answer; a size asked after a KV cache ("how much for 32
    sequences, in GiB?") is that KV cache again, not a fit.
    """
    tools = {c.name for c in prior if c.name in CALCULATORS}
    if p.models or p.unknown_models or not (p.stated() or p.chips or slot_changes(question, prior)):
        return False
    kv_size = "kv_cache" in tools and not p.chips and bool(_SIZE_ASKED.search(question))
    if not (FOLLOW_UP_OPENER.match(question) or len(question.split()) <= 8 or kv_size):
        return False
    return all((i == "fit" and kv_size) or bool(tools & set(_INTENT_CALCULATORS.get(i, ()))) for i in intents)


#: Which argument of each calculator a relative change ("2x as many GPUs") scales.
_SCALED_ARGS: dict[str, dict[str, tuple[str, ...]]] = {
    "count": {"memory_fit": ("gpus",), "throughput": ("gpus",), "tco": ("count",), "kv_cache": ("batch",)},
    "batch": {"kv_cache": ("batch",), "throughput": ("batch",), "tco": ("batch",)},
    "tokens": {"kv_cache": ("context",), "memory_fit": ("prompt", "output"), "throughput": ("prompt", "output")},
    "reasoning": {"memory_fit": ("output",), "throughput": ("output",), "kv_cache": ("context",)},
    "electricity": {"tco": ("electricity",), "buildout": ("electricity",)},
    "capex_per_accelerator": {"tco": ("capex_per_accelerator",), "buildout": ("capex_per_accelerator",)},
    "gw": {"buildout": ("gw",)},
}


_INTEGER_ARGS = {"gpus", "count", "batch", "context", "prompt", "output"}


def _scaled(tool: str, args: dict[str, Any], p: Parsed, notes: list[str]) -> dict[str, Any]:
    """The previous call's arguments times the follow-up's factors ("double the batch": batch x 2).

    An argument the previous call left to the calculator is scaled from the calculator's
    default (said in the answer); one with no default (a catalog price) is left alone, and said.
    """
    out: dict[str, Any] = {}
    for slot, factor in p.relative.items():
        word = p.relative_words.get(slot, "scaled")
        for name in _SCALED_ARGS.get(slot, {}).get(tool, ()):
            base = args.get(name)
            source = "the previous question's value"
            if base is None:
                base = tool_default(tool, name) if name in tool_fields(tool) else None
                source = f"the {tool} calculator's default"
            if base is None or isinstance(base, (list, bool)):
                notes.append(
                    f"No {name} to scale ('{word}') for {tool}: the previous answer used the catalog's; state one."
                )
                continue
            value = base * factor
            value = max(1, int(round(value))) if name in _INTEGER_ARGS else value
            out[name] = value
            # the old value is not in this turn's results, so it is named, not quoted (grounding)
            notes.append(f"{name} '{word}' {source}: now {value:,}.")
    return out


def scales_anything(prior: list[Call], p: Parsed) -> bool:
    """Whether some previous calculator call has an argument the follow-up's factors change."""
    return any(_SCALED_ARGS.get(slot, {}).get(c.name) for c in prior if c.name in CALCULATORS for slot in p.relative)


def base_calls(prior: list[Call]) -> list[Call]:
    """The previous turn's calls without the second-round ones (agent.offline.rounds): a call equal to an
    earlier call of the same tool plus extra arguments (the fp8 rerun, the speed at capacity) is
    dropped, because the rounds derive it again from the new results."""
    out: list[Call] = []
    for call in prior:
        if any(
            c.name == call.name
            and len(c.args) < len(call.args)
            and all(call.args.get(k) == v for k, v in c.args.items())
            for c in out
        ):
            continue
        out.append(call)
    return out


def follow_up(p: Parsed, prior: list[Call], ctx: dict[str, Any], plan: Plan) -> Plan:
    """Rerun the previous calculator calls with what the follow-up changes."""
    model_names, reply = catalog_names(p, "model", ctx.get("model"), plan)
    if reply:
        return Plan(reply=reply)
    chip_names, reply = catalog_names(p, "chip", ctx.get("chip"), plan)
    if reply:
        return Plan(reply=reply)
    new_model = model_names[0] if p.models else None
    new_chip = chip_names[0] if p.chips else None
    plan.notes.append("Follow-up: the previous question's arguments, with what this question changes.")
    for call in base_calls(prior):
        if call.name not in CALCULATORS:
            continue
        changes = calculator_args(call.name, p, plan.notes)
        args = dict(call.args)
        if any(k in changes for k in TOKEN_ARGS):
            for k in TOKEN_ARGS:
                args.pop(k, None)
        if call.name != "kv_cache" and "weights_dtype" in changes and "kv_dtype" not in changes:
            args.pop("kv_dtype", None)  # the KV format followed the old weight format; let it follow the new one
        args.update(changes)
        for name, (value, text) in unit_changes(call, p.text).items():
            plan.notes.append(f"'{text}' read as {name}, the one input of the previous {call.name} in that unit.")
            args[name] = value
        args.update(_scaled(call.name, args, p, plan.notes))
        fields = tool_fields(call.name)
        if new_model and "model" in fields:
            args["model"] = new_model
        if new_chip and "chip" in fields:
            args["chip"] = [chip_arg(new_chip)] if call.name == "tco" else chip_arg(new_chip)
        if call.name == "tco" and "per_mtok" in plan.focus and not args.get("model") and "tokens_per_s" not in args:
            names: dict[str, Any] = {}
            illustrate(names, args, plan)
            args.update(names)
        plan.calls.append(Call(call.name, args))
        if call.name == "kv_cache" and new_chip:
            fit = calculator_args("memory_fit", p, plan.notes)
            fit = {"model": args["model"], "chip": chip_arg(new_chip), **fit}
            if "weights_dtype" not in fit and args.get("kv_dtype"):
                fit["weights_dtype"] = args["kv_dtype"]
                plan.notes.append(f"For the fit, weights are taken in {args['kv_dtype']} like the cache.")
            tokens = args.get("context")
            if tokens and "prompt" not in fit:
                fit.update(token_args("memory_fit", Parsed(text="", total=tokens), plan.notes))
            plan.notes.append("The KV cache does not depend on the chip, so the fit on that chip is checked too.")
            plan.calls.append(Call("memory_fit", fit))
    plan.calls = plan.calls[:MAX_CALLS]
    return plan
