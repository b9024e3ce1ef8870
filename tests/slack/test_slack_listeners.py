"""The bot in-process: a real Bolt app, real signed payloads, the fake Web API on loopback, and a
scripted ``ask`` (so these tests do not depend on the agent; the end-to-end test does)."""

from __future__ import annotations

import threading

import pytest
from fake_slack_api import BOT_ID, BOT_USER_ID
from slack_bolt.request import BoltRequest
from slack_payloads import BOT_TOKEN, SIGNING_SECRET, dm, event_body, mention, signed_headers, slash_body

from agent.answer import Answer, Citation, ToolCallRecord
from agent.slack.app import build_app
from tools.errors import InputError

FIT_RESULT = {
    "fits": True,
    "max_concurrent_sequences": 728,
    "avg_concurrent_sequences": 971,
    "weights_bytes": 141107412992,
    "min_accelerators": 2,
}


class ScriptedAsk:
    """Records each call; answers with ``reply`` (an Answer, or an exception to raise)."""

    def __init__(self, reply=None):
        self.calls: list[tuple[str, dict]] = []
        self.reply = reply or Answer(
            answer="**728** concurrent requests fit (peak).\n\nRead as: memory_fit(model=llama-3.1-70b, chip=h100, gpus=8)",
            tool_calls=[
                ToolCallRecord(
                    name="memory_fit", args={"model": "llama-3.1-70b", "chip": "h100", "gpus": 8}, result=FIT_RESULT
                )
            ],
            citations=[
                Citation(text="memory is the constraint", source="bg2-transcript", chapter="Memory", timestamp="41:10")
            ],
            model="scripted",
        )
        self.release = threading.Event()
        self.release.set()

    def __call__(self, question, **kwargs):
        self.calls.append((question, kwargs))
        self.release.wait(10)
        if isinstance(self.reply, BaseException):
            raise self.reply
        return self.reply


@pytest.fixture
def bot(fake_slack, monkeypatch, tmp_path):
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(tmp_path))  # a fresh store of handled events per test
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SILICONOMICS_SLACK_RATE_LIMIT", "2")
    from agent.settings import Settings

    ask = ScriptedAsk()
    app = build_app(Settings(), ask_fn=ask, http=True)

    def post(body: str, headers: dict | None = None):
        return app.dispatch(BoltRequest(body=body, headers=headers or signed_headers(body)))

    return app, ask, post


def test_app_start_verifies_the_token_with_auth_test(bot, fake_slack):
    calls = fake_slack.of("auth.test")
    assert calls and calls[0].token == BOT_TOKEN


def test_mention_gets_one_threaded_answer_with_figures_tools_and_citation(bot, fake_slack):
    app, ask, post = bot
    resp = post(event_body(mention("how many fit?", channel="C1", ts="100.1")))
    assert resp.status == 200
    fake_slack.wait_for(lambda: fake_slack.of("chat.postMessage", channel="C1"))
    status = fake_slack.of("assistant.threads.setStatus", channel_id="C1")
    assert status and status[0].params["thread_ts"] == "100.1"
    (text,) = fake_slack.thread("C1", "100.1")
    assert "*728* concurrent requests" in text and "Show work: 1 citation, 1 tool call" in text  # brief
    assert "`memory_fit(" not in text  # the tool calls and sources are behind "Show work" (test_slack_show_work.py)
    assert ask.calls == [
        ("how many fit?", {"conversation_id": "slack:C1:100.1", "settings": ask.calls[0][1]["settings"]})
    ]


def test_placeholder_is_updated_in_place_when_status_is_refused(bot, fake_slack):
    app, ask, post = bot
    fake_slack.fail("assistant.threads.setStatus", "missing_scope")
    ask.release.clear()
    post(event_body(mention("how many fit?", channel="C2", ts="200.1")))
    fake_slack.wait_for(lambda: fake_slack.of("chat.postMessage", channel="C2"))
    assert "Working on it" in fake_slack.thread("C2", "200.1")[0]  # visible while ask() runs
    ask.release.set()
    fake_slack.wait_for(lambda: fake_slack.of("chat.update", channel="C2"))
    assert len(fake_slack.of("chat.postMessage", channel="C2")) == 1
    (text,) = fake_slack.thread("C2", "200.1")
    assert "728" in text and "Working on it" not in text


@pytest.mark.parametrize(
    "error, reason",
    [
        (
            InputError("chip", "unknown accelerator 'h1000'", suggestions=["H100"]),
            "chip: unknown accelerator 'h1000' Did you mean: H100?",
        ),
        (RuntimeError(f"provider said no to {BOT_TOKEN}"), "RuntimeError: provider said no to [redacted]"),
    ],
)
def test_failure_gives_exactly_one_warning_without_secrets(bot, fake_slack, error, reason):
    app, ask, post = bot
    ask.reply = error
    post(event_body(mention("how many fit?", channel="C3", ts="300.1")))
    fake_slack.wait_for(lambda: fake_slack.thread("C3", "300.1"))
    replies = fake_slack.thread("C3", "300.1")
    assert len(replies) == 1 and replies[0].count(":warning:") >= 1
    assert reason in replies[0] and BOT_TOKEN not in replies[0]


def test_failed_update_still_yields_one_warning(bot, fake_slack):
    app, ask, post = bot
    fake_slack.fail("assistant.threads.setStatus", "missing_scope")
    fake_slack.fail("chat.update", "msg_blocks_too_long", when=lambda p: ":warning:" not in p.get("text", ""))
    post(event_body(mention("how many fit?", channel="C4", ts="400.1")))
    fake_slack.wait_for(lambda: any(":warning:" in t for t in fake_slack.thread("C4", "400.1")))
    warnings = [t for t in fake_slack.thread("C4", "400.1") if ":warning:" in t]
    assert len(warnings) == 1 and "msg_blocks_too_long" in warnings[0]


def test_retried_event_is_answered_once(bot, fake_slack):
    app, ask, post = bot
    body = event_body(mention("how many fit?", channel="C5", ts="500.1"), event_id="EvRETRY1")
    assert post(body).status == 200
    retry_headers = {**signed_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post(body, retry_headers).status == 200
    fake_slack.wait_for(lambda: fake_slack.thread("C5", "500.1"))
    # the same message delivered again under another event id (e.g. app_mention and message) is dropped too
    post(event_body(mention("how many fit?", channel="C5", ts="500.1")))
    post(event_body(dm("x", channel="D9", ts="501.1")))  # a later event: proves the queue drained
    fake_slack.wait_for(lambda: fake_slack.thread("D9", "501.1"))
    assert len(ask.calls) == 2 and len(fake_slack.thread("C5", "500.1")) == 1


@pytest.mark.parametrize(
    "event",
    [
        dm("my own message", channel="D1", ts="600.1", user=BOT_USER_ID, bot_id=BOT_ID),
        dm("another bot", channel="D1", ts="600.2", user="UOTHER", bot_id="BOTHER"),
        dm("edited", channel="D1", ts="600.3", subtype="message_changed", message={"text": "edited"}),
        dm("joined", channel="D1", ts="600.4", subtype="channel_join"),
        {**dm("in a channel without a mention", channel="C1", ts="600.5"), "channel_type": "channel"},
        {**mention("edited mention", channel="C1", ts="600.6"), "edited": {"user": "UALICE", "ts": "600.7"}},
    ],
)
def test_non_questions_are_ignored(bot, fake_slack, event):
    app, ask, post = bot
    resp = post(event_body(event))
    assert resp.status == 200  # handled (Slack must not retry), just not answered
    post(event_body(dm("sentinel", channel="D8", ts="699.1", user="USENTINEL")))
    fake_slack.wait_for(lambda: fake_slack.thread("D8", "699.1"))
    assert [q for q, _ in ask.calls] == ["sentinel"]


def test_bad_and_stale_signatures_get_401_and_nothing_is_posted(bot, fake_slack):
    app, ask, post = bot
    body = event_body(mention("forged", channel="C6", ts="700.1"))
    before = len(fake_slack.calls)
    assert post(body, signed_headers(body, secret="wrong-secret")).status == 401
    assert post(body, signed_headers(body, timestamp=1_000_000_000)).status == 401
    assert post(body, {"Content-Type": "application/json"}).status == 401
    assert len(fake_slack.calls) == before and ask.calls == []


def test_per_user_rate_limit_replies_politely(bot, fake_slack):
    app, ask, post = bot
    for i in range(3):
        post(event_body(dm(f"question {i}", channel="D2", ts=f"800.{i + 1}", user="UBUSY")))
        fake_slack.wait_for(lambda i=i: fake_slack.thread("D2", f"800.{i + 1}"))
    limited = fake_slack.thread("D2", "800.3")
    assert len(ask.calls) == 2 and ":raised_hand:" in limited[0] and "try again in about" in limited[0]
    post(event_body(dm("other user", channel="D3", ts="801.1", user="UCALM")))
    fake_slack.wait_for(lambda: fake_slack.thread("D3", "801.1"))
    assert len(ask.calls) == 3


def test_empty_mention_gets_help(bot, fake_slack):
    app, ask, post = bot
    post(event_body(mention("", channel="C7", ts="900.1")))
    fake_slack.wait_for(lambda: fake_slack.thread("C7", "900.1"))
    assert "/siliconomics kv-cache --help" in fake_slack.thread("C7", "900.1")[0] and ask.calls == []


def test_chart_is_uploaded_into_the_thread(bot, fake_slack, tmp_path):
    app, ask, post = bot
    png = tmp_path / "capex.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    ask.reply = Answer(answer="Capex chart attached.", model="scripted", charts=[str(png)])
    post(event_body(mention("chart capex", channel="C8", ts="1000.1")))
    fake_slack.wait_for(lambda: fake_slack.of("files.completeUploadExternal"))
    (url,) = fake_slack.of("files.getUploadURLExternal")
    assert url.params["filename"] == "capex.png" and int(url.params["length"]) == 108
    (upload,) = fake_slack.of("upload")
    assert upload.body.startswith(b"\x89PNG") and upload.params["bytes"] == 108
    (done,) = fake_slack.of("files.completeUploadExternal")
    assert done.params["channel_id"] == "C8" and done.params["thread_ts"] == "1000.1"


def test_slash_command_answers_in_the_ack(bot, fake_slack):
    app, ask, post = bot
    body = slash_body("kv-cache --model llama-3.1-70b --context 32000")
    resp = post(body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    assert resp.status == 200
    import json

    reply = json.loads(resp.body)
    assert reply["response_type"] == "ephemeral" and "327,680 B" in json.dumps(reply["blocks"])
    body = slash_body("kv-cache --model llama-3.1-70b --context 8192 --in-channel")
    reply = json.loads(post(body, signed_headers(body, content_type="application/x-www-form-urlencoded")).body)
    assert reply["response_type"] == "in_channel"
    assert not fake_slack.of("chat.postMessage")
