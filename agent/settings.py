"""Settings: the one place that reads the environment (with :mod:`knowledge.settings`, which this extends).

Every variable has the prefix ``SILICONOMICS_`` except the providers' and Slack's own
conventional names (``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``ANTHROPIC_API_KEY``,
``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``, ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL``,
``CHROMA_HOST``, ``CHROMA_PORT``). ``.env`` is read once, by :func:`load_settings` at entry
points; ``.env.sample`` lists every variable and whether it is required.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from knowledge.settings import KnowledgeSettings


class Settings(KnowledgeSettings):
    """Everything the agent and its front-ends read; the store's fields come from :class:`KnowledgeSettings`."""

    model_config = SettingsConfigDict(env_prefix="SILICONOMICS_", extra="ignore", env_file=None)

    model: str | None = Field(None, description="'offline', 'openai:<model>' or 'anthropic:<model>'.")
    fallback: str | None = Field(None, description="Model to answer with when the provider fails, e.g. 'offline'.")
    max_tool_rounds: int = Field(8, ge=1, description="Cap on tool-call rounds per question.")
    request_timeout_s: float = Field(60.0, gt=0, description="Provider request timeout, seconds.")
    max_retries: int = Field(2, ge=0, description="Provider SDK retries (timeouts, 429, 5xx) before giving up.")

    openai_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, validation_alias=AliasChoices("OPENAI_BASE_URL"))
    anthropic_api_key: SecretStr | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_API_KEY"))
    anthropic_base_url: str | None = Field(None, validation_alias=AliasChoices("ANTHROPIC_BASE_URL"))

    slack_bot_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_app_token: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_signing_secret: SecretStr | None = Field(None, validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))
    slack_rate_limit: int = Field(
        5, ge=1, description="Slack questions per user per window (product choice, not a Slack rule)."
    )
    slack_rate_window_s: float = Field(60.0, gt=0, description="Window of the Slack per-user rate limit, seconds.")
    slack_read_timeout_s: float = Field(
        10.0,
        gt=0,
        le=600,
        description="Seconds a Slack HTTP connection may stay silent mid-request before it is closed.",
    )


@cache
def load_settings(env_file: str | None = ".env") -> Settings:
    """Settings from the environment, and from ``env_file`` when it exists (read once per process)."""
    if env_file and Path(env_file).is_file():
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    return Settings()
