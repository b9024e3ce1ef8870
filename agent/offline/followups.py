"""Follow-ups that lean on the conversation, read before the planner's own rules (:func:`plan.make_plan`).

In order:

1. **Act on the last result**: "chart that", "as a table", "redo that forecast using company
   guidance", "export that" rerun the previous turn's calculator calls (with the forecast method
   changed for a redo); a table is added to the answer by :func:`finish`; an export is done by
   the front-end, so the reply says how.
2. **Resume**: when the previous answer asked for something (a price, a model) and this line is
   a bare value or a short clause, the question that asked is planned again with it.
3. **Add to a comparison**: "and B200 at $40k?" after several chips adds B200 as one more
   scenario (its own call, so its price is its own) instead of replacing the comparison.
4. **My notes**: "what does my channel check say about CoWoS?" searches the transcript and the
   user's ingested notes for the topic.
5. **That price**: "at that price" after a quote uses the one price the quoted passages show, else asks for it;
   "how many X for the price of one $Y" divides $Y by that price (:mod:`agent.offline.earlier_figures`).
6. **Restate**: "what about on an 8 TB/s chip?" after an answer computed from the question's own numbers
   (a ``calculate``, nothing to rerun) plans the previous question with the change written in.
7. Otherwise :func:`plan.make_plan`, then **chip-specific inputs** (a price, a kW, a rental
   price) given for one chip are not carried to another chip: dropped, and said. A question it cannot
   place that states nothing and names a figure the last calculation's answer showed ("what's the
   cumulative?") reruns that calculation.
"""

from __future__ import annotations

import re
from typing import Any

from agent.input_accounting import stated_quantities, unused_inputs
from agent.offline.calc_args import calculator_args
from agent.offline.earlier_figures import price_ratio, that_price
from agent.offline.focus import asked_quantities
from agent.offline.history import Earlier, Turn
from agent.offline.names import chip_arg, short_chip
from agent.offline.parse import parse
from agent.offline.plan import make_plan
from agent.offline.plan_types import CALCULATORS, Call, Plan
from agent.offline.planners.rerun import FOLLOW_UP_OPENER, base_calls, slot_changes
from agent.offline.restate import restated
from tools.catalog import find_accelerator
from tools.errors import InputError

#: Inputs that belong to one chip: a price, a power draw, a rental price.
CHIP_SPECIFIC = ("capex_per_accelerator", "power_kw", "rental_price")
_CHART = re.compile(
    r"^\s*(?:(?:now |ok,? |please |can you |could you )?(?:show (?:me )?|draw |make |give me )?(?:a |the )?"
    r"(?:chart|plot|graph)(?: (?:of|for))? (?:that|this|it|those|these)|(?:chart|plot|graph|visuali[sz]e) "
    r"(?:that|this|it|those|these))\b",
    re.I,
)
_TABLE = re.compile(
    r"^\s*(?:(?:now |ok,? |please |can you |could you )?(?:show (?:me )?|put |give me |make )?"
    r"(?:that|this|it|those|these)? ?(?:as|in(?:to)?) a table|(?:a )?table (?:of|for) (?:that|this|it)|"
    r"tabulate (?:that|this|it))\b",
    re.I,
)
_EXPORT = re.compile(
    r"^\s*(?:please |can you )?(?:export|save|download)\b.{0,40}\b(?:that|this|it|answer|result|table)\b", re.I
)
_REDO = re.compile(r"\b(?:redo|re-?run|again|instead|what about|how about|using|use|with)\b", re.I)
_METHODS = (
    ("guidance", r"\bguidance\b|company(?:'s)? (?:own )?(?:plan|outlook)"),
    ("linear", r"\blinear\b"),
    ("cagr", r"\bcagr\b|compound"),
    ("scenario", r"\bscenario\b"),
)
#: The previous answer asked for something rather than answering.
_ASKED = re.compile(
    r"Ask again with|I won't guess|and I won't guess|I can't tell which|Say which|state one|Give one|name one", re.I
)
_BARE_MONEY = re.compile(
    r"\s*(?:at\s+|assume\s+)?\$\s*(\d[\d.,]*)\s*([km])?\s*(?:each|per (?:gpu|chip|accelerator))?[.!]?\s*", re.I
)
_OWN_QUESTION = re.compile(
    r"^\s*(?:what|how|why|who|when|where|which|is|are|does|do|did|can|could|should|compare|tell)\b", re.I
)
#: "and X": adds to what was compared ("instead" replaces).
_ADD = re.compile(r"^\s*(?:and|add|plus|also|include|with)\b(?!.*\b(?:instead|rather|replace|swap)\b)", re.I)
_MY_NOTES = re.compile(
    r"\b(?:my|our) (?:own )?"
    r"(?:notes?|channel checks?|docs?|documents?|files?|memos?|research|transcripts?|checks?|write-?ups?)\b|"
    r"\bthe (?:doc|document|file|note|notes|memo|transcript) (?:i|we) (?:added|ingested|uploaded|loaded)\b",
    re.I,
)
_NOTE_WORDS = re.compile(
    r"\b(?:what|does|do|did|say|says|said|tell|tells|me|about|in|on|from|the|a|my|our|own|notes?|channel|checks?|docs?|"
    r"documents?|files?|memos?|research|transcripts?|write-?ups?|i|we|added|ingested|uploaded|loaded|according|to|think)\b|\?",
    re.I,
)


def plan_turn(turn: Turn) -> tuple[Plan, str | None]:
    """The plan for this turn and the kind of follow-up it is (None for a plain question)."""
    plan, kind = _plan_turn(turn)
    return _series_unit(plan, turn.question, turn), kind


def _plan_turn(turn: Turn) -> tuple[Plan, str | None]:
    question = turn.question
    last = turn.earlier[-1] if turn.earlier else None
    if _EXPORT.search(question) and not re.search(r"\bcapex\b", question, re.I):
        return Plan(
            reply=(
                "Exports are written by the front-end: `/export FILE` in the chat or `--export FILE` on "
                "`siliconomics ask` (FILE ending in .md, .csv or .xlsx)."
            )
        ), "export"
    base = [c for c in turn.prior if c.name in CALCULATORS]
    if base and (_CHART.search(question) or _TABLE.search(question)):
        plan = _again(Plan(calls=[Call(c.name, dict(c.args)) for c in base_calls(base)]), turn)
        plan.notes.append("The previous question's calculation, again.")
        return plan, "table" if _TABLE.search(question) else "chart"
    redo = _redo(question, base)
    if redo is not None:
        return _again(redo, turn), "redo"
    if last is not None and not last.calls and _ASKED.search(last.reply) and _is_bare(question):
        resumed = _resume(question, turn)
        if resumed is not None:
            return resumed, "resume"
    added = _add(question, turn)
    if added is not None:
        return added, "add"
    if _MY_NOTES.search(question):
        return _notes_search(question), "notes"
    ratio, labels, reply = price_ratio(question, turn.earlier)
    if reply is not None or ratio:
        plan = Plan(calls=ratio, labels=labels, reply=reply)
        plan.notes.append("The other price is the one the previous answer quoted.")
        return plan, "that_price"
    rewritten, price, reply = that_price(question, turn.earlier)
    if reply is not None:
        return Plan(reply=reply), "that_price"
    if rewritten is not None:
        plan = make_plan(rewritten, turn.prior, turn.prior_question)
        plan.notes.insert(0, f"'That price' read as {price}, the one price the previous answer quoted.")
        return _distinct(plan), "that_price"
    again = _restated(question, turn)
    if again is not None:
        return again, "restated"
    # the question whose calls a follow-up reruns (a turn that computed nothing since does not replace it)
    source = next((e.question for e in reversed(turn.earlier) if e.calls), turn.prior_question)
    plan = make_plan(question, turn.prior, source)
    shown = _shown_before(question, turn) if not plan.calls else None
    if shown is not None:
        return shown, "shown"
    uncarry(plan, question, turn.prior)
    return _distinct(plan), None


#: Words that change an input rather than ask for a figure.
_CHANGE = re.compile(r"\b(?:instead|if|with|without|drops?|rises?|falls?|change[sd]?|switch|swap|straight)\b", re.I)
#: Lines of an answer that hold its figures (its lead and bullets), not its formula, sources or readings.
_FIGURE_LINE = re.compile(r"^(?:\*\*(?!Formula|Assumptions|Sources|How I read|Defaults)|- )", re.M)


def _shown_before(question: str, turn: Turn) -> Plan | None:
    """'what's the cumulative spend?' after a growth answer that showed a cumulative: a question that states
    nothing and that the planner cannot place, naming a figure the last calculation's answer showed, is that
    calculation again (the figure is in its result)."""
    last = turn.earlier[-1] if turn.earlier else None
    calls = [c for c in base_calls(last.calls) if c.name in CALCULATORS] if last else []
    p = parse(question)
    if last is None or not calls or p.stated() or p.models or p.chips or p.expression or _CHANGE.search(question):
        return None
    if stated_quantities(question) or slot_changes(question, calls):
        return None  # "what if streams drop to 50?" changes an input: not the same figures again
    figures = " ".join(ln for ln in last.reply.lower().splitlines() if _FIGURE_LINE.match(ln))
    named = [w for w in re.findall(r"[a-z]{6,}", question.lower()) if re.search(rf"\b{w}\b", figures)]
    if not named:
        return None
    plan = Plan(calls=[Call(c.name, dict(c.args)) for c in calls])
    plan.notes.append(f"The previous calculation again: its answer has the {named[0]} figure asked for.")
    return _again(plan, turn)


def _acts_on_last(question: str) -> bool:
    """'chart that', 'as a table', 'redo with guidance': a question that only reran the one before."""
    redo = _REDO.search(question) and any(re.search(pattern, question, re.I) for _, pattern in _METHODS)
    return bool(_CHART.search(question) or _TABLE.search(question) or redo)


def _distinct(plan: Plan) -> Plan:
    """The plan without repeated calls (two earlier calls that a follow-up turned into the same one)."""
    seen: list[Call] = []
    for call in plan.calls:
        if not any(c.name == call.name and c.args == call.args for c in seen):
            seen.append(call)
    plan.calls = seen
    return plan


def _again(plan: Plan, turn: Turn) -> Plan:
    """What the question behind the last result asked for leads again (its quantities and year)."""
    source = next(
        (e.question for e in reversed(turn.earlier) if e.calls and not _acts_on_last(e.question)), turn.prior_question
    )
    earlier = parse(source)
    plan.focus = asked_quantities(earlier.text)
    plan.year = earlier.year
    return plan


def _series_unit(plan: Plan, question: str, turn: Turn) -> Plan:
    """A growth series rerun is told in the unit its base was written in: this question's, else that of the
    nearest earlier question of the run of growth turns before it ("$200B ... growing 30%", "and at 20%?",
    "through 2030?")."""
    if plan.value_unit is not None or not any(c.name == "growth" for c in plan.calls):
        return plan
    texts = [question]
    for e in reversed(turn.earlier):
        if not any(c.name == "growth" for c in e.calls):
            break
        texts.append(e.question)
    plan.value_unit = next((q.unit for t in texts for q in stated_quantities(t) if q.unit in ("usd", "W")), None)
    return plan


def _redo(question: str, base: list[Call]) -> Plan | None:
    """'redo that forecast using company guidance': the previous capex call with another method."""
    capex = [c for c in base if c.name == "capex"]
    method = next((m for m, pattern in _METHODS if re.search(pattern, question, re.I)), None)
    if not capex or method is None or not _REDO.search(question) or parse(question).companies:
        return None
    plan = Plan(calls=[Call("capex", {**c.args, "method": method}) for c in capex])
    plan.notes.append(f"The previous forecast, redone with the {method} method.")
    return plan


def _is_bare(question: str) -> bool:
    """A value or a short clause ('$35k', 'assume h200 at $35k per GPU', 'llama 70b'), not a question of its own."""
    return len(question.split()) <= 12 and not _OWN_QUESTION.match(question)


def _resume(question: str, turn: Turn) -> Plan | None:
    """The question the previous answer was asking about, planned again with this line added."""
    asked: Earlier = turn.earlier[-1]
    before = turn.earlier[:-1]
    price = _BARE_MONEY.fullmatch(question)
    if price and re.search(r"\bprice\b", asked.reply, re.I):
        question = f"at ${price.group(1)}{price.group(2) or ''} per GPU"  # "$60k" answers "give a price"
    prior = next((e.calls for e in reversed(before) if e.calls), [])
    prior_question = before[-1].question if before else ""
    combined = f"{asked.question.rstrip(' ?.')}; {question.strip()}"
    plan = make_plan(combined, prior, prior_question)
    if not plan.calls:
        return None
    plan.notes.insert(0, f"Resumed the previous question ('{asked.question}') with what this line adds.")
    uncarry(plan, combined, prior)
    return _distinct(plan)


def _restated(question: str, turn: Turn) -> Plan | None:
    """'what about on an 8 TB/s chip?' after an answer computed from the question's own numbers (a ``calculate``,
    no calculator call to rerun): the previous question planned again with the change written in
    (:mod:`agent.offline.restate`)."""
    last = turn.earlier[-1] if turn.earlier else None
    if last is None or not any(c.name == "calculate" for c in last.calls):
        return None
    if any(c.name in CALCULATORS for c in last.calls) or _acts_on_last(last.question):
        return None
    if not (FOLLOW_UP_OPENER.match(question) or len(question.split()) <= 8):
        return None
    found = restated(last.question, question)
    if found is None:
        return None
    text, changed = found
    plan = make_plan(text)
    if not plan.calls or plan.reply is not None or unused_inputs(question, plan.calls, ""):
        return None  # "and at 8c/kWh?" after a decode ceiling: nothing there takes a power price
    plan.notes.insert(
        0, f"Follow-up: the previous question again, with {'; '.join(changed)} and every other input as before."
    )
    return _distinct(plan)


def _chips(call: Call) -> list[str]:
    chip = call.args.get("chip")
    return [c for c in (chip if isinstance(chip, list) else [chip]) if isinstance(c, str)]


def _catalog_name(chip: str) -> str | None:
    try:
        return find_accelerator(chip).name
    except InputError:
        return None


def _add(question: str, turn: Turn) -> Plan | None:
    """'and B200 at $40k?' after a comparison: the comparison's calls, and one more for the new chip."""
    if not _ADD.match(question):
        return None
    p = parse(question)
    new = [m.name for m in p.chips if m.name]
    calls = [c for c in base_calls(turn.prior) if c.name in CALCULATORS and _chips(c)]
    compared = {_catalog_name(ch) for c in calls for ch in _chips(c)} - {None}
    if not new or len(compared) < 2 or p.models or len({c.name for c in calls}) != 1:
        return None
    tool = calls[0].name
    plan = Plan(calls=[Call(c.name, dict(c.args)) for c in calls])
    for chip in new:
        if chip in compared:
            continue
        args = {k: v for k, v in calls[0].args.items() if k not in CHIP_SPECIFIC}
        args.update(calculator_args(tool, p, plan.notes))
        args["chip"] = [chip_arg(chip)] if tool == "tco" else chip_arg(chip)
        if tool == "tco" and "capex_per_accelerator" not in args and _price(chip) is None:
            plan.reply = (
                f"The catalog has no price for {short_chip(chip)}, and I won't guess one. Add it with a price, "
                f"e.g. 'and {short_chip(chip).lower()} at $Nk'."
            )
            plan.calls = []
            return plan
        plan.calls.append(Call(tool, args))
    plan.notes.append(
        f"Added to the comparison: {', '.join(short_chip(c) for c in new)}; the other rows are as before."
    )
    return plan


def _price(chip: str) -> float | None:
    try:
        return find_accelerator(chip).est_price_usd
    except (InputError, AttributeError):
        return None


def _notes_search(question: str) -> Plan:
    """'what does my channel check say about CoWoS?': the topic, over the transcript and the ingested notes."""
    topic = " ".join(_NOTE_WORDS.sub(" ", question).split()).strip(" ,.?!")
    kind = _MY_NOTES.search(question).group(0)
    words = " ".join(
        w for w in re.findall(r"[a-z\-]+", kind.lower()) if w not in ("my", "our", "own", "the", "i", "we")
    )
    query = f"{topic} {words}".strip() if topic else words
    plan = Plan(calls=[Call("search_knowledge", {"query": query, "source": "transcript"})])
    plan.notes.append(f"'{kind}' read as your ingested notes: they are searched with the transcript.")
    return plan


def uncarry(plan: Plan, question: str, prior: list[Call]) -> None:
    """Drop a price, kW or rental price carried from one chip to another; say so, or ask for the new chip's price."""
    stated = set(calculator_args("tco", parse(question), []))
    given = {
        (c.name, k): (v, tuple(_catalog_name(ch) for ch in _chips(c)))
        for c in prior
        for k, v in c.args.items()
        if k in CHIP_SPECIFIC
    }
    for call in plan.calls:
        chips = tuple(_catalog_name(ch) for ch in _chips(call))
        for key in CHIP_SPECIFIC:
            old = given.get((call.name, key))
            if key in stated or old is None or call.args.get(key) != old[0] or not chips or chips == old[1]:
                continue
            del call.args[key]
            what = {"capex_per_accelerator": "price", "power_kw": "power draw", "rental_price": "rental price"}[key]
            before = ", ".join(short_chip(c) for c in old[1] if c) or "the previous chip"
            now = ", ".join(short_chip(c) for c in chips if c)
            if key == "capex_per_accelerator" and any(c and _price(c) is None for c in chips):
                plan.calls, plan.reply = (
                    [],
                    (
                        f"The {what} you gave was for {before}; I won't carry it to {now}, "
                        f"and the catalog has no price for {now}. "
                        f"Give one, e.g. '{now.lower()} at $Nk', or just the amount."
                    ),
                )
                return
            plan.notes.append(f"The {what} you gave for {before} is not carried to {now}: the catalog's value is used.")


def finish(kind: str | None, text: str, done: list[tuple[Call, Any]]) -> str:
    """The composed answer, with a table of the figures after its lead when the follow-up asked for one."""
    if kind != "table":
        return text
    from agent.answer import ToolCallRecord
    from agent.offline.writers.content import load
    from agent.render.scenarios import TABLE_FIELDS, comparisons, markdown_table, scenarios, table_rows

    records = [ToolCallRecord(name=c.name, args=c.args, result=load(content)) for c, content in done]
    items = scenarios(records)
    groups = comparisons(items)
    if groups:
        _, group, fields = groups[0]
        table = markdown_table(*table_rows(group, fields))
    elif items:
        from agent.render.figures import figure

        s = items[0]
        rows = [
            [f, figure(f, s.outputs.get(f, s.inputs.get(f)))]
            for f in TABLE_FIELDS.get(s.tool, ())
            if s.outputs.get(f, s.inputs.get(f)) is not None
        ]
        table = markdown_table(["figure", s.label], rows)
    else:
        return text
    head, _, rest = text.partition("\n\n")
    return f"{head}\n\n{table}\n\n{rest}".rstrip()
