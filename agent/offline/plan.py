"""From a parsed question (and the calls of the turn before) to tool calls, or a reply asking for more.

Rules, each stated in the answer's "Assumptions" when it applies:

* Only what the question states becomes an argument; everything else is the calculator's
  default, and the answer lists the defaults the result reports.
* Tokens: "12k-token requests" with no split -> ``prompt`` = the calculators' default prompt
  (:class:`tools.memory_fit.MemoryFitInput`, 1,000) and ``output`` = the rest; reasoning tokens are
  generated, so ``output`` = reasoning + the stated answer length, or + the default output when
  none is stated ("1k in + 10k reasoning + 1k out" -> prompt 1,000, output 11,000).
* A bare size ("70b") that names several models of one family is read as the newest of them
  (catalog order) and said so; across families, or with no model at all, the planner asks.
* Follow-ups ("and at fp8?", "what about on H200s?", "with 16 GPUs?", "and for 70b?") rerun the
  previous turn's calculator calls with what the new question changes; relative ones ("2x as
  many GPUs", "double the batch", "half the context") scale the previous value (or the
  calculator's default), and the follow-up keeps what the previous question asked for.
* A cost or build-out question with no chip uses :data:`DEFAULT_CHIP`, said in the answer; a chip
  with no catalog price and no stated price is not guessed (the answer asks for one). A cost per hour
  or per token with neither a chip nor a price is declined, saying what is needed; a cost on the
  analyst's own cost model runs without the default adders, with them beside it
  (:mod:`agent.offline.own_costs`); a power cost with a stated power and no price is computed directly
  (:mod:`agent.offline.power_cost`).
* A podcast quote asked with a computation gets the computing tool beside the search
  (:mod:`agent.offline.quote_compute`); capex comparisons and sums are computed by ``calculate`` on the
  table's rows (:mod:`agent.offline.capex_compare`).
* "$ per million tokens" with no model or tokens/s: an illustration with :data:`ILLUSTRATION_MODEL`
  on the cost calculator's serving defaults, labelled as such.
* "Why does he ...", "what do they think ...", "in the podcast": the transcript, never a refusal.
* The answer leads with what was asked (:func:`asked_quantities`); "next year" is today's year + 1.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.capex_compare import asks_each, asks_vs_guidance, extension_year, sum_years
from agent.offline.capex_leases import asks_lease_gap, cash_twin
from agent.offline.capex_quarter import asked_quarters, summed_quarters
from agent.offline.focus import asked_quantities
from agent.offline.intents import INTENT_TOOL, detect, question_intents
from agent.offline.names import chip_arg, previous_context
from agent.offline.parse import Parsed, parse
from agent.offline.plan_types import CALCULATORS, MAX_CALLS, Call, Plan, tool_default
from agent.offline.planners.arithmetic import converted, target_unit
from agent.offline.planners.calculators import calculator_calls
from agent.offline.planners.checks import accounted, speed_behind_fit, unaccounted
from agent.offline.planners.rerun import follow_up, is_follow_up, scales_anything
from agent.offline.planners.search import clauses, text_calls
from agent.offline.planners.spelled import spelled_out as spelled_plan


def make_plan(question: str, prior: list[Call] | None = None, prior_question: str = "") -> Plan:
    """The tool calls for ``question``, given the previous turn's calls and question (for follow-ups).

    A plan whose calculator calls leave a stated quantity unused (:mod:`agent.input_accounting`)
    is not run: it would answer a different question. The reply names what could not be used
    and what the calculators take instead.
    """
    from agent.input_accounting import stated_quantities
    from agent.offline.bare_topic import bare_topic_reply
    from agent.offline.capex_followup import capex_comparison_question
    from agent.offline.growth_phrases import growth_phrase_plan
    from agent.offline.own_costs import split_own_costs
    from agent.offline.planners.money import money_plan
    from agent.offline.planners.own_numbers import missing_inputs_plan, routed_plan
    from agent.offline.quote_arithmetic import waits_for_figure
    from agent.offline.quote_compute import stated_calls, sums_instead, uncomputed_note
    from agent.offline.tpu_slices import as_chip_count
    from agent.offline.vague import vague_reply
    from agent.offline.whatif import DISTINCT, refill, route

    question = as_chip_count(question)  # "tpu v6e-8" -> "8 x tpu v6e": the count every reader below sees
    if prior and (merged := capex_comparison_question(question, prior, prior_question)):
        question, prior, prior_question = merged, [], ""  # "and how much is that up vs FY23?" after one year's capex
    plan = sums_instead(question, _make_plan(question, prior or [], prior_question))
    quantities = stated_quantities(question)
    _ceiling_reads_weights(question, plan)
    if (
        money := money_plan(question, quantities, not prior) or growth_phrase_plan(question, quantities, prior)
    ) is not None:
        return money
    if not prior and (missing := missing_inputs_plan(question, quantities)) is not None:
        return missing
    if not prior and (vague := vague_reply(question, parse(question), quantities, [c.name for c in plan.calls])):
        return Plan(reply=vague)
    if not prior and (bare := bare_topic_reply(question, parse(question), quantities)):
        return Plan(reply=bare)
    free = _outside_formulas(question, plan, quantities)
    for call in plan.calls:
        call.args = refill(call.name, call.args, question, quantities if call.name == "calculate" else free)
    if plan.lease_gap:  # the cash series beside the lease-inclusive one (agent.offline.capex_leases)
        leased = [c for c in plan.calls if c.name == "capex" and c.args.get("include_leases")]
        plan.calls += [Call("capex", cash_twin(c.args)) for c in leased]
    quoted = any(c.name in ("search_knowledge", "check_claim") for c in plan.calls)
    calculating = any(c.name in CALCULATORS for c in plan.calls)
    said = any(c.name == "search_knowledge" and c.args.get("source") != "specs" for c in plan.calls)
    if said and stated_calls(question, plan, calculating):
        quantities = []  # "he said 256 users, cut to 1/4-1/5: how many?": calculate on the question's own numbers
    elif said and waits_for_figure(question):
        # the sum waits for one figure of the cited sentence; a calculator would fill it with a catalog default
        plan.calls = [c for c in plan.calls if c.name not in CALCULATORS]
        plan.notes = [n for n in plan.notes if not n.startswith(("No chip named", "Illustration", "Left out"))]
        plan.from_passage, quantities = question, []
    routed = route(question, quantities, {}, DISTINCT, strict=True) if quantities and not quoted else None
    blocked = plan.reply is not None or bool(quantities and unaccounted(question, plan))
    if routed is None and quantities and blocked:
        routed = route(question, quantities, _route_names(question))
    if quoted and routed is None:
        _compute_beside_quote(question, quantities, plan)
    if routed is not None:
        plan = routed_plan(routed, question, quantities)
    plan = spelled_plan(question, plan, routed is not None)
    _power_only_plan(plan)
    plan.calls, own_note = split_own_costs(question, plan.calls, Call)
    if own_note:
        plan.notes.append(own_note)
    if quoted and not plan.from_passage and (note := uncomputed_note(question, [c.name for c in plan.calls])):
        plan.notes.append(note)
    return speed_behind_fit(accounted(question, plan))


def _ceiling_reads_weights(question: str, plan: Plan) -> None:
    """ "Decode ceiling, ignore kv": the textbook ceiling already reads the weights only, so the analyst's words are
    how it is computed (said in the answer), not a condition left unused."""
    from agent.field_units import CONDITIONS

    kv_words = CONDITIONS[0][0]
    if "ceiling" in plan.focus and any(c.name == "throughput" for c in plan.calls):
        if m := re.search(kv_words, question, re.I):
            plan.notes.append(f"The decode ceiling reads the weights only, as asked ('{m.group(0)}').")


def _outside_formulas(question: str, plan: Plan, quantities: list[Any]) -> list[Any]:
    """The stated quantities no planned ``calculate`` formula holds: a calculator beside a written formula
    ("DeepSeek V3 kv/token vs (128 heads x (192+128) dims x 61 layers x 2 B)") does not take the formula's numbers."""
    from agent.input_accounting import unused_inputs

    formulas = [c for c in plan.calls if c.name == "calculate"]
    if not formulas or len(formulas) == len(plan.calls):
        return quantities
    outside = set(unused_inputs(question, formulas, ""))
    return [q for q in quantities if q.text in outside]


def _compute_beside_quote(question: str, quantities: list[Any], plan: Plan) -> None:
    """A quote asked with a computation on stated numbers: the computing tool beside the search (:mod:`agent.offline.quote_compute`)."""
    from agent.input_accounting import unused_inputs
    from agent.offline.quote_compute import computation

    calculators = [c for c in plan.calls if c.name in CALCULATORS]
    if plan.sums or plan.from_passage or (calculators and not unused_inputs(question, calculators, "")):
        return  # "what did he say about HBM, and how many users fit ...": the fit already takes every number
    routed = computation(question, quantities, _route_names(question))
    if routed is None:
        return
    plan.calls.append(Call(*routed))
    plan.focus = plan.focus or asked_quantities(parse(question).text)


def _power_only_plan(plan: Plan) -> None:
    """A power-cost question with a stated power and no price: the bill by ``calculate`` (:mod:`agent.offline.power_cost`)."""
    from agent.offline.power_cost import power_cost_calls, power_only

    tco = [c for c in plan.calls if c.name == "tco"]
    if len(tco) != 1 or not power_only(tco[0], plan.focus):
        return
    calls, labels, note = power_cost_calls(tco[0].args, lambda f: tool_default("tco", f), Call)
    plan.calls = [c for c in plan.calls if c is not tco[0]] + calls
    plan.labels.update(labels)
    plan.notes = [n for n in plan.notes if not n.startswith("No chip named")] + [note]  # no chip is priced here


def _route_names(question: str) -> dict[str, dict[str, Any]]:
    """Catalog names the question gives, as each what-if tool takes them (unambiguous names only)."""
    p = parse(question)
    models = [m.name for m in p.models if m.name]
    chips = [m.name for m in p.chips if m.name]
    out: dict[str, dict[str, Any]] = {"tco": {}, "buildout": {}, "memory_fit": {}}
    if chips:
        out["tco"]["chip"] = [chip_arg(c) for c in chips]
        out["buildout"]["chip"] = chip_arg(chips[0])
        out["memory_fit"]["chip"] = chip_arg(chips[0])
    if models:
        out["memory_fit"]["model"] = models[0]
    if p.count is not None:
        out["memory_fit"]["gpus"] = p.count
    return out


def _make_plan(question: str, prior: list[Call], prior_question: str) -> Plan:
    """The plan before its checks: intents from the words, read against what the question states and the turn
    before, then a follow-up's rerun or one planner per intent."""
    p = parse(question)
    intents = _first_intents(p)
    plan = Plan(focus=asked_quantities(p.text), year=p.year, volume=p.token_volume)
    if p.rental_price is not None and "cost" in intents:
        # a rental price is given to be compared with owning: that comparison leads ("$2/hr" states the price,
        # it does not ask for the cost per hour)
        plan.focus = ["break_even"] + [f for f in plan.focus if f != "break_even"]
    ctx = previous_context(prior)
    intents = _with_readings(p, intents, plan)
    if "chip" not in ctx and prior_question and not p.chips:
        # "what did dylan say about trainium" then "and what does it cost per hour?": the chip named before
        named = [m.name for m in parse(prior_question).chips if m.name]
        if len(named) == 1:
            ctx["chip"] = named[0]
    needs_model = [i for i in intents if i in ("kv", "fit", "speed")]
    if needs_model and len(needs_model) < len(intents) and not (p.models or p.unknown_models or ctx.get("model")):
        # "how many trainium2 fit in 500 MW": no model anywhere, so 'fit' is not a memory-fit question
        intents = [i for i in intents if i not in needs_model]
    intents = question_intents(p, intents, plan.focus)
    if is_follow_up(question, p, intents, prior):
        return _follow_up_plan(p, prior, prior_question, ctx, plan)
    if not intents:
        plan.reply = _not_understood(p)
        return plan
    return _plan_calls(question, p, intents, (prior, prior_question), ctx, plan)


def _first_intents(p: Parsed) -> list[str]:
    """The intents of the words (:func:`agent.offline.intents.detect`), read against the stated speed, a written
    formula and the parts of a question that asks what was said."""
    intents = detect(
        p.text, has_expression=p.expression is not None, has_companies=bool(p.companies), has_chip=bool(p.chips)
    )
    if p.tokens_per_s is not None and "speed" in intents and len(intents) > 1:
        intents.remove("speed")  # "at 1,000 tok/s" states the speed; it does not ask for it
    if p.expression and re.search(r"[()]|[-+*/].*[-+*/]", p.expression) and "calc" not in intents:
        # a written formula: evaluate it (beside a named model's KV size it is compared with)
        kept = ("search", "claim", "kv") if p.models and "kv" in intents else ("search", "claim")
        intents = [i for i in intents if i in kept] + ["calc"]
    if "search" in intents:
        # "what did he say about the 2 GW campus": the numbers belong to the search, not to a
        # calculator, unless another part of the question asks for one.
        rest = [c for c in clauses(p.text) if "search" not in detect(c) and not _asks_what_was_said(c)]
        asked = {
            i for c in rest for i in detect(c, has_expression=p.expression is not None, has_companies=bool(p.companies))
        }
        if "cost" in asked and (p.gw is not None or p.mw is not None):
            asked = (asked - {"cost"}) | {"buildout"}  # "the 2 GW campus ... and what would it cost?": that campus
        intents = [i for i in intents if i in ("search", "claim")] + [
            i for i in INTENT_TOOL if i in asked and i not in ("search", "claim")
        ]
    return intents


#: A part of a quote question that asks for a figure of the thing just quoted ("..., and what does that server
#: cost?"): the podcast's figure, not a calculator's with catalog defaults.
_REFERS_BACK = re.compile(
    r"\b(?:that|this|those|these|the same) (?:[\w-]+ ){0,2}(?:server|servers|chip|chips|cluster|system|rack|"
    r"data ?cent(?:er|re)|campus|site|deal|figure|number|one)\b|\b(?:does|did|do) (?:it|that|they) cost\b"
)


def _asks_what_was_said(clause: str) -> bool:
    """Whether ``clause`` asks for a figure of what was just quoted, stating no number of its own."""
    return bool(_REFERS_BACK.search(clause)) and not re.search(r"\d", clause)


def _with_readings(p: Parsed, intents: list[str], plan: Plan) -> list[str]:
    """The years a capex question reads, an arithmetic asked in a unit, and what a per-MW or how-long question
    needs; the intents those readings change."""
    if (
        "capex" in intents
        and plan.year is None
        and re.search(r"forecast|outlook|project(?:ion|ed)?|going to spend|will .{0,20}spend", p.text)
    ):
        import datetime

        plan.year = datetime.date.today().year + 1
        plan.notes.append(
            f"No year given: the answer leads with next year, {plan.year} (today is {datetime.date.today().isoformat()})."
        )
    if p.expression and target_unit(p.text) and re.search(r"[-+*/]", p.expression) and "calc" not in intents:
        intents = [i for i in intents if i in ("search", "claim")] + [
            "calc"
        ]  # "1M tokens / 2,000 tok/s in hours": arithmetic in a unit
    if "capex" in intents:
        years = years_in(p.text)
        plan.compare_years = years[:2] if len(years) >= 2 else []
        plan.year = plan.compare_years[0] if plan.compare_years else plan.year
        plan.sum_years = sum_years(p.text, years)
        plan.sum_guidance = bool(plan.sum_years and re.search(r"\bguid(?:e|ed|ance)\b", p.text))
        plan.lease_gap = asks_lease_gap(p.text)
        plan.compare_years = [] if plan.sum_years else plan.compare_years
        plan.extend_year = extension_year(p.text, years)
        plan.quarters = asked_quarters(p.text)
        plan.focus += ["vs_guidance"] if asks_vs_guidance(p.text) else []  # agent.offline.capex_compare
        plan.focus += ["each"] if len(p.companies) > 1 and len(years) > 1 and asks_each(p.text) else []
        plan.quarter_sum = summed_quarters(p.text)
        plan.quarters = None if plan.quarter_sum else plan.quarters
        if plan.quarters or plan.quarter_sum:  # "q1 2026 vs q1 2025": quarters, not two fiscal years
            plan.compare_years, plan.sum_years, plan.extend_year = [], [], None
    if (
        "per_mw" in plan.focus
        and p.gw is None
        and p.mw is None
        and p.count is None
        and not (p.models or p.unknown_models)
        and intents
        and set(intents) <= {"cost", "buildout", "capex"}
        and not p.companies
    ):
        intents = ["buildout"]  # "capex per MW" with no size: a 1 MW build-out (see planners.cost.per_mw_size)
    if "per_mw" in plan.focus and "cost" in intents and "speed" in intents:
        intents.remove("speed")  # "tokens per second per MW" is the cost tool's tokens_per_s_per_mw
    if "time_for_tokens" in plan.focus and p.token_volume and "speed" not in intents:
        intents.append("speed")
    return intents


def _follow_up_plan(p: Parsed, prior: list[Call], prior_question: str, ctx: dict[str, Any], plan: Plan) -> Plan:
    """A follow-up: the previous calls rerun with what it changes (:mod:`agent.offline.planners.rerun`), asking
    for what the question before asked; a reply when a relative change ("2x") changes nothing there."""
    earlier = parse(prior_question) if prior_question else None
    if earlier is not None:
        plan.focus = plan.focus or asked_quantities(earlier.text)  # "2x as many GPUs?" asks what the last one asked
        plan.year = plan.year or earlier.year
    if not plan.focus and p.electricity is not None:
        # "and at 5c/kwh?": the figures the electricity price moves
        tools = {c.name for c in prior}
        plan.focus = (
            (["per_hour"] if "tco" in tools else []) + ["power_year"] + (["capex"] if "buildout" in tools else [])
        )
    if p.relative and not scales_anything(prior, p) and not (set(p.stated()) - {"relative"} or p.models or p.chips):
        tools_run = ", ".join(sorted({c.name for c in prior if c.name in CALCULATORS}))
        plan.reply = (
            f"The previous calculation ({tools_run}) has nothing that '{' and '.join(p.relative_words.values())}' changes, "
            "so I did not rerun it. Say which input to change, e.g. 'with <N> GPUs' or 'at <N>k context'."
        )
        return plan
    return follow_up(p, prior, ctx, plan)


def _plan_calls(
    question: str, p: Parsed, intents: list[str], before: tuple[list[Call], str], ctx: dict[str, Any], plan: Plan
) -> Plan:
    """One planner per intent (``before``: the previous turn's calls and question). A part that cannot be
    computed is left out and said, unless it is the only part: then its reply is the answer."""
    left_out: list[str] = []
    for intent in intents:
        tool = INTENT_TOOL[intent]
        if tool in ("check_claim", "search_knowledge"):
            text_calls(intent, question, p, before, plan)
        elif tool == "calculate":
            expr = converted(p.expression, p.text, plan)
            plan.calls.append(Call(tool, {"expression": expr}))
            if "kv" in intents and re.search(r"\d\s*(?:b|bytes?)\b", p.text):  # a KV formula written in bytes
                plan.labels[expr] = ("KV per token as written", "B", "the formula the question states")
        else:
            reply = calculator_calls(tool, p, ctx, plan, only_if_named="search" in intents)
            if reply and len(intents) == 1:
                return Plan(reply=reply)
            if reply:  # one part of a several-part question cannot be computed: answer the rest, say what was left out
                left_out.append(reply)
    if not plan.calls and left_out:
        return Plan(reply=" ".join(dict.fromkeys(left_out)))
    plan.notes[:0] = ["Left out: " + r for r in dict.fromkeys(left_out)]
    if not plan.calls and plan.reply is None:  # a planner's own reply (e.g. a chip the podcast never names) stands
        plan.reply = _not_understood(p)
    plan.calls = plan.calls[:MAX_CALLS]
    return plan


def years_in(text: str) -> list[int]:
    """Distinct calendar years written in the question, in order ("2025 vs 2024", "FY24 vs FY23")."""
    found = [
        int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
        for m in re.finditer(r"(?<![\d.])(?:fy\s?)?(20\d{2})\b|\bfy\s?'?(\d{2})\b", text)
    ]
    return list(dict.fromkeys(found))


def _not_understood(p: Parsed) -> str:
    seen = [m.text for m in p.models + p.chips] + p.companies
    got = f" I recognised {', '.join(seen)}." if seen else ""
    return (
        "I can't tell what to compute for this question, and it may need judgement I can't give offline."
        + got
        + " I can size the KV cache, check a fit and concurrency, estimate tokens/s, cost per hour or per million "
        "tokens, a GW build-out, hyperscaler capex, do arithmetic, or find what was said in the podcast. "
        "For example: 'how many users fit for Llama-3.1-405B fp8 on H100s with <N>k reasoning tokens?' or "
        "'what did Dylan say about HBM?'"
    )
