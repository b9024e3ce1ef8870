"""Test-wide guards: no provider keys, a private data directory.

Network: pytest-socket (``--allow-hosts`` in pyproject addopts) blocks every connection that
is not to loopback.
"""

from __future__ import annotations

import pytest

_PROVIDER_VARS = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_BASE_URL",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
    "CHROMA_HOST",
    "SILICONOMICS_MODEL",
    "SILICONOMICS_FALLBACK",
)


@pytest.fixture(autouse=True)
def _no_real_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real provider calls are impossible by accident: keys removed, settings cache cleared."""
    for var in _PROVIDER_VARS:
        monkeypatch.delenv(var, raising=False)
    from agent.settings import load_settings

    load_settings.cache_clear()


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory):
    """One data directory (index, conversations) shared by the whole session."""
    return tmp_path_factory.mktemp("siliconomics-data")


@pytest.fixture(autouse=True)
def _private_data_dir(monkeypatch: pytest.MonkeyPatch, data_dir) -> None:
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(data_dir))


@pytest.fixture(scope="session")
def knowledge_store(data_dir):
    """The knowledge index (real offline embedder) built once per session in ``data_dir``.

    ``knowledge.search.search()`` called in any test reuses this same store.
    """
    from knowledge.index import get_store

    return get_store(data_dir=data_dir)
