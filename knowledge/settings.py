"""The knowledge store's settings: where the index lives, which Chroma server, which embedder.

:class:`KnowledgeSettings` reads ``SILICONOMICS_DATA_DIR``, ``SILICONOMICS_EMBEDDER``,
``CHROMA_HOST`` and ``CHROMA_PORT`` (and ``.env`` when present). The agent's settings
(:class:`agent.settings.Settings`) extend this class, so the store and the agent agree on every
value and the knowledge layer never imports the agent. Callers pass a data directory, a Chroma
host or an embedder in; what they leave out, :func:`knowledge_settings` reads from the
environment afresh (cheap, and never stale when a test or a command changes a variable).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("siliconomics", appauthor=False))


class KnowledgeSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SILICONOMICS_", extra="ignore", env_file=None)

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index, conversations and ingested sources.")
    embedder: Literal["minilm", "hashing"] = Field(
        "minilm", description="Knowledge-index embeddings: 'minilm' (offline ONNX) or 'hashing' (test-only stand-in)."
    )
    chroma_host: str | None = Field(None, validation_alias=AliasChoices("CHROMA_HOST"))
    chroma_port: int = Field(8000, validation_alias=AliasChoices("CHROMA_PORT"))
    ingest_max_mb: float = Field(
        1.0,
        gt=0,
        le=1000,
        description="Largest file 'siliconomics ingest' accepts, MB (product choice, see knowledge/ingest.py).",
    )


def knowledge_settings(env_file: str | None = ".env") -> KnowledgeSettings:
    """The store's settings from the environment, and from ``env_file`` when it exists."""
    if env_file and Path(env_file).is_file():
        return KnowledgeSettings(_env_file=env_file)  # type: ignore[call-arg]
    return KnowledgeSettings()
