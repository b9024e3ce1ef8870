"""The one chat-model factory: the only module that imports a provider integration.

Model names:

- ``offline``: the deterministic planner (:class:`agent.offline.planner.OfflinePlanner`), no key, no network.
- ``openai:<model>``: ``OPENAI_API_KEY``; ``OPENAI_BASE_URL`` points it at any OpenAI-compatible
  server (vLLM, Ollama, llama.cpp). With a base URL and no key, the placeholder key ``EMPTY``
  is sent (vLLM's convention; local servers ignore it).
- ``anthropic:<model>``: ``ANTHROPIC_API_KEY`` (``ANTHROPIC_BASE_URL`` for a proxy or a test server).

When nothing is chosen (``--model`` / ``SILICONOMICS_MODEL``), the first provider whose key is
set is used (OpenAI, then Anthropic), else ``offline``. Timeouts, 429s and 5xx responses are
retried with backoff by the SDKs themselves (``max_retries``, ``timeout`` from the settings).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from tools.errors import InputError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from agent.settings import Settings

#: Default model per provider when only the provider's key is set. Source: the model names
#: used in the docstrings of the installed integrations (langchain-openai 1.7 ``ChatOpenAI``,
#: langchain-anthropic 1.7 ``ChatAnthropic``); override with ``--model`` or SILICONOMICS_MODEL.
DEFAULT_OPENAI_MODEL = "gpt-4.1-mini"
DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5-20250929"
OFFLINE = "offline"
PROVIDERS = ("openai", "anthropic")
#: Sent as the key to an OpenAI-compatible server that needs none (vLLM's documented placeholder).
PLACEHOLDER_KEY = "EMPTY"


class ProviderError(RuntimeError):
    """A provider failed after the SDK's own retries: one line saying what happened and what to do."""


def _key(secret: object) -> str | None:
    """A key's value, or ``None`` when unset or empty (``OPENAI_API_KEY=`` copied from .env.sample)."""
    value = secret.get_secret_value() if secret is not None else None  # type: ignore[attr-defined]
    return value or None


def _settings(settings: Settings | None) -> Settings:
    from agent.settings import load_settings

    return settings or load_settings()


def resolve_model_name(name: str | None = None, settings: Settings | None = None) -> str:
    """The full model name (``offline``, ``openai:x``, ``anthropic:x``) for a choice or for none.

    >>> resolve_model_name("offline")
    'offline'
    >>> resolve_model_name("gpt-4o")
    'openai:gpt-4o'
    """
    s = None
    if name is None:
        s = _settings(settings)
        name = s.model
    if not name:
        s = s or _settings(settings)
        if _key(s.openai_api_key) or s.openai_base_url:
            return f"openai:{DEFAULT_OPENAI_MODEL}"
        if _key(s.anthropic_api_key):
            return f"anthropic:{DEFAULT_ANTHROPIC_MODEL}"
        return OFFLINE
    name = name.strip()
    if name.lower() == OFFLINE:
        return OFFLINE
    provider, sep, model = name.partition(":")
    if sep:
        provider = provider.strip().lower()
        if provider not in PROVIDERS:
            raise InputError(
                "model",
                f"unknown provider {provider!r} in {name!r}; allowed: offline, openai:<model>, anthropic:<model>.",
            )
        if not model.strip():
            raise InputError(
                "model",
                f"{name!r} names no model; e.g. openai:{DEFAULT_OPENAI_MODEL} or anthropic:{DEFAULT_ANTHROPIC_MODEL}.",
            )
        return f"{provider}:{model.strip()}"
    if name.lower().startswith("claude"):
        return f"anthropic:{name}"
    if name.lower().startswith(("gpt", "o1", "o3", "o4", "chatgpt")):
        return f"openai:{name}"
    raise InputError("model", f"got {name!r}; allowed: offline, openai:<model>, anthropic:<model>.")


def provider_of(model_name: str) -> str:
    """``'openai'``, ``'anthropic'`` or ``'offline'`` for a resolved model name."""
    return model_name.partition(":")[0] if ":" in model_name else model_name


def _missing_key(var: str, model_name: str) -> InputError:
    return InputError(
        "model",
        f"{model_name} needs {var}: run `export {var}=...` (or add it to .env), "
        "or answer without a provider with --model offline.",
    )


def chat_model(name: str | None = None, *, settings: Settings | None = None) -> BaseChatModel:
    """Build the chat model called ``name`` (or the one the settings choose).

    Raises ``InputError`` (field ``model``) for an unknown name or a missing key.
    """
    s = _settings(settings)
    full = resolve_model_name(name, s)
    provider, _, model = full.partition(":")
    if full == OFFLINE:
        from agent.offline.planner import OfflinePlanner

        return OfflinePlanner()
    if provider == "openai":
        if not _key(s.openai_api_key) and not s.openai_base_url:
            raise _missing_key("OPENAI_API_KEY", full)
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=model,
            api_key=_key(s.openai_api_key) or PLACEHOLDER_KEY,
            base_url=s.openai_base_url or None,
            max_retries=s.max_retries,
            timeout=s.request_timeout_s,
            stream_usage=True,
        )
    if not _key(s.anthropic_api_key):
        raise _missing_key("ANTHROPIC_API_KEY", full)
    from langchain_anthropic import ChatAnthropic

    return ChatAnthropic(
        model=model,
        api_key=_key(s.anthropic_api_key),
        base_url=s.anthropic_base_url or None,
        max_retries=s.max_retries,
        timeout=s.request_timeout_s,
    )


def model_label(model: object) -> str:
    """A readable name for a chat-model instance: ``openai:gpt-4o``, ``offline``, or its class name."""
    cls = type(model).__name__
    if cls == "OfflinePlanner":
        return OFFLINE
    if cls == "ChatOpenAI":
        return f"openai:{getattr(model, 'model_name', '?')}"
    if cls == "ChatAnthropic":
        return f"anthropic:{getattr(model, 'model', '?')}"
    return getattr(model, "label", None) or cls


def provider_error_types() -> tuple[type[BaseException], ...]:
    """Exception classes that mean "the provider failed" (only from SDKs already imported)."""
    kinds: list[type[BaseException]] = []
    if "openai" in sys.modules:
        import openai

        kinds.append(openai.APIError)
    if "anthropic" in sys.modules:
        import anthropic

        kinds.append(anthropic.APIError)
    if "httpx" in sys.modules:
        import httpx

        kinds.append(httpx.HTTPError)
    return tuple(kinds)


def describe_provider_error(exc: BaseException, model_name: str, settings: Settings | None = None) -> str:
    """One line: which model failed, how (status or connection), after how many retries."""
    s = _settings(settings)
    status = getattr(exc, "status_code", None)
    what = f"HTTP {status}" if status else type(exc).__name__
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{model_name} failed ({what}: {detail}) after {s.max_retries} retries."


#: Appended to a provider failure when there is no fallback.
PROVIDER_HINT = "Retry later, check the key and base URL, or answer offline with --fallback offline."
