"""Fixtures shared by the agent tests."""

from __future__ import annotations

import uuid

import pytest

from agent.ask import ask
from agent.settings import Settings


@pytest.fixture
def chat(data_dir):
    """Ask in one fresh stored conversation with the offline planner."""
    settings = Settings(data_dir=data_dir)
    conversation = uuid.uuid4().hex[:12]

    def turn(question: str):
        return ask(question, conversation_id=conversation, model="offline", settings=settings)

    return turn
