"""The brief Slack answer and its "Show work" button: a real Bolt app, signed payloads, the fake
Slack Web API on loopback, and the real ``ask()`` with the offline planner.

Expected figures: Llama-3.1-70B bf16 on 8 x H100 with 1k prompt + 1k output tokens fits 728
requests at peak reservation (PEERS.md hand derivation; README's memory-fit example).
"""

from __future__ import annotations

import functools
import json
import time
from urllib.parse import urlencode

import pytest
from fake_slack_api import TEAM_ID
from slack_bolt.request import BoltRequest
from slack_payloads import BOT_TOKEN, SIGNING_SECRET, event_body, mention, signed_headers

from agent.slack.app import build_app

FIT_QUESTION = "how many concurrent requests fit for Llama-3.1-70B bf16 on 8x H100 with 1k prompt and 1k output tokens?"


@pytest.fixture
def bot(fake_slack, monkeypatch, data_dir):
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_API_URL", fake_slack.api_url)
    monkeypatch.setenv("SILICONOMICS_DATA_DIR", str(data_dir))
    from agent.ask import ask
    from agent.settings import Settings

    app = build_app(Settings(), ask_fn=functools.partial(ask, model="offline"), http=True)

    def post(body: str, headers: dict | None = None):
        return app.dispatch(BoltRequest(body=body, headers=headers or signed_headers(body)))

    return post


def click(post, *, channel: str, thread_ts: str, message_ts: str, value: str):
    """A person presses the "Show work" button (a signed block_actions payload, as Slack sends it)."""
    payload = {
        "type": "block_actions",
        "user": {"id": "UALICE", "team_id": TEAM_ID},
        "team": {"id": TEAM_ID},
        "api_app_id": "A0000001",
        "token": "legacy",
        "trigger_id": "1.2.3",
        "response_url": "http://127.0.0.1:9/unused",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
            "thread_ts": thread_ts,
        },
        "channel": {"id": channel, "name": "analysts"},
        "message": {"type": "message", "ts": message_ts, "thread_ts": thread_ts, "text": "answer"},
        "actions": [
            {
                "action_id": "show_work",
                "block_id": "b1",
                "value": value,
                "type": "button",
                "text": {"type": "plain_text", "text": "Show work"},
                "action_ts": str(time.time()),
            }
        ],
    }
    body = urlencode({"payload": json.dumps(payload)})
    return post(body, signed_headers(body, content_type="application/x-www-form-urlencoded"))


def _button(call) -> dict:
    blocks = call.params["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 1, blocks
    (button,) = actions[0]["elements"]
    return button


def test_brief_answer_then_show_work_posts_the_detail_in_the_thread(bot, fake_slack):
    assert bot(event_body(mention(FIT_QUESTION, channel="CW", ts="500.1"))).status == 200
    fake_slack.wait_for(lambda: fake_slack.of("chat.postMessage", channel="CW"), 120)
    (brief,) = fake_slack.thread("CW", "500.1")
    assert "728 requests" in brief and "about 971 requests" in brief
    assert "Formula" not in brief and "memory_fit(" not in brief and "Sources" not in brief
    assert "Show work: formula, defaults, sources, 1 tool call" in brief
    (posted,) = fake_slack.of("chat.postMessage", channel="CW")
    button = _button(posted)
    assert button["action_id"] == "show_work" and button["text"]["text"] == "Show work"

    response = click(bot, channel="CW", thread_ts="500.1", message_ts=posted.params["_reply_ts"], value=button["value"])
    assert response.status == 200  # acknowledged at once
    fake_slack.wait_for(lambda: len(fake_slack.thread("CW", "500.1")) >= 3, 60)
    header, *work = fake_slack.thread("CW", "500.1")[1:]
    assert "The work behind" in header and "Llama-3.1-70B bf16 on 8x H100" in header
    detail = "\n".join(work)
    assert "Formula:" in detail and "Defaults used" in detail and "Sources:" in detail
    assert (
        "`memory_fit(model=Llama-3.1-70B, chip=h100, gpus=8, weights_dtype=bf16, prompt=1000, output=1000)`" in detail
    )
    assert "*max concurrent sequences*\n728" in detail
    assert all(c.params.get("thread_ts") == "500.1" for c in fake_slack.of("chat.postMessage", channel="CW"))


def test_show_work_for_an_answer_no_longer_kept_says_so(bot, fake_slack):
    response = click(bot, channel="CGONE", thread_ts="600.1", message_ts="600.2", value="CGONE:599.9")
    assert response.status == 200
    fake_slack.wait_for(lambda: fake_slack.of("chat.postMessage", channel="CGONE"), 30)
    (text,) = fake_slack.thread("CGONE", "600.1")
    assert "no longer kept" in text and "ask again" in text
