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
from dataclasses import dataclass, field
from typing import Any

from agent.offline.capex_compare import extension_year, sum_years
from agent.offline.entities import Mention, family
from agent.offline.intents import INTENT_TOOL, detect
from agent.offline.numbers import percent
from agent.offline.own_costs import missing_price_and_chip
from agent.offline.parse import Parsed, parse
from tools.catalog import _normalise, accelerators, find_accelerator, find_model, models
from tools.errors import InputError

CALCULATORS = ("kv_cache", "memory_fit", "throughput", "tco", "buildout", "capex", "serving_cost", "growth")
#: Chip assumed for a cost or build-out question that names none (always said in the answer):
#: the catalog's priced NVIDIA chip with a sourced all-in kW (accelerators.csv est_price_usd
#: $33,600 from SemiAnalysis via Epoch; all-in 1.37 kW from SemiAnalysis InferenceX GPU_SPECS).
DEFAULT_CHIP = "NVIDIA H100 SXM5 80GB"
#: Serving shape for an illustrative $/Mtok when the question gives no model or tokens/s
#: (always labelled "Illustration"): a common open model on one 8-GPU server at batch 64,
#: the tco calculator's own gpus/batch defaults (tools/tco.py TCOInput).
ILLUSTRATION_MODEL = "Llama-3.1-70B"
TOKEN_ARGS = ("context", "prompt", "output")
#: "capex per MW" with no size: a build-out of one MW of utility power (0.001 GW), so its totals are per MW.
PER_MW_GW = 0.001
_MAX_CALLS = 6


@dataclass
class Call:
    """One tool call: the tool's name and the arguments the question (or the turn before) gave."""

    name: str
    args: dict[str, Any]


@dataclass
class Plan:
    """Tool calls to make, readings to state, or (without calls) a reply asking for more."""

    calls: list[Call] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reply: str | None = None
    focus: list[str] = field(default_factory=list)  # what was asked, in order: see asked_quantities()
    year: int | None = None  # the capex year asked about ("next year" -> today's year + 1)
    spec: tuple[list[str], str | None] | None = None  # (catalog chips, attribute) for a datasheet question
    volume: int | None = None  # "how long to generate 1M tokens": the tokens to produce
    labels: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # calculate expression -> (what, unit, basis) for its lead
    compare_years: list[int] = field(
        default_factory=list
    )  # "amazon capex 2025 vs 2024": the two years, in the order written
    pending: list[Call] = field(
        default_factory=list
    )  # calls (in ``calls``) made only once the fit of that deployment holds
    guards: list[Call] = field(default_factory=list)  # fits planned only to check a speed's deployment
    value_unit: str | None = None  # the unit of a growth series' values, as the question wrote its base ("usd", "W")
    sum_years: list[int] = field(default_factory=list)  # "sum of amazon capex 2021-2024": the capex years to add
    extend_year: int | None = None  # "CAGR FY23 -> FY25, and FY26 at that rate": the year to extrapolate to

    def first_round(self) -> list[Call]:
        """The calls to make now: all but the pending ones."""
        return [c for c in self.calls if not any(c is p for p in self.pending)]


#: Quantities a cost / build-out / capex question asks for, in the words analysts use. The answer
#: leads with these, in the order written, before the rest of the result.
_FOCUS = (
    (
        "power_year",
        r"power bill|electric(?:ity)? (?:bill|cost)|power (?:cost|spend)|energy (?:bill|cost)|cost of (?:power|electricity)",
    ),
    (
        "per_mtok",
        r"per (?:1\s*m|one million|a million|million|m) (?:(?:output|input|generated) )?tok|/\s*m\s*tok|\bmtok\b|"
        r"per (?:output |input )?token|\$/m\b|per million",
    ),
    ("per_mw", r"per mw\b|/\s*mw\b|per megawatt"),
    ("time_for_tokens", r"how long\b"),
    ("per_hour", r"per (?:gpu[- ]?)?(?:hour|hr)\b|/\s*(?:gpu[- ]?)?h(?:ou)?r\b|hourly|an hour|a gpu[- ]hour"),
    ("per_year", r"\bannual|per year|a year|yearly|/\s*yr\b|each year|per annum"),
    (
        "break_even",
        r"break[- ]?even|rent(?:ing|al)? (?:vs|or|versus)|(?:vs\.?|or|versus) rent|\bmargins?\b|make money|"
        r"\bprofit(?:able|ability)?\b|pay ?back|\bworth (?:it|renting|buying)",
    ),
    ("per_dollar", r"tokens? per (?:dollar|\$)|tok(?:en)?s?/\$"),
    ("power_draw", r"how much power|power draw|\bdraws?\b|how many (?:mw|megawatts|kw|kilowatts)"),
    (
        "capex",
        r"\bcapex\b|cost of (?:a|an|the)\b.{0,30}\b(?:cluster|fleet|campus|data ?cent(?:er|re)|build)|up[- ]?front|to buy|"
        r"purchase|how much (?:would|will|does|do) .{0,30}cost\b(?!.{0,20}(?:per|to run|/))|build cost|what would .{0,30}cost",
    ),
    ("count", r"how many (?:chips|gpus|accelerators)"),
    ("ttft", r"\bttft\b|time to first|first[- ]token"),
    (
        "token_latency",
        r"(?:latency|time|ms) per (?:output )?token|inter[- ]token|\btpot\b|\bitl\b|per[- ]token latency",
    ),
    (
        "min_accelerators",
        r"how many (?:[\w\-]+ ){0,2}(?:do (?:i|we|you) need|are needed|needed|would (?:i|we|it) need|does it take)|"
        r"how much (?:vram|memory|gpu memory|hbm) (?:does|do|would|will)\b.{0,40}\bneed|"
        r"how much (?:vram|memory|gpu memory|hbm) (?:for|to run|to serve|to host|is needed|needed|do (?:i|we|you) need|would (?:i|we|it) need)|"
        r"\bmin(?:imum)? (?:number of |no\.? of |# ?of )?(?:gpus|accelerators|chips|cards|\w+s)\b|smallest (?:setup|number|config)|fewest",
    ),
)


def asked_quantities(text: str) -> list[str]:
    """The quantities asked for, ordered by where the question names them ("per hour and per Mtok")."""
    hits = []
    for name, pattern in _FOCUS:
        m = re.search(pattern, text)
        if m:
            hits.append((m.start(), name))
    names = [n for _, n in sorted(hits)]
    if "power_year" in names and "per_year" in names:
        names.remove("per_year")  # "annual power bill": the power part of the year
    return names


def tool_fields(name: str) -> set[str]:
    """Argument names ``name`` accepts (its registry input model's fields)."""
    from agent.toolset import get

    try:
        return set(get(name).input_model.model_fields)
    except ValueError:
        return set()


def _default(tool: str, field_name: str) -> Any:
    """A calculator's own default for one field (the planner never makes one up)."""
    from agent.toolset import get

    return get(tool).input_model.model_fields[field_name].default


# --- catalog names -------------------------------------------------------------------------


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


# --- arguments per tool ----------------------------------------------------------------------


def token_args(tool: str, p: Parsed, notes: list[str]) -> dict[str, int]:
    """``context`` (kv_cache) or ``prompt``/``output`` from what the question says (module rules)."""
    if p.reasoning is None and p.prompt is None and p.output is None and p.total is None:
        return {}
    fields = tool_fields(tool)
    default_prompt = _default("memory_fit", "prompt")
    default_output = _default("memory_fit", "output")
    prompt = p.prompt
    if p.total is not None and prompt is None and (p.reasoning is not None or p.output is not None):
        prompt = p.total  # "8k context plus 10k reasoning": the context is the prompt
    elif p.total is not None and prompt is None:
        if "context" in fields:
            return {"context": p.total}
        if "prompt" not in fields:
            return {}
        prompt = min(default_prompt, p.total)
        output = p.total - prompt
        notes.append(
            f"{p.total:,} tokens per request read as prompt + output: the default {prompt:,}-token prompt "
            f"and {output:,} generated tokens (only the total was given)."
        )
        return {"prompt": prompt, "output": output}
    output = p.output
    if p.reasoning is not None:
        answer = p.output if p.output is not None else default_output
        output = p.reasoning + answer
        how = "the stated answer" if p.output is not None else "the default answer length"
        notes.append(
            f"Reasoning tokens are generated, so they count as output: {p.reasoning:,} reasoning + {answer:,} ({how})."
        )
    args: dict[str, int] = {}
    if "prompt" in fields:
        if prompt is None and tool == "kv_cache":
            prompt = default_prompt
            notes.append(f"No prompt length given: the calculators' default prompt of {prompt:,} tokens.")
        if prompt is not None:
            args["prompt"] = prompt
        if output is not None:
            args["output"] = output
    return args


def calculator_args(tool: str, p: Parsed, notes: list[str]) -> dict[str, Any]:  # noqa: C901 - over budget, to be split
    """The arguments the question states for calculator ``tool`` (catalog names excluded)."""
    fields = tool_fields(tool)
    a: dict[str, Any] = {}
    if p.count is not None:
        if tool in ("memory_fit", "throughput"):
            a["gpus"] = p.count
        elif tool == "tco":
            a["count"] = p.count
            if p.models and p.count <= 72:
                a["gpus"] = p.count
    if tool == "kv_cache":
        if p.kv_dtype or p.weights_dtype:
            a["kv_dtype"] = p.kv_dtype or p.weights_dtype
        if p.tp is not None:
            a["tp"] = p.tp
    else:
        if p.weights_dtype:
            a["weights_dtype"] = p.weights_dtype
        if p.kv_dtype:
            a["kv_dtype"] = p.kv_dtype
    if p.batch is not None:
        a["batch"] = p.batch
    a.update(token_args(tool, p, notes))
    if p.roofline:
        a["mem_eff"] = 1.0
        a["compute_eff"] = 1.0
    for name in (
        "mem_eff",
        "compute_eff",
        "electricity",
        "rental_price",
        "capex_per_accelerator",
        "years",
        "cost_of_capital",
        "utilization",
        "pue",
        "power_kw",
        "facility_capex_per_mw",
        "networking_fraction",
        "maintenance",
        "tokens_per_s",
        "colo",
    ):
        value = getattr(p, name)
        if value is not None:
            a[name] = value
    if (
        tool == "memory_fit"
        and p.utilization is not None
        and re.search(r"(?:memory|mem|hbm|vram|gpu)[ _]?(?:util|utili[sz]ation)|utili[sz]ation", p.text)
    ):
        a["gpu_mem_util"] = (
            p.utilization
        )  # in a fit question, "at 95% utilization" is the share of HBM the server may use
        notes.append(
            "In a fit question the utilization is read as the share of accelerator memory the server may use (gpu_mem_util)."
        )
    if tool == "buildout":
        if p.gw is not None:
            a["gw"] = p.gw
        elif p.mw is not None:
            a["gw"] = p.mw / 1000
            notes.append(f"{p.mw:g} MW = {p.mw / 1000:g} GW.")
    if tool == "capex":
        a.update(capex_args(p))
    return {k: v for k, v in a.items() if k in fields}


def capex_args(p: Parsed) -> dict[str, Any]:
    """Company list, method and horizon for the capex tool from the question's words."""
    a: dict[str, Any] = {}
    if p.companies:
        a["company"] = list(p.companies)
    text = p.text
    if len(p.growth) == 3 and re.search(r"scenarios|bear|bull|low.{0,20}high", text):
        low, base, high = sorted(p.growth)
        a.update(growth=[base], low=low, high=high, method="scenario")  # "20%, 30%, 40% scenarios": low, base, high
    elif p.growth:
        a["growth"] = list(p.growth)  # one rate, or one per year (the last repeats)
        a["method"] = "scenario"
    elif re.search(r"\bguid(?:ance|ed|e|es|ing)\b", text):
        a["method"] = "guidance"
    elif re.search(r"\blinear\b|trend ?line|straight line", text):
        a["method"] = "linear"
    elif re.search(r"\bcagr\b|compound", text):
        a["method"] = "cagr"
    import datetime

    if p.through is not None and p.through >= datetime.date.today().year:
        a["through"] = p.through  # a past year ("FY24") is in the history the default horizon covers
    ai_share = percent(
        [
            r"{N}\s*%\s*(?:of (?:it|capex|that|spend) )?(?:on|for|to|is|goes to) (?:ai|accelerators|gpus)",
            r"ai share\s*(?:of|=|:|at)?\s*{N}\s*%",
        ],
        text,
    )
    if ai_share is not None:
        a["ai_share"] = ai_share
    if re.search(r"back ?test", text) and p.since is not None:
        a["backtest_from"] = p.since
    if re.search(r"incl(?:uding|\.)? (?:finance )?leases|with leases", text):
        a["include_leases"] = True
    return a


# --- the plan ------------------------------------------------------------------------------


def _context(prior: list[Call]) -> dict[str, Any]:
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


def clauses(question: str) -> list[str]:
    """The parts of a several-part question: split at '?', ';' and 'and what/how/where...'."""
    parts = re.split(
        r"\?|;|,? (?:and|also|plus|then) (?=what|what's|how|where|when|who|why|is|does|did|can|could)\b", question
    )
    return [c.strip() for c in parts if c and c.strip()]


def _asked_speaker(question: str) -> str | None:
    """'guest', 'host' or the name of the speaker a question asks about ("what did Brad ask"), else None."""
    from knowledge.speakers import bundled_cast, query_speaker

    found = query_speaker(question, bundled_cast())
    return (found[1] or found[0]) if found else None


def _search_query(question: str, prior: list[Call], prior_question: str) -> str:
    """The part of the question about what was said ('where did he say it' reuses the last query)."""
    parts = clauses(question)
    said = [c for c in parts if "search" in detect(c.lower())] or parts or [question]
    query = _SAID.sub(" ", " ".join(said)).replace('"', " ").replace("“", " ").replace("”", " ")
    query = re.sub(r"(?<![a-z0-9])'s\b|(?<=\s)'|'(?=\s)", " ", query)
    query = " ".join(query.split()).strip(" ,.?!") or question
    content = [w for w in re.findall(r"[a-z0-9$]+", query.lower()) if w not in _STOP]
    if not content:  # "where did he say that?": the last topic; "what did he say about HBM?" searches HBM
        earlier = [c.args.get("query") for c in prior if c.name == "search_knowledge" and c.args.get("query")]
        if earlier:
            return earlier[0]
        if prior_question:
            return " ".join(_SAID.sub(" ", prior_question).split()).strip(" ,.?!")
    return query


_SPEC_NOISE = re.compile(
    r"\b(?:how|much|many|does|do|an?|the|have|has|what'?s?|is|of|on|for|tell me|pls|please)\b|'s\b|\?", re.I
)
#: Words that say "search the transcript" but are not what to search for.
_SAID = re.compile(
    r"\b(?:(?:at )?(?:what|which) (?:chapter|part|section|segment|time|minute|timestamp)|what|where|"
    r"when|how|did|does|do|was|is|the|guest|dylan(?:'s)?|patel|he|they|bill|brad|gurley|gerstner|"
    r"say|said|says|ask(?:s|ed)?|mention(?:ed)?|talk(?:ed)?|think|thinks|claim(?:ed)?|argue[sd]?|about|on|in|podcast|pod|episode|"
    r"interview|transcript|bg2|according to|(?:his|their|the) (?:take|view|opinion|point)|view|take|quote|anything|something|there|"
    r"why|call(?:s|ed)?|mean(?:s|t)?|by|believe[sd]?|guests?|what'?s|think(?:s|ing)?|and|their|his|do|"
    r"wat|wht|thnk|thnks|abt|bout|sed|sayd|who|chapter|timestamp|at what point|discuss(?:ed|es|ing|ion)?|talks?|tell me|explain)\b",
    re.I,
)
_STOP = set(
    "what did does do he she they dylan patel say said says where when how about the a an it that this is was of on in to "
    "and or for with his their podcast pod episode transcript mention mentioned talk talked think thinks".split()
)
_CLAIM_PREFIX = re.compile(
    r"^\s*(?:is it (?:really )?true|fact[- ]?check:?|check (?:the |this |his )?claim:?|was (?:he|dylan) right|"
    r"is (?:he|dylan) right|does (?:the|his|this) claim hold|verify|(?:can you )?(?:check|confirm)(?: whether| if)?)"
    r"\s*(?:the claim|his claim|this claim)?\s*(?:that|about|when he said|saying)?\s*",
    re.I,
)


#: Datasheet attributes as analysts ask for them -> a label the spec-row text uses (see compose).
SPEC_ATTRIBUTES = (
    ("interconnect", r"interconnect|nvlink|scale[- ]?up|infinity fabric"),
    ("memory bandwidth", r"bandwidth|\bbw\b|tb/s|gb/s(?! per chip)"),
    ("fp4 tflops", r"\bfp4\b.{0,20}(?:flops|tops|compute|perf)|(?:flops|tops|compute).{0,20}\bfp4\b"),
    ("fp8 tflops", r"\bfp8\b.{0,20}(?:flops|tops|compute|perf)|(?:flops|tops|compute).{0,20}\bfp8\b"),
    (
        "bf16 tflops",
        r"(?:bf16|fp16)\b.{0,20}(?:flops|compute|perf)|(?:flops|compute).{0,20}(?:bf16|fp16)|\bt?flops\b|compute",
    ),
    ("memory", r"\bhbm|\bmemory\b|\bvram\b|capacity"),
    ("power", r"\btdp\b|\bwatts?\b|\bpower\b"),
    ("price", r"\bprice\b|\bcost\b"),
)


#: "which chip has the most HBM / highest bandwidth / lowest TDP": a ranking over the catalog rows.
_SUPERLATIVE = r"\b(most|highest|largest|biggest|fastest|best|lowest|least|smallest|fewest)\b"
#: Each datasheet attribute as the ``chip_specs`` sort field that ranks it.
SPEC_SORT = {
    "interconnect": "interconnect",
    "memory bandwidth": "bandwidth",
    "fp4 tflops": "fp4",
    "fp8 tflops": "fp8",
    "bf16 tflops": "bf16",
    "memory": "memory",
    "power": "power",
    "price": "price",
}


def spec_attribute(text: str) -> str | None:
    """The datasheet attribute a spec question asks for ("h200 memory bandwidth" -> "memory bandwidth")."""
    for label, pattern in SPEC_ATTRIBUTES:
        if re.search(pattern, text):
            return label
    return None


def _is_follow_up(question: str, p: Parsed, intents: list[str], prior: list[Call]) -> bool:
    if not any(c.name in CALCULATORS for c in prior):
        return False
    if (
        p.relative
        and _scales_anything(prior, p)
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
        )
    changed = bool(p.models or p.chips or p.unknown_models or p.unknown_chips or p.stated())
    return changed and bool(
        re.match(
            r"\s*(?:and|what about|how about|same|ok|now|then|at|with|on|for|but|what if|if|try)\b", question, re.I
        )
        or len(question.split()) <= 8
    )


def make_plan(question: str, prior: list[Call] | None = None, prior_question: str = "") -> Plan:
    """The tool calls for ``question``, given the previous turn's calls and question (for follow-ups).

    A plan whose calculator calls leave a stated quantity unused (:mod:`agent.input_accounting`)
    is not run: it would answer a different question. The reply names what could not be used
    and what the calculators take instead.
    """
    from agent.input_accounting import stated_quantities
    from agent.offline.own_costs import split_own_costs
    from agent.offline.whatif import DISTINCT, refill, route

    plan = _make_plan(question, prior or [], prior_question)
    quantities = stated_quantities(question)
    for call in plan.calls:
        call.args = refill(call.name, call.args, question, quantities)
    quoted = any(c.name in ("search_knowledge", "check_claim") for c in plan.calls)
    routed = route(question, quantities, {}, DISTINCT, strict=True) if quantities and not quoted else None
    if routed is None and quantities and (plan.reply is not None or _unaccounted(question, plan)):
        routed = route(question, quantities, _route_names(question))
    if quoted and routed is None:
        _compute_beside_quote(question, quantities, plan)
    if routed is not None:
        plan = Plan(calls=[Call(*routed)], focus=asked_quantities(parse(question).text))
        plan.value_unit = next((q.unit for q in quantities if q.unit in ("usd", "W")), None)
    _power_only_plan(plan)
    plan.calls, own_note = split_own_costs(question, plan.calls, Call)
    if own_note:
        plan.notes.append(own_note)
    return _speed_behind_fit(_accounted(question, plan))


def _compute_beside_quote(question: str, quantities: list[Any], plan: Plan) -> None:
    """A quote asked with a computation on stated numbers: the computing tool beside the search (:mod:`agent.offline.quote_compute`)."""
    from agent.offline.quote_compute import computation

    routed, assumed = computation(question, quantities, _route_names(question), chip_arg(DEFAULT_CHIP))
    if routed is None:
        return
    plan.calls.append(Call(*routed))
    plan.focus = plan.focus or asked_quantities(parse(question).text)
    if assumed:
        plan.notes.insert(0, f"No chip named: assumed {DEFAULT_CHIP} (its catalog power draw); name one to change it.")


def _power_only_plan(plan: Plan) -> None:
    """A power-cost question with a stated power and no price: the bill by ``calculate`` (:mod:`agent.offline.power_cost`)."""
    from agent.offline.power_cost import power_cost_calls, power_only

    tco = [c for c in plan.calls if c.name == "tco"]
    if len(tco) != 1 or not power_only(tco[0], plan.focus):
        return
    calls, labels, note = power_cost_calls(tco[0].args, lambda f: _default("tco", f), Call)
    plan.calls = [c for c in plan.calls if c is not tco[0]] + calls
    plan.labels.update(labels)
    plan.notes = [n for n in plan.notes if not n.startswith("No chip named")] + [note]  # no chip is priced here


#: The deployment a speed and a fit describe: the same arguments mean the same servers and requests.
DEPLOYMENT = ("model", "chip", "gpus", "weights_dtype", "kv_dtype", "prompt", "output", "batch")


def fit_for_speed(args: dict[str, Any]) -> dict[str, Any]:
    """The memory_fit arguments for the deployment a throughput call describes (its default accelerator count)."""
    fit = {k: args[k] for k in DEPLOYMENT if k in args}
    fit.setdefault("gpus", _default("throughput", "gpus"))
    return fit


def _speed_behind_fit(plan: Plan) -> Plan:
    """A decode speed is only given for a deployment that fits: each throughput call waits for the fit of
    its deployment (planned beside it), and is made by the next round only when the fit holds
    (:func:`agent.offline.rounds.more_calls`)."""
    calls: list[Call] = []
    for call in plan.calls:
        calls.append(call)
        if call.name != "throughput" or not (call.args.get("model") and call.args.get("chip")):
            continue
        fit = fit_for_speed(call.args)
        if not any(c.name == "memory_fit" and fit_for_speed(c.args) == fit for c in plan.calls + calls):
            calls.append(Call("memory_fit", fit))
            plan.guards.append(calls[-1])
        plan.pending.append(call)
    plan.calls = calls
    return plan


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


def _unaccounted(question: str, plan: Plan) -> list[str]:
    from agent.input_accounting import unused_inputs

    readings = {
        "year": plan.year,
        "years": plan.compare_years,
        "sum_years": plan.sum_years,
        "extend": plan.extend_year,
        "volume": plan.volume,
    }  # used by the answer writer
    return unused_inputs(question, [*plan.calls, readings], " ".join(plan.notes), _dry_run(plan.calls))


def _accounted(question: str, plan: Plan) -> Plan:
    if not any(c.name in CALCULATORS for c in plan.calls):
        return plan
    unused = _unaccounted(question, plan)
    if not unused:
        return plan
    tools = list(dict.fromkeys(c.name for c in plan.calls if c.name in CALCULATORS))
    takes = "; ".join(f"{t} takes {', '.join(sorted(tool_fields(t)))}" for t in tools)
    plan.reply = (
        f"I could not use {'; '.join(unused)} from the question: none of the calculations I would run ({', '.join(tools)}) "
        f"takes {'it' if len(unused) == 1 else 'them'} as written, and an answer without {'it' if len(unused) == 1 else 'them'} "
        f"would answer a different question, so I give no figure. Ask again naming what each number is ({takes})."
    )
    plan.calls = []
    return plan


def _dry_run(calls: list[Call]) -> list[Any]:
    """The calculators' results for ``calls`` (pure and fast), to see which stated figures they agree with."""
    from tools.registry import get

    out = []
    for call in calls:
        if call.name not in CALCULATORS:
            continue
        try:
            out.append(get(call.name).run(call.args).model_dump())
        except (InputError, ValueError):
            continue
    return out


def _make_plan(question: str, prior: list[Call], prior_question: str) -> Plan:  # noqa: C901 - over budget, to be split
    p = parse(question)
    intents = detect(
        p.text, has_expression=p.expression is not None, has_companies=bool(p.companies), has_chip=bool(p.chips)
    )
    if p.tokens_per_s is not None and "speed" in intents and len(intents) > 1:
        intents.remove("speed")  # "at 1,000 tok/s" states the speed; it does not ask for it
    if p.expression and re.search(r"[()]|[-+*/].*[-+*/]", p.expression) and "calc" not in intents:
        intents = [i for i in intents if i in ("search", "claim")] + ["calc"]  # a written formula: evaluate it
    if "search" in intents:
        # "what did he say about the 2 GW campus": the numbers belong to the search, not to a
        # calculator, unless another part of the question asks for one.
        rest = [c for c in clauses(p.text) if "search" not in detect(c)]
        asked = {
            i for c in rest for i in detect(c, has_expression=p.expression is not None, has_companies=bool(p.companies))
        }
        if "cost" in asked and (p.gw is not None or p.mw is not None):
            asked = (asked - {"cost"}) | {"buildout"}  # "the 2 GW campus ... and what would it cost?": that campus
        intents = [i for i in intents if i in ("search", "claim")] + [
            i for i in INTENT_TOOL if i in asked and i not in ("search", "claim")
        ]
    plan = Plan(focus=asked_quantities(p.text), year=p.year, volume=p.token_volume)
    if p.rental_price is not None and "cost" in intents:
        # a rental price is given to be compared with owning: that comparison leads ("$2/hr" states the price,
        # it does not ask for the cost per hour)
        plan.focus = ["break_even"] + [f for f in plan.focus if f != "break_even"]
    ctx = _context(prior)
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
    if p.expression and _target_unit(p.text) and re.search(r"[-+*/]", p.expression) and "calc" not in intents:
        intents = [i for i in intents if i in ("search", "claim")] + [
            "calc"
        ]  # "1M tokens / 2,000 tok/s in hours": arithmetic in a unit
    if "capex" in intents:
        plan.compare_years = _years(p.text)[:2] if len(_years(p.text)) >= 2 else []
        plan.year = plan.compare_years[0] if plan.compare_years else plan.year
        plan.sum_years = sum_years(p.text, _years(p.text))
        plan.compare_years = [] if plan.sum_years else plan.compare_years
        plan.extend_year = extension_year(p.text, _years(p.text))
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
        intents = ["buildout"]  # "capex per MW" with no size: a 1 MW build-out (see _calculator_calls)
    if "per_mw" in plan.focus and "cost" in intents and "speed" in intents:
        intents.remove("speed")  # "tokens per second per MW" is the cost tool's tokens_per_s_per_mw
    if "time_for_tokens" in plan.focus and p.token_volume and "speed" not in intents:
        intents.append("speed")
    if "chip" not in ctx and prior_question and not p.chips:
        # "what did dylan say about trainium" then "and what does it cost per hour?": the chip named before
        named = [m.name for m in parse(prior_question).chips if m.name]
        if len(named) == 1:
            ctx["chip"] = named[0]
    needs_model = [i for i in intents if i in ("kv", "fit", "speed")]
    if needs_model and len(needs_model) < len(intents) and not (p.models or p.unknown_models or ctx.get("model")):
        # "how many trainium2 fit in 500 MW": no model anywhere, so 'fit' is not a memory-fit question
        intents = [i for i in intents if i not in needs_model]

    if not intents and (p.models or p.unknown_models) and (p.chips or p.unknown_chips):
        intents = ["fit"]  # "llama 70b int4 on a single rtx 4090?": does it fit
    if intents == ["capex"] and not p.companies and (p.chips or p.count):
        intents = ["cost"]  # "capex for 100,000 h100s": a fleet's capex, not a company's
    if intents == ["spec"] and p.models and not (p.chips or p.unknown_chips):
        intents = ["fit"]  # "how much HBM does 405b need at fp8 for 64 users": the model's memory, not a datasheet
    if intents == ["spec"] and (p.count or 0) > 1:
        intents = ["cost"]  # "how much power does a 100k h100 cluster draw": a fleet, so the cost tool's all-in kW
    if intents == ["cost"] and not (
        p.chips or p.models or p.unknown_chips or p.unknown_models or p.stated() or plan.focus
    ):
        intents = ["search"]  # "how does inference cost scale with reasoning?": nothing to compute, so what was said
    if _is_follow_up(question, p, intents, prior):
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
        if (
            p.relative
            and not _scales_anything(prior, p)
            and not (set(p.stated()) - {"relative"} or p.models or p.chips)
        ):
            tools = ", ".join(sorted({c.name for c in prior if c.name in CALCULATORS}))
            plan.reply = (
                f"The previous calculation ({tools}) has nothing that '{' and '.join(p.relative_words.values())}' changes, "
                "so I did not rerun it. Say which input to change, e.g. 'with <N> GPUs' or 'at <N>k context'."
            )
            return plan
        return _follow_up(p, prior, ctx, plan)
    if not intents:
        plan.reply = _not_understood(p)
        return plan

    left_out: list[str] = []
    for intent in intents:
        tool = INTENT_TOOL[intent]
        if tool == "check_claim":
            plan.calls.append(Call(tool, {"claim": _CLAIM_PREFIX.sub("", question).strip() or question}))
        elif tool == "search_knowledge":
            if any(c.name == tool for c in plan.calls):
                continue
            source = (
                "specs" if intent == "spec" else ("all" if re.search(r"spec|data ?sheet", p.text) else "transcript")
            )
            query = _search_query(question, prior, prior_question)
            args: dict[str, Any] = {"query": query, "source": source}
            if source == "transcript" and (who := _asked_speaker(question)):
                args["speaker"] = who  # "what did Dylan say" prefers the guest's turns, "what did Brad ask" the hosts'
            if intent == "spec":
                query = " ".join(_SPEC_NOISE.sub(" ", query).split()) or query
                chips = [m.name for m in p.chips if m.name]
                attribute = spec_attribute(p.text)
                if chips:
                    # the catalog names first, so the rows of the chips asked about rank high; more
                    # rows than shown, so the answer can pick those rows (see compose.spec_section)
                    query = f"{' '.join(chips)} {attribute or query}"
                    plan.spec = (chips, attribute)
                elif attribute and (rank := re.search(_SUPERLATIVE, p.text)):
                    # "which chip has the most HBM": every catalog row ranked by the typed catalog, not prose
                    least = rank.group(1) in ("lowest", "least", "smallest", "fewest")
                    plan.calls.append(
                        Call("chip_specs", {"sort": SPEC_SORT[attribute], "ascending": least, "limit": 5})
                    )
                    continue
                args = {"query": query, "source": source, "k": 20 if len(chips) > 8 else 8 if chips else 5}
            plan.calls.append(Call(tool, args))
        elif tool == "calculate":
            plan.calls.append(Call(tool, {"expression": _converted(p.expression, p.text, plan)}))
        else:
            reply = _calculator_calls(tool, p, ctx, plan, only_if_named="search" in intents)
            if reply and len(intents) == 1:
                return Plan(reply=reply)
            if reply:  # one part of a several-part question cannot be computed: answer the rest, say what was left out
                left_out.append(reply)
    if not plan.calls and left_out:
        return Plan(reply=" ".join(dict.fromkeys(left_out)))
    plan.notes[:0] = ["Left out: " + r for r in dict.fromkeys(left_out)]
    if not plan.calls:
        plan.reply = _not_understood(p)
    plan.calls = plan.calls[:_MAX_CALLS]
    return plan


#: Seconds in each time unit an arithmetic answer may be asked in ("... in hours").
_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "weeks": 604800}
_UNIT_WORDS = {
    "seconds": r"s(?:ec(?:ond)?s?)?",
    "minutes": r"min(?:ute)?s?",
    "hours": r"h(?:ou)?rs?|h",
    "days": r"days?",
    "weeks": r"w(?:ee)?ks?",
}


def _target_unit(text: str) -> str | None:
    """The time unit an answer is asked in: "... in hours" -> "hours" (None when none is asked)."""
    m = re.search(r"\bin (seconds|secs|minutes|mins|hours|hrs|days|weeks)\b", text)
    if not m:
        return None
    return next(u for u in _SECONDS if u.startswith(m.group(1)[:3]))


def _source_unit(text: str) -> str | None:
    """The time unit of a rate in the question ("2,000 tok/s" -> "seconds"), None when no rate names one."""
    for unit, word in _UNIT_WORDS.items():
        if re.search(
            rf"(?:/\s*|\bper\s+|\ba\s+)(?:{word})\b|\btps\b"
            if unit == "seconds"
            else rf"(?:/\s*|\bper\s+|\ba\s+)(?:{word})\b",
            text,
        ):
            return unit
    return None


def _converted(expression: str, text: str, plan: Plan) -> str:
    """``expression`` in the unit the question asks for, so ``calculate`` does the conversion.

    "1,000,000 tokens / 2,000 tok/s in hours": tokens / (tokens per second) is seconds, so the
    expression becomes ``(1000000 / 2000) / 3600``; the lead states the unit. The quantity's own
    unit is the rate's time unit, or seconds when no rate names one (said in the answer).
    """
    target = _target_unit(text)
    if not target:
        return expression
    source = _source_unit(text)
    if source is None:
        source = "seconds"
        plan.notes.append(f"No rate unit given: `{expression}` read as seconds before converting to {target}.")
    if source == target:
        return expression
    ratio = _SECONDS[target] / _SECONDS[source]
    converted = f"({expression}) / {ratio:g}" if ratio > 1 else f"({expression}) * {1 / ratio:g}"
    how = f"/ {ratio:,.0f}" if ratio > 1 else f"x {1 / ratio:,.0f}"
    plan.labels[converted] = (f"`{expression}` {source} in {target}", target, f"{source} {how}")
    return converted


def _years(text: str) -> list[int]:
    """Distinct calendar years written in the question, in order ("2025 vs 2024", "FY24 vs FY23")."""
    found = [
        int(m.group(1)) if m.group(1) else 2000 + int(m.group(2))
        for m in re.finditer(r"(?<![\d.])(?:fy\s?)?(20\d{2})\b|\bfy\s?'?(\d{2})\b", text)
    ]
    return list(dict.fromkeys(found))


def _names(p: Parsed, kind: str, ctx_value: str | None, plan: Plan) -> tuple[list[str], str | None]:
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


def _calculator_calls(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan, *, only_if_named: bool) -> str | None:  # noqa: C901 - over budget, to be split
    """Append the calls for one calculator intent; return a reply when a needed name is missing."""
    fields = tool_fields(tool)
    needs_model = tool in ("kv_cache", "memory_fit", "throughput")
    needs_chip = tool in ("memory_fit", "throughput")
    if only_if_named and needs_model and not p.models:
        return None  # "what did he say about fitting users": the transcript, not a calculator
    model_names, reply = _names(p, "model", ctx.get("model") if needs_model or "model" in fields else None, plan)
    if reply:
        return reply
    chip_names, reply = _names(p, "chip", ctx.get("chip") if "chip" in fields else None, plan)
    if reply:
        return reply
    if needs_model and not model_names:
        return _missing("model", tool, p)
    if (
        needs_chip
        and not chip_names
        and tool == "memory_fit"
        and "min_accelerators" in plan.focus
        and not p.unknown_chips
    ):
        chip_names = [DEFAULT_CHIP]
        plan.notes.insert(
            0, f"No chip named: assumed {DEFAULT_CHIP} (the catalog's priced NVIDIA chip); name one to change it."
        )
    if needs_chip and not chip_names:
        return _missing("chip", tool, p)
    args = {**_carried(tool, p, ctx, plan), **calculator_args(tool, p, plan.notes)}
    if tool == "kv_cache" and not any(k in args for k in TOKEN_ARGS):
        _per_token(p, args, plan)
    if tool in ("tco", "buildout") and not chip_names and not p.unknown_chips:
        chip_names, reply = _default_chip(tool, p, args, plan)
        if reply:
            return reply
    if tool in ("tco", "buildout") and chip_names and "capex_per_accelerator" not in args:
        unpriced = [c for c in chip_names if _catalog_price(c) is None]
        if unpriced and tool == "tco" and _power_only(plan.focus):
            # "power draw of 1,024 b200s": the power needs the all-in kW, not a price
            powered = [c for c in unpriced if _power_calls(c, p, args, plan)]
            unpriced = [c for c in unpriced if c not in powered]
            chip_names = [c for c in chip_names if c not in powered]
            if not chip_names:
                return None if powered and not unpriced else _unpriced_reply(unpriced)
        if unpriced:
            chip_names = [c for c in chip_names if c not in unpriced]
            # short aliases: a reply with no tool result must hold no figure, and "141GB" in a name reads as one
            missing = _unpriced_reply(unpriced)
            if not chip_names:
                return missing
            plan.notes.insert(0, "Left out: " + missing)
    if tool == "buildout" and "gw" not in args and "per_mw" in plan.focus:
        args["gw"] = PER_MW_GW
        plan.notes.insert(
            0,
            "No size given: priced as a 1 MW build-out (gw=0.001), so the figures are per MW of utility power "
            "(grid power into the site, before PUE); give a size in MW or GW for a whole site.",
        )
    if tool == "tco":
        names: dict[str, Any] = {"chip": [chip_arg(c) for c in chip_names]} if chip_names else {}
        if model_names:
            names["model"] = model_names[0]
        elif "per_mtok" in plan.focus and "tokens_per_s" not in args:
            _illustrate(names, args, plan)
        plan.calls.append(Call(tool, {**names, **args}))
        return None
    if tool == "capex" and not args.get("company") and not re.search(r"hyperscal|big tech|\ball\b", p.text):
        return (
            "I can't tell which company's capex you mean. The capex table covers Microsoft, Alphabet, Amazon, "
            "Meta and Oracle; ask e.g. 'Meta capex history' or 'Microsoft capex forecast at <R>%/yr'."
        )
    if tool == "capex":
        _capex_notes(p, args, plan)
        if "ai_share" in args and "capex_per_accelerator" not in args:
            chip = chip_names[0] if chip_names else DEFAULT_CHIP
            price = _catalog_price(chip)
            if price is None:
                return (
                    f"The catalog has no price for {short_chip(chip)}, and I won't guess one; the implied accelerator "
                    "count needs one. Ask again with e.g. 'at $<N>k per GPU'."
                )
            from tools.defaults import all_in_power_kw

            args["capex_per_accelerator"] = price
            args.setdefault("power_kw", all_in_power_kw(find_accelerator(chip))[0])
            # the short alias: the capex result does not hold the chip's full name (whose "80GB" reads as a figure)
            plan.notes.insert(
                0,
                f"No chip named: assumed {short_chip(chip)} at its catalog price and all-in kW for the implied "
                "accelerators; name one to change it."
                if not chip_names
                else f"Implied accelerators at the catalog price and all-in kW of {short_chip(chip)}.",
            )
    if tool == "memory_fit" and p.batch is not None and model_names:
        # "HBM for 100 concurrent users": the fit, plus the KV cache of exactly that many requests
        kv = {"model": model_names[0], "batch": p.batch, **token_args("kv_cache", p, [])}
        if p.kv_dtype or p.weights_dtype:
            kv["kv_dtype"] = p.kv_dtype or p.weights_dtype
        if "context" in kv or "prompt" in kv:
            plan.calls.append(Call("kv_cache", kv))
    for model in model_names or [None]:
        for chip in chip_names or [None]:
            names = {}
            if model and "model" in fields:
                names["model"] = model
            if chip and "chip" in fields:
                names["chip"] = chip_arg(chip)
            plan.calls.append(Call(tool, {**names, **args}))
            if (
                tool == "throughput"
                and model
                and chip
                and not (p.unknown_models or p.unknown_chips)
                and ("gpus" not in args or "time_for_tokens" in plan.focus)
            ):
                plan.calls.append(Call("memory_fit", _fit_beside_speed(names, args)))
    if (
        tool == "throughput"
        and "gpus" not in args
        and model_names
        and chip_names
        and not (p.unknown_models or p.unknown_chips)
    ):
        plan.notes.append(
            "No accelerator count given: the speed is for the throughput calculator's default of one accelerator, "
            "so the fit on that one is checked too (ask 'on 8x ...' for a server)."
        )
    return None


def _per_token(p: Parsed, args: dict[str, Any], plan: Plan) -> None:
    """A KV-cache question with no length: sized for a one-token sequence, said."""
    args["context"] = 1
    if re.search(r"per[- ]?token|/\s*token|a token", p.text):
        plan.notes.append("Per token: sized for a one-token sequence.")
    else:
        plan.notes.append(
            "No length given: sized per token (a one-token sequence); say 'at <N>k context' for a whole request."
        )


def _default_chip(tool: str, p: Parsed, args: dict[str, Any], plan: Plan) -> tuple[list[str], str | None]:
    """A cost or build-out question naming no chip: none when it gives its own price and kW; a reply when a unit
    cost is asked with neither chip nor price (:func:`agent.offline.own_costs.missing_price_and_chip`); else
    :data:`DEFAULT_CHIP`, said in the answer."""
    if tool == "tco" and (reply := missing_price_and_chip(p.text, args)):
        return [], reply
    if _priced_and_powered(args):
        return [], None
    plan.notes.insert(
        0,
        f"No chip named: assumed {DEFAULT_CHIP} (the catalog's priced NVIDIA chip with a sourced all-in kW); "
        "name one to change it.",
    )
    return [DEFAULT_CHIP], None


def _unpriced_reply(unpriced: list[str]) -> str:
    """Ask for a price (no figure: short aliases, since "141GB" in a name reads as one)."""
    priced = ", ".join(short_chip(r.name) for r in accelerators() if r.est_price_usd is not None)
    return (
        f"The catalog has no price for {', '.join(short_chip(c) for c in unpriced)}, and I won't guess one. Ask again with a price, "
        f"e.g. '{chip_arg(unpriced[0])} at $<N>k per GPU' (catalog chips with a public price estimate: {priced})."
    )


def _power_only(focus: list[str]) -> bool:
    """The question asks only for a power draw or a power bill (no price needed)."""
    return bool(set(focus) & {"power_draw", "power_year"}) and not set(focus) - {"power_draw", "power_year", "per_year"}


def _power_calls(chip: str, p: Parsed, args: dict[str, Any], plan: Plan) -> bool:
    """A fleet's power draw (MW) or bill ($/yr) from the chip's sourced all-in kW, by ``calculate``,
    for a chip with no catalog price; PUE and electricity are the question's or the cost calculator's
    defaults (tools/tco.py TCOInput), said in the answer. False when the catalog has no sourced kW."""
    from tools.defaults import all_in_power_kw

    kw, source = all_in_power_kw(find_accelerator(chip))
    if kw is None:
        return False
    count = int(args.get("count") or 1)
    pue = args.get("pue", _default("tco", "pue"))
    electricity = args.get("electricity", _default("tco", "electricity"))
    name = short_chip(chip)
    if "power_draw" in plan.focus:
        expr = f"{kw!r} * {pue!r} * {count} / 1000"
        plan.calls.append(Call("calculate", {"expression": expr}))
        plan.labels[expr] = (f"{count:,} x {name} draw", "MW at the facility", f"{kw:g} kW all-in each x PUE {pue:g}")
    if "power_year" in plan.focus:
        expr = f"{kw!r} * {pue!r} * 8760 * {electricity!r} * {count}"
        plan.calls.append(Call("calculate", {"expression": expr}))
        plan.labels[expr] = (
            f"Power bill for {count:,} x {name}",
            "$ per year",
            f"{kw:g} kW all-in each x PUE {pue:g} x 8,760 h at ${electricity:g}/kWh",
        )
    used = [("PUE", "pue")] + ([("electricity price", "electricity")] if "power_year" in plan.focus else [])
    said = [k for k, v in used if v not in args]
    plan.notes.append(
        f"{name} has no catalog price, so its power is computed directly from its all-in kW ({_clip_source(source)})"
        + (
            f"; the {' and '.join(said)} "
            + ("are the cost calculator's defaults" if len(said) > 1 else "is the cost calculator's default")
            if said
            else ""
        )
        + "."
    )
    return True


def _clip_source(source: str) -> str:
    """The first clause of a source note: 'from SemiAnalysis InferenceX GPU_SPECS ...' without version details."""
    m = re.search(r"from ([^(,;]+)", source)
    return m.group(1).strip() if m else source.split(";")[0]


def _illustrate(names: dict[str, Any], args: dict[str, Any], plan: Plan) -> None:
    """$/Mtok asked with no model or tokens/s: :data:`ILLUSTRATION_MODEL` on the cost tool's serving defaults, said."""
    names["model"] = ILLUSTRATION_MODEL
    args.setdefault("gpus", _default("tco", "gpus"))
    args.setdefault("batch", _default("tco", "batch"))
    plan.notes.append(
        f"Illustration: no model or tokens/s given, so the $ per million tokens is for {ILLUSTRATION_MODEL} "
        f"served on {args['gpus']} x the chip at batch {args['batch']} (the cost calculator's serving defaults); "
        "name a model or a tokens/s to change it."
    )


def _catalog_price(name: str) -> float | None:
    """The catalog's public price estimate for a chip (None when it has none)."""
    return next((r.est_price_usd for r in accelerators() if r.name == name), None)


def _priced_and_powered(args: dict[str, Any]) -> bool:
    """A cost or build-out question that gives its own price and all-in kW needs no catalog chip."""
    return "capex_per_accelerator" in args and "power_kw" in args


def _capex_notes(p: Parsed, args: dict[str, Any], plan: Plan) -> None:
    """Say which company set a group word stood for, and which year 'next year' is."""
    from agent.offline.entities import UNNUMBERED_GROUPS
    from tools.capex_history import COMPANY_ALIASES

    companies = args.get("company") or []
    named_one = any(w in COMPANY_ALIASES for w in re.findall(r"[a-z]+", p.text))
    group = re.search(r"\bbig\s*-?\s*(?:\d|three|four|five)\b", p.text)
    unnumbered = re.search(UNNUMBERED_GROUPS, p.text)
    if not named_one and unnumbered and not group:
        plan.notes.append(
            f"'{unnumbered.group(0)}' read as every company in the capex table: "
            + ", ".join(companies or ["all five"])
            + " (say 'big 4' for Microsoft, Alphabet, Amazon and Meta)."
        )
    elif not named_one and group:
        plan.notes.append(f"'{group.group(0)}' read as " + ", ".join(companies) + ".")
    if p.year is not None and p.year_words:
        import datetime

        plan.notes.append(f"'{p.year_words}' read as {p.year} (today is {datetime.date.today().isoformat()}).")


def _fit_beside_speed(names: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """The fit check for a speed question with no accelerator count: same shape, the speed's one accelerator."""
    shape = {k: v for k, v in args.items() if k in ("weights_dtype", "kv_dtype", "prompt", "output")}
    return {**names, "gpus": args.get("gpus", _default("throughput", "gpus")), **shape}


def _carried(tool: str, p: Parsed, ctx: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """The previous turn's shape (format, GPUs, tokens, batch) for a question about the same model.

    Only when the question names no model of its own ("and how fast is that on H200s?").
    """
    if not ctx or p.models or p.unknown_models:
        return {}
    fields = tool_fields(tool)
    keep = ("gpus", "weights_dtype", "kv_dtype", "batch", "prompt", "output", "context", "mem_eff", "compute_eff", "tp")
    carried = {k: ctx[k] for k in keep if k in ctx and k in fields}
    if "context" in ctx and "context" not in fields and "prompt" in fields:
        carried.update(token_args(tool, Parsed(text="", total=int(ctx["context"])), plan.notes))
    if "kv_dtype" in ctx and "weights_dtype" in fields and "weights_dtype" not in ctx:
        carried.setdefault("weights_dtype", ctx["kv_dtype"])
    if any(k in carried for k in ("prompt", "output", "context")) and any(
        x is not None for x in (p.prompt, p.output, p.total, p.reasoning)
    ):
        for k in ("prompt", "output", "context"):
            carried.pop(k, None)
    if tool == "throughput" and "gpus" not in carried and "gpus" not in ctx and p.count is None and "chip" in ctx:
        carried["gpus"] = _default("memory_fit", "gpus")  # the fit before ran on the fit calculator's default server
    if carried:
        plan.notes.append(
            "Carried over from the previous question: " + ", ".join(f"{k}={v}" for k, v in carried.items()) + "."
        )
    return carried


def _missing(kind: str, tool: str, p: Parsed) -> str:
    example = {
        "kv_cache": "'KV cache for Llama-3.1-70B at fp8, context <N>k, batch <B>'",
        "memory_fit": "'how many requests of <N>k tokens fit for Llama-3.1-405B fp8 on <G>x H100?'",
        "throughput": "'tokens/s for Llama-3.1-70B on <G>x H100 at batch <B>'",
    }[tool]
    what = "which model" if kind == "model" else "which accelerator"
    named = [m.text for m in (p.chips if kind == "model" else p.models)]
    got = f" I read {', '.join(named)}, but not {what}." if named else ""
    return f"I can't tell {what} you mean, and I won't guess.{got} Ask with a catalog name, e.g. {example}."


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


# --- follow-ups ----------------------------------------------------------------------------


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
                base = _default(tool, name) if name in tool_fields(tool) else None
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


def _scales_anything(prior: list[Call], p: Parsed) -> bool:
    """Whether some previous calculator call has an argument the follow-up's factors change."""
    return any(_SCALED_ARGS.get(slot, {}).get(c.name) for c in prior if c.name in CALCULATORS for slot in p.relative)


def _base_calls(prior: list[Call]) -> list[Call]:
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


def _follow_up(p: Parsed, prior: list[Call], ctx: dict[str, Any], plan: Plan) -> Plan:
    """Rerun the previous calculator calls with what the follow-up changes."""
    model_names, reply = _names(p, "model", ctx.get("model"), plan)
    if reply:
        return Plan(reply=reply)
    chip_names, reply = _names(p, "chip", ctx.get("chip"), plan)
    if reply:
        return Plan(reply=reply)
    new_model = model_names[0] if p.models else None
    new_chip = chip_names[0] if p.chips else None
    plan.notes.append("Follow-up: the previous question's arguments, with what this question changes.")
    for call in _base_calls(prior):
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
        args.update(_scaled(call.name, args, p, plan.notes))
        fields = tool_fields(call.name)
        if new_model and "model" in fields:
            args["model"] = new_model
        if new_chip and "chip" in fields:
            args["chip"] = [chip_arg(new_chip)] if call.name == "tco" else chip_arg(new_chip)
        if call.name == "tco" and "per_mtok" in plan.focus and not args.get("model") and "tokens_per_s" not in args:
            names: dict[str, Any] = {}
            _illustrate(names, args, plan)
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
    plan.calls = plan.calls[:_MAX_CALLS]
    return plan
