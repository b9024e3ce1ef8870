"""The quantities lexer: analysts' forms read to base values, and format -> lex round trips for every unit."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.quantities import UNITS, format_quantity, lex, read_number


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("12k", 12_000, ""),
        ("1.5M", 1_500_000, ""),
        ("1,024 gpus", 1024, ""),
        ("$1.85/GPU-hr", 1.85, "usd/hour"),
        ("2 bucks an hour", 2.0, "usd/hour"),
        ("7c/kWh", 0.07, "usd/kwh"),
        ("$0.08 per kWh", 0.08, "usd/kwh"),
        ("18%/yr", 0.18, "fraction/year"),
        ("30 percent", 0.3, "fraction"),
        ("96e9 bytes", 96e9, "bytes"),
        ("192 GB", 192e9, "bytes"),
        ("80 GiB", 80 * 2**30, "bytes"),
        ("96 x 2^30 bytes", 96 * 2**30, "bytes"),
        ("24 × 2**30 B", 24 * 2**30, "bytes"),
        ("3.35 TB/s", 3.35e12, "bytes/s"),
        ("$300B", 300e9, "usd"),
        ("$11.7M per MW", 11.7e6, "usd/mw"),
        ("$1.5M/yr", 1.5e6, "usd/year"),
        ("$0.5 per million tokens", 0.5, "usd/mtok"),
        ("12 kW", 12_000, "W"),
        ("2 GW", 2e9, "W"),
        ("25 tok/s", 25, "tokens/s"),
        ("65e9 params", 65e9, "params"),
        ("4-year", 4, "years"),
        ("10x", 10, "x"),
        ("through 2030", 2030, "year"),
        ("context=-2048", -2048, ""),
        ("0.5 s", 0.5, "s"),
        ("40 us", 40e-6, "s"),
        ("5 microseconds", 5e-6, "s"),
        ("3 millions", 3e6, ""),
    ],
)
def test_analyst_forms(text: str, value: float, unit: str) -> None:
    (q,) = lex(text)
    assert q.unit == unit
    assert math.isclose(q.value, value, rel_tol=1e-9)


def test_exact_form_wins_over_the_rounded_one() -> None:
    (q,) = lex("32k ctx (32768 tokens)")
    assert (q.value, q.unit, q.rounded) == (32768, "tokens", 32000)


def test_a_total_with_its_parts_is_one_quantity() -> None:
    (q,) = lex("each 9,000 tokens (1k answer + 8k thinking)")
    assert (q.value, q.parts) == (9000, (1000, 8000))


def test_parts_that_do_not_add_up_stay_separate() -> None:
    assert [q.value for q in lex("9,000 tokens (2k answer + 8k thinking)")] == [9000, 2000, 8000]


def test_rate_denominator_with_a_server_size() -> None:
    (price,) = lex("$240k per 8-GPU server")
    (power,) = lex("12 kW per 8-GPU server")
    assert (price.value, price.unit, price.per, price.per_count) == (240_000, "usd", "server", 8)
    assert (power.value, power.unit, power.per, power.per_count) == (12_000, "W", "server", 8)


def test_digits_inside_names_are_not_quantities() -> None:
    assert lex("llama-3.1-70b fp8 on h100s, 4-bit, FY24") == []
    assert [q.value for q in lex("8xH100")] == [8]


def test_skip_spans() -> None:
    text = "llama 3.1 70b on 8 gpus"
    assert [q.value for q in lex(text, skip=[(0, 13)])] == [8]


_VALUES = {
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


def test_every_unit_has_a_generator() -> None:
    assert set(_VALUES) == set(UNITS)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_format_then_lex_round_trips_every_unit(data: st.DataObject) -> None:
    unit = data.draw(st.sampled_from(UNITS))
    value = data.draw(_VALUES[unit])
    text = format_quantity(value, unit)
    found = lex(f"assume {text} here")
    assert len(found) == 1, (text, found)
    assert found[0].unit == unit, text
    assert math.isclose(found[0].value, value, rel_tol=1e-3), (text, found[0].value, value)


@pytest.mark.parametrize(
    ("text", "units", "value"),
    [
        ("128k", ("",), 128_000),
        (" 1.5M ", ("",), 1_500_000),
        ("-2048", ("",), -2048),
        ("32k tokens", ("", "tokens"), 32_000),
        ("32k tokens", ("",), None),
        ("80%", ("", "fraction"), 0.8),
        ("80%", ("",), None),
        ("abc", ("",), None),
        ("2 x 3", ("",), None),
        ("12k and more", ("",), None),
    ],
)
def test_read_number_takes_one_whole_quantity(text: str, units: tuple[str, ...], value: float | None) -> None:
    assert read_number(text, units) == value


@pytest.mark.parametrize(
    ("text", "digits", "magnitude", "figure"),
    [
        ("$2.1M", "2.1", 1e6, 2.1e6),
        ("405.9 GB", "405.9", 1.0, 405.9),
        ("7c/kWh", "7", 1.0, 7.0),
        ("1,300 tokens", "1,300", 1.0, 1300.0),
        ("-2048", "2048", 1.0, -2048.0),
        ("96e9 bytes", "96e9", 1.0, 96e9),
        ("fifty million", "50", 1e6, 50e6),
    ],
)
def test_the_number_as_written_is_kept(text: str, digits: str, magnitude: float, figure: float) -> None:
    (q,) = lex(text)
    assert (q.digits, q.magnitude) == (digits, magnitude)
    assert math.isclose(q.figure, figure)


def test_merge_false_keeps_every_number_written() -> None:
    assert [q.value for q in lex("32k ctx (32768 tokens)", merge=False)] == [32000, 32768]


def test_a_b_after_an_exponent_is_bytes_not_billion() -> None:
    # "141e9 B each": 141e9 bytes (no one writes 141e9 billion); "70B" stays 70 billion
    assert [(q.unit, q.value) for q in lex("8x H200 (141e9 B each)")] == [("", 8.0), ("bytes", 141e9)]
    assert [(q.unit, q.value) for q in lex("a 70B model")] == [("", 70e9)]


def test_a_token_count_in_the_year_range_is_not_a_year() -> None:
    assert [q.unit for q in lex("8000 in 2000 out")] == ["", ""]
    assert [q.unit for q in lex("cagr from 40 in 2021 to 135 in 2025")] == ["", "year", "", "year"]
    assert [q.unit for q in lex("grows 20%/yr, what's 2028?")] == ["fraction/year", "year"]


@pytest.mark.parametrize(
    ("text", "watts"),
    [
        ("what would a gigawatt of B200s cost", 1e9),
        ("half a gigawatt campus", 0.5e9),
        ("three megawatts of IT", 3e6),
        ("add a kilowatt per rack", 1e3),
    ],
)
def test_power_said_in_words_is_read(text: str, watts: float) -> None:
    assert [(q.unit, q.value) for q in lex(text)] == [("W", watts)]


def test_a_megawatt_after_a_price_is_the_rate_not_a_power() -> None:
    assert all(q.unit != "W" for q in lex("facility shell at $12M a megawatt"))
