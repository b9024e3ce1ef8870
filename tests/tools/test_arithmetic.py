"""Safe arithmetic: analyst-style expressions in, numbers out, never eval."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.arithmetic import evaluate, normalise
from tools.errors import InputError


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1,024 GPUs x $2 x 8,760 h", 17_940_480),  # the example
        ("$2/h × 8,760 h/yr", 17_520),
        ("12k * 30%", 3_600),
        ("2.5M / 1,000", 2_500),
        ("$1.2bn / 5 years", 240_000_000),
        ("405B * 2 bytes", 810_000_000_000),
        ("(3 + 4)^2", 49),
        ("2 ** 10 - 24", 1_000),
        ("round(2/3, 2)", 0.67),
        ("max(1,2) + min(3, 4)", 5),
        ("-5 + 3 ÷ 2", -3.5),
        ("sqrt(16) x ceil(2.1)", 12),
        ("log(8) / log(2)", 3),  # natural log: years to reach 8x at 100 % a year
        ("$2.10 x 1.5M", 3_150_000),  # read by the quantities lexer: money, magnitudes, rates, percents
        ("$1.85/GPU-hr x 8,760", 16_206),
        ("7c/kWh x 1,000", 70),
        ("18%/yr x 2", 0.36),
        ("5-3k", -2_995),
        ("fifty million / 5", 10_000_000),
        ("80 GB x 0.9", 72),  # a unit that only scales is a label: the figure as written
        ("200 ms x 5", 1_000),
    ],
)
def test_expressions(expression, value):
    assert evaluate(expression).value == pytest.approx(value)


def test_reports_what_it_evaluated():
    calc = evaluate("1,024 GPUs x $2 x 8,760 h")
    assert calc.evaluated == "1024 * 2 * 8760" and calc.value == 17_940_480 and isinstance(calc.value, int)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("__import__('os').system('true')", "not allowed"),
        ("open('/etc/passwd')", "not allowed"),
        ("(1).__class__", "cannot evaluate"),
        ("[1, 2]", "not allowed"),
        ("lambda: 1", "cannot evaluate"),
        ("2 ** 1000", "exponent"),
        ("1 / 0", "divides by zero"),
        ("", "empty"),
        ("1 +", "cannot evaluate"),
        ("9" * 600, "at most 500"),
    ],
)
def test_rejects_anything_but_arithmetic(expression, reason):
    with pytest.raises(InputError) as info:
        evaluate(expression)
    assert str(info.value).startswith("expression:") and reason in str(info.value)


def test_never_calls_eval(monkeypatch):
    import builtins

    monkeypatch.setattr(builtins, "eval", lambda *a, **k: pytest.fail("eval called"))
    assert evaluate("6 x 7").value == 42


def test_unit_words_are_labels():
    assert normalise("8 GPUs per node x 4 nodes") == "8 * 4"


@given(st.integers(0, 10**9), st.integers(1, 10**6))
def test_matches_python_arithmetic(a, b):
    assert evaluate(f"{a:,} x {b} + {a} / {b}").value == pytest.approx(a * b + a / b)


@given(st.floats(0.01, 1e6), st.sampled_from(["", "k", "M", "B"]))
def test_magnitudes_agree_with_the_lexer(number, suffix):
    from tools.quantities import lex

    text = f"{number:.2f}{suffix}"
    (q,) = lex(text)
    assert evaluate(f"{text} x 2").value == pytest.approx(q.value * 2, rel=1e-12)
