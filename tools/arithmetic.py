"""Safe arithmetic, the ``calculate`` tool: plain expressions through ``ast``, never ``eval``.

Analysts write sums the way they say them, so the text is normalised first:

- thousands separators: ``1,024`` -> ``1024``; currency signs dropped: ``$2`` -> ``2``;
- ``x``, ``×``, ``·`` multiply; ``÷`` divides; ``^`` is a power;
- suffixes on a number: ``12k`` = 12e3, ``2.5M`` = 2.5e6, ``3B``/``3bn`` = 3e9, ``1T`` = 1e12;
  ``30%`` = 0.30;
- unit words are labels and are dropped: ``1,024 GPUs x $2 x 8,760 h`` -> ``1024 * 2 * 8760``;
  so are unit denominators: ``$2/h`` -> ``2``.

Then only numbers, ``+ - * / // % **``, parentheses and ``round min max abs sqrt ceil floor``
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

#: Largest exponent accepted by ``**`` (keeps a typo from hanging the process).
MAX_EXPONENT = 100
#: Longest expression accepted, characters.
MAX_LENGTH = 500

_SUFFIX = {"k": 1e3, "K": 1e3, "M": 1e6, "mn": 1e6, "B": 1e9, "bn": 1e9, "T": 1e12}
_FUNCS: dict[str, Callable[..., Any]] = {
    "round": round,
    "min": min,
    "max": max,
    "abs": abs,
    "sqrt": math.sqrt,
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
            "Unit words are ignored; k/M/B/T suffixes and % are understood."
        ),
        json_schema_extra={"positional": True},
    )


def calculate(inp: CalculateInput) -> Calculation:
    """The registry entry point: :func:`evaluate` on ``inp.expression``."""
    return evaluate(inp.expression)


def normalise(expression: str) -> str:
    """The plain arithmetic an analyst's expression stands for (see the module docstring)."""
    text = expression
    for old, new in (("×", "*"), ("·", "*"), ("∙", "*"), ("÷", "/"), ("−", "-"), ("–", "-"), ("^", "**")):
        text = text.replace(old, new)
    text = re.sub(r"[$€£]", "", text)
    text = re.sub(r"\d{1,3}(?:,\d{3})+(?![\d])", lambda m: m.group(0).replace(",", ""), text)
    text = re.sub(
        r"(\d+(?:\.\d+)?)(bn|mn|[kKMBT])(?![A-Za-z])",
        lambda m: f"({m.group(1)}*{_SUFFIX[m.group(2)]:.0f})",
        text,
    )
    text = re.sub(r"(\d+(?:\.\d+)?)\s*%", r"(\1/100)", text)
    text = re.sub(r"(?<=[\d)\s])[xX](?=[\s\d(.])", "*", text)
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
            "use numbers, + - * / ** ( ), k/M/B/T suffixes, % and round/min/max/abs/sqrt/ceil/floor.",
        ) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("expression", f"{expression!r} has no finite value.")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 and "." not in plain and "/" not in plain:
        value = int(value)
    return Calculation(expression=expression, evaluated=ast.unparse(tree), value=value)
