"""A bandwidth-bound decode the analyst spells out, by ``calculate``: bytes read per step over bandwidth.

"70 GB of fp8 weights on one H200 at 4.8 TB/s, batch 1, ignore KV. tok/s?" states what one decode step reads;
the throughput calculator would use a catalog model's weights, its own KV reads and a step overhead instead.
So the plan computes the roofline the question spells out:

    bytes per step   = weight bytes + KV bytes read per step
    KV per step      = batch x KV bytes per sequence  ("1.25 GB KV per seq"; "4,096 tokens of KV at
                       131,072 B/token" is 4,096 x 131,072 per sequence), or a stated total per step
                       ("140 GB of weights + 40 GB of KV per decode step")
    step time (s)    = bytes per step / (accelerators x bandwidth per accelerator x efficiency)
    per sequence     = 1 / step time  tokens/s (one token per sequence per step)
    aggregate        = batch / step time  tokens/s
    smallest batch   = ceil(target x weight bytes / (bandwidth x efficiency - target x KV per sequence)),
                       for "the smallest batch that reaches 2,000 tok/s aggregate"

Weight bytes: a stated size "of weights" ("70 GB of fp8 weights", "141 GB read per token", "16 GB per step"),
stated parameters x stated bytes ("6.74e9 params x 2 bytes"), or stated active parameters x the stated
format's bytes ("37B active params, fp8"; these come first: "fp8 weights 671GB ... bs1 ceiling from 37B active"
reads the active weights, the 671GB being what memory holds). A catalog model's weights alone are read when the
formula says so ("bw/weight bytes", "step time = weight bytes / aggregate bw") or a batch-1 bound states no context
("bs1 decode bound"); the throughput calculator's headline gives that ceiling for one chip at full bandwidth, so
this plan is made for two chips, a stated share of bandwidth, the formula, or bytes / $/Mtok asked.
Bandwidth: each stated TB/s (per accelerator unless called aggregate or written "8 x 4.8 TB/s"), else each
named chip's datasheet figure (accelerators.csv ``mem_bw_tbps``) times the accelerators. Efficiency: the stated
share of bandwidth ("60% achievable", "90% of bandwidth"), else 1 when the question asks for a ceiling, a bound,
full or datasheet bandwidth; a question stating neither is not read. With stated peak FLOPS and FLOPs per
parameter the slower of the memory and compute rooflines is taken. Two chips give each speed and their ratio;
"how much faster is B200 than H100, bandwidth-bound" is the bandwidth ratio. A question that neither sets the KV
reads aside, states them, states a bandwidth nor says what a step reads is the throughput calculator's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agent.field_units import CONDITIONS
from agent.offline.catalog_roofline import catalog_decode_reads
from agent.offline.decode_extras import bytes_per_step, cost_per_mtok
from agent.offline.plan_types import Labels, expr_number
from tools.quantities import Quantity

#: The question asks for a decode speed (or a bandwidth-bound comparison).
_SPEED = re.compile(r"tok(?:en)?s?\s*/\s*s|tokens? (?:per|a) sec|\btps\b|decode|throughput|how (?:much )?faster", re.I)
_BOUND = re.compile(r"bandwidth[- ]bound|memory[- ]bound|\bbw[- ]bound|ceiling|roofline|upper bound", re.I)
_CEILING = re.compile(r"ceiling|upper bound|\bbound\b|roofline|\bmax(?:imum)?\b|at most|\bfull\b", re.I)
#: A catalog model's roofline is read only when a bound is asked for ("upper bound", "throughput bound").
_CATALOG_BOUND = re.compile(r"\bbound\b|ceiling|roofline|\bmax(?:imum)? (?:decode|throughput|tok)", re.I)
_IGNORE_KV = re.compile(CONDITIONS[0][0] + r"|negligible kv|kv (?:is |reads? )?negligible", re.I)
_WEIGHTS = re.compile(
    r"weights?|read per (?:token|step)|per token|per (?:decode )?step|/step|\bmodel\b|\bdense\b|streams?", re.I
)
_STEP_READ = re.compile(r"read per (?:token|step)|per (?:decode )?step|/step|streams?|reading", re.I)
_KV = re.compile(r"\bkv\b|cache", re.I)
_KV_TOTAL = re.compile(r"per (?:decode )?step|in total|\btotal\b|all sequences", re.I)
_KV_PER_SEQ = re.compile(r"per (?:seq|sequence|stream|user|request)|each (?:seq|sequence|stream|user|request)", re.I)
_AGGREGATE = re.compile(r"aggregate|total|combined|in all", re.I)
_EFFICIENCY = re.compile(r"bandwidth|\bbw\b|achiev|efficien|\bmbu\b|of peak|datasheet|utili[sz]", re.I)
_CAPACITY = re.compile(r"\beach\b|per (?:gpu|accelerator|chip|card)|\bhbm\b|memory|usable|capacity|hold", re.I)
_TIMES_BEFORE = re.compile(r"(\d+)\s*[x×]\s*$")
_PARTS = re.compile(r";|\band (?=how many|how much|what)", re.I)
#: "call it 1 byte/param", "0.5 bytes per parameter": the stated bytes per weight, over the format's.
_BYTES_PER_PARAM = re.compile(r"(\d+(?:\.\d+)?)\s*bytes?\s*(?:/|per|a)\s*(?:param|weight)", re.I)
_SMALLEST_BATCH = re.compile(r"(?:smallest|minimum|min|fewest|least)\s+(?:whole\s+)?batch", re.I)
#: The question states the roofline itself: "at datasheet bw", "85% of peak HBM bandwidth", "(bw/weight bytes)", "step time = weight bytes /
#: aggregate bw". It reads a catalog model's weights at the stated (else full) datasheet bandwidth.
_STATED_ROOFLINE = re.compile(
    r"(?:datasheet|peak|rated|spec) (?:hbm |memory )?(?:bw|bandwidth)|(?:bw|bandwidth)\s*/\s*(?:the )?weights?\b|"
    r"weights?(?: bytes| size)?\s*/\s*(?:\w+ ){0,2}(?:bw|bandwidth)",
    re.I,
)
_BATCH_ONE = re.compile(
    r"\bbs\s*=?\s*1\b|\bbatch(?:[- ]size)?\s*(?:of\s*)?=?\s*1\b|single[- ](?:stream|user)|one (?:user|sequence)", re.I
)
#: The reading sets the weights alone: "(bw/weight bytes)", "step time = weight bytes / bw".
_WEIGHTS_ONLY_FORMULA = re.compile(
    r"(?:bw|bandwidth)\s*/\s*(?:the )?weights?\b|weights?(?: bytes| size)?\s*/\s*(?:\w+ ){0,2}(?:bw|bandwidth)", re.I
)


@dataclass
class Bound:
    """What one bandwidth-bound step reads and how fast it can read it."""

    weights: str  # expression: bytes read per step for the weights
    kv_seq: str = "0"  # expression: KV bytes per sequence read per step
    kv_step: str = "0"  # expression: KV bytes read per step in all (a stated total)
    batch: int = 1
    gpus: int = 1
    efficiency: float = 1.0
    source: str = ""  # where catalog weights and KV come from (agent.offline.catalog_roofline), or a stated size's role
    catalog: bool = False  # the weights and KV are the catalog model's


def _near(text: str, q: Quantity, pattern: re.Pattern[str], before: int = 20, after: int = 24) -> bool:
    return bool(pattern.search(text[max(0, q.start - before) : q.end + after]))


def _weights(question: str, qs: list[Quantity], fmt_bytes: float | None) -> str | None:
    """The weight bytes per step as an expression (module docstring). None when several sizes could be the
    weights ("70e9-byte model ... 141e9 bytes each ... 405.9e9 bytes"): the reading would be a guess."""
    active = _active(question, qs, fmt_bytes)
    if active is not None:
        return active  # "bs1 decode ceiling from 37B active fp8": an MoE step reads its active weights
    start, end = _speed_part(question)
    sizes = [
        q
        for q in qs
        if q.unit == "bytes" and q.value >= 1e8 and start <= q.start < end and not _near(question, q, _KV, 6, 12)
    ]
    weighty = [q for q in sizes if _near(question, q, _WEIGHTS)]
    if len(sizes) > 1 and not (
        len(weighty) == 1 and all(_near(question, q, _CAPACITY) for q in sizes if q not in weighty)
    ):
        return None
    if weighty:
        return expr_number(weighty[0].value)
    if len(sizes) == 1 and not _near(question, sizes[0], _CAPACITY, 12, 12):
        return expr_number(sizes[0].value)  # "Llama-2-13B fp16 (26e9 bytes)": the one size, not a capacity
    params = next((q for q in qs if q.unit == "params" and q.value >= 1e8), None)
    size = next((q for q in qs if q.unit == "bytes" and 0 < q.value <= 4), None)
    if params and size:
        return f"{expr_number(params.value)} * {expr_number(size.value)}"
    return None


def _active(question: str, qs: list[Quantity], fmt_bytes: float | None) -> str | None:
    """Stated active parameters x bytes per value (the stated bytes per parameter, else the format's)."""
    per_param = _BYTES_PER_PARAM.search(question)
    fmt_bytes = float(per_param.group(1)) if per_param else fmt_bytes
    if fmt_bytes is None:
        return None
    for q in qs:
        around = question[max(0, q.start - 20) : q.end + 20].lower()
        if q.value >= 1e8 and q.unit in ("params", "") and "active" in around + q.text.lower():
            return f"{expr_number(q.value)} * {fmt_bytes:g}"
    return None


def _speed_part(question: str) -> tuple[int, int]:
    """The span of the part that asks for the speed, when the question has several ("...: tok/s?; and how many
    H200s to hold 405.9e9 bytes"): the other part's sizes are not this step's weights."""
    cuts = [0] + [m.end() for m in _PARTS.finditer(question)] + [len(question)]
    asked = _SPEED.search(question)
    at = asked.start() if asked else 0
    return next(((a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a <= at < b), (0, len(question)))


def _kv(question: str, qs: list[Quantity], bound: Bound) -> bool:
    """Fill the KV read per step (module docstring); False when a KV size is stated and it is unclear whether it
    is per sequence or for the whole step."""
    per_token = next((q for q in qs if q.unit == "bytes" and q.per == "token"), None)
    tokens = next((q for q in qs if q.unit == "tokens"), None)
    if per_token and tokens:
        bound.kv_seq = f"{expr_number(tokens.value)} * {expr_number(per_token.value)}"
        return True
    for q in qs:
        if q.unit != "bytes" or q.per == "token" or not _near(question, q, _KV, 6, 12):
            continue
        tail = question[q.end : q.end + 30]
        if _KV_PER_SEQ.search(question[max(0, q.start - 24) : q.end + 30]) or q.per in ("stream", "user", "request"):
            bound.kv_seq = expr_number(q.value)
        elif _KV_TOTAL.search(tail) or q.per == "step":
            bound.kv_step = expr_number(q.value)
        else:
            return False
        return True
    return True


def _efficiency(question: str, qs: list[Quantity]) -> float | None:
    """The stated share of bandwidth; 1 for a ceiling, a bound or full bandwidth; None when neither is stated."""
    rates = [r.start for r in qs if r.unit == "bytes/s"]
    for q in qs:
        of_rate = any(0 < start - q.end <= 16 for start in rates)  # "100% of 3.35 TB/s", "100% of the 8 x 4.8 TB/s"
        if q.unit == "fraction" and 0 < q.value <= 1 and (of_rate or _near(question, q, _EFFICIENCY, 12, 30)):
            return q.value
    stated = _CEILING.search(question) or _BOUND.search(question) or _STATED_ROOFLINE.search(question)
    return 1.0 if stated else None


def _bandwidths(question: str, qs: list[Quantity], chips: list[tuple[str, float]], gpus: int) -> list[tuple[str, str]]:
    """(label, bandwidth expression in bytes/s over the whole replica) per bandwidth: the stated TB/s, else each
    named chip's datasheet figure, times the accelerators unless stated as aggregate."""
    stated = [q for q in qs if q.unit == "bytes/s"]
    out = []
    for q in stated:
        near = [name for name, _ in chips if name.lower() in question[max(0, q.start - 30) : q.start].lower()]
        label = near[-1] if near and len(stated) > 1 else q.text
        times = _TIMES_BEFORE.search(question[: q.start])
        if times:
            out.append((label, f"{times.group(1)} * {expr_number(q.value)}"))
        elif _near(question, q, _AGGREGATE, 20, 12) or gpus == 1:
            out.append((label, expr_number(q.value)))
        else:
            out.append((label, f"{gpus} * {expr_number(q.value)}"))
    if out:
        return out
    return [
        (
            f"{name} ({bw:g} TB/s datasheet)",
            f"{gpus} * {expr_number(bw * 1e12)}" if gpus > 1 else expr_number(bw * 1e12),
        )
        for name, bw in chips
    ]


def _chips(question: str) -> list[tuple[str, float]]:
    """(short name, datasheet TB/s) of each chip named, in order (read from the normalised question, so
    "8xH200" names the H200)."""
    from agent.offline.parse import parse
    from tools.catalog import find_accelerator

    out = []
    for m in parse(question).chips:
        if m.name:
            row = find_accelerator(m.name)
            out.append((m.text.upper() if len(m.text) <= 8 else row.name, row.mem_bw_tbps))
    return out


def _reads_set(question: str, qs: list[Quantity], bound: Bound) -> bool:
    """The question settles what a step reads besides the weights: KV set aside or stated, a stated bandwidth,
    bytes "per step" / "read per token", or a bandwidth-bound reading asked for."""
    return bool(
        _IGNORE_KV.search(question)
        or bound.kv_seq != "0"
        or bound.kv_step != "0"
        or any(q.unit == "bytes/s" for q in qs)
        or _STEP_READ.search(question)
        or _BOUND.search(question)
    )


def decode_bound_calls(question: str, qs: list[Quantity], make: Any) -> tuple[list[Any], Labels, str] | None:
    """``calculate`` calls for a bandwidth-bound decode the question spells out, their labels and a note; None when
    the question does not state what a step reads (module docstring). ``qs``: the question's stated quantities."""
    if not _SPEED.search(question):
        return None
    from agent.offline.parse import parse
    from tools.dtypes import BYTES_PER_VALUE

    p = parse(question)
    fmt_bytes = BYTES_PER_VALUE[p.weights_dtype] if p.weights_dtype else None
    chips = _chips(question)
    weights = _weights(question, qs, fmt_bytes)
    ignore = _IGNORE_KV.search(question)
    weights_only = bool(ignore) or _weights_only(question, qs, p)
    catalog = None if weights is not None else catalog_decode_reads(question, p, weights_only)
    if weights is None and catalog is None:
        return _ratio(question, chips, make)
    bound = Bound(weights=catalog[0] if catalog else str(weights), batch=p.batch or 1, gpus=max(1, p.count or 1))
    efficiency = _efficiency(question, qs)
    if catalog and weights_only and bound.batch == 1 and not _own_ceiling(question, qs, chips, efficiency):
        return None  # the throughput calculator's textbook ceiling is this figure (and follow-ups can rerun it)
    if catalog:
        bound.kv_seq, bound.source, bound.catalog = catalog[1], catalog[2], True
    elif not (ignore or _kv(question, qs, bound)):
        return None
    asked = _CATALOG_BOUND.search(question) or _STATED_ROOFLINE.search(question)
    reads_set = (catalog and weights_only) or _reads_set(question, qs, bound)
    if efficiency is None or not reads_set or (catalog and not asked):
        return None
    bound.efficiency = efficiency
    held = [q.text for q in qs if q.unit == "bytes" and q.value >= 1e8 and _near(question, q, _WEIGHTS)]
    if held and weights is not None and weights == _active(question, qs, fmt_bytes):
        bound.source = (
            f"The stated {held[0]} of weights is what memory holds; a decode step reads the active parameters only"
        )
    bandwidths = _bandwidths(question, qs, chips, bound.gpus)
    if not bandwidths:
        return None
    return _calls(question, bound, bandwidths, (make, fmt_bytes, qs))


def _weights_only(question: str, qs: list[Quantity], p: Any) -> bool:
    """A step reads the weights alone: the formula says so ("bw/weight bytes"), or a batch-1 question states no
    context and asks a bound, a $/Mtok or the bytes (the textbook ceiling: no KV length to read)."""
    if _WEIGHTS_ONLY_FORMULA.search(question):
        return True
    if p.batch not in (None, 1) or p.total or p.prompt:
        return False
    bs1 = p.batch == 1 or _BATCH_ONE.search(question)
    asked = _CATALOG_BOUND.search(question) or _STATED_ROOFLINE.search(question)
    return _extras_asked(question, qs) or bool(bs1 and asked)


def _own_ceiling(question: str, qs: list[Quantity], chips: list[tuple[str, float]], efficiency: float | None) -> bool:
    """A weights-only batch-1 ceiling the throughput calculator's headline does not give: two chips (each and their
    ratio), a stated share of bandwidth, a weights-only formula, or bytes / $/Mtok asked beside it."""
    return (
        len(chips) > 1
        or efficiency not in (None, 1.0)
        or bool(_WEIGHTS_ONLY_FORMULA.search(question))
        or _extras_asked(question, qs)
    )


def _reads(bound: Bound) -> str:
    """Bytes read per decode step: weights + batch x KV per sequence + a stated KV total per step."""
    kv = "" if bound.kv_seq == "0" else f" + {bound.batch} * {bound.kv_seq}"
    kv += "" if bound.kv_step == "0" else f" + {bound.kv_step}"
    return f"{bound.weights}{kv}"


def _extras_asked(question: str, qs: list[Quantity]) -> bool:
    """Whether the question asks for the bytes per step or a $/Mtok at the ceiling beside the speed."""
    return bytes_per_step(question, "0") is not None or cost_per_mtok(question, qs, 1, "1") is not None


def _step(bound: Bound, bw: str, compute: str | None) -> str:
    """Seconds per decode step: bytes per step / (bandwidth x efficiency), or the compute roofline when slower."""
    step = f"({_reads(bound)}) / ({bw} * {bound.efficiency:g})"
    return f"max({step}, {compute})" if compute else step


def _calls(
    question: str, bound: Bound, bandwidths: list[tuple[str, str]], ctx: tuple[Any, float | None, list[Quantity]]
) -> tuple[list[Any], Labels, str]:
    make, fmt_bytes, qs = ctx
    compute = _compute_step(question, bound, fmt_bytes)
    target = next((q for q in qs if q.unit == "tokens/s"), None) if _SMALLEST_BATCH.search(question) else None
    calls: list[Any] = []
    labels: Labels = {}
    speeds = []
    basis = "bandwidth x efficiency / bytes per step" + (", or the compute roofline when slower" if compute else "")
    for label, bw in bandwidths:
        if target is not None and bound.kv_step == "0":
            kv = "" if bound.kv_seq == "0" else f" - {expr_number(target.value)} * {bound.kv_seq}"
            expr = f"ceil({expr_number(target.value)} * {bound.weights} / ({bw} * {bound.efficiency:g}{kv}))"
            labels[expr] = (
                f"Smallest batch reaching {target.text}, {label}",
                "",
                "aggregate = batch / step time, solved",
            )
            calls.append(make("calculate", {"expression": expr}))
            continue
        step = _step(bound, bw, compute)
        per_seq = f"1 / ({step})"
        speeds.append(per_seq)
        name = ": per sequence" if bound.batch > 1 else ""
        labels[per_seq] = (f"Bandwidth-bound decode, {label}{name}", "tokens/s", basis)
        calls.append(make("calculate", {"expression": per_seq}))
        agg = per_seq
        if bound.batch > 1:
            agg = f"{bound.batch} / ({step})"
            labels[agg] = (f"Bandwidth-bound decode, {label}: aggregate", "tokens/s", f"x batch {bound.batch}")
            calls.append(make("calculate", {"expression": agg}))
        for extra in (bytes_per_step(question, _reads(bound)), cost_per_mtok(question, qs, bound.gpus, agg)):
            if extra is not None and extra[0] not in labels:
                labels[extra[0]] = extra[1]
                calls.append(make("calculate", {"expression": extra[0]}))
    if len(speeds) == 2 and re.search(r"ratio|faster|speed[- ]?up|how much more", question, re.I):
        ratio = f"({speeds[0]}) / ({speeds[1]})"
        labels[ratio] = (f"{bandwidths[0][0]} vs {bandwidths[1][0]}", "x", "the ratio of the two rooflines")
        calls.append(make("calculate", {"expression": ratio}))
    return calls, labels, _note(question, bound)


def _note(question: str, bound: Bound) -> str:
    ignore = _IGNORE_KV.search(question)
    kv = (
        f", and no KV read ({ignore.group(0)}, as asked)"
        if ignore
        else ("" if bound.kv_seq != "0" or bound.kv_step != "0" else ", and no KV read")
    )
    source = f" {bound.source}." if bound.source else ""
    return (
        f"Bandwidth-bound ceiling from the {'catalog' if bound.catalog else 'stated'} bytes: step time = bytes read per "
        "step / (accelerators x bandwidth x "
        f"efficiency {bound.efficiency:g}), per sequence = 1 / step time, aggregate = batch / step time; no step "
        f"overhead or communication{kv}. The throughput calculator would use its own weight bytes, KV reads and "
        f"step overheads.{source}"
    )


def _compute_step(question: str, bound: Bound, fmt_bytes: float | None) -> str | None:
    """The compute roofline of a step when the question gives peak FLOPS and FLOPs per parameter per token
    ("use 989 dense TFLOPS, 2 FLOPs/param/token"): FLOPs per parameter x parameters x batch / (accelerators x
    peak), parameters = weight bytes / the format's bytes per value. None when it does not."""
    peak = re.search(r"(\d[\d,]*(?:\.\d+)?)\s*(?:dense\s+)?(?:(?:bf16|fp16|fp8)\s+)?tflops", question, re.I)
    per = re.search(r"(\d+(?:\.\d+)?)\s*flops?\s*(?:/|per)\s*param", question, re.I)
    if not (peak and per and fmt_bytes):
        return None
    tflops = float(peak.group(1).replace(",", ""))
    return f"{per.group(1)} * ({bound.weights}) / {fmt_bytes:g} * {bound.batch} / ({bound.gpus} * {tflops:g} * 1e12)"


def _ratio(question: str, chips: list[tuple[str, float]], make: Any) -> tuple[list[Any], Labels, str] | None:
    """ "How much faster is B200 than H100, purely bandwidth-bound": the ratio of their datasheet bandwidths."""
    if len(chips) != 2 or not _BOUND.search(question) or not re.search(r"faster|ratio|speed[- ]?up", question):
        return None
    (a, bw_a), (b, bw_b) = chips
    expr = f"{bw_a!r} / {bw_b!r}"
    label = (f"{a} vs {b}, bandwidth-bound decode", "x", f"datasheet bandwidth {bw_a:g} / {bw_b:g} TB/s")
    note = (
        "Bandwidth-bound decode scales with memory bandwidth alone (same model, same batch): the speed-up is the ratio."
    )
    return [make("calculate", {"expression": expr})], {expr: label}, note
