"""Fill a calculator's input fields from the quantities in a question, by unit and cue words.

Each field that an analyst's own number can fill is declared once, as data (:data:`FIELDS`):
the quantity units that can fill it (:mod:`tools.quantities`), the cue words that must stand
near the quantity (in the same clause) when several fields take that unit, the rate's
denominator it expects ("per server", "per GPU"), and the scale from the quantity's base value
to the field's unit (watts -> kW is 1e-3). :func:`fill` assigns each quantity to at most one
field: a field whose cue is near wins over one that only takes the unit. A rate per N-GPU
server also states the accelerators per server. Words that set a field without a number
(:data:`agent.offline.slot_flags.FLAGS`: "straight line" is a cost of capital of 0, "weights only") are data too. A field
may ask for the words right after the quantity (``follows``: "2 gpus", "500 prompt tokens"), and
for the serving cost a value written after "vs" is the second scenario (``compare``: "512 streams
vs only 96" is ``concurrent_streams=96``).

Nothing here invents a value: every argument is a quantity the question wrote, scaled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agent.offline.slot_flags import FLAGS
from agent.offline.slot_readings import growth_mode, price_per_node
from tools.quantities import Quantity


@dataclass(frozen=True)
class Slot:
    """One input field and what can fill it (module docstring)."""

    field: str
    units: tuple[str, ...]
    cues: str = ""  # regex near the quantity; "" = the unit alone is enough when no cued field claims it
    per: tuple[str | None, ...] | None = None  # allowed rate denominators (None: any)
    scale: float = 1.0
    integer: bool = False
    year_value: bool = False  # written as 'YEAR=VALUE' with the nearest calendar year
    shift: float = 0.0  # added after scaling: a multiplier per year (2.5x a year) is a growth rate of 1.5
    span: tuple[float, float] = (
        float("-inf"),
        float("inf"),
    )  # base values the field can mean (a GPU draws W to kW, not MW)
    veto: str = ""  # regex near the quantity that rules the field out ("500e9 bytes of free memory" is no capacity)
    after: str = ""  # a field that must be filled first ("to" of a CAGR after its "from")
    plain_ok: str = ""  # a year_value field may be a plain value when the question fills this field too
    avoid: str = ""  # regex on the whole question: when it matches, the field is not this question's reading
    # regex the words right after the quantity must match ("2 gpus"; "(?!\s*replica)": not "1 replica")
    follows: str = ""


_GPU = r"gpus?|accelerators?|chips?|cards?|xpus?"
_SERVER = ("server",)
_ACCEL = (None, "accelerator")
#: Plausible powers (W): one accelerator (all-in, IT or TDP), one server or rack, a site.
_ONE_CHIP, _ONE_SERVER, _SITE = (50.0, 2e4), (1e3, 5e5), (1e5, 1e11)
#: A power no word qualifies that only one accelerator draws (a server draws more): read as the accelerator's.
_CHIP_ONLY = (50.0, 3e3)
#: A power no word qualifies that is more than one accelerator draws and at most a rack: a server's or a rack's.
_MANY_CHIPS = (3e3 + 1, 5e5)
#: "IT" as the IT load ("1 GW IT", "800 MW of IT"), not the pronoun ("what does it cost", "is it", "it per GPU").
_IT_LOAD = (
    r"(?<!is )(?<!does )(?<!do )(?<!would )(?<!will )(?<!did )(?<!could )(?<!can )"
    r"\bit\b(?! (?:per|each|true|cost|take|need|be|mean|use|draw|run))|it load|it power"
)
#: A build-out's count of accelerators (a server's 8 is a deployment, not a campus).
_FLEET = (1e3, 1e9)
#: Words near a span of years that make it the facility's life ("$11.7M per MW of IT over 15 yrs").
_FACILITY_LIFE = r"facilit|building|\bshell\b|recover|per mw|/mw|mw of it"
#: Words right after a token count that make it the generated part of a query.
_OUTPUT_WORD = r"(?:output|out\b|generated|completion|answer)"
#: A chip's model number written after a count ("4x H200", "16 h100s").
_CHIP_NAME = r"(?:[a-z]{1,8}\d{2,4}[a-z]?s?|(?:tpu\s*)?v\d[a-z]?)"
#: A count written before a chip's name ("100,000 H100s", "8 b200"): the name is a model number.
_COUNT_OF_CHIPS = r"\d\s*(?:x\s*)?[a-z]{1,8}\d{2,4}[a-z]?s?\b"
#: Plausible price of one accelerator or server (USD): "8 cents" is an electricity price, not a capex.
_ONE_PRICE = (100.0, 1e8)
#: Plausible memory of one accelerator (bytes): "2 bytes" per parameter is not a capacity.
_ONE_MEMORY = (1e9, 4e12)
#: Words that make an amount a total over the years, not a starting value.
_TOTAL = r"spen[dt] over|\btotal\b|in total|cumulative|altogether|all together"
#: A memory size restated in bytes ("288GB as 288e9", "80 GB = 80e9"): the number after it is bytes.
_GB_AS = r"\d\s*gi?b\s*(?:as|=|is)\s*[\d.]+\s*e\s*\d"
#: Plausible parameter count of a model written as a bare number ("8.03B"): 100M to 100T.
_PARAMS = (1e8, 1e14)
#: A question that asks what a token or a query costs: an hourly price in it is what is paid for accelerator time
#: (a serving cost at that price), not a rental price to set against owning ("we pay $2.10/hr per GPU ... cost per
#: million tokens at 1,500 tok/s").
PAID_PRICE = (
    r"(?:cost|price|spend|pay)\w*\s+(?:per|a|an|for each|/)\s*(?:1\s?m\b|million|mn?\b|1,?000|1?k\b|thousand)?\s*"
    r"(?:output |generated |input )?(?:tokens?|toks?|quer(?:y|ies)|requests?|answers?|responses?)\b"
    r"|\$\s?/\s?m\s?tok|per (?:1\s?m|million|mn?)\s*(?:output )?tokens?\b"
)

#: Per tool, the fields an analyst's numbers fill, most specific first.
FIELDS: dict[str, tuple[Slot, ...]] = {
    "tco": (
        Slot(
            "server_price",
            ("usd",),
            rf"server|box|node|system|\bfor (?:an? |one )?\d+[- ]?(?:x\s?)?(?:{_GPU})",
            per=(None, "server"),
            span=_ONE_PRICE,
            veto=rf"(?:per|/|a|each) (?:{_GPU})\b|server share|share of (?:the |a )?server",  # "$22k per GPU incl server share"
        ),
        Slot("server_kw", ("W",), r"server|box|node|system", per=(None, "server"), scale=1e-3, span=_ONE_SERVER),
        # "box at $420k for 8 GPUs, 14.3 kW": more than one accelerator draws, so the server's (or rack's) power
        Slot("server_kw", ("W",), per=(None,), scale=1e-3, span=_MANY_CHIPS),
        Slot(
            "capex_per_accelerator",
            ("usd",),
            rf"per (?:{_GPU})|{_GPU}|capex|all-in|each|price",
            per=_ACCEL,
            span=_ONE_PRICE,
        ),
        Slot("power_kw", ("W",), rf"{_GPU}|tdp|it power|all-in|each|draw", per=_ACCEL, scale=1e-3, span=_ONE_CHIP),
        Slot("power_kw", ("W",), per=(None,), scale=1e-3, span=_CHIP_ONLY),  # "Gaudi 3 at $15,625 a chip, 900 W"
        Slot("colo", ("usd/kw-month",)),
        Slot("facility_capex_per_mw", ("usd/mw",)),
        # "facility $10M per MW of IT recovered over 20 yrs": the facility's life, not the servers'
        Slot("facility_life_years", ("years",), _FACILITY_LIFE),
        Slot("facility_life_years", ("",), _FACILITY_LIFE, follows=r"\s*-?\s*y\b"),
        Slot("electricity", ("usd/kwh",)),
        # "PUE 1.3, 8c, 4 years": a price in cents with no unit, in a cost model, is the electricity price
        Slot("electricity", ("usd",), follows=r"\s*(?:c|cents?|¢)(?!\w)", span=(0.001, 1.0)),
        Slot("years", ("years",)),
        Slot("years", ("",), follows=r"\s*-?\s*y\b"),  # "4y @8%": a life the lexer reads as a plain count
        Slot("pue", ("",), r"\bpue\b"),
        Slot(
            "cost_of_capital",
            ("fraction", "fraction/year"),
            r"financ|interest|wacc|cost of capital|discount|rate of return|(?:\d\s*-?\s*(?:y|yrs?|years?)|life)\s*(?:@|at)\s*\d",
            veto=r"\butil|\bbusy\b|\bsold\b|of (?:the )?hours",  # "4 years at 70% util" is a utilization
        ),
        Slot("sold_fraction", ("fraction",), r"\bsold\b|of (?:the )?hours"),
        Slot("networking_fraction", ("fraction",), r"network|infiniband|switch"),
        Slot("maintenance", ("fraction", "fraction/year"), r"maint"),
        Slot("utilization", ("fraction",), r"utili[sz]"),
        # "servers over 5 yrs, both at 7%": a bare rate in a cost model, no other reading near, is the cost of capital
        Slot(
            "cost_of_capital",
            ("fraction", "fraction/year"),
            span=(0.0, 0.25),
            veto=r"%\s*of\b",  # "5% of GPUs" is a share of something
            avoid=r"(?s)^(?!.*(?:\$|kwh|\bpue\b))",  # only in a question that states money or power prices
        ),
        Slot("rental_price", ("usd/hour",), avoid=PAID_PRICE),
        Slot("other_opex_per_year", ("usd/year",), r"opex|other|overhead"),
        Slot("count", ("",), rf"{_GPU}|cluster|fleet", integer=True),
    ),
    "serving_cost": (
        Slot("price_per_accelerator_hour", ("usd/hour",)),
        # "1 replica on 2 gpus": the count written with the accelerators, not the replica's own count
        Slot("accelerators_per_replica", ("",), integer=True, follows=rf"\s*(?:x\s*)?(?:{_GPU}|{_CHIP_NAME})\b"),
        Slot("accelerators_per_replica", ("",), rf"{_GPU}|per replica", integer=True, follows=r"(?!\s*replicas?\b)"),
        Slot("concurrent_streams", ("",), r"streams?|users?|concurren|sessions?|sequences?", integer=True),
        Slot("prefill_tokens_per_s_per_replica", ("tokens/s",), r"prefill", per=(None, "replica")),
        Slot(
            "tokens_per_s_per_replica",
            ("tokens/s",),
            rf"aggregate|total|per (?:replica|server|node)|throughput|per (?:{_GPU})|/\s?(?:{_GPU})",
            per=(None, "replica", "accelerator"),
        ),
        Slot(
            "tokens_per_s_per_stream",
            ("tokens/s",),
            r"each|per (?:stream|user)|streams?|users?",
            per=(None, "stream", "user"),
        ),
        # no streams or users anywhere: a rate alone is the replica's ("a replica of 8 GPUs ... handles 4,800 tok/s")
        Slot("tokens_per_s_per_replica", ("tokens/s",), per=(None,), avoid=r"streams?|users?|concurren|sessions?"),
        # "2,000 prompt + 500 output": the word right after each count says which it is
        Slot("output_tokens_per_query", ("tokens", ""), follows=rf"\s*(?:-?\s*tokens?\s+)?{_OUTPUT_WORD}"),
        Slot("prompt_tokens_per_query", ("tokens", ""), follows=r"\s*(?:-?\s*tokens?\s+)?(?:prompt|input|in\b)"),
        Slot(
            "output_tokens_per_query", ("tokens", ""), r"per (?:query|answer|request|response)|output|answer|query|each"
        ),
        Slot("utilization", ("fraction",), r"\butil|busy|serve"),
    ),
    "growth": (
        Slot("until", ("usd", "W", ""), r"pass|reach|exceed|hit|cross|top|surpass"),
        Slot("from_", ("usd", "W", ""), r"cagr|compound|grew|growth rate|annual growth", year_value=True),
        Slot("to", ("usd", "W", ""), r"\bto\b", year_value=True, after="from_"),
        Slot("base", ("usd", "W", ""), r"", year_value=True),
        # "$200B ... for 4 years": no year ("$1T spent over 4 years" is a total, not a base)
        Slot("base", ("usd", "W", ""), r"", year_value=True, plain_ok="years", veto=_TOTAL),
        Slot(
            "rate",
            ("fraction/year", "fraction"),
            r"grow|growth|cagr|a year|per year|/yr|each year|annual|\+\s*\d",
        ),
        Slot("rate", ("x",), r"a year|per year|/yr|annual|each year|yoy", per=("year",), shift=-1.0),
        Slot("multiplier", ("x",), r"per|each|every|a year"),
        Slot("steps", ("",), r"generations?|steps?|times|rounds?", integer=True),
        Slot("years", ("years",), r"\bfor\b|\bover\b|\bafter\b|\bin\b", integer=True),
        Slot("through", ("year",), integer=True),
    ),
    "buildout": (
        Slot("it_gw", ("W",), _IT_LOAD, scale=1e-9, span=_SITE),
        # "1.37 kW all-in IT per H100": all-in at the IT level, so PUE still applies
        Slot("kw_all_in", ("W",), r"all[- ]in", per=_ACCEL, scale=1e-3, span=_ONE_CHIP, veto=r"\bit\b"),
        Slot("power_kw", ("W",), rf"\bit\b|{_GPU}|each|per", per=_ACCEL, scale=1e-3, span=_ONE_CHIP),
        Slot("gw", ("W",), scale=1e-9, span=_SITE),
        Slot("pue", ("",), r"\bpue\b"),
        Slot("gpus_per_rack", ("",), r"per rack|a rack|rack of", integer=True),
        Slot("accelerators", ("",), rf"{_GPU}|cluster|fleet|million", integer=True),
        Slot("accelerator_price", ("usd",), r"\bchips?\b|\bgpu price|accelerator price", span=_ONE_PRICE),
        Slot("other_capex_per_accelerator", ("usd",), r"rest[- ]of|other|network|server", span=_ONE_PRICE),
        Slot("capex_per_accelerator", ("usd",), rf"all[- ]in|per (?:{_GPU})|{_GPU}|each|price", span=_ONE_PRICE),
        # "$11/W all-in": the whole campus per watt, not the facility shell per MW of IT (no field takes it)
        Slot("facility_capex_per_mw", ("usd/mw",), veto=r"all[- ]in|total|everything|campus"),
        Slot("electricity", ("usd/kwh",)),
        Slot("accelerators", ("",), _COUNT_OF_CHIPS, integer=True, span=_FLEET),  # "100,000 H100s", not "8x H100"
    ),
    "throughput": (Slot("usd_per_gpu_hour", ("usd/hour",)),),
    "capex": (),  # no numeric fields: the flags below (finance leases) only
    "memory_fit": (
        # "reads the 37B active params": the parameters a token uses, not the weights memory holds
        Slot("params", ("params",), veto=r"\bactive\b"),
        # "llama 3.1 8b (8.03B, bf16)": a bare count; not a size per accelerator ("8x h100 (80e9 each)")
        # ... nor the bytes a memory size is read as ("288GB as 288e9")
        Slot("params", ("",), span=_PARAMS, veto=rf"\bactive\b|\beach\b|per (?:{_GPU})|{_GB_AS}"),
        Slot(
            "capacity_gb",
            ("bytes",),
            rf"each|per (?:{_GPU})|\b(?:{_GPU})\b|treat|usable|\bas\b|hbm|memory|vram|of them|@|\bon\b|\bx\b|[a-z]\d{{2,3}}[a-z]?s?\b",
            per=_ACCEL,
            scale=1e-9,
            span=_ONE_MEMORY,
            veto=r"\bfree (?:memory|hbm|vram)|\bleft\b|remaining|of (?:\w+ )?weights|weights?\s*(?:\(|[\d.]+\s*gi?b)",
        ),
        # "4x h200 (141e9 each)": a bare size per accelerator is its memory in bytes, not a parameter count
        Slot(
            "capacity_gb",
            ("",),
            rf"\beach\b|per (?:{_GPU})|\bhbm\b|\bmemory\b|\bvram\b|{_GB_AS}",
            scale=1e-9,
            span=(1e10, 2e12),  # 10 GB to 2 TB: the range of one accelerator's memory in the catalog and beyond
            veto=r"param|\bactive\b",
        ),
        Slot("gpu_mem_util", ("fraction",), r"usable|\buse\b|\busing\b|utili[sz]"),
        Slot(
            "reserve_frac",
            ("fraction",),
            r"free|reserve|headroom|spare|keep|held back|hold back|set aside",
            span=(0.0, 0.99),
        ),
        Slot("gpus", ("",), rf"\b(?:{_GPU})\b|of them|\btp\b|tensor|\b\d+\s*x\s*\d", integer=True, span=(1.0, 1e5)),
    ),
    "kv_cache": (
        Slot("layers", ("",), r"layers?", integer=True, span=(1.0, 1e4)),
        Slot("kv_heads", ("",), r"kv[ _-]?heads?|key[- ]value heads?", integer=True, span=(1.0, 1e4)),
        Slot("kv_lora_rank", ("",), r"lora|latent|rank", integer=True, span=(1.0, 1e5)),
        Slot("rope_dim", ("",), r"rope", integer=True, span=(1.0, 1e5)),
        Slot("head_dim", ("",), r"head[ _-]?dim|dim(?:ension)? per head|per[- ]head", integer=True, span=(1.0, 1e5)),
        # "the 4096 sliding window", "128-tok sliding window"; not "18 layers w/ a 128-tok window" (a layer count)
        Slot(
            "window",
            ("", "tokens"),
            r"sliding|\bwindow|\bswa\b",
            integer=True,
            span=(16.0, 1e7),
            follows=r"(?![\s-]*(?:(?:full|global|local|swa|sliding|windowed)[\s-]*)?(?:attn|attention)?[\s-]*layers?\b)",
        ),
    ),
}
#: An all-in kW that already holds the facility overhead ("including cooling", "PUE already in there").
_PUE_INSIDE = r"includ\w*\s+(?:the\s+)?(?:cooling|pue|facility|overhead)|pue (?:is )?(?:already )?(?:in\b|included)"
_CLAUSE = re.compile(r"[,;:.!?](?!\d)|\band\b|\bplus\b|\bwith\b")


#: How far from a quantity its cue words may stand (characters before / after), within its clause.
_BEFORE, _AFTER = 24, 28


def clause_around(text: str, q: Quantity) -> str:
    """The words near ``q`` in its clause (between separators), the quantity's own text included."""
    start = max((m.end() for m in _CLAUSE.finditer(text, 0, q.start)), default=0)
    after = _CLAUSE.search(text, q.end)
    end = after.start() if after else len(text)
    return text[max(start, q.start - _BEFORE) : min(end, q.end + _AFTER)].lower()


def _fits(slot: Slot, q: Quantity) -> bool:
    return (
        slot.span[0] <= abs(q.value) <= slot.span[1]
        and q.unit in slot.units
        and (slot.per is None or q.per in slot.per)
        and (q.per_count is None or "server" in (slot.per or ()))
    )


def _near_year(q: Quantity, quantities: list[Quantity], taken: set[int]) -> Quantity | None:
    """The calendar year written next to ``q`` ("$200B in 2025", "2024=100"), not yet assigned."""
    years = [
        o
        for o in quantities
        if o.unit == "year" and id(o) not in taken and min(abs(o.start - q.end), abs(q.start - o.end)) < 12
    ]
    return years[0] if years else None


def _value(slot: Slot, q: Quantity, quantities: list[Quantity], taken: set[int]) -> Any:
    value = float(f"{q.value * slot.scale + slot.shift:.12g}")  # 300 MW x 1e-9 is 0.3, not 0.30000000000000004
    if slot.integer:
        return int(round(value)) if float(value).is_integer() or abs(value) >= 1 else value
    if slot.year_value:
        year = _near_year(q, quantities, taken)
        if year is None:
            return _compact(value) if slot.plain_ok else None
        taken.add(id(year))
        return f"{int(year.value)}={value:.12g}"
    return value


def _compact(value: float) -> str:
    """A plain value as an argument string, large ones in engineering form ("$200B" -> "200e9", not 200000000000)."""
    exp = 0
    while abs(value) >= 1e6 and abs(value) / 10 ** (exp + 3) >= 1:
        exp += 3
    return f"{value / 10**exp:.12g}e{exp}" if exp else f"{value:.12g}"


def _open(slot: Slot, args: dict[str, Any], quantities: list[Quantity]) -> bool:
    """The field can still take a quantity: unfilled (rates accumulate: "+40% in 2026, +30% in 2027"), its
    ``after`` field filled, and for a plain-value reading the ``plain_ok`` field stated in the question."""
    if slot.field in args and slot.field != "rate":
        return False
    if slot.after and slot.after not in args:
        return False
    plain_unit = {"years": "years"}.get(slot.plain_ok)
    return not slot.plain_ok or any(q.unit == plain_unit for q in quantities)


def _vetoed(slot: Slot, clause: str) -> bool:
    return bool(slot.veto and re.search(slot.veto, clause))


def _avoided(slot: Slot, text: str) -> bool:
    return bool(slot.avoid and re.search(slot.avoid, text.lower()))


def _follows(slot: Slot, text: str, q: Quantity) -> bool:
    """The words right after ``q``'s number (its own unit words first: "500 prompt tokens") are what
    ``slot.follows`` asks for (always, when it asks nothing)."""
    after = re.sub(r"^\$?[\d.,]+\s*(?:[km]\b)?", "", q.text) + text[q.end :]
    return not slot.follows or bool(re.match(slot.follows, after.lower()))


#: "512 streams vs only 96": the second value of a side-by-side, written after one of these.
_VERSUS = re.compile(r"(?:\bvs\.?|\bversus|\bcompared (?:to|with)|\bagainst)\s*(?:only|just)?\s*$", re.I)
#: Tools whose input takes a second scenario as 'field=value' (tools/serving_cost.py ``compare``).
_COMPARES = ("serving_cost",)


def _versus(tool: str, text: str, quantities: list[Quantity]) -> dict[int, tuple[Quantity, Quantity]]:
    """The quantities written as the other side of a comparison ("... vs only 96"), by id: (that quantity, the
    nearest earlier one of the same unit it is compared with)."""
    if tool not in _COMPARES:
        return {}
    out: dict[int, tuple[Quantity, Quantity]] = {}
    for i, q in enumerate(quantities):
        before = [p for p in quantities[:i] if p.unit == q.unit and p.per == q.per]
        if before and _VERSUS.search(text[before[-1].end : q.start][-40:]):
            out[id(q)] = (q, before[-1])
    return out


def _compare(args: dict[str, Any], source: dict[str, Quantity], versus: dict[int, tuple[Quantity, Quantity]]) -> None:
    """A side-by-side as the tool's ``compare`` argument: the field its first value filled, at the second value."""
    field_of = {id(q): f for f, q in source.items()}
    pairs = []
    for second, first in versus.values():
        field = field_of.get(id(first))
        if field is None:
            continue
        pairs.append(f"{field}={second.value:.12g}")
        source[f"compare.{field}"] = second
    if pairs:
        args["compare"] = ",".join(pairs)


def _one_accelerator(text: str) -> bool:
    """The question speaks of one accelerator only: "on one H100", or a singular GPU word with no plural and
    no replica, server or box."""
    if re.search(rf"\b(?:one|a single|single)\s+(?:{_CHIP_NAME}|gpu|accelerator|chip|card)\b", text):
        return True
    counted = re.search(rf"\d\s*(?:x\s*)?{_CHIP_NAME}\b|\b[a-z]{{1,8}}\d{{2,4}}[a-z]?s\b", text)  # "8x h100", "h100s"
    return bool(
        re.search(r"\b(?:gpu|accelerator|chip|card|[a-z]{1,8}\d{2,4}[a-z]?)\b", text)
        and not counted
        and not re.search(r"\b(?:gpus|accelerators|chips|cards)\b|replica|\bservers?\b|\bnodes?\b|\bbox", text)
    )


def fill(tool: str, text: str, quantities: list[Quantity]) -> dict[str, Any]:
    """The fields of ``tool`` the quantities in ``text`` fill (module docstring); flags included."""
    return assign(tool, text, quantities)[0]


def assign(tool: str, text: str, quantities: list[Quantity]) -> tuple[dict[str, Any], dict[str, Quantity]]:
    """:func:`fill`, with the quantity behind each filled field."""
    slots = FIELDS.get(tool, ())
    args: dict[str, Any] = {}
    source: dict[str, Quantity] = {}
    taken: set[int] = set()  # quantities already assigned (a year written with its base value)
    # years last, the latest first: a base takes the year written beside it, "through" the end of a range
    versus = _versus(tool, text, quantities)
    for q in sorted(quantities, key=lambda q: (q.unit == "year", -q.value if q.unit == "year" else 0)):
        if id(q) in taken or id(q) in versus:
            continue
        clause = clause_around(text, q)
        candidates = [
            s
            for s in slots
            if _open(s, args, quantities)
            and _fits(s, q)
            and not _vetoed(s, clause)
            and not _avoided(s, text)
            and _follows(s, text, q)
        ]
        cued = [s for s in candidates if (s.cues and re.search(s.cues, clause)) or (s.follows and not s.cues)]
        plain = [s for s in candidates if not s.cues]
        found = next(((s, v) for s in cued or plain if (v := _value(s, q, quantities, taken)) is not None), None)
        if found is None:
            continue
        slot, value = found
        taken.add(id(q))
        args[slot.field] = [*args.get("rate", []), value] if slot.field == "rate" else value
        source[slot.field] = q
        if q.per == "server" and q.per_count and tool == "tco":
            args.setdefault("gpus_per_server", q.per_count)
        if slot.field == "tokens_per_s_per_replica" and q.per == "accelerator":
            args.setdefault("accelerators_per_replica", 1)  # tokens/s per GPU: the cost of one GPU's tokens
    server = "server_price" in args or "server_kw" in args
    if tool == "tco" and server and "gpus_per_server" not in args and "count" in args:
        args["gpus_per_server"] = args.pop("count")  # "a $300k server; if that's 8 GPUs": the GPUs in that server
        source["gpus_per_server"] = source.pop("count")
    if tool == "buildout" and "kw_all_in" in args and "pue" in args and not re.search(_PUE_INSIDE, text.lower()):
        # "1.4 kW per GPU all-in (incl networking), PUE 1.3": a PUE stated beside an all-in kW applies on top of it,
        # so the all-in figure is the IT load per accelerator (server and network share)
        args["power_kw"] = args.pop("kw_all_in")
        source["power_kw"] = source.pop("kw_all_in")
    if tool == "serving_cost" and "price_per_accelerator_hour" in source:
        price_per_node(text, source["price_per_accelerator_hour"], args)
    if tool == "growth":
        growth_mode(args, source)
    rated = {"tokens_per_s_per_replica", "tokens_per_s_per_stream"} & set(args)  # the question states a deployment
    if tool == "serving_cost" and rated and "accelerators_per_replica" not in args and _one_accelerator(text.lower()):
        args["accelerators_per_replica"] = 1  # "my GPU costs $1.40/hr and does 2,400 tok/s": one accelerator serves
    _compare(args, source, versus)
    for name, field, value, pattern in FLAGS:
        if name == tool and field not in args and re.search(pattern, text.lower()):
            args[field] = value
    return args, source
