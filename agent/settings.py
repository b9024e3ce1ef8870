"""Settings: the one place that reads the environment.

Every variable has the prefix ``SILICONOMICS_`` except the providers' and Slack's own
conventional names (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``ANTHROPIC_API_KEY``,
``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL``,
``CHROMA_HOST``, ``CHROMA_PORT``). ``.env`` is read once, by :func:`load_settings` at entry
points; ``.env.sample`` lists every variable and whether it is required.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("siliconomics", appauthor=False))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SILICONOMICS_", extra="ignore", env_file=None)

    data_dir: Path = Field(default_factory=_default_data_dir, description="Index, conversations and ingested sources.")
    model: str | None = Field(None, description="'offline', 'openai:<model>' or 'anthropic:<model>'.")
    fallback: str | None = Field(None, description="Model to answer with when the provider fails, e.g. 'offline'.")
    max_tool_rounds: int = Field(8, ge=1, description="Cap on tool-call rounds per question.")
    request_timeout_s: float = Field(60.0, gt=0, description="Provider request timeout, seconds.")
    max_retries: int = Field(2, ge=0, description="Provider SDK retries (timeouts, 429, 5xx) before giving up.")
    embedder: Literal["minilm", "hashing"] = Field(
        "minilm", description="Knowledge-index embeddings: 'minilm' (offline ONNX) or 'hashing' (test-only stand-in)."
    )

    ingest_max_mb: float = Field(
        5.0, gt=0, le=1000, description="Largest file 'siliconomics ingest' accepts, MB (product choice: about 5 min of embedding)."
    )

    openai_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    anthropic_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_API_KEY"))
    anthropic_base_url: str | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL"))

    chroma_host: str | None = Field(None, validation_alias=AliasChoices("CHROMA_HOST"))
    chroma_port: int = Field(8000, validation_alias=AliasChoices("CHROMA_PORT"))

    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))
    slack_rate_limit: int = Field(5, ge=1, description="Slack questions per user per window (product choice, not a Slack rule).")
    slack_rate_window_s: float = Field(60.0, gt=0, description="Window of the Slack per-user rate limit, seconds.")
    slack_read_timeout_s: float = Field(
        10.0, gt=0, le=600, description="Seconds a Slack HTTP connection may stay silent mid-request before it is closed."
    )


@cache
def load_settings(env_file: str | None = ".env") -> Settings:
    """Settings from the environment, and from ``env_file`` when it exists (read once per process)."""
    if env_file and Path(env_file).is_file():
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    return Settings()
