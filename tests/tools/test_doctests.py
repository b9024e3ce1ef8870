"""The examples in ``tools/`` docstrings run: a docstring example that drifts from the code fails here."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import tools

MODULES = sorted(m.name for m in pkgutil.iter_modules(tools.__path__, prefix="tools."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_some_examples_exist() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 8
