"""The chat-model factory: names, auto-pick, missing keys, SDK settings."""

from __future__ import annotations

import pytest

from agent.models import chat_model, model_label, resolve_model_name
from agent.settings import Settings
from tools.errors import InputError


def test_offline_is_the_default_without_keys():
    assert resolve_model_name(None, Settings()) == "offline"
    assert type(chat_model(settings=Settings())).__name__ == "OfflinePlanner"


def test_auto_pick_prefers_a_provider_whose_key_is_set():
    assert resolve_model_name(None, Settings(anthropic_api_key="k")).startswith("anthropic:")
    assert resolve_model_name(None, Settings(openai_api_key="k", anthropic_api_key="k")).startswith("openai:")
    assert resolve_model_name(None, Settings(model="anthropic:claude-x", openai_api_key="k")) == "anthropic:claude-x"


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("offline", "offline"),
        ("OFFLINE", "offline"),
        ("openai:gpt-4o", "openai:gpt-4o"),
        ("gpt-4o", "openai:gpt-4o"),
        ("claude-sonnet-4-5", "anthropic:claude-sonnet-4-5"),
        (" Anthropic:claude-x ", "anthropic:claude-x"),
    ],
)
def test_names(name, full):
    assert resolve_model_name(name, Settings()) == full


@pytest.mark.parametrize("name", ["foo:bar", "openai:", "llama3"])
def test_bad_names(name):
    with pytest.raises(InputError, match="^model:"):
        resolve_model_name(name, Settings())


@pytest.mark.parametrize(
    ("name", "var"), [("openai:gpt-4o", "OPENAI_API_KEY"), ("anthropic:claude-x", "ANTHROPIC_API_KEY")]
)
def test_missing_key_says_which_variable_and_how(name, var):
    with pytest.raises(InputError) as info:
        chat_model(name, settings=Settings())
    text = str(info.value)
    assert f"export {var}=" in text and ".env" in text and "--model offline" in text


def test_sdk_retries_and_timeouts_come_from_settings():
    s = Settings(
        openai_api_key="k",
        anthropic_api_key="k",
        max_retries=5,
        request_timeout_s=12.5,
        openai_base_url="http://127.0.0.1:9/v1",
    )
    openai_model = chat_model("openai:gpt-x", settings=s)
    assert (openai_model.max_retries, openai_model.request_timeout, openai_model.openai_api_base) == (
        5,
        12.5,
        "http://127.0.0.1:9/v1",
    )
    anthropic_model = chat_model("anthropic:claude-x", settings=s)
    assert (anthropic_model.max_retries, anthropic_model.default_request_timeout) == (5, 12.5)
    assert model_label(openai_model) == "openai:gpt-x" and model_label(anthropic_model) == "anthropic:claude-x"


def test_env_model_setting(monkeypatch):
    monkeypatch.setenv("SILICONOMICS_MODEL", "anthropic:claude-env")
    from agent.settings import load_settings

    assert resolve_model_name(None, load_settings()) == "anthropic:claude-env"


def test_empty_variables_from_a_copied_env_sample_count_as_unset():
    s = Settings(openai_api_key="", anthropic_api_key="", openai_base_url="")
    assert resolve_model_name(None, s) == "offline"
    with pytest.raises(InputError, match="export OPENAI_API_KEY="):
        chat_model("openai:gpt-4o", settings=s)
