"""One registry of typed calculators. Every front-end derives from it.

Each entry is ``InputModel -> pure function -> ResultModel``. The CLI subcommands, the
agent's LangChain tools, the MCP tools, the Slack slash command and the eval tool cases are
all generated from :data:`TOOLS`; adding a calculator is one module plus one entry here.

The agent-facing layers add two entries that live above ``tools/`` (``search_knowledge`` and
``check_claim``): :mod:`agent.toolset` joins them to :data:`TOOLS`, and every front-end reads
that one list. :attr:`Tool.description` is the one text a language model sees for a tool.

CLI flags come from the input model's fields: ``--field-name`` by default, or the name in
``json_schema_extra={"flag": "..."}``; list fields become repeatable flags.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from tools import catalog, charts, limits, text_charts
from tools.arithmetic import CalculateInput, Calculation, calculate
from tools.buildout import BuildoutInput, BuildoutResult, buildout
from tools.capex import CapexInput, CapexResult, capex
from tools.chip_specs import ChipSpecsInput, ChipSpecsResult, chip_specs
from tools.errors import InputError, from_validation_error
from tools.growth import GrowthInput, GrowthResult, growth, growth_text
from tools.kv_cache import KVCacheInput, KVCacheResult, kv_cache
from tools.memory_fit import MemoryFitInput, MemoryFitResult, memory_fit
from tools.quantities import read_number
from tools.results import Worked, record_provenance
from tools.serving_cost import (
    ServingCostInput,
    ServingCostResult,
    serving_cost,
    serving_text,
)
from tools.tco import TCOInput, TCOResult, tco
from tools.tco_results import tco_text
from tools.throughput import ThroughputInput, ThroughputResult, throughput


@cache
def _strict(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` refusing unknown keys (its own before-validators still run first, e.g. ``from`` -> ``from_``)."""
    if model.model_config.get("extra") == "forbid":
        return model
    config = {**model.model_config, "extra": "forbid"}
    return type(model.__name__, (model,), {"model_config": config, "__module__": model.__module__})


def _unknown_argument(model: type[BaseModel], key: str) -> InputError:
    from rapidfuzz import process

    names = [str(f.alias or n) for n, f in model.model_fields.items()]
    near = [m[0] for m in process.extract(key, names, limit=3, score_cutoff=60)]
    return InputError(key, f"unknown argument; allowed: {', '.join(names)}.", suggestions=near)


def _number_kind(annotation: Any) -> type | None:
    """``int`` or ``float`` for a numeric field (also optional or a list of them), else None."""
    if annotation in (int, float):
        return typing.cast(type, annotation)
    if typing.get_origin(annotation) in (list, tuple, typing.Union, types.UnionType):
        kinds = {_number_kind(a) for a in typing.get_args(annotation)} - {None}
        return kinds.pop() if len(kinds) == 1 else None
    return None


def _read_quantity(kind: type, value: Any) -> Any:
    """A numeric field's text as the quantities lexer reads it: "128k" -> 128000 and "32k tokens" for an integer,
    "1.5M" or "80%" -> 0.8 for a float. Anything else (``"abc"``, "1.2345k" for an integer) is returned unchanged
    for the model to refuse, naming the field."""
    if isinstance(value, (list, tuple)):
        return [_read_quantity(kind, v) for v in value]
    if not isinstance(value, str) or _plain(value):
        return value  # a plain number is left to the model, so its messages quote it as given
    units = ("", "tokens") if kind is int else ("", "fraction")
    number = read_number(value, units)
    if number is None:
        return value
    if kind is int:
        return int(number) if number.is_integer() else value
    return number


def _plain(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_quantities(model: type[BaseModel], args: dict[str, Any]) -> dict[str, Any]:
    """``args`` with the text of numeric fields read by :func:`tools.quantities.read_number` (CLI flags arrive as
    text; an analyst writes "--context 128k")."""
    out = dict(args)
    for name, info in model.model_fields.items():
        key = name if name in out else info.alias
        if key not in out or (kind := _number_kind(info.annotation)) is None:
            continue
        out[key] = _read_quantity(kind, out[key])
    return out


def _percent_hint(error: InputError, first: Any) -> InputError:
    """``error`` with "did you mean 0.8?" when a fraction field (at most 1) was given as a percent (2 to 100);
    the value is never converted."""
    bound = (first.get("ctx") or {}).get("le", (first.get("ctx") or {}).get("lt"))
    try:
        value = float(first.get("input"))
    except (TypeError, ValueError):
        return error
    if first.get("type") not in ("less_than_equal", "less_than") or bound != 1 or not 2 <= value <= 100:
        return error
    hint = f"{error.message} It is a fraction of 1: did you mean {value / 100:g} ({value:g} %)?"
    return InputError(error.field, hint, suggestions=error.suggestions)


def validate_input(model: type[BaseModel], args: dict[str, Any]) -> BaseModel:
    """``model`` built from ``args``; a ``None`` value means "use the default" (as JSON ``null`` from an
    LLM or an MCP client). Numeric fields given as text are read by the quantities lexer ("128k", "1.5M", "80%").
    Any failure becomes one ``InputError`` naming the field: an unknown argument (with the closest field
    names), a validation error (a fraction given as a percent gets "did you mean 0.8?"), a non-finite number
    or one past the field's sanity ceiling (:mod:`tools.limits`)."""
    given = _read_quantities(model, {k: v for k, v in args.items() if v is not None})
    try:
        built = _strict(model).model_validate(given)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        if first.get("type") == "extra_forbidden":
            raise _unknown_argument(model, ".".join(str(p) for p in first.get("loc", ()))) from None
        raise _percent_hint(from_validation_error(exc), first) from None
    for name, info in model.model_fields.items():
        problem = limits.check_number(name, getattr(built, name, None), info)
        if problem:
            raise InputError(name, problem)
    return built


#: What a language model is told after a calculator's summary ({fields}: its key result fields).
CALCULATOR_GUIDANCE = (
    "Returns JSON with the figures ({fields}, ...), the formula, every input after defaults, the assumptions "
    "and the sources. Quote its figures; never compute them yourself."
)


@dataclass(frozen=True)
class Tool:
    """A registered calculator: what it is called, what it takes, what it returns."""

    name: str
    summary: str
    input_model: type[BaseModel]
    fn: Callable[[Any], BaseModel]
    result_model: type[BaseModel]
    examples: tuple[str, ...] = ()
    #: Result fields worth a headline (CLI summary, chat one-liners, Slack fields).
    key_fields: tuple[str, ...] = ()
    #: Optional ``result -> PNG bytes``; the CLI offers ``--chart PATH`` when present.
    chart: Callable[[Any], bytes] | None = field(default=None)
    #: Optional ``result -> str``: a compact terminal rendering printed under the CLI table.
    text_chart: Callable[[Any], str] | None = field(default=None)
    #: What a language model is told after the summary (``{fields}`` = the key fields).
    guidance: str = CALCULATOR_GUIDANCE
    #: Optional ``result -> JSON-able`` payload the agent reads instead of the whole result model.
    payload: Callable[[Any], Any] | None = field(default=None)
    #: A hand-written CLI command ``(name, "module:attribute")`` replacing the generated one.
    cli: tuple[str, str] | None = None

    @property
    def description(self) -> str:
        """The one description every model-facing surface (LangChain, MCP) shows for this tool."""
        return f"{self.summary} {self.guidance.format(fields=', '.join(self.key_fields))}".strip()

    def content(self, result: BaseModel) -> Any:
        """What the agent reads of ``result``: :attr:`payload` when set, else the result model as JSON data."""
        return self.payload(result) if self.payload else result.model_dump(mode="json")

    @property
    def command(self) -> str:
        return self.cli[0] if self.cli else self.name.replace("_", "-")

    def validate(self, args: dict[str, Any]) -> BaseModel:
        """Build the input model, turning any validation failure into one ``InputError``."""
        return validate_input(self.input_model, args)

    def run(self, args: dict[str, Any]) -> BaseModel:
        """Validate ``args`` and run the calculator. Raises ``InputError`` for bad input, including inputs that
        drive a figure to infinity or nan (the result is never returned with one). A result that does not list
        its given inputs and defaults itself gets them from the input model (every result carries both).

        Catalog rows the calculator looked up are recorded: a preliminary chip or a row from the
        analyst's own catalog puts a warning first in the result's assumptions (:func:`tools.catalog.annotate`).
        """
        inp = self.validate(args)
        with catalog.recording() as used:
            try:
                result = self.fn(inp)
            except OverflowError as exc:  # magnitude, not a bug: a ZeroDivisionError is a bug and propagates
                message = f"these inputs overflow the calculation ({exc}); use smaller, realistic values."
                raise InputError("input", message) from None
        bad = limits.first_non_finite(result.model_dump(mode="python"))
        if bad:
            raise InputError("input", f"these inputs give a non-finite {bad}; use smaller, realistic values.")
        if isinstance(result, Worked) and "inputs_given" not in result.model_fields_set:
            record_provenance(result, inp)
        return catalog.annotate(result, used)


TOOLS: tuple[Tool, ...] = (
    Tool(
        name="calculate",
        summary="Plain arithmetic on figures already obtained (sums, products, ratios, annualising), evaluated safely.",
        input_model=CalculateInput,
        fn=calculate,
        result_model=Calculation,
        examples=('siliconomics calculate "3*7/(2500*3600)*1e6"', 'siliconomics calculate "1,024 x $2 x 8,760"'),
        key_fields=("value", "evaluated"),
        guidance="Use it instead of computing in your head. Returns the value and the expression as evaluated.",
    ),
    Tool(
        name="chip_specs",
        summary="Catalog rows for named accelerators, or every accelerator ranked by a field (memory, bandwidth, "
        "bf16, fp8, power, price).",
        input_model=ChipSpecsInput,
        fn=chip_specs,
        result_model=ChipSpecsResult,
        examples=(
            "siliconomics chip-specs --sort memory --limit 5",
            "siliconomics chip-specs --chips h200 --chips mi325x",
        ),
        key_fields=("rows", "sorted_by"),
        text_chart=text_charts.chip_table,
        guidance="Returns the typed catalog rows ({fields}) with their sources: quote them, never recall specs.",
    ),
    Tool(
        name="kv_cache",
        summary="KV-cache bytes per token, per sequence and for a batch (MHA/GQA/MQA/MLA, sliding windows, TP, paging).",
        input_model=KVCacheInput,
        fn=kv_cache,
        result_model=KVCacheResult,
        examples=(
            "siliconomics kv-cache --model llama-3.1-405b --kv-dtype bf16 --context 8192",
            "siliconomics kv-cache --model deepseek-v3 --context 32000 --batch 8 --kv-dtype fp8",
        ),
        key_fields=("bytes_per_token", "bytes_per_sequence", "total_bytes", "total_gb"),
    ),
    Tool(
        name="memory_fit",
        summary="Does a model fit on N accelerators, and how many requests run at once (peak and time-averaged).",
        input_model=MemoryFitInput,
        fn=memory_fit,
        result_model=MemoryFitResult,
        examples=(
            "siliconomics memory-fit --model llama-3.1-70b --chip h100 --gpus 8 --prompt 1000 --output 1000",
            "siliconomics memory-fit --model llama-3.1-405b --chip h100 --gpus 8 --weights-dtype fp8 --output 11000",
        ),
        key_fields=(
            "fits",
            "max_concurrent_sequences",
            "avg_concurrent_sequences",
            "weights_bytes",
            "min_accelerators",
        ),
    ),
    Tool(
        name="throughput",
        summary="Roofline serving speed: decode tokens/s per deployment, accelerator and user, time to first token.",
        input_model=ThroughputInput,
        fn=throughput,
        result_model=ThroughputResult,
        examples=(
            "siliconomics throughput --model llama-3.1-70b --chip h100 --gpus 8 --batch 64",
            "siliconomics throughput --model llama-2-7b --chip a100 --weights-dtype fp16 --mem-eff 1 --compute-eff 1",
        ),
        key_fields=(
            "decode_tokens_per_s",
            "decode_tokens_per_s_per_accelerator",
            "tokens_per_s_per_user",
            "ttft_s",
            "bound",
        ),
        chart=charts.throughput_chart,
        text_chart=text_charts.throughput_text,
    ),
    Tool(
        name="tco",
        summary="Cost of owning and running accelerators: $ per accelerator-hour, per used hour, per million tokens; "
        "several chips side by side, sensitivity.",
        input_model=TCOInput,
        fn=tco,
        result_model=TCOResult,
        examples=(
            "siliconomics tco --chip h100 --chip mi300x --chip trainium2",
            "siliconomics tco --chip h100 --model llama-3.1-70b --gpus 8 --batch 64 --rental-price 2 --sensitivity",
            "siliconomics tco --capex-per-accelerator 30000 --networking-fraction 0 --power-kw 1 --pue 1 "
            "--electricity 0.10 --colo 0 --years 5 --cost-of-capital 0 --maintenance 0 --utilization 1 --tokens-per-s 1000",
            "siliconomics tco --server-price 240000 --gpus-per-server 8 --server-kw 10 --pue 1.25 --electricity 0.07 "
            "--years 4 --cost-of-capital 0 --networking-fraction 0 --maintenance 0 --facility none --utilization 1 --rental-price 2",
            "siliconomics tco --chip h100 --chip b200 --capex-per-accelerator 30000 --capex-per-accelerator 45000 "
            "--rental-price 2.2 --sold-fraction 0.65 --count 512 --other-opex-per-year 1500000",
        ),
        key_fields=(
            "cost_per_accelerator_hour",
            "cost_per_used_hour",
            "cost_per_million_tokens",
            "reference_cost_per_hour",
            "break_even_utilization",
        ),
        chart=charts.tco_chart,
        text_chart=tco_text,
    ),
    Tool(
        name="buildout",
        summary="What a data-center campus of a given power holds and costs: accelerators, IT and facility capex, power bill.",
        input_model=BuildoutInput,
        fn=buildout,
        result_model=BuildoutResult,
        examples=(
            "siliconomics buildout --gw 2 --chip h100",
            "siliconomics buildout --gw 2 --power-kw 1.7 --pue 1 --capex-per-accelerator 40000 --facility-capex-per-mw 0",
            "siliconomics buildout --it-gw 0.5 --power-kw 1.25 --gpus-per-rack 72 --accelerator-price 35000 "
            "--other-capex-per-accelerator 15000",
            "siliconomics buildout --accelerators 100000 --power-kw 1.2 --pue 1.3 --capex-per-accelerator 40000",
        ),
        key_fields=(
            "accelerators",
            "it_power_mw",
            "it_capex_usd",
            "facility_capex_usd",
            "total_capex_usd",
            "power_cost_per_year_usd",
        ),
    ),
    Tool(
        name="capex",
        summary="Hyperscaler capex history (sourced) and forecast with bands: cagr, linear, scenario, guidance; backtests.",
        input_model=CapexInput,
        fn=capex,
        result_model=CapexResult,
        examples=(
            "siliconomics capex --company big4 --method cagr --through 2027 --chart capex.png",
            "siliconomics capex --company big4 --backtest-from 2022",
            "siliconomics capex --company alphabet --method guidance --through 2028",
            "siliconomics capex --history 2020=100,2021=110,2022=121 --method cagr --through 2024",
        ),
        key_fields=("series", "method", "last_history_year", "through", "cumulative_usd_b", "growth_rate"),
        chart=charts.capex_chart,
        text_chart=text_charts.capex_text,
    ),
    Tool(
        name="serving_cost",
        summary="Unit economics of a serving deployment: $ per million tokens, per query, per 1k queries, queries per hour; "
        "a second scenario side by side (--compare).",
        input_model=ServingCostInput,
        fn=serving_cost,
        result_model=ServingCostResult,
        examples=(
            "siliconomics serving-cost --price-per-accelerator-hour 2 --accelerators-per-replica 8 --concurrent-streams 64 "
            "--tokens-per-s-per-stream 25 --output-tokens-per-query 1500",
            "siliconomics serving-cost --chip h100 --accelerators-per-replica 8 --concurrent-streams 728 "
            "--tokens-per-s-per-stream 20 --output-tokens-per-query 1000 "
            "--compare concurrent_streams=121,output_tokens_per_query=11000",
        ),
        key_fields=("cost_per_million_tokens", "cost_per_query", "cost_per_1k_queries", "queries_per_hour"),
        text_chart=serving_text,
    ),
    Tool(
        name="growth",
        summary="Compound growth of any series: stepped rates through a year, the year a target is reached, the CAGR "
        "between two points, per-step multipliers; with cumulative sums.",
        input_model=GrowthInput,
        fn=growth,
        result_model=GrowthResult,
        examples=(
            "siliconomics growth --base 2024=100 --rate 0.25 --through 2027",
            "siliconomics growth --base 2025=200 --rate 0.3 --until 1000",
            "siliconomics growth --from 2021=50 --to 2024=120 --through 2027",
            "siliconomics growth --multiplier 10 --steps 3",
        ),
        key_fields=("final_year", "final_value", "cumulative", "cagr", "until_year", "until_value"),
        text_chart=growth_text,
    ),
)

_BY_NAME = {t.name: t for t in TOOLS}


def get(name: str) -> Tool:
    """The tool called ``name`` (``kv_cache`` or ``kv-cache``), or ``InputError`` listing the tools."""
    tool = _BY_NAME.get(name.replace("-", "_"))
    if tool is None:
        raise InputError("tool", f"unknown tool {name!r}; allowed: {', '.join(t.command for t in TOOLS)}.")
    return tool
