"""End to end: the real ``siliconomics slack --http`` process, signed Events API and slash-command
requests over loopback, the fake Slack Web API recording what the bot posts, and the real agent
(offline planner: no provider key) computing the figures.

Figures expected (sources): Llama-3.1-70B bf16 on 8x H100, 1k prompt + 1k output -> 728 peak
concurrent requests, on 8x H200 -> 1,447 (docs/peers.md case 4, "GiB x 0.9" column); KV per token of
Llama-3.1-70B in bf16 = 327,680 B (docs/peers.md cases 1-4 table, case 4a).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import slack_payloads
from fake_slack_api import BOT_ID, BOT_USER_ID, FakeSlack
from slack_payloads import BOT_TOKEN, SIGNING_SECRET, event_body, signed_headers, slash_body

pytestmark = pytest.mark.slow

SILICONOMICS = Path(sys.executable).with_name("siliconomics")
PROVIDER_KEY = "sk-test-provider-key-7c1d9e"
FIT_QUESTION = "how many concurrent requests fit for Llama-3.1-70B bf16 on 8x H100 with 1k prompt and 1k output tokens?"


def mention(text: str, *, channel: str, **kw):
    """A mention by a user of its own per channel (the rate limit is per user)."""
    return slack_payloads.mention(text, channel=channel, **{"user": f"U{channel}", **kw})


def dm(text: str, *, channel: str, **kw):
    return slack_payloads.dm(text, channel=channel, **{"user": f"U{channel}", **kw})


class BotProcess:
    """``siliconomics slack --http --port 0 -v`` in a subprocess, its log in a file."""

    def __init__(self, fake: FakeSlack, data_dir: Path, workdir: Path, **env: str) -> None:
        self.fake, self.data_dir, self.workdir, self.extra_env = fake, data_dir, workdir, env
        self.logs: list[Path] = []
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "OPENAI_", "ANTHROPIC_", "SILICONOMICS_", "CHROMA_"))
        }
        env.update(
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=self.fake.api_url,
            SILICONOMICS_DATA_DIR=str(self.data_dir),
            SILICONOMICS_SLACK_RATE_LIMIT="3",
            **self.extra_env,
        )
        log = self.workdir / f"bot-{len(self.logs)}.log"
        self.logs.append(log)
        with open(log, "wb") as out:  # cwd: a directory without a .env
            self.proc = subprocess.Popen(
                [str(SILICONOMICS), "slack", "--http", "--port", "0", "-v"],
                cwd=self.workdir,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            match = re.search(r"listening on http://127\.0\.0\.1:(\d+)/slack/events", log.read_text(errors="replace"))
            if match:
                self.port = int(match.group(1))
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"bot exited {self.proc.returncode}: {log.read_text()}")
            time.sleep(0.2)
        raise AssertionError(f"bot did not start: {log.read_text()}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)

    def log_text(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.logs)

    def post(self, body: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        req = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/slack/events",
            data=body.encode(),
            headers=headers or signed_headers(body),
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.read().decode()

    def slash(self, text: str) -> dict:
        body = slash_body(text)
        status, payload = self.post(body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
        assert status == 200, payload
        return json.loads(payload)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="slack-e2e-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def fake():
    with FakeSlack() as slack:
        yield slack


@pytest.fixture(scope="module")
def bot(fake, workdir):
    process = BotProcess(fake, workdir / "data", workdir)
    process.start()
    yield process
    process.stop()


def answer_in(fake: FakeSlack, channel: str, thread_ts: str, timeout: float = 120) -> str:
    """The thread's one reply once it is final (not the working placeholder)."""

    def final():
        replies = fake.thread(channel, thread_ts)
        return replies if replies and "Working on it" not in replies[-1] else None

    replies = fake.wait_for(final, timeout)
    assert len(replies) == 1, replies
    return replies[0]


def drain(bot: BotProcess, fake: FakeSlack, tag: str) -> None:
    """Send a DM and wait for its answer: everything sent before it has been handled."""
    bot.post(
        event_body(dm("kv cache per token for llama-3.1-8b in bf16", channel=f"DS{tag}", ts="5.5", user=f"US{tag}"))
    )
    answer_in(fake, f"DS{tag}", "5.5")


def test_mention_is_acknowledged_then_answered_in_the_thread_with_the_figures(bot, fake):
    status, _ = bot.post(event_body(mention(FIT_QUESTION, channel="CFIT", ts="1000.0001")))
    assert status == 200
    assert (
        not fake.thread("CFIT", "1000.0001") or "Working on it" in fake.thread("CFIT", "1000.0001")[0]
    )  # acked before answering
    text = answer_in(fake, "CFIT", "1000.0001")
    assert "728" in text and "Show work" in text and "h100" in text.lower()  # brief; the work is one click away
    assert fake.of("assistant.threads.setStatus", channel_id="CFIT", thread_ts="1000.0001")  # visible working state
    (post,) = fake.of("chat.postMessage", channel="CFIT")
    assert post.params["thread_ts"] == "1000.0001" and post.token == BOT_TOKEN


def test_follow_up_in_the_same_thread_uses_the_context(bot, fake):
    bot.post(event_body(mention("and on 8x H200?", channel="CFIT", ts="1000.0002", thread_ts="1000.0001")))
    fake.wait_for(lambda: len(fake.thread("CFIT", "1000.0001")) == 2, 120)
    follow_up = fake.thread("CFIT", "1000.0001")[1]
    assert "1,447" in follow_up and "Llama-3.1-70B" in follow_up


def test_forged_or_stale_requests_get_401_and_nothing_is_posted(bot, fake):
    body = event_body(mention(FIT_QUESTION, channel="CFORGED", ts="1100.0001"))
    assert bot.post(body, signed_headers(body, secret="not-the-secret"))[0] == 401
    assert bot.post(body, signed_headers(body, timestamp=int(time.time()) - 600))[0] == 401
    slash = slash_body("help")
    assert (
        bot.post(slash, signed_headers(slash, secret="nope", content_type="application/x-www-form-urlencoded"))[0]
        == 401
    )
    drain(bot, fake, "forged")
    assert not [c for c in fake.calls if "CFORGED" in json.dumps(c.params)]


def test_retried_event_is_answered_once(bot, fake):
    body = event_body(
        mention("kv cache per token for llama-3.1-70b in bf16", channel="CRETRY", ts="1200.0001"),
        event_id="EvRETRY0001",
    )
    assert bot.post(body)[0] == 200
    for n in (1, 2):
        headers = {**signed_headers(body), "X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"}
        assert bot.post(body, headers)[0] == 200
    answer_in(fake, "CRETRY", "1200.0001")
    drain(bot, fake, "retry")
    assert len(fake.of("chat.postMessage", channel="CRETRY")) == 1
    assert "retry 2 of event EvRETRY0001 ignored" in bot.log_text()


def test_direct_message_is_answered(bot, fake):
    bot.post(
        event_body(dm("what is the KV cache per token for llama-3.1-70b in bf16?", channel="DALICE", ts="1300.0001"))
    )
    text = answer_in(fake, "DALICE", "1300.0001")
    assert "327,680" in text


def test_own_messages_edits_and_other_subtypes_are_ignored(bot, fake):
    for event in (
        dm("my own reply", channel="DIGNORE", ts="1400.0001", user=BOT_USER_ID, bot_id=BOT_ID),
        dm("edit", channel="DIGNORE", ts="1400.0002", subtype="message_changed", message={"text": FIT_QUESTION}),
        dm("left", channel="DIGNORE", ts="1400.0003", subtype="channel_leave"),
    ):
        assert bot.post(event_body(event))[0] == 200
    drain(bot, fake, "ignore")
    assert not [c for c in fake.calls if "DIGNORE" in json.dumps(c.params)]


def test_slash_command_runs_a_calculator_ephemerally_or_in_channel(bot, fake):
    reply = bot.slash("kv-cache --model llama-3.1-70b --context 32000")
    assert reply["response_type"] == "ephemeral"
    assert "327,680 B" in json.dumps(
        reply["blocks"]
    ) and "kv-cache --model llama-3.1-70b --context 32000" in json.dumps(reply["blocks"])
    assert bot.slash("kv-cache --model llama-3.1-70b --context 32000 --in-channel")["response_type"] == "in_channel"
    help_text = json.dumps(bot.slash("help"))
    assert all(f"/siliconomics {name} --help" in help_text for name in ("kv-cache", "memory-fit", "throughput"))
    error = bot.slash("memory-fit --model llama-3.1-70b --chip h1000")
    assert error["response_type"] == "ephemeral" and ":warning: chip" in error["text"] and "H100" in error["text"]


def test_chart_reaches_the_upload_endpoints(bot, fake):
    bot.post(event_body(mention("chart the hyperscaler capex forecast", channel="CCHART", ts="1500.0001")))
    done = fake.wait_for(lambda: fake.of("files.completeUploadExternal", channel_id="CCHART"), 120)
    assert done[0].params["thread_ts"] == "1500.0001"
    file_id = json.loads(done[0].params["files"])[0]["id"]
    (upload,) = [c for c in fake.of("upload") if c.params["file_id"] == file_id]
    assert upload.body.startswith(b"\x89PNG") and upload.params["bytes"] > 1000
    (url,) = [
        c
        for c in fake.of("files.getUploadURLExternal")
        if c.params["filename"].endswith(".png") and int(c.params["length"]) == upload.params["bytes"]
    ]
    assert "capex" in answer_in(fake, "CCHART", "1500.0001").lower()


def test_per_user_rate_limit_replies_politely(bot, fake):
    for i in range(1, 5):
        bot.post(
            event_body(
                dm(
                    f"kv cache per token for llama-3.1-8b at {i}k context",
                    channel="DRATE",
                    ts=f"1600.000{i}",
                    user="URATE",
                )
            )
        )
        answer_in(fake, "DRATE", f"1600.000{i}")
    limited = fake.thread("DRATE", "1600.0004")[0]
    assert ":raised_hand:" in limited and "try again in about" in limited
    assert all(":raised_hand:" not in fake.thread("DRATE", f"1600.000{i}")[0] for i in (1, 2, 3))


def test_conversation_survives_a_restart(bot, fake):
    bot.post(event_body(mention(FIT_QUESTION, channel="CRESTART", ts="1700.0001")))
    assert "728" in answer_in(fake, "CRESTART", "1700.0001")
    bot.stop()
    bot.start()
    bot.post(event_body(mention("and on 8x H200?", channel="CRESTART", ts="1700.0002", thread_ts="1700.0001")))
    fake.wait_for(lambda: len(fake.thread("CRESTART", "1700.0001")) == 2, 120)
    assert "1,447" in fake.thread("CRESTART", "1700.0001")[1]


@pytest.fixture(scope="module")
def broken_provider_bot(fake, workdir):
    """A bot whose provider (OpenAI-compatible, on the fake) answers HTTP 500 to everything."""
    process = BotProcess(
        fake,
        workdir / "data-broken",
        workdir,
        SILICONOMICS_MODEL="openai:gpt-4o-mini",
        OPENAI_API_KEY=PROVIDER_KEY,
        OPENAI_BASE_URL=fake.openai_url,
        SILICONOMICS_MAX_RETRIES="0",
        SILICONOMICS_REQUEST_TIMEOUT_S="10",
    )
    process.start()
    yield process
    process.stop()


def test_provider_failure_gives_exactly_one_warning_and_the_bot_keeps_serving(broken_provider_bot, fake):
    bot = broken_provider_bot
    bot.post(event_body(mention(FIT_QUESTION, channel="CBROKEN", ts="1800.0001")))
    (text,) = fake.wait_for(lambda: fake.thread("CBROKEN", "1800.0001"), 120)
    assert text.count(":warning:") == 2 and fake.of("openai")  # fallback text + block: one message
    assert PROVIDER_KEY not in text
    bot.post(event_body(mention(FIT_QUESTION, channel="CBROKEN", ts="1800.0002")))
    fake.wait_for(lambda: fake.thread("CBROKEN", "1800.0002"), 120)
    assert len(fake.thread("CBROKEN", "1800.0001")) == 1 and bot.proc.poll() is None
    assert "answer failed (channel=CBROKEN thread=1800.0001" in bot.log_text()


def test_tokens_and_keys_never_appear_in_messages_or_logs(bot, broken_provider_bot, fake):
    sent = b"\n".join(c.body for c in fake.calls if c.method != "openai")
    for secret in (BOT_TOKEN, SIGNING_SECRET, PROVIDER_KEY):
        assert secret.encode() not in sent
        assert secret not in bot.log_text() and secret not in broken_provider_bot.log_text()
    # -v logs every Web API request with its headers: they were logged, without the token
    assert re.search(r"Sending a request - url: \S+/chat\.postMessage.*headers: \{.*'Authorization'", bot.log_text())
