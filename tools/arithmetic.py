"""Safe arithmetic, the ``calculate`` tool: plain expressions through ``ast``, never ``eval``.

Analysts write sums the way they say them, so the text is normalised first:

- ``x``, ``×``, ``·`` multiply; ``÷`` divides; ``^`` is a power;
- every number is read by the one quantities lexer (:func:`tools.quantities.lex`): thousands
  separators (``1,024``), magnitudes (``12k`` = 12e3, ``2.5M`` = 2.5e6, ``3B``/``3bn`` = 3e9,
  ``1T`` = 1e12, ``fifty million``), money (``$2.10`` = 2.1, ``7c/kWh`` = 0.07) and percents
  (``30%`` = 0.30, ``18%/yr`` = 0.18);
- units that only scale a figure are labels: ``80 GB`` is 80, ``12 kW`` 12, ``200 ms`` 200, as
  written; other unit words and denominators are dropped: ``1,024 GPUs x $2 x 8,760 h`` ->
  ``1024 * 2 * 8760``, ``$2/h`` -> ``2``.

Then only numbers, ``+ - * / // % **``, parentheses and ``round min max abs sqrt log ceil floor``
(``log`` is the natural logarithm)
are accepted. Anything else is an :class:`~tools.errors.InputError` naming the expression.

>>> evaluate("1,024 GPUs x $2 x 8,760 h").value
17940480
>>> evaluate("12k * 30%").value
3600.0
"""

from __future__ import annotations

import ast
import math
import operator
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, Field

from tools.errors import InputError
from tools.quantities import Quantity, lex

#: Largest exponent accepted by ``**`` (keeps a typo from hanging the process).
MAX_EXPONENT = 100
#: Longest expression accepted, characters.
MAX_LENGTH = 500

#: Units whose figure is used as written (the unit is a label): "80 GB" is 80, not 8e10 bytes.
_AS_WRITTEN = frozenset({"bytes", "bytes/s", "W", "Wh", "s"})
_FUNCS: dict[str, Callable[..., Any]] = {
    "round": round,
    "min": min,
    "max": max,
    "abs": abs,
    "sqrt": math.sqrt,
    "log": math.log,  # natural logarithm: years to a multiple, ln(m) / ln(1 + r)
    "ceil": math.ceil,
    "floor": math.floor,
}
_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class Calculation(BaseModel):
    """The result of ``calculate``: the expression as read, and its value."""

    expression: str = Field(description="The expression as written.")
    evaluated: str = Field(description="The plain arithmetic actually evaluated (units dropped, suffixes expanded).")
    value: float | int


class CalculateInput(BaseModel):
    """Evaluate plain arithmetic on figures already obtained from tools, citations or the question."""

    expression: str = Field(
        description=(
            "Plain arithmetic, e.g. '1,024 x $2 x 8,760' or '(3.2M - 2.9M) / 2.9M'. "
            "Numbers are read as analysts write them (12k, 1.5M, $2.10, 7c/kWh, 30%); other unit words are ignored."
        ),
        json_schema_extra={"positional": True},
    )


def calculate(inp: CalculateInput) -> Calculation:
    """The registry entry point: :func:`evaluate` on ``inp.expression``."""
    return evaluate(inp.expression)


def _operand(q: Quantity) -> str:
    """One quantity as a plain number: its value, or its figure as written for a label unit (15 significant
    digits, so 1.1M is 1100000, not 1100000.0000000002); a sign is kept as an operator ("-(5)")."""
    value = q.figure if q.unit in _AS_WRITTEN else q.value
    plain = format(abs(value), ".15g")
    return f"-({plain})" if value < 0 else plain


def _numbers(text: str) -> str:
    """``text`` with every quantity the lexer finds replaced by its plain number (see :func:`_operand`)."""
    for q in reversed(lex(text, merge=False)):
        text = text[: q.start] + f" {_operand(q)} " + text[q.end :]
    return text


def normalise(expression: str) -> str:
    """The plain arithmetic an analyst's expression stands for (see the module docstring)."""
    text = expression
    for old, new in (("×", "*"), ("·", "*"), ("∙", "*"), ("÷", "/"), ("−", "-"), ("–", "-"), ("^", "**")):
        text = text.replace(old, new)
    text = re.sub(r"[€£]", "", text)
    text = re.sub(r"(?<=[\d)\s])[xX](?=[\s\d(.$])", "*", text)
    text = re.sub(r"(?<=[\d)])\s*-\s*(?=[\d.($])", " - ", text)  # "5-3k": a subtraction, not a name like "llama-3"
    text = _numbers(text)
    # unit denominators ("/h", "/GPU", "per hour") and then any remaining unit words
    text = re.sub(r"(?:/|\bper\b)\s*[A-Za-z_][A-Za-z_]*\b(?!\s*\()", " ", text)
    text = re.sub(r"\b[A-Za-z_][A-Za-z_0-9]*\b(?!\s*\()", " ", text)
    return " ".join(text.split())


def _eval(node: ast.AST) -> float | int:
    if isinstance(node, ast.Expression):
        return _eval(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise ValueError(f"exponent {right} is above {MAX_EXPONENT}")
        return _BINOPS[type(node.op)](left, right)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_eval(node.operand))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords:
        return _FUNCS[node.func.id](*(_eval(a) for a in node.args))
    raise ValueError(f"{type(node).__name__} is not allowed")


def evaluate(expression: str) -> Calculation:
    """Evaluate an analyst's arithmetic expression safely. Raises ``InputError`` (field ``expression``)."""
    if not expression or not expression.strip():
        raise InputError("expression", "is empty; give plain arithmetic such as '1,024 x $2 x 8,760'.")
    if len(expression) > MAX_LENGTH:
        raise InputError("expression", f"is {len(expression)} characters long; at most {MAX_LENGTH} are allowed.")
    plain = normalise(expression)
    try:
        tree = ast.parse(plain, mode="eval")
        value = _eval(tree)
    except ZeroDivisionError:
        raise InputError("expression", f"{expression!r} divides by zero.") from None
    except (SyntaxError, ValueError, TypeError, OverflowError) as exc:
        reason = exc.msg if isinstance(exc, SyntaxError) else str(exc)
        raise InputError(
            "expression",
            f"cannot evaluate {expression!r} (read as {plain!r}: {reason}); "
            "use numbers, + - * / ** ( ), k/M/B/T suffixes, % and round/min/max/abs/sqrt/log/ceil/floor.",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("expression", f"{expression!r} has no finite value.")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 and "." not in plain and "/" not in plain:
        value = int(value)
    return Calculation(expression=expression, evaluated=ast.unparse(tree), value=value)
