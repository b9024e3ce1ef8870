"""Signed Events API and slash-command payloads, as Slack sends them."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

from fake_slack_api import BOT_USER_ID, TEAM_ID
from slack_sdk.signature import SignatureVerifier

BOT_TOKEN = "xoxb-1111-2222-testbottoken0000"
SIGNING_SECRET = "test-signing-secret-5f2c9a71"
_ids = itertools.count(1)


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None, content_type: str = "application/json"
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": SignatureVerifier(secret).generate_signature(timestamp=ts, body=body),
    }


def event_body(event: dict[str, Any], event_id: str | None = None) -> str:
    """An Events API ``event_callback`` envelope around ``event``."""
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0000001",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
    )


def mention(text: str, *, channel: str, ts: str, user: str = "UALICE", thread_ts: str | None = None) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def dm(text: str, *, channel: str, ts: str, user: str = "UALICE", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        **extra,
    }


def slash_body(text: str, *, user: str = "UALICE", channel: str = "C0SLASH") -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": channel,
            "user_id": user,
            "command": "/siliconomics",
            "text": text,
            "response_url": "http://127.0.0.1:9/unused",
            "trigger_id": "1.2.3",
            "api_app_id": "A0000001",
        }
    )
