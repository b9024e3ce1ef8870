"""The planner's output (:class:`Call`, :class:`Plan`) and the constants every planning stage shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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


MAX_CALLS = 6


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
    labels: Labels = field(default_factory=dict)  # calculate expression -> (what, unit, basis) for its lead
    compare_years: list[int] = field(
        default_factory=list
    )  # "amazon capex 2025 vs 2024": the two years, in the order written
    pending: list[Call] = field(
        default_factory=list
    )  # calls (in ``calls``) made only once the fit of that deployment holds
    guards: list[Call] = field(default_factory=list)  # fits planned only to check a speed's deployment
    value_unit: str | None = None  # the unit of a growth series' values, as the question wrote its base ("usd", "W")
    sum_years: list[int] = field(default_factory=list)  # "sum of amazon capex 2021-2024": the capex years to add
    sum_guidance: bool = False  # "add up the 2026 guidance": a year's guidance row before its reported one
    lease_gap: bool = False  # "how much bigger is capex incl. finance leases than cash": both series, the difference
    quarters: tuple[tuple[int, int], tuple[int, int]] | None = None  # "q1 2026 capex yoy": (asked, compared)
    quarter_sum: list[tuple[int, int]] = field(default_factory=list)  # "first 3 quarters of FY26 summed"
    extend_year: int | None = None  # "CAGR FY23 -> FY25, and FY26 at that rate": the year to extrapolate to
    sums: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # calculate expression -> (what, unit) of a sum a podcast question states (agent.offline.quote_arithmetic)
    from_passage: str = ""  # a podcast question whose sum waits for one figure of the cited sentence

    def first_round(self) -> list[Call]:
        """The calls to make now: all but the pending ones."""
        return [c for c in self.calls if not any(c is p for p in self.pending)]


def tool_fields(name: str) -> set[str]:
    """Argument names ``name`` accepts (its registry input model's fields)."""
    from agent.toolset import get

    try:
        return set(get(name).input_model.model_fields)
    except ValueError:
        return set()


def tool_default(tool: str, field_name: str) -> Any:
    """A calculator's own default for one field (the planner never makes one up)."""
    from agent.toolset import get

    return get(tool).input_model.model_fields[field_name].default


#: What each planned ``calculate`` expression is: expression -> (label, unit, how the question was read).
Labels = dict[str, tuple[str, str, str]]


def expr_number(value: float) -> str:
    """A number as written into a ``calculate`` expression: up to 10 significant digits, no float noise."""
    return f"{value:.10g}"
