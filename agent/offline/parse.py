"""Read a question into typed slots: catalog names, counts, token lengths, formats, money, rates.

Pure functions. :func:`parse` returns a :class:`Parsed` whose every value was written in the
question (defaults belong to the calculators, not to the parser). Token phrases are read the
way analysts mean them:

* "12k-token requests", "ctx 8k", "at 32k context" -> ``total`` tokens per request;
* "2k in / 1k out", "prompt 2000", "500 output tokens" -> ``prompt`` / ``output``;
* "10k reasoning tokens", "10,000 tokens of thinking" -> ``reasoning`` (generated, so counted
  as output on top of any stated answer length; see :func:`agent.offline.plan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent.offline.entities import Mention, drop_versioned_sizes, find_companies, find_mentions, unknown_names
from agent.offline.expressions import arithmetic_expression, restated_split, restated_total
from agent.offline.normalise import normalise_text
from agent.offline.numbers import as_int, first, number_at, percent
from agent.offline.relative import relative
from agent.offline.slots import PAID_PRICE

DTYPES = ("fp32", "fp16", "bf16", "fp8", "int8", "int4", "fp4")
_DTYPE_WORDS = {
    "8-bit": "fp8",
    "8 bit": "fp8",
    "4-bit": "int4",
    "4 bit": "int4",
    "16-bit": "bf16",
    "16 bit": "bf16",
    "half precision": "fp16",
    "mxfp4": "fp4",
    "nvfp4": "fp4",
    "w8a8": "fp8",
    "float8": "fp8",
    "bfloat16": "bf16",
    "float16": "fp16",
}
_TOK = r"(?:\s*-?\s*(?:tokens?|toks?|tkns?))"


@dataclass
class Parsed:
    """What a question states. ``None`` = not stated (the calculator's default applies)."""

    text: str
    models: list[Mention] = field(default_factory=list)
    chips: list[Mention] = field(default_factory=list)
    unknown_models: list[str] = field(default_factory=list)  # "llama 5": passed on, so the tool says it is unknown
    unknown_chips: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    count: int | None = None  # accelerators named with the chip ("8x H100", "1,024 GPUs")
    weights_dtype: str | None = None
    kv_dtype: str | None = None
    prompt: int | None = None
    output: int | None = None
    reasoning: int | None = None
    total: int | None = None
    batch: int | None = None
    tp: int | None = None
    roofline: bool = False  # "pure roofline" / "100% efficiency" -> efficiencies 1.0
    mem_eff: float | None = None
    compute_eff: float | None = None
    # economics
    electricity: float | None = None  # $/kWh
    rental_price: float | None = None  # $/accelerator-hour
    capex_per_accelerator: float | None = None  # $
    years: float | None = None
    cost_of_capital: float | None = None  # fraction
    utilization: float | None = None  # fraction
    pue: float | None = None
    power_kw: float | None = None  # per accelerator
    gw: float | None = None
    mw: float | None = None
    facility_capex_per_mw: float | None = None
    colo: float | None = None  # $/kW-month
    networking_fraction: float | None = None
    maintenance: float | None = None
    tokens_per_s: float | None = None
    growth: list[float] = field(default_factory=list)  # fractions per year
    through: int | None = None  # a year
    since: int | None = None  # a year ("since 2020")
    expression: str | None = None  # plain arithmetic found in the question
    year: int | None = None  # the year asked about: "next year" (today's year + 1), "this year", "in 2027"
    year_words: str | None = None  # how the year was written ("next year"), to say how it was read
    relative: dict[str, float] = field(default_factory=dict)  # "2x as many GPUs" -> {"count": 2.0}
    relative_words: dict[str, str] = field(default_factory=dict)  # how each factor was written ("2x")
    token_volume: int | None = None  # "how long to generate 1M tokens": tokens to produce in total

    def stated(self) -> dict[str, object]:
        """The slots the question filled (for the 'what I understood' line and follow-ups)."""
        out: dict[str, object] = {}
        for k, v in self.__dict__.items():
            # ``v is False``, not ``v in (..., False)``: a stated 0 ("tco for 0 gpus") is a value the tool must see
            if (
                k in ("text", "models", "chips", "unknown_models", "unknown_chips", "year_words", "relative_words")
                or v is None
                or v is False
                or v in ([], {})
            ):
                continue
            out[k] = v
        return out


#: A minus sign right before a number's digits ("-8 h100s", "-$0.08/kWh", "context=-2048", "ctx: - 2048"); a dash
#: set apart by spaces ("8xh100 - 80gb each") is punctuation.
_NEGATIVE = re.compile(r"(?:(?:^|[^\w.\-\s]|\s)-|[=:]\s*-\s+)\$?\s?$")


class _Text:
    """Working copy of the question: patterns consume what they read so later ones do not reread it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: str, scale: float = 1.0) -> float | None:
        m = first(pattern, self.text)
        if not m:
            return None
        value = number_at(m) * scale
        if _NEGATIVE.search(self.text[: m.start(1)]):
            # "-$0.08/kWh", "-8 h100s", "context = -2048": kept negative, so the calculator rejects it by name;
            # a dash set apart by spaces ("8xh100 - 80gb each") is punctuation
            value = -value
        self.text = self.text[: m.start()] + " ~ " + self.text[m.end() :]
        return value

    def take_any(self, patterns: list[str], scale: float = 1.0) -> float | None:
        for p in patterns:
            v = self.take(p, scale)
            if v is not None:
                return v
        return None

    def take_all(self, pattern: str, scale: float = 1.0) -> list[float]:
        out = []
        while (v := self.take(pattern, scale)) is not None:
            out.append(v)
        return out


def parse(question: str) -> Parsed:
    """Fill :class:`Parsed` from ``question`` (see the module docstring for the token readings)."""
    text = normalise_text(question)
    p = Parsed(text=text)
    p.models = drop_versioned_sizes(text, find_mentions(text, "model"))
    p.chips = find_mentions(text, "chip")
    p.unknown_models = unknown_names(text, "model", p.models)
    p.unknown_chips = unknown_names(text, "chip", p.chips)
    p.companies = find_companies(text)
    split = restated_split(text)  # "8k in / 8k out (8192+8192)": the exact split, not a sum to evaluate
    numbers = text if split is None else text[: split[2][0]] + " " * (split[2][1] - split[2][0]) + text[split[2][1] :]
    w = _Text(_blank_mentions(numbers, p.models))
    relative(w, p)  # before counts: "2x as many gpus" changes the count, it does not state it
    _formats(w.text, p)
    _money_and_rates(w, p)  # before counts: "$30k gpu" is a price, not 30,000 GPUs
    if tp := re.search(r"\b(?:tp|tensor[- ]parallel(?:ism)?)\s*(?:=|of|:)?\s*(\d+)\b", w.text):
        p.tp = int(tp.group(1))  # "sharded TP=8": the tensor-parallel degree (and the accelerators, read below)
    p.count = _count(w, [m.text for m in p.chips] + p.unknown_chips)
    _tokens(w, p)
    if split is not None:
        p.prompt, p.output = split[0], split[1]
    elif (exact := restated_total(question)) is not None and p.prompt is None and p.output is None:
        p.total = exact  # "128k requests (131,072 tok)": the bracket's exact length
    if p.total and p.prompt and p.output and p.prompt % 1000 == p.output % 1000 == 0:
        if p.prompt + p.output != p.total and (p.prompt + p.output) * 1024 == p.total * 1000:
            # "16k prompt + 4k output (20,480 tokens total)": the k was 1,024
            p.prompt, p.output = p.prompt * 1024 // 1000, p.output * 1024 // 1000
    p.expression = arithmetic_expression(_blank_mentions(numbers, p.models + p.chips))
    return p


def _blank_mentions(text: str, mentions: list[Mention]) -> str:
    """Model names hold sizes ("405b", "8x7b") that must not be read as numbers."""
    for m in sorted(mentions, key=lambda m: -m.start):
        text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
    return text


_SPELLED_COUNTS = {"two": 2, "three": 3, "four": 4, "eight": 8}


def _count(w: _Text, chips: list[str]) -> int | None:
    """Accelerators stated: '8 x h100', 'h100 x 8', '1,024 h100s', '16 gpus', 'tp=8', 'an 8-gpu node'."""
    for chip in chips:
        name = re.escape(chip.lower())
        for p in (rf"{{N}}\s*x?\s*{name}", rf"{name}\s*x\s*{{N}}"):
            v = w.take(p)
            if v is not None:
                return as_int(v)
        if re.search(
            rf"\b(?:one|a single|single|1)\s+{name}(?!\w)(?!\s*(?:server|node|box|system|hgx|dgx|rack|pod))"
            r"(?!\s*[(,-]?\s*\d+\s*(?:x\s*)?-?\s*(?:gpus?|chips?|accelerators?|cards?)\b)",  # "one hgx b300 (8 gpus)"
            w.text,
        ):
            return 1
    if one := re.search(
        r"\b(one|an?|a single|single|two|three|four|eight)\s+(?:[\w.\-]+\s+){0,3}?(gpu|accelerator|card)(s?)\b", w.text
    ):
        n = _SPELLED_COUNTS.get(one.group(1), 1)
        if (n > 1) == bool(one.group(3)):
            return n  # "on one 80e9 B gpu", "a 24e9-byte card", "two 48e9-byte cards"
    v = w.take_any(
        [
            r"{N}\s*(?:x\s*)?-?\s*(?:gpus?|accelerators?|chips?|cards?|devices?|xpus?)\b",
            r"(?:with|on|using)\s*{N}\s*of (?:them|those|these)\b",
            r"(?:tp|tensor[- ]parallel(?:ism)?)\s*(?:=|of|:)?\s*{N}",
        ]
    )
    return as_int(v) if v is not None else None


def _formats(text: str, p: Parsed) -> None:
    """Weight and KV formats: 'fp8', 'fp8 kv', 'kv in fp8', '4-bit weights'."""
    for word, dtype in _DTYPE_WORDS.items():
        text = text.replace(word, dtype)
    if "fp8_ds_mla" in text:  # vLLM's DeepSeek MLA cache layout (656 B per layer per token): a KV format only
        p.kv_dtype = "fp8_ds_mla"
        text = text.replace("fp8_ds_mla", " ")
    kv = re.search(
        r"\b("
        + "|".join(DTYPES)
        + r")\s*(?:(?:mla|latent|compressed|paged)\s*)?(?:kv|cache)|kv(?:[- ]?cache)?\s*(?:in|at|as|is|=|:)?\s*("
        + "|".join(DTYPES)
        + r")\b",
        text,
    )
    if kv:
        p.kv_dtype = kv.group(1) or kv.group(2)
        text = text[: kv.start()] + " " + text[kv.end() :]
    weights = re.search(r"\b(" + "|".join(DTYPES) + r")\b", text)
    if weights:
        p.weights_dtype = weights.group(1)


def _money_and_rates(w: _Text, p: Parsed) -> None:
    money = r"\$\s*{N}"
    p.electricity = w.take_any(
        [
            money + r"\s*(?:/|per|a)\s*kwh",
            r"{N}\s*(?:c|cents?|¢)\s*(?:/|per|a)?\s*kwh",
            r"(?:electricity|power price|power cost|power|energy)\s*(?:price|cost)?\s*(?:at|of|=|:|is|costs?)?\s*"
            + money,
            r"(?<![$\d]){N}\s*(?:usd|dollars?)?\s*(?:/|per|a)\s*kwh",
            r"(?:electricity|power price|power cost)\s*(?:at|of|=|:|is)?\s*{N}\b(?!\s*%)",
        ]
    )
    if p.electricity is not None and re.search(r"\d\s*(?:c|cents?|¢)\s*(?:/|per|a)?\s*kwh", p.text):
        p.electricity /= 100.0
    if p.electricity is None and re.search(r"power|electric|energy|\bbill\b", p.text):
        # "power bill for 10k gpus @ 8 cents": a price in cents in a power question is per kWh
        cents = w.take(r"{N}\s*(?:c|cents?|¢)(?![a-z])")
        p.electricity = cents / 100.0 if cents is not None else None

    p.facility_capex_per_mw = w.take(money + r"\s*(?:/|per|a)\s*mw\b")
    p.colo = w.take_any([r"colo\w*\s*(?:at|of|=|:|is)?\s*\$\s*{N}", money + r"\s*(?:/|per|a)\s*kw[- ]?(?:month|mo)\b"])
    hourly = w.take(money + r"\s*(?:/|per|an?)\s*(?:gpu|chip|accelerator)?[- ]?(?:hr|hour|h)\b")
    p.rental_price = None if re.search(PAID_PRICE, p.text) else hourly  # paid per hour, asked per token: not a rental
    p.capex_per_accelerator = w.take_any(
        [
            money + r"\s*(?:/|per|a|an|each)?\s*(?:gpu|chip|accelerator|card|unit)",
            r"(?:costs?|price[ds]?|priced at|capex(?: of)?|paid|pay|at)\s*" + money + r"\s*(?:each|apiece|a piece)?",
            money + r"\s*(?:each|apiece|a piece)\b",
        ]
    )
    p.growth = [
        g / 100
        for g in w.take_all(
            r"{N}\s*%\s*(?:/\s*(?:yr|year)|a year|per year|per annum|annual(?:ly)?|yoy|y/y|growth|cagr|a yr)"
        )
    ]
    if not p.growth and re.search(r"scenario", p.text):
        p.growth = [g / 100 for g in w.take_all(r"{N}\s*%")]
    if not p.growth:
        g = w.take(r"(?:grow(?:s|ing|th)?|cagr)\s*(?:of|at|by|=)?\s*{N}\s*%")
        if g is not None:
            p.growth = [g / 100]
    if not p.growth and re.search(r"capex|capital spend|forecast", p.text):
        # "big tech capex through 2030 at 15%": in a capex question a bare rate is the growth rate
        g = w.take(
            r"(?:at|@|of)\s*{N}\s*%(?!\s*(?:util|utili[sz]ation|mfu|mbu|wacc|cost of capital|network|maint|of (?:it|capex|that|spend)|on ai|for ai))"
        )
        if g is not None:
            p.growth = [g / 100]
    p.cost_of_capital = percent(
        [
            r"(?:wacc|cost of capital|discount rate|interest rate|rate of return)\s*(?:of|at|=|:|is)?\s*{N}\s*%",
            r"{N}\s*%\s*(?:wacc|cost of capital|discount rate)",
        ],
        w.text,
    )
    p.utilization = percent(
        [
            r"{N}\s*%\s*(?:utili[sz]ation|util|utilized|utilised|busy|load)",
            r"(?:utili[sz]ation|util|utilized|utilised|busy)\s*(?:of|at|=|:|is)?\s*{N}\s*%",
        ],
        w.text,
    )
    p.networking_fraction = percent(
        [r"network(?:ing)?\s*(?:at|of|=|:|is)?\s*{N}\s*%", r"{N}\s*%\s*(?:for\s*)?network"], w.text
    )
    p.maintenance = percent([r"maint(?:enance)?\s*(?:at|of|=|:|is)?\s*{N}\s*%", r"{N}\s*%\s*(?:for\s*)?maint"], w.text)
    if (pue := w.take(r"pue\s*(?:of|=|:|at|is|was|were|becomes?|(?:goes|drops|falls|rises) to)?\s*{N}")) is not None:
        p.pue = pue
    p.gw = w.take(r"{N}\s*-?\s*(?:gw|gigawatts?)\b")
    p.mw = w.take(r"{N}\s*-?\s*(?:mw|megawatts?)\b")
    p.power_kw = w.take(r"{N}\s*-?\s*kw\b(?!h)")
    if p.power_kw is None:
        watts = w.take(r"{N}\s*-?\s*(?:w|watts?)\b")
        p.power_kw = watts / 1000 if watts is not None else None
    p.tokens_per_s = w.take(r"{N}\s*(?:tok(?:en)?s?\s*/\s*s(?:ec)?|tokens? (?:per|a) second|tps)\b")
    years = w.take_any(
        [
            r"(?:over|for|across|life(?:time)? of|depreciat\w* over)\s*{N}\s*-?\s*(?:years?|yrs?)\b",
            r"{N}\s*-?\s*(?:years?|yrs?)\b(?!\s*/)",
        ]
    )
    p.years = years
    if through := re.search(r"(?:through|thru|until|till|to|by|in|for|out to)\s*(?:fy\s*)?'?(20[2-4]\d)\b", p.text):
        p.through = int(through.group(1))
    _year(p)
    if since := re.search(r"(?:since|from|starting)\s*(?:fy\s*)?(20[0-2]\d)\b", p.text):
        p.since = int(since.group(1))
    if re.search(
        r"pure roofline|100\s*%\s*(?:eff|of (?:peak|bandwidth|datasheet))|"
        r"full (?:efficiency|bandwidth)|no efficiency loss|ideal roofline|roofline bound",
        p.text,
    ):
        p.roofline = True
    p.mem_eff = percent(
        [
            r"(?:mem(?:ory)?[_ ]?eff(?:iciency)?|mbu|bandwidth efficiency)\s*(?:of|=|:|at)?\s*{N}\s*%",
            r"{N}\s*%\s*(?:mbu|of (?:hbm )?bandwidth|mem(?:ory)?[_ ]?eff(?:iciency)?|bandwidth efficiency)",
        ],
        w.text,
    )
    p.compute_eff = percent(
        [
            r"(?:compute[_ ]?eff(?:iciency)?|mfu)\s*(?:of|=|:|at)?\s*{N}\s*%",
            r"{N}\s*%\s*(?:mfu|of peak flops|compute[_ ]?eff(?:iciency)?)",
        ],
        w.text,
    )


_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


def _year(p: Parsed) -> None:
    """The year asked about. "next year" = today's year + 1 and "this year" = today's year
    (``datetime.date.today()``, stated in the answer); "next 3 years" runs the horizon to today + 3."""
    import datetime

    today = datetime.date.today().year
    if m := re.search(r"\b(next|this|coming|current|last|previous)\s+(?:fiscal\s+|calendar\s+)?year\b", p.text):
        offset = {"next": 1, "coming": 1, "this": 0, "current": 0, "last": -1, "previous": -1}[m.group(1)]
        p.year, p.year_words = today + offset, m.group(0)
    elif m := re.search(r"\bnext\s+(\d+|two|three|four|five|ten)\s+(?:fiscal\s+)?years\b", p.text):
        n = int(m.group(1)) if m.group(1).isdigit() else _WORD_NUMBERS[m.group(1)]
        p.through, p.year_words = today + n, m.group(0)
    elif p.through is not None:
        p.year = p.through  # "in 2027", "through 2028": that year is the one to lead with
    elif bare := re.search(
        r"(?<!since )(?<!from )(?<!starting )(?<![-=:]\s)(?<![-=:])\b(?:fy\s*)?'?(20[2-4]\d)\b(?!\s*(?:tokens?|toks?))",
        p.text,
    ):  # "context=-2048", "2048 tokens": a length, not a year
        p.year = int(bare.group(1))  # "meta capex 2026 guidance"
    if p.year is not None and p.year_words and (p.through is None or p.through < p.year):
        p.through = p.year


def _tokens(w: _Text, p: Parsed) -> None:
    """Prompt, output, reasoning and total tokens, plus batch (see the module docstring)."""
    # "$ per 1M tokens" is a unit of price, not a request length
    w.text = re.sub(
        r"(?:per|/|a)\s*(?:1\s*m|one million|a million|million|1,000,000|1m)\s*(?:(?:output|input|generated|prompt)\s*)?"
        r"(?:tokens?|toks?)\b(?!\s*-?\s*(?:context|ctx|window|long|prompt|requests?|sequences?))|/\s*mtok\w*",
        " ~ ",
        w.text,
    )
    # "how long to generate 1M tokens": a volume of tokens to produce, not a request length
    volume = w.take(r"(?:generate|produce|decode|output|serve|process)\s*{N}\s*(?:tokens?|toks?)\b")
    p.token_volume = as_int(volume) if volume is not None else None
    p.reasoning = _int(
        w.take_any(
            [
                r"{N}" + _TOK + r"?\s*(?:of\s*)?(?:reasoning|thinking|cot|chain[- ]of[- ]thought)",
                r"(?:reasoning|thinking)\s*(?:of|=|:|budget(?: of)?)?\s*{N}",
            ]
        )
    )
    _prompt_plus_output(w, p)
    p.prompt = (
        p.prompt
        if p.prompt is not None
        else _int(
            w.take_any(
                [
                    r"{N}" + _TOK + r"?[\s-]*(?:prompts?|input|in|isl|prefill)\b(?![- ]?(?:flight|the))",
                    r"\b(?:prompts?|input|isl|prefill)\s*(?:length|len|size|of|=|:|is)?\s*(?:of\s*)?{N}",
                ]
            )
        )
    )
    p.output = (
        p.output
        if p.output is not None
        else _int(
            w.take_any(
                [
                    r"{N}" + _TOK + r"?[\s-]*(?:outputs?|out|generated|gen|osl|answers?|completion|response|decode)\b",
                    r"\b(?:output|out|osl|generat(?:e|es|ing)|answer|completion|response)\s*(?:length|len|size|of|=|:|is)?\s*(?:of\s*)?{N}",
                ]
            )
        )
    )
    _counted_length(w, p)
    p.batch = _int(
        w.take_any(
            [
                r"(?:bs|batch(?:[- ]?size)?|batch of|max[_ ]num[_ ]seqs)\s*(?:=|:|of|at|is)?\s*{N}",
                r"{N}\s*(?:concurrent\s*)?(?:users|sequences|seqs|streams|sessions)\b",
                r"{N}\s*concurrent\s*(?:requests?)?",
            ]
        )
    )
    p.total = (
        p.total
        if p.total is not None
        else _int(
            w.take_any(
                [
                    r"(?:ctx|context(?:[- ]length| window| len)?|seq(?:uence)?(?:[- ]?len(?:gth)?)?|max[_ ]model[_ ]len)"
                    r"\s*(?:of|=|:|at|is)?\s*-?\s*{N}",
                    r"{N}" + _TOK + r"?\s*(?:of\s*)?(?:max(?:imum)?\s*|full\s*)?(?:ctx|context|sequences?|seq)\b",
                    r"{N}"
                    + _TOK
                    + r"\s*(?:requests?|queries|sessions|prompts?|conversations?|chats?|each|per request|long)?",
                    r"(?:full|entire|whole|its)\s*{N}" + _TOK + r"?[\s-]*(?:context\s*)?window\b",
                ]
            )
        )
    )
    if p.total is None and (
        bare := re.search(
            r"(?:\bat|@|\bw/|\bwith|\bfor)\s*(\d+(?:\.\d+)?)\s*k\b(?!\s*(?:gpus?|users|requests|\$|/|per|a\b))", w.text
        )
    ):
        p.total = as_int(float(bare.group(1)) * 1000)  # "kv cache for qwen 72b at 128k": a length in tokens
    if p.tp is None:
        p.tp = _int(w.take(r"\btp\s*(?:=|:)?\s*{N}"))


#: "how many 32k seqs", "how many 128k ctx sequences", "8,192-token sequences": the number is each sequence's length.
_COUNTED_LENGTH = [
    r"how many\s*(?:concurrent\s*|simultaneous\s*|full\s*)?{N}" + _TOK + r"?[\s-]*(?:ctx|context)?\s*"
    r"(?:seqs?|sequences?|requests?|users|streams|sessions|conversations)\b",
    r"{N}" + _TOK + r"[\s-]*(?:ctx|context)?\s*(?:seqs?|sequences?)\b",
    r"{N}[\s-]*(?:ctx|context)\s*(?:seqs?|sequences?)\b",
]
_MIN_LENGTH, _CTX = 256, r"{N}" + _TOK + r"?\s*(?:ctx|context)\b"  # below 256, "64 seqs" counts sequences
#: "max 32k (32768) seqs": a length, from 8,192 up (below, "max 256 seqs" is vLLM's max_num_seqs, a batch).
_MAX_LENGTH_SEQS = (r"\bmax(?:imum)?\s*{N}" + _TOK + r"?[\s-]*(?:ctx|context)?\s*(?:seqs?|sequences?)\b", 8192)


def _counted_length(w: _Text, p: Parsed) -> None:
    """A length written where a count of sequences would stand: "how many 32k (32768 tok) seqs fit" asks for the
    count, so 32,768 is each sequence's total length (prompt + output), not a batch of 32,768."""
    if p.total is not None or p.prompt is not None or p.output is not None:
        return
    for pattern in _COUNTED_LENGTH:
        m = first(pattern, w.text)
        if m and number_at(m) >= _MIN_LENGTH:
            length = _int(w.take(pattern)) or 0  # "128k (131072) ctx ... 128k seqs": the context is the length
            p.total = None if (c := first(_CTX, w.text)) and abs(number_at(c) - length) <= 0.05 * length else length
            return
    pattern, least = _MAX_LENGTH_SEQS
    if (m := first(pattern, w.text)) and number_at(m) >= least:
        p.total = _int(w.take(pattern))


def _prompt_plus_output(w: _Text, p: Parsed) -> None:
    """ "4000+1000 tokens", "4096 + 4096 requests": a request written as prompt + output (in that order)."""
    m = re.search(
        r"(?<![\w.$])(\d+(?:\.\d+)?)\s*(k?)\s*\+\s*(\d+(?:\.\d+)?)\s*(k?)\s*(?:-?\s*(?:tokens?|toks?|reqs?|requests?))\b",
        w.text,
    )
    if not m:
        return
    p.prompt = as_int(float(m.group(1)) * (1000 if m.group(2) else 1))
    p.output = as_int(float(m.group(3)) * (1000 if m.group(4) else 1))
    w.text = w.text[: m.start()] + " ~ " + w.text[m.end() :]


def _int(v: float | None) -> int | None:
    return as_int(v) if v is not None else None
