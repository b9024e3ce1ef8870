"""Unit economics of a serving deployment: cost per million tokens, per query, queries per hour.

One replica (``accelerators_per_replica`` accelerators serving one model copy) decodes
``concurrent_streams`` sequences at ``tokens_per_s_per_stream`` each (or ``tokens_per_s_per_replica`` in all).
Money in USD, time in hours unless a name says seconds:

    replica cost / hour   C = price_per_accelerator_hour x accelerators_per_replica       (paid every hour)
    replica tokens/s      T = concurrent_streams x tokens_per_s_per_stream   (or the aggregate given)
    replica-s per query   s = output_tokens / T + prompt_tokens / P
                          (P = prefill_tokens_per_s_per_replica; without it prompt tokens are charged at T)
    queries_per_hour      = 3600 x utilization / s
    cost_per_query        = C / queries_per_hour;   cost_per_1k_queries = 1000 x that
    cost_per_million_tokens        = cost_per_query / (output + prompt tokens) x 10^6
                                     (without tokens per query: C / (T x 3600 x utilization) x 10^6)
    cost_per_million_output_tokens = cost_per_query / output tokens x 10^6
    seconds_per_answer    = output_tokens / tokens_per_s_per_stream                      (what one user waits)

``compare`` runs a second scenario with some inputs changed ('concurrent_streams=16,output_tokens_per_query=11500')
and gives both side by side with the ratios compared / base: the reasoning-economics argument (fewer users per
replica, more tokens per answer) is exactly this calculation.

Check (hand derivation): $2.00 per accelerator-hour, 8 per replica, 64 streams x 25 tok/s, 1,500 tokens per query,
utilization 1: C = $16/h, T = 1,600 tok/s = 5.76 M tok/h -> $2.7778 per million tokens; s = 0.9375 replica-s per
query -> 3,840 queries/h -> $0.0041667 per query.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, Field, ValidationError, field_validator

from tools.errors import InputError, from_validation_error
from tools.results import Worked, record_provenance

#: Inputs a ``compare`` scenario may change.
COMPARABLE = (
    "price_per_accelerator_hour",
    "accelerators_per_replica",
    "concurrent_streams",
    "tokens_per_s_per_stream",
    "tokens_per_s_per_replica",
    "output_tokens_per_query",
    "prompt_tokens_per_query",
    "prefill_tokens_per_s_per_replica",
    "utilization",
)


class ServingCostInput(BaseModel):
    """What a served token and a served query cost, from the price of accelerator time and the serving shape."""

    price_per_accelerator_hour: float | None = Field(
        None, ge=0, description="Price of one accelerator-hour, USD (rented, or your own cost); or give chip."
    )
    chip: str | None = Field(
        None,
        description="Catalog accelerator: take the price from the tco calculator's cost per accelerator-hour "
        "(its defaults).",
    )
    accelerators_per_replica: int = Field(ge=1, description="Accelerators serving one model replica.")
    concurrent_streams: int | None = Field(None, ge=1, description="Sequences decoded at once per replica.")
    tokens_per_s_per_stream: float | None = Field(None, gt=0, description="Output tokens/s each stream sees.")
    tokens_per_s_per_replica: float | None = Field(
        None, gt=0, description="Aggregate output tokens/s of one replica (instead of streams x tokens/s per stream)."
    )
    output_tokens_per_query: float | None = Field(
        None, gt=0, description="Generated tokens per query (reasoning included)."
    )
    prompt_tokens_per_query: float = Field(
        0, ge=0, description="Prompt tokens per query to charge (prefill); 0 = not charged."
    )
    prefill_tokens_per_s_per_replica: float | None = Field(
        None,
        gt=0,
        description="Prompt tokens/s one replica prefills; without it prompt tokens are charged at the decode rate.",
    )
    utilization: float = Field(1.0, gt=0, le=1, description="Fraction of paid hours the replica serves at that rate.")
    compare: str | None = Field(
        None,
        description="A second scenario: the inputs that change, 'name=value,...' (e.g. "
        "'concurrent_streams=16,output_tokens_per_query=11500'); any of: " + ", ".join(COMPARABLE) + ".",
    )

    @field_validator("compare", mode="before")
    @classmethod
    def _dict_to_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return ",".join(f"{k}={v}" for k, v in value.items())
        return value


class ScenarioFigures(BaseModel):
    """Every figure of one scenario."""

    price_per_accelerator_hour: float
    accelerators_per_replica: int
    concurrent_streams: int | None
    tokens_per_s_per_stream: float | None
    tokens_per_s_per_replica: float
    output_tokens_per_query: float | None
    prompt_tokens_per_query: float
    utilization: float
    replica_cost_per_hour: float = Field(description="price x accelerators per replica, USD per hour.")
    tokens_per_s_per_accelerator: float
    cost_per_million_tokens: float = Field(description="USD per million tokens charged (prompt + output).")
    cost_per_million_output_tokens: float | None = None
    queries_per_hour: float | None = Field(None, description="Queries one replica completes per hour.")
    cost_per_query: float | None = Field(None, description="USD per query.")
    cost_per_1k_queries: float | None = Field(None, description="USD per 1,000 queries.")
    seconds_per_answer: float | None = Field(None, description="output tokens / tokens/s per stream: one user's wait.")


class ScenarioRatios(BaseModel):
    """compared / base for the headline figures."""

    cost_per_million_tokens: float
    cost_per_query: float | None = None
    queries_per_hour: float | None = None
    concurrent_streams: float | None = None


class ServingCostResult(Worked, ScenarioFigures):
    compared: ScenarioFigures | None = Field(None, description="The compare scenario's figures.")
    ratios: ScenarioRatios | None = Field(None, description="compared / base.")


def _price(inp: ServingCostInput, notes: list[str]) -> float:
    if inp.price_per_accelerator_hour is not None and inp.chip is not None:
        raise InputError(
            "price_per_accelerator_hour", "give either price_per_accelerator_hour or chip (its tco cost), not both."
        )
    if inp.price_per_accelerator_hour is not None:
        return inp.price_per_accelerator_hour
    if inp.chip is None:
        raise InputError(
            "price_per_accelerator_hour", "give a price per accelerator-hour (USD) or a chip to cost with tco."
        )
    from tools.tco import TCOInput, tco

    t = tco(TCOInput(chip=[inp.chip]))
    notes.append(
        f"Price: {t.cost_per_accelerator_hour:.4f} USD per accelerator-hour = tco cost per installed hour of {t.chip} "
        "at the tco defaults (listed in its assumptions; run tco to change them)."
    )
    notes += [f"tco: {a}" for a in t.assumptions]
    return t.cost_per_accelerator_hour or 0.0


def _replica_rate(inp: ServingCostInput) -> float:
    if inp.tokens_per_s_per_replica is not None:
        if inp.tokens_per_s_per_stream is not None:
            raise InputError(
                "tokens_per_s_per_replica",
                "give either tokens_per_s_per_replica (aggregate) or concurrent_streams with tokens_per_s_per_stream, "
                "not both.",
            )
        return inp.tokens_per_s_per_replica
    if inp.concurrent_streams is None or inp.tokens_per_s_per_stream is None:
        missing = "concurrent_streams" if inp.concurrent_streams is None else "tokens_per_s_per_stream"
        raise InputError(missing, "give concurrent_streams and tokens_per_s_per_stream, or tokens_per_s_per_replica.")
    return inp.concurrent_streams * inp.tokens_per_s_per_stream


def scenario(inp: ServingCostInput, price: float) -> ScenarioFigures:
    """Every figure of one scenario at ``price`` USD per accelerator-hour (formulas in the module docstring)."""
    rate = _replica_rate(inp)
    per_hour = price * inp.accelerators_per_replica
    out = ScenarioFigures(
        price_per_accelerator_hour=price,
        accelerators_per_replica=inp.accelerators_per_replica,
        concurrent_streams=inp.concurrent_streams,
        tokens_per_s_per_stream=inp.tokens_per_s_per_stream,
        tokens_per_s_per_replica=rate,
        output_tokens_per_query=inp.output_tokens_per_query,
        prompt_tokens_per_query=inp.prompt_tokens_per_query,
        utilization=inp.utilization,
        replica_cost_per_hour=per_hour,
        tokens_per_s_per_accelerator=rate / inp.accelerators_per_replica,
        cost_per_million_tokens=per_hour / (rate * 3600 * inp.utilization) * 1e6,
    )
    out_tokens = inp.output_tokens_per_query
    if out_tokens is None:
        return out
    prefill = inp.prefill_tokens_per_s_per_replica or rate
    seconds = out_tokens / rate + inp.prompt_tokens_per_query / prefill
    out.queries_per_hour = 3600 * inp.utilization / seconds
    out.cost_per_query = per_hour / out.queries_per_hour
    out.cost_per_1k_queries = 1000 * out.cost_per_query
    out.cost_per_million_tokens = out.cost_per_query / (out_tokens + inp.prompt_tokens_per_query) * 1e6
    out.cost_per_million_output_tokens = out.cost_per_query / out_tokens * 1e6
    if inp.tokens_per_s_per_stream:
        out.seconds_per_answer = out_tokens / inp.tokens_per_s_per_stream
    return out


def _number(name: str, text: str) -> float:
    try:
        return float(text.replace("_", ""))
    except ValueError:
        raise InputError("compare", f"{name}: cannot read {text!r} as a number.") from None


def parse_compare(base: ServingCostInput, text: str) -> ServingCostInput:
    """The base input with the ``name=value`` changes in ``text``; ``InputError`` on ``compare``."""
    changes: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        name, sep, value = part.partition("=")
        name = name.strip().replace("-", "_")
        if not sep or name not in COMPARABLE:
            from rapidfuzz import process

            near = [c for c, _s, _ in process.extract(name, COMPARABLE, limit=2)] if name else []
            raise InputError(
                "compare",
                f"cannot read {part!r}; write name=value with a name from: {', '.join(COMPARABLE)}.",
                suggestions=near,
            )
        changes[name] = _number(name, value.strip())
    if not changes:
        raise InputError("compare", "give at least one name=value change, e.g. 'concurrent_streams=16'.")
    if "tokens_per_s_per_stream" in changes or "concurrent_streams" in changes:
        changes.setdefault("tokens_per_s_per_replica", None)  # streams changed: the aggregate follows them
    if "tokens_per_s_per_replica" in changes and changes["tokens_per_s_per_replica"] is not None:
        changes.setdefault("tokens_per_s_per_stream", None)
    data = {**base.model_dump(exclude={"compare", "chip"}), **changes}
    try:
        return ServingCostInput.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        err = from_validation_error(exc)
        raise InputError("compare", f"{err}") from None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def serving_cost(inp: ServingCostInput) -> ServingCostResult:
    """Cost per million tokens, per query and queries per hour, with an optional second scenario."""
    notes: list[str] = []
    price = _price(inp, notes)
    base = scenario(inp, price)
    compared = ratios = None
    if inp.compare:
        other_inp = parse_compare(inp.model_copy(update={"price_per_accelerator_hour": price}), inp.compare)
        compared = scenario(other_inp, other_inp.price_per_accelerator_hour or 0.0)
        ratios = ScenarioRatios(
            cost_per_million_tokens=compared.cost_per_million_tokens / base.cost_per_million_tokens,
            cost_per_query=_ratio(compared.cost_per_query, base.cost_per_query),
            queries_per_hour=_ratio(compared.queries_per_hour, base.queries_per_hour),
            concurrent_streams=_ratio(compared.concurrent_streams, base.concurrent_streams),
        )
    if inp.output_tokens_per_query is None:
        notes.append("No output_tokens_per_query: per-query figures need the tokens per answer.")
    if inp.prompt_tokens_per_query:
        given = inp.prefill_tokens_per_s_per_replica
        how = "at the given prefill rate" if given else "at the decode rate (no prefill rate given)"
        notes.append(f"Prompt tokens charged {how}; cost_per_million_tokens counts prompt + output tokens.")
    else:
        notes.append("Prompt tokens not charged (prefill time taken as negligible or priced elsewhere).")
    if "utilization" not in inp.model_fields_set:
        notes.append("utilization = 1 (every paid hour serves at the stated rate); give utilization for idle time.")
    notes.append("Every paid accelerator-hour is charged whether or not it serves; throughput is the rate you state.")
    result = ServingCostResult(
        formula=(
            "replica $/h = price x accelerators; tokens/s = streams x tokens/s per stream; replica-s per query = "
            "output / tokens/s + prompt / prefill tokens/s; queries/h = 3600 x utilization / replica-s per query; "
            "$/query = replica $/h / queries/h; $/Mtok = $/query / tokens per query x 1e6"
        ),
        inputs={**inp.model_dump(), "price_per_accelerator_hour": price},
        assumptions=notes,
        sources=["prices and serving rates given by the user"]
        if inp.chip is None
        else [f"price from tco for {inp.chip}"],
        **base.model_dump(),
        compared=compared,
        ratios=ratios,
    )
    return record_provenance(result, inp)  # type: ignore[return-value]


def serving_text(result: ServingCostResult) -> str:
    """Base and compared scenarios side by side with the ratio ('' without a compare scenario)."""
    other, ratios = result.compared, result.ratios
    if other is None or ratios is None:
        return ""
    rows = [
        ("concurrent streams", result.concurrent_streams, other.concurrent_streams, ratios.concurrent_streams, ",.0f"),
        ("tokens/s per replica", result.tokens_per_s_per_replica, other.tokens_per_s_per_replica, None, ",.1f"),
        ("output tokens per query", result.output_tokens_per_query, other.output_tokens_per_query, None, ",.0f"),
        ("queries per hour", result.queries_per_hour, other.queries_per_hour, ratios.queries_per_hour, ",.1f"),
        (
            "$ per million tokens",
            result.cost_per_million_tokens,
            other.cost_per_million_tokens,
            ratios.cost_per_million_tokens,
            ",.4f",
        ),
        ("$ per query", result.cost_per_query, other.cost_per_query, ratios.cost_per_query, ",.6f"),
    ]
    lines = [f"{'':<26}{'base':>14}{'compared':>14}{'ratio':>10}"]
    for name, a, b, r, spec in rows:
        cells = ["-" if v is None else format(v, spec) for v in (a, b)]
        lines.append(f"{name:<26}{cells[0]:>14}{cells[1]:>14}{'-' if r is None else format(r, '.4g'):>10}")
    return "\n".join(lines)
