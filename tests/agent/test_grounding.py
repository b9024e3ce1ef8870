"""The grounding check: numbers in an answer trace to tool results, citations or the question."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.grounding import figures_in, grounding_warnings, untraced
from tools.quantities import UNITS, format_quantity

FIT = {
    "weights_bytes": 405_853_388_800,
    "max_concurrent_sequences": 68,
    "gpu_mem_util": 0.9,
    "model": "Llama-3.1-405B",
    "verdict": "Fits: 405.9 GB of weights on 8 x H100",
}
QUESTION = "How many concurrent 12k-token requests fit for Llama 3.1 405B fp8 on 8x H100?"
SOURCES = [
    FIT,
    QUESTION,
    {"value": 17_940_480},
    {"hourly_usd": 2.0},
    '[{"text": "about $3,000 a chip", "timestamp": "41:05"}]',
]


@pytest.mark.parametrize(
    "text",
    [
        "68 requests fit",
        "weights take 405.9 GB",
        "weights take 406 GB",
        "weights take 378 GiB",  # 405.85e9 / 2^30 = 377.98
        "weights take 0.41 TB",
        "405,853,388,800 bytes",
        "405.85 billion bytes",
        "at 90% memory utilisation",
        "12,000 tokens each",  # '12k' in the question
        "Llama 3.1 405B on 8x H100 with fp8",  # names and the question's numbers
        "$17.9M a year",
        "$17,940,480",
        "$2/h, so $17,520 per year",  # per-hour <-> per-year
        "$1,460 per month",  # 2 x 730
        "about $3k per chip (41:05)",
        "1. first point\n2. second point [1]",
    ],
)
def test_traced(text):
    assert untraced(text, SOURCES) == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("68 requests fit, costing $4.20 per hour", ["$4.20 per hour"]),
        ("weights take 420 GB", ["420 GB"]),  # 405.9 GB rounds to 410, not 420, at two significant figures
        ("about 70 requests", ["70"]),  # rounding 68 to one significant figure is not allowed
        ("a 700 W budget and 35% margins", ["700 W", "35%"]),
        ("fifty million tokens a day", ["fifty million"]),
        ("as he said at 12:34", ["12:34"]),
        ("MI300X has 192 GB", ["192 GB"]),
    ],
)
def test_flags_invented_numbers(text, flagged):
    assert untraced(text, SOURCES) == flagged


def test_warning_text_names_the_figure():
    (warning,) = grounding_warnings("that costs $4.20 per hour", SOURCES)
    assert "'$4.20 per hour'" in warning and "unverified" in warning


def test_rounding_reads_the_digits_shown():
    (fig,) = figures_in("2.1M")
    assert (2.1e6, pytest.approx(0.05e6)) in [(v, pytest.approx(t)) for v, t in fig.readings]
    (fig,) = figures_in("1,300")
    assert fig.readings[0] == (1300.0, 50.0)


def test_names_are_not_figures():
    assert [f.text for f in figures_in("H100, B200, MI300X, fp8, llama-3.1-405b, GPT-4")] == []


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("power at 7c/kWh", {"electricity": 0.07}),
        ("growing 18%/yr", {"growth": 0.18}),
        ("a 0.5 s first token", {"ttft_s": 0.5}),
        ("KV of 96e9 bytes", {"kv_bytes": 96e9}),
        ("$2.2 an hour is $1,606 a month", {"rental_price": 2.2}),
    ],
)
def test_the_lexers_forms_trace(text, source):
    assert untraced(text, [source]) == []


_UNIT_VALUES = {
    "": st.floats(1, 1e12),
    "usd": st.floats(1, 1e12),
    "usd/hour": st.floats(0.01, 100),
    "usd/kwh": st.floats(0.001, 5),
    "usd/mtok": st.floats(0.001, 1000),
    "usd/year": st.floats(1, 1e11),
    "usd/mw": st.floats(1e3, 1e9),
    "usd/kw-month": st.floats(1, 1000),
    "fraction": st.floats(0.001, 5),
    "fraction/year": st.floats(0.001, 5),
    "bytes": st.floats(1, 1e15),
    "bytes/s": st.floats(1e9, 1e14),
    "W": st.floats(1, 1e10),
    "Wh": st.floats(1, 1e9),
    "tokens": st.floats(1, 1e9),
    "tokens/s": st.floats(0.1, 1e6),
    "params": st.floats(1e6, 1e13),
    "years": st.floats(0.5, 50),
    "hours": st.floats(1, 1e5),
    "s": st.floats(1e-3, 1e4),
    "x": st.floats(0.1, 1000),
    "year": st.integers(2000, 2100).map(float),
}


def test_every_lexer_unit_has_a_generator():
    assert set(_UNIT_VALUES) == set(UNITS)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_formatted_tool_value_is_traced_in_every_unit(data):
    unit = data.draw(st.sampled_from(UNITS))
    value = data.draw(_UNIT_VALUES[unit])
    text = format_quantity(value, unit)
    assert untraced(f"the answer is {text} here", [{"figure": value}]) == [], text
