"""Fixtures for the chat tests."""

from __future__ import annotations

import pytest
from rich.console import Console


@pytest.fixture
def console() -> Console:
    return Console(record=True, width=160, force_terminal=False, color_system=None)
