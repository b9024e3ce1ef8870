"""Dedupe, rate limit, redaction, question parsing, slash-command parsing, manifest, CLI start-up errors."""

from __future__ import annotations

import logging

import pytest
import yaml
from click.testing import CliRunner

from agent.cli.main import cli
from agent.slack.dedupe import Deduper
from agent.slack.listeners import is_question_event, question_text
from agent.slack.ratelimit import RateLimiter
from agent.slack.redact import RedactingFormatter, redact, secret_values
from agent.slack.slash import run_slash


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_deduper_remembers_until_ttl_and_caps_size():
    clock = Clock()
    d = Deduper(ttl_s=60, max_keys=3, clock=clock)
    assert not d.seen("a") and d.seen("a")
    clock.now += 61
    assert not d.seen("a")
    for key in "bcd":
        d.seen(key)
    assert not d.seen("a")  # evicted: only the 3 newest are kept


def test_rate_limiter_sliding_window():
    clock = Clock()
    limiter = RateLimiter(2, 60, clock=clock)
    assert limiter.allow("u")[0] and limiter.allow("u")[0]
    clock.now += 10
    allowed, retry = limiter.allow("u")
    assert not allowed and retry == pytest.approx(50)
    assert limiter.allow("v")[0]
    clock.now += 50
    assert limiter.allow("u")[0]


def test_redact_configured_secrets_and_token_shapes():
    text = (
        "token xoxb-123-456-abcdef and xapp-1-A0-xyz123 secret s3cr3t-value Bearer abc.def.ghi-jkl key sk-live-123456"
    )
    out = redact(text, ["s3cr3t-value", "sk-live-123456"])
    assert out == "token [redacted] and [redacted] secret [redacted] [redacted] key [redacted]"


def test_redacting_formatter_covers_messages_and_tracebacks():
    formatter = RedactingFormatter("%(message)s", ["hunter2-secret"])
    try:
        raise RuntimeError("failed with hunter2-secret")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "calling with %s", ("xoxb-999-888-abcdefgh",), sys.exc_info()
        )
    out = formatter.format(record)
    assert "hunter2-secret" not in out and "xoxb-999" not in out
    assert out.startswith("calling with [redacted]\nTraceback") and out.endswith("RuntimeError: failed with [redacted]")


def test_secret_values_come_from_settings(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-abc-def-123456")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdef")
    from agent.settings import Settings

    assert set(secret_values(Settings())) == {"xoxb-abc-def-123456", "sk-test-abcdef"}


def test_question_text_strips_mentions_and_unescapes():
    assert (
        question_text("<@U1> fit <@U2|bob> on 8x H100 &amp; <https://a.b/c|link> &lt;10k")
        == "fit on 8x H100 & link <10k"
    )


@pytest.mark.parametrize(
    "event, expected",
    [
        ({"user": "U1", "text": "q"}, True),
        ({"user": "U1", "text": "q", "subtype": "file_share"}, True),
        ({"user": "U1", "text": "q", "bot_id": "B1"}, False),
        ({"user": "U1", "text": "q", "subtype": "message_changed"}, False),
        ({"user": "U1", "text": "q", "subtype": "message_deleted"}, False),
        ({"user": "U1", "text": "q", "edited": {"ts": "1"}}, False),
        ({"text": "q", "subtype": "bot_message"}, False),
    ],
)
def test_is_question_event(event, expected):
    assert is_question_event(event) is expected


def test_slash_reuses_cli_parsing_and_validation():
    ok = run_slash("memory-fit --model llama-3.1-70b --chip h100 --gpus 8 --prompt 1000 --output 1000")
    assert ok["response_type"] == "ephemeral"
    fields = [f["text"] for b in ok["blocks"] if "fields" in b for f in b["fields"]]
    assert "*max concurrent sequences*\n728" in fields  # docs/peers.md case 4, GiB x 0.9 column
    assert run_slash("kv-cache —model llama-3.1-70b —context 8192")["response_type"] == "ephemeral"  # Slack's em dashes
    assert "327,680" in str(run_slash("kv-cache —model llama-3.1-70b —context 8192")["blocks"])
    assert "No such option '--modle'" in run_slash("kv-cache --modle x")["text"]
    assert "Did you mean: Llama-3.1-70B" in run_slash("kv-cache --model llama-3.1-7b --context 10")["text"]
    assert "unknown tool 'kv'" in run_slash("kv")["text"]
    assert "could not read the command" in run_slash('kv-cache --model "unclosed')["text"]
    assert "Usage: /siliconomics throughput" in run_slash("throughput --help")["blocks"][0]["text"]["text"]
    assert run_slash("")["text"].startswith("*Siliconomics*")


def test_manifest_declares_what_the_bot_uses():
    result = CliRunner().invoke(cli, ["slack", "--manifest"])
    assert result.exit_code == 0, result.output
    manifest = yaml.safe_load(result.output)
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "app_mentions:read",
        "chat:write",
        "commands",
        "files:write",
        "im:history",
    }
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["features"]["slash_commands"][0]["command"] == "/siliconomics"


@pytest.mark.parametrize(
    "args, env, missing",
    [
        (["slack"], {"SLACK_BOT_TOKEN": "xoxb-1-2-abcdef"}, "SLACK_APP_TOKEN not set"),
        (["slack", "--http"], {"SLACK_BOT_TOKEN": "xoxb-1-2-abcdef"}, "SLACK_SIGNING_SECRET not set"),
        (["slack", "--http"], {}, "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set"),
    ],
)
def test_missing_tokens_fail_with_one_line(args, env, missing, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert missing in result.output and len(result.output.strip().splitlines()) == 1


@pytest.fixture
def no_log_setup(monkeypatch):
    """In-process runs of the command keep pytest's logging (the e2e test covers the real set-up)."""
    monkeypatch.setattr("agent.slack.app.configure_logging", lambda secrets, verbose: None)


def test_wrong_token_fails_at_start_up_with_one_line(fake_slack, monkeypatch, tmp_path, no_log_setup):
    monkeypatch.chdir(tmp_path)
    fake_slack.fail("auth.test", "invalid_auth")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-wrongtoken")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "whatever-secret")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    result = CliRunner().invoke(cli, ["slack", "--http", "--port", "0"])
    assert result.exit_code == 2
    assert "Slack refused to start the bot" in result.output and "invalid_auth" in result.output
    assert "wrongtoken" not in result.output


def test_socket_mode_opens_its_connection_with_the_app_token(fake_slack, monkeypatch, tmp_path, no_log_setup):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-bottoken")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1-A1-apptoken123")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    result = CliRunner().invoke(cli, ["slack"])
    (open_call,) = fake_slack.of("apps.connections.open")
    assert open_call.token == "xapp-1-A1-apptoken123"  # the fake refuses it: invalid_auth
    assert (
        result.exit_code == 2 and "Socket Mode connection failed" in result.output and "invalid_auth" in result.output
    )
    assert "apptoken123" not in result.output
