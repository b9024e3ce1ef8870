"""Compound growth for any series: stepped rates, the year a target is reached, CAGR, per-step multipliers.

Four questions, one calculator (values in whatever unit the caller uses; rates are fractions, 0.3 = 30 %):

    series     (--base --rate --through)  v(y0) = base; v(y) = v(y - 1) x (1 + r_i), r_i the i-th rate (the last
               repeats); cumulative(y) = v(y0) + ... + v(y)   (the base year is included); --years N instead of
               --through for a base with no calendar year (steps 0..N)
    until      (--base --rate --until)    the first year y with v(y) >= target (<= target for a falling series)
    cagr       (--from --to [--through])  g = (v_to / v_from)^(1 / (y_to - y_from)) - 1; v(y) = v_to (1 + g)^(y - y_to)
    multiplier (--multiplier --steps)     v_k = base x m^k for k = 0..steps (10x per generation); cumulative = the sum

Checks (hand derivations): 2024=100 at 25 % through 2027 -> 100, 125, 156.25, 195.3125, cumulative 576.5625;
2021=50 to 2024=120 -> (120 / 50)^(1/3) - 1 = 0.338866; 2025=200 at 30 % until 1000 -> 200 x 1.3^7 = 1,254.97 in
2032 (1.3^6 = 4.83 < 5 <= 1.3^7 = 6.27); 200 at 25 % for 4 years -> 200 x 1.25^4 = 488.28125.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from tools.errors import InputError
from tools.finance import cagr
from tools.results import Worked, record_provenance

#: A search for --until stops after this many years (a product limit, not a sourced figure).
MAX_UNTIL_YEARS = 1000
#: Rates above this are probably percents typed as numbers; the result says how it read them.
RATE_LOOKS_LIKE_PERCENT = 1.0

Mode = Literal["series", "until", "cagr", "multiplier"]
_POINT = re.compile(r"\s*(\d{4})\s*=\s*([-+]?[0-9][0-9_,]*\.?[0-9]*(?:[eE][-+]?\d+)?)\s*")
_VALUE = re.compile(r"\s*([-+]?[0-9][0-9_,]*\.?[0-9]*(?:[eE][-+]?\d+)?)\s*")


def stepped_values(start: float, rates: Sequence[float], steps: int) -> list[float]:
    """``start`` compounded ``steps`` times, the i-th step at ``rates[i]`` (the last rate repeats); the start included.

    >>> stepped_values(100, [0.25], 3)
    [100, 125.0, 156.25, 195.3125]
    >>> stepped_values(100, [0.5, 0.1], 3)
    [100, 150.0, 165.0, 181.50000000000003]
    """
    values = [start]
    for i in range(steps):
        values.append(values[-1] * (1 + rates[min(i, len(rates) - 1)]))
    return values


def first_reaching(start: float, rates: Sequence[float], target: float, limit: int = MAX_UNTIL_YEARS) -> int | None:
    """Steps until the stepped series first reaches ``target`` (>= when rising to it, <= when falling), or None
    when it never does within ``limit`` steps.

    >>> first_reaching(200, [0.3], 1000)
    7
    """
    rising = target >= start
    value = start
    for i in range(limit + 1):
        if (value >= target) if rising else (value <= target):
            return i
        value *= 1 + rates[min(i, len(rates) - 1)]
    return None


def parse_year_point(field: str, text: str) -> tuple[int, float]:
    """'2024=100' -> (2024, 100.0); the year is required. ``InputError`` on ``field``."""
    year, value = parse_point(field, text)
    assert year is not None  # parse_point requires the year unless year_optional
    return year, value


def parse_point(field: str, text: str, *, year_optional: bool = False) -> tuple[int | None, float]:
    """'2024=100' -> (2024, 100.0); with ``year_optional`` also '100' -> (None, 100.0). ``InputError`` on ``field``."""
    m = _POINT.fullmatch(text)
    if m:
        year, raw = int(m.group(1)), m.group(2)
    elif year_optional and _VALUE.fullmatch(text):
        year, raw = None, text
    else:
        form = "YEAR=VALUE (e.g. 2024=100) or a plain VALUE" if year_optional else "YEAR=VALUE, e.g. 2024=100"
        raise InputError(field, f"cannot read {text!r}; write {form}.")
    value = float(raw.strip().replace(",", "").replace("_", ""))
    if value <= 0:
        raise InputError(field, f"the value must be > 0 (got {value:g}); growth compounds from a positive base.")
    return year, value


class GrowthInput(BaseModel):
    """Compound growth: a series from base and rates, the year a target is reached, a CAGR, or a per-step multiplier."""

    base: str | None = Field(
        None, description="Starting point 'YEAR=VALUE', e.g. '2025=200' (with --multiplier a plain VALUE also works)."
    )
    rate: list[float] = Field(
        default_factory=list,
        description="Growth rate per year as a fraction (0.3 = 30 %); repeat for stepped rates, the last repeats.",
    )
    through: int | None = Field(None, description="Last year of the series (inclusive).")
    years: int | None = Field(
        None,
        ge=1,
        description="Years to compound a base given without a calendar year ('$200B growing 25% a year for 4 "
        "years'): the series runs from step 0 (the base) to step years.",
    )
    until: float | None = Field(
        None, gt=0, description="Target value: the first year the series reaches it, and the value that year."
    )
    from_: str | None = Field(
        None,
        description="First point of a CAGR, 'YEAR=VALUE' (also accepted as 'from').",
        json_schema_extra={"flag": "from"},
    )
    to: str | None = Field(None, description="Last point of a CAGR, 'YEAR=VALUE'.")
    multiplier: float | None = Field(None, gt=0, description="Multiplier per step, e.g. 10 for '10x per generation'.")
    steps: int | None = Field(None, ge=1, description="Number of steps after the base for --multiplier.")

    @model_validator(mode="before")
    @classmethod
    def _from_keyword(cls, data: Any) -> Any:
        """Accept the flag's own name ``from`` (a Python keyword) for ``from_``."""
        if isinstance(data, dict) and "from" in data:
            data = {**{k: v for k, v in data.items() if k != "from"}, "from_": data["from"]}
        return data

    @field_validator("rate")
    @classmethod
    def _rates_above_minus_one(cls, rates: list[float]) -> list[float]:
        for r in rates:
            if r <= -1:
                raise InputError(
                    "rate", f"every rate must be > -1 (a fall of 100 % or more leaves nothing; got {r:g})."
                )
        return rates


class GrowthPoint(BaseModel):
    step: int = Field(description="Steps after the base (0 = the base).")
    year: int | None = Field(None, description="Calendar year, when the base has one.")
    value: float
    cumulative: float = Field(description="Sum of the values from the base to this point.")


class GrowthResult(Worked):
    mode: Mode
    series: list[GrowthPoint] = Field(description="Every point from the start (base, or the 'to' point) to the end.")
    final_year: int | None = None
    final_value: float = Field(description="The last value of the series.")
    cumulative: float = Field(description="Sum of every value in the series, the starting point included.")
    cagr: float | None = Field(None, description="Compound annual growth rate between from and to (mode cagr).")
    until_year: int | None = Field(None, description="First year the series reaches the target (mode until).")
    until_value: float | None = Field(None, description="The series value in until_year.")
    until_note: str | None = Field(None, description="Why no year is given, when the target is never reached.")
    multiple: float = Field(description="final_value / the starting value.")


def _points(values: list[float], first_year: int | None) -> list[GrowthPoint]:
    out, total = [], 0.0
    for k, v in enumerate(values):
        total += v
        out.append(GrowthPoint(step=k, year=None if first_year is None else first_year + k, value=v, cumulative=total))
    return out


def _mode(inp: GrowthInput) -> Mode:
    if inp.from_ is not None or inp.to is not None:
        if inp.from_ is None or inp.to is None:
            raise InputError("from" if inp.from_ is None else "to", "a CAGR needs both from and to ('YEAR=VALUE').")
        for name in ("base", "rate", "multiplier", "until"):
            if getattr(inp, name):
                raise InputError(name, "not used with from/to (the CAGR is the rate); give one question per call.")
        return "cagr"
    if inp.multiplier is not None:
        if inp.steps is None:
            raise InputError("steps", "--multiplier needs --steps N (how many steps after the base, >= 1).")
        if inp.rate:
            raise InputError("rate", "give either rate (per year) or multiplier (per step), not both.")
        return "multiplier"
    if inp.steps is not None:
        raise InputError("multiplier", "--steps needs --multiplier (e.g. 10 for 10x per step).")
    if inp.base is None:
        raise InputError("base", "give --base YEAR=VALUE with --rate, or --from/--to, or --multiplier/--steps.")
    if not inp.rate:
        raise InputError("rate", "give at least one growth rate, e.g. --rate 0.25 for 25 % a year.")
    if inp.until is not None:
        return "until"
    if inp.through is None and inp.years is None:
        raise InputError(
            "through", "give --through YEAR (last year of the series), --years N (steps) or --until VALUE (a target)."
        )
    return "series"


def _series_values(inp: GrowthInput, y0: int | None, v0: float) -> tuple[list[float], dict[str, Any]]:
    if inp.years is not None and inp.until is None and (y0 is None or inp.through is None):
        return stepped_values(v0, inp.rate, inp.years), {}  # "$200B growing 25% a year for 4 years"
    if y0 is None:
        raise InputError("base", f"give the base year as YEAR=VALUE, or --years N (got {inp.base!r}).")
    extra: dict[str, Any] = {}
    end = inp.through
    if inp.until is not None:
        k = first_reaching(v0, inp.rate, inp.until)
        if k is None:
            direction = "rise" if inp.until >= v0 else "fall"
            extra["until_note"] = (
                f"never reaches {inp.until:g} within {MAX_UNTIL_YEARS} years: from {v0:g} at the given rates the "
                f"series does "
                f"not {direction} to it (the last rate, {inp.rate[-1]:g}, repeats)."
            )
        else:
            extra["until_year"] = y0 + k
            extra["until_value"] = stepped_values(v0, inp.rate, k)[-1]
            end = max(end or y0, y0 + k)
    if end is None:
        end = y0
    if end < y0:
        raise InputError("through", f"must be >= {y0}, the base year (got {end}).")
    return stepped_values(v0, inp.rate, end - y0), extra


def growth(inp: GrowthInput) -> GrowthResult:
    """The series, cumulative sum, target year or CAGR asked for (formulas in the module docstring)."""
    mode = _mode(inp)
    first_year: int | None
    assumptions: list[str] = []
    extra: dict[str, Any] = {}
    if mode == "cagr":
        (y1, v1), (y2, v2) = parse_year_point("from", inp.from_ or ""), parse_year_point("to", inp.to or "")
        if y2 <= y1:
            raise InputError("to", f"the 'to' year must be after the 'from' year {y1} (got {y2}).")
        g = cagr(v1, v2, y2 - y1)
        end = inp.through if inp.through is not None else y2
        if end < y2:
            raise InputError("through", f"must be >= {y2}, the 'to' year (got {end}).")
        values, first_year, start = stepped_values(v2, [g], end - y2), y2, v1
        extra["cagr"] = g
        formula = "g = (v_to / v_from)^(1 / (y_to - y_from)) - 1; projected v(y) = v_to x (1 + g)^(y - y_to)"
        assumptions.append(f"The series starts at the 'to' point {y2}={v2:g} and grows at the CAGR {g:.6f} a year.")
    elif mode == "multiplier":
        base_year, v0 = parse_point("base", inp.base or "1", year_optional=True)
        first_year = base_year
        values, start = [v0 * (inp.multiplier or 1) ** k for k in range((inp.steps or 0) + 1)], v0
        formula = "v_k = base x multiplier^k, k = 0..steps; cumulative = sum of v_k"
        if inp.base is None:
            assumptions.append("No base given: values are multiples of the first step (base 1).")
        if base_year is not None:
            assumptions.append("Steps are labelled one calendar year apart from the base year.")
    else:
        first_year, start = parse_point("base", inp.base or "", year_optional=inp.years is not None)
        values, extra = _series_values(inp, first_year, start)
        formula = "v(y) = v(y - 1) x (1 + r_y), the last rate repeating; cumulative = sum from the base year"
        if len(inp.rate) > 1:
            assumptions.append(
                f"Stepped rates: {', '.join(f'{r:g}' for r in inp.rate)} for successive years; the last repeats."
            )
    big = [r for r in inp.rate if r > RATE_LOOKS_LIKE_PERCENT]
    if big:
        assumptions.append(f"Rates are fractions: {big[0]:g} means +{big[0] * 100:,.0f} % a year (write 0.3 for 30 %).")
    series = _points(values, first_year)
    result = GrowthResult(
        formula=formula,
        inputs=inp.model_dump(),
        assumptions=assumptions,
        sources=["values given by the user"],
        mode=mode,
        series=series,
        final_year=series[-1].year,
        final_value=series[-1].value,
        cumulative=series[-1].cumulative,
        multiple=series[-1].value / start,
        **extra,
    )
    return record_provenance(result, inp)  # type: ignore[return-value]


def growth_text(result: GrowthResult) -> str:
    """The series, one line per point: year (or step), value, cumulative."""
    lines = [f"{'year' if result.series[0].year is not None else 'step':<6}{'value':>18}{'cumulative':>18}"]
    for p in result.series:
        label = p.year if p.year is not None else p.step
        mark = "*" if result.until_year is not None and p.year == result.until_year else " "
        lines.append(f"{mark}{label:<5}{p.value:>18,.4f}{p.cumulative:>18,.4f}")
    return "\n".join(lines)
