"""Slack test fixtures: the fake Web API on loopback."""

from __future__ import annotations

import pytest
from fake_slack_api import FakeSlack


@pytest.fixture
def fake_slack():
    with FakeSlack() as slack:
        yield slack
